import { Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { reportedGrant } from '../../private/grants';

/**
 * Grants `actions` on `resourceArns` to a role built in this app, in the resource's account,
 * through a customer managed policy owned by `scope` (one per access level, shared by every role
 * granted that level), so the grant adds no inline policy to the role (HIPAA, NIST and PCI packs
 * reject inline policies on roles). Every other principal (an imported role, an ArnPrincipal, a
 * role of another account, a user) is granted in the resource's own policy by `onResource`:
 * never an inline policy, and no reference from the principal's stack to the resource, so no
 * dependency cycle.
 */
export function grantThroughManagedPolicy(
  scope: Construct, policyId: string, grantee: iam.IGrantable, actions: string[], resourceArns: string[],
  onResource: () => iam.Grant,
): iam.Grant {
  const role = grantee.grantPrincipal;
  if (!(role instanceof iam.Role)) return onResource();
  if (Token.compareStrings(Stack.of(role).account, Stack.of(scope).account) === TokenComparison.DIFFERENT) return onResource();
  let policy = scope.node.tryFindChild(policyId) as iam.ManagedPolicy | undefined;
  if (!policy) {
    policy = new iam.ManagedPolicy(scope, policyId, {
      description: `${policyId} of ${scope.node.path}`,
      statements: [new iam.PolicyStatement({ actions, resources: resourceArns })],
    });
  }
  // attachToRole ignores a role that is already attached.
  policy.attachToRole(role);
  return reportedGrant(grantee, actions, resourceArns, policy);
}
