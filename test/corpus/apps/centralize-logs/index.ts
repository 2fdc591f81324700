// Entry module for the corpus test: what bin/app.ts of the original does, registered on the given app.
import * as cdk from 'aws-cdk-lib';
import { Environment } from 'aws-cdk-lib';
import { LogDestinationStack } from './lib/infrastructure/stacks/stacks';

/** The `-c` values of the README's first deployment command (trusted accounts). */
export const context: Record<string, unknown> = {
  account: '333333333333',
  region: 'eu-west-1',
  trustedAccounts: '111111111111:eu-west-1,222222222222:us-east-1',
};

export function build(app: cdk.App): void {
  const env = {
    account: app.node.tryGetContext('account'),
    region: app.node.tryGetContext('region'),
  };

  if (env.account == null || env.region == null) {
    throw Error('Specify account and region via cdk context');
  }
  const trustedAccountsValue = app.node.tryGetContext('trustedAccounts');
  const principalOrgIdsValue = app.node.tryGetContext('principalOrgIds');
  const regionsValue = app.node.tryGetContext('regions');
  let trustedAccounts: Environment[] | undefined;
  let principalOrgIds: string[] | undefined;
  let regions: string[] | undefined;
  if (trustedAccountsValue != null) {
    if (principalOrgIdsValue != null) {
      throw new Error('You cannot specify both trustedAccounts and principalOrgIds');
    }
    if (regionsValue != null) {
      throw new Error('You cannot specify both trustedAccounts and regions');
    }
    trustedAccounts = (trustedAccountsValue as string).split(',').map(value => {
      const v = value.split(':');
      return {
        account: v[0],
        region: v[1],
      };
    });

  } else if (principalOrgIdsValue != null) {
    if (regionsValue == null) {
      throw new Error('You must specify regions when you specify principalOrgIds');
    }
    principalOrgIds = (principalOrgIdsValue as string).split(',');
    regions = (regionsValue as string).split(',');

  } else {
    throw new Error('You must specify either trustedAccounts or principalOrgIds and regions');
  }

  new LogDestinationStack(app, 'LogDestinationStack', {
    env: env,
    trustedAccounts: trustedAccounts,
    principalOrgIds: principalOrgIds,
    regions: regions,
  });
  // cdk-nag 2: cdk.Aspects.of(logDestinationStack).add(new AwsSolutionsChecks()) — removed (cdk-nag 3 packs
  // are validation plugins; the corpus test registers the pack under test).
}
