// Entry module for the corpus test: what bin/blea-guest-serverless-api-sample.ts of the original does, registered on the given app.
import * as cdk from 'aws-cdk-lib';
import { BLEAServerlessApiStack } from './lib/stack/blea-guest-serverless-api-sample-stack';
import { devParameter } from './parameter';

export function build(app: cdk.App): void {
  new BLEAServerlessApiStack(app, 'Dev-BLEAServerlessApi', {
    description: 'BLEA Serveless API sample for guest accounts (uksb-1tupboc58) (tag:blea-guest-serverless-api-sample)',
    env: {
      account: devParameter.env?.account || process.env.CDK_DEFAULT_ACCOUNT,
      region: devParameter.env?.region || process.env.CDK_DEFAULT_REGION,
    },
    tags: {
      Repository: 'aws-samples/baseline-environment-on-aws',
      Environment: devParameter.envName,
    },

    monitoringNotifyEmail: devParameter.monitoringNotifyEmail,
    monitoringSlackWorkspaceId: devParameter.monitoringSlackWorkspaceId,
    monitoringSlackChannelId: devParameter.monitoringSlackChannelId,
  });
}
