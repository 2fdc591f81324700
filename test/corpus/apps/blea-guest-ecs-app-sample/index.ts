// Entry module for the corpus test: what bin/blea-guest-ecs-app-sample.ts of the original does, registered on the given app.
import { App } from 'aws-cdk-lib';
import { devParameter } from './parameter';
import { BLEAEcsAppStack } from './lib/stack/blea-guest-ecs-app-sample-stack';
import { BLEAEcsAppFrontendStack } from './lib/stack/blea-guest-ecs-app-frontend-stack';
import { BLEAEcsAppMonitoringStack } from './lib/stack/blea-guest-ecs-app-monitoring-stack';

export function build(app: App): void {
  const ecsapp = new BLEAEcsAppStack(app, 'Dev-BLEAEcsApp', {
    description: 'BLEA ECS App sample for guest accounts (uksb-1tupboc58) (tag:blea-guest-ecs-app-sample-backend)',
    env: {
      account: devParameter.env?.account || process.env.CDK_DEFAULT_ACCOUNT,
      region: devParameter.env?.region || process.env.CDK_DEFAULT_REGION,
    },
    crossRegionReferences: true,
    tags: {
      Repository: 'aws-samples/baseline-environment-on-aws',
      Environment: devParameter.envName,
    },

    monitoringNotifyEmail: devParameter.monitoringNotifyEmail,
    monitoringSlackWorkspaceId: devParameter.monitoringSlackWorkspaceId,
    monitoringSlackChannelId: devParameter.monitoringSlackChannelId,
    vpcCidr: devParameter.vpcCidr,
  });

  const frontend = new BLEAEcsAppFrontendStack(app, 'Dev-BLEAEcsAppFrontend', {
    description: 'BLEA ECS App sample for guest accounts (uksb-1tupboc58) (tag:blea-guest-ecs-app-sample-frontend)',
    env: {
      account: devParameter.env?.account || process.env.CDK_DEFAULT_ACCOUNT,
      region: 'us-east-1', // To use WAFv2 in this Stack
    },
    crossRegionReferences: true,
    tags: {
      Repository: 'aws-samples/baseline-environment-on-aws',
      Environment: devParameter.envName,
    },

    alarmTopic: ecsapp.alarmTopic,
    alb: ecsapp.alb,
  });

  new BLEAEcsAppMonitoringStack(app, 'Dev-BLEAEcsAppMonitoring', {
    description: 'BLEA ECS App sample for guest accounts (uksb-1tupboc58) (tag:blea-guest-ecs-app-sample-monitoring)',
    env: {
      account: devParameter.env?.account || process.env.CDK_DEFAULT_ACCOUNT,
      region: devParameter.env?.region || process.env.CDK_DEFAULT_REGION,
    },
    crossRegionReferences: true,
    tags: {
      Repository: 'aws-samples/baseline-environment-on-aws',
      Environment: devParameter.envName,
    },

    appEndpoint: frontend.distributionDomainName,
    dashboardName: devParameter.dashboardName,

    alarmTopic: ecsapp.alarmTopic,
    albFullName: ecsapp.albFullName,
    albTargetGroupName: ecsapp.albTargetGroupName,
    albTargetGroupUnhealthyHostCountAlarm: ecsapp.albTargetGroupUnhealthyHostCountAlarm,
    ecsClusterName: ecsapp.ecsClusterName,
    ecsServiceName: ecsapp.ecsServiceName,
    ecsScaleOnRequestCount: ecsapp.ecsScaleOnRequestCount,
    ecsTargetUtilizationPercent: ecsapp.ecsTargetUtilizationPercent,
    dbClusterName: ecsapp.dbClusterName,

    distributionId: frontend.distributionId,
  });
}
