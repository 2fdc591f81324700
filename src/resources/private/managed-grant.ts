import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IDependable } from 'constructs';

/**
 * Grants `actions` on `resourceArns` to a role built in this app through a customer managed
 * policy owned by `scope` (one per access level, shared by every role granted that level), so
 * the grant adds no inline policy to the role (HIPAA, NIST and PCI packs reject inline policies
 * on roles). Any other principal gets the usual identity-or-resource grant.
 */
export function grantThroughManagedPolicy(
  scope: Construct, policyId: string, grantee: iam.IGrantable, actions: string[], resourceArns: string[],
  fallback: () => iam.Grant,
): iam.Grant {
  const role = grantee.grantPrincipal;
  if (!(role instanceof iam.Role)) return fallback();
  let policy = scope.node.tryFindChild(policyId) as iam.ManagedPolicy | undefined;
  if (!policy) {
    policy = new iam.ManagedPolicy(scope, policyId, {
      description: `${policyId} of ${scope.node.path}`,
      statements: [new iam.PolicyStatement({ actions, resources: resourceArns })],
    });
  }
  // attachToRole ignores a role that is already attached.
  policy.attachToRole(role);
  return grantResult(grantee, actions, resourceArns, policy);
}

/** A Grant that reports a statement already in place; resources using it wait for `dependable`. */
function grantResult(grantee: iam.IGrantable, actions: string[], resourceArns: string[], dependable: IDependable & Construct): iam.Grant {
  const resource = {
    stack: (dependable as any).stack,
    env: (dependable as any).env,
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
