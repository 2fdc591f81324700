// Entry module for the corpus test: what bin/app.ts of the original does, registered on the given app.
import * as cdk from 'aws-cdk-lib';
import { S3SourceStack, S3DestinationStack, S3SourceReplicationRoleStack } from './lib/infrastructure/stacks';

/** The `-c` values the README's deployment commands pass. */
export const context: Record<string, unknown> = {
  sourceAccount: '111111111111',
  sourceRegion: 'us-east-1',
  destinationAccount: '222222222222',
  destinationRegion: 'eu-west-1',
  destinationKey: 'replicated/',
};

export function build(app: cdk.App): void {
  const destinationAccount = app.node.tryGetContext('destinationAccount');
  const destinationRegion = app.node.tryGetContext('destinationRegion');
  const destinationKey = app.node.tryGetContext('destinationKey');
  const sourceAccount = app.node.tryGetContext('sourceAccount');
  const sourceRegion = app.node.tryGetContext('sourceRegion');

  if (destinationAccount == null || destinationRegion == null || destinationKey == null || sourceAccount == null || sourceRegion == null) {
    throw Error('You must specify source account, source region, destination account, destination region, and destination prefix via cdk context (-c sourceAccount=<sourceAccount> -c sourceRegion=<sourceRegion> -c destinationAccount=<destinationAccount> -c destinationRegion=<destinationRegion> -c -c destinationPrefix=<destinationPrefix>)');
  }

  const replicationRoleName = 'aws-cdk-s3-replication-with-prefix-role';
  const replicationRoleStack = new S3SourceReplicationRoleStack(app, 'aws-cdk-s3-replication-with-prefix-source-replication-role-stack', replicationRoleName, {
    env: {
      account: sourceAccount,
      region: sourceRegion,
    },
  });

  const destinationStack = new S3DestinationStack(app, 'aws-cdk-s3-replication-with-prefix-destination-stack', {
    env: {
      account: destinationAccount,
      region: destinationRegion,
    },
    sourceRoleName: replicationRoleName,
    sourceAccount: sourceAccount,
    destinationKey: destinationKey,
  });

  new S3SourceStack(app, 'aws-cdk-s3-replication-with-prefix-source-stack', {
    env: {
      account: sourceAccount,
      region: sourceRegion,
    },
    stagingBucket: {
      bucketArn: destinationStack.stagingBucketArn,
      accountId: destinationAccount,
    },
    replicationRoleArn: replicationRoleStack.roleArn,
  });

  // cdk-nag 2: Aspects.of(app).add(new AwsSolutionsChecks()) — removed (cdk-nag 3 packs are validation
  // plugins; the corpus test registers the pack under test).
}
