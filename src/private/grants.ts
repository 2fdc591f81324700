import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * An `iam.Grant` for a permission this library has already written (into a key policy or a
 * managed policy). Resources that `applyBefore`/`applyAfter` the grant depend on `dependable`,
 * so they deploy after the policy that allows them.
 */
export function reportedGrant(grantee: iam.IGrantable, actions: string[], resourceArns: string[], dependable: IConstruct): iam.Grant {
  const resource = {
    stack: Stack.of(dependable),
    env: Stack.of(dependable).environment,
    node: dependable.node,
    applyRemovalPolicy: () => undefined,
    addToResourcePolicy: () => ({ statementAdded: true, policyDependable: dependable }),
  } as unknown as iam.IResourceWithPolicy;
  return iam.Grant.addStatementToResourcePolicy({
    grantee,
    actions,
    resourceArns,
    resource,
    statement: new iam.PolicyStatement({ actions, resources: resourceArns, principals: [grantee.grantPrincipal] }),
  });
}
