import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { reportedGrant } from '../../private/grants';

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
  return reportedGrant(grantee, actions, resourceArns, policy);
}
