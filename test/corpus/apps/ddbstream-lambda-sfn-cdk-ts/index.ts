// Entry module for the corpus test: what app.ts of the original does, registered on the given app.
import * as cdk from 'aws-cdk-lib';
import { DdbstreamLambdaSfnExampleStack } from './src/lib/ddbstream-lambda-sfn-example-stack';

export function build(app: cdk.App): void {
  new DdbstreamLambdaSfnExampleStack(app, 'DDBEventTrigger', {});
}
