// Entry module for the corpus test: what bin/cdk-pipeline.ts of the original does, registered on the given app.
import * as cdk from 'aws-cdk-lib';
import { CdkPipelineStack } from './lib/cdk-pipeline-stack';
import { Params } from './lib/params';

export function build(app: cdk.App): void {
  new CdkPipelineStack(app, 'CdkPipelineStack', {
    env: {
      account: Params.DEV_ACCOUNT_ID,
      region: Params.AWS_REGION,
    },
  });
}
