// Entry module for the corpus test: what bin/blea-guest-ecs-app-sample-via-cdk-pipelines.ts of the original does,
// registered on the given app. The stacks, stage and constructs are the files of ../blea-guest-ecs-app-sample.
import * as cdk from 'aws-cdk-lib';
import { BLEAEcsAppPipelineStack } from '../blea-guest-ecs-app-sample/lib/stack/blea-guest-ecs-app-sample-via-cdk-pipelines-stack';

// Import parameters for each enviroment
import { devParameter, devPipelineParameter } from '../blea-guest-ecs-app-sample/parameter';

export function build(app: cdk.App): void {
  // Create stack for "Dev" environment.
  // If you have multiple environments, instantiate stacks with its parameters.
  new BLEAEcsAppPipelineStack(app, 'Dev-BLEAEcsAppPipeline', {
    description:
      'Pipeline stack for BLEA ECS App sample for guest accounts (uksb-1tupboc58) (tag:blea-guest-ecs-app-sample-via-cdk-pipelines)',
    env: {
      account: devPipelineParameter.env.account || process.env.CDK_DEFAULT_ACCOUNT,
      region: devPipelineParameter.env.region || process.env.CDK_DEFAULT_REGION,
    },
    tags: {
      Repository: 'aws-samples/baseline-environment-on-aws',
      Environment: devParameter.envName,
    },
    targetParameters: [devParameter],
    sourceRepository: devPipelineParameter.sourceRepository,
    sourceBranch: devPipelineParameter.sourceBranch,
    sourceConnectionArn: devPipelineParameter.sourceConnectionArn,
  });
}
