import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * CloudTrail allows at most this many trails per account and Region (organization trails
 * included).
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html
 */
export const MAX_TRAILS_PER_REGION = 5;

const TRAIL_TYPE = 'AWS::CloudTrail::Trail';

/** Where a trail is deployed; environment-agnostic stacks are counted together. */
function environmentOf(resource: IConstruct): string {
  const stack = Stack.of(resource);
  const account = Token.isUnresolved(stack.account) ? 'an unresolved account' : `account ${stack.account}`;
  const region = Token.isUnresolved(stack.region) ? 'an unresolved Region' : `Region ${stack.region}`;
  return `${account}, ${region}`;
}

/**
 * The trails of the whole app (ours and any other `AWS::CloudTrail::Trail`) that deploy to the
 * same account and Region as `trail`, in construct-tree order. Stacks without an explicit
 * environment are counted together: they can all land in one account and Region.
 */
export function trailsInEnvironment(trail: CfnResource): { environment: string; trails: CfnResource[] } {
  const environment = environmentOf(trail);
  const trails = trail.node.root.node.findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === TRAIL_TYPE)
    .filter(c => environmentOf(c) === environment);
  return { environment, trails };
}

/** The path users know a trail by: the L2/L3 construct's, not its `Resource` child's. */
export function trailPath(trail: CfnResource): string {
  return trail.node.id === 'Resource' && trail.node.scope ? trail.node.scope.node.path : trail.node.path;
}
