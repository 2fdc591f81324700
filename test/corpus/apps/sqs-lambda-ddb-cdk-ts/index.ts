// Entry module for the corpus test: what bin/sqs-lambda-dynamo.ts of the original does, registered on the given app.
import * as cdk from 'aws-cdk-lib';
import { SqsLambdaDynamoStack } from './lib/sqs-lambda-dynamo-stack';

export function build(app: cdk.App): void {
  new SqsLambdaDynamoStack(app, 'SqsLambdaDynamoStack', {});
}
