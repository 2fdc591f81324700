import { keyPolicyStatements, useActions } from '../../private/key-policy';
import { USE_ACTIONS } from '../../private/kms-actions';
import { compliantIf, ruleFor, unresolved } from '../../private/values';

/**
 * A KMS key or replica key policy gives no account root (`arn:...:iam::<account>:root` or a bare
 * account ID) a cryptographic action or CreateGrant: that would let IAM policies alone unlock the
 * data. CreateGrant only for AWS resources through a named service (resource creation) is allowed. A key without a policy gets the KMS default, which gives the root `kms:*`.
 */
export const KMSRootNoCryptographicAccess = ruleFor('KMSRootNoCryptographicAccess', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) => {
  let rootUses = false;
  for (const statement of keyPolicyStatements(index, resource)) {
    if (!statement.allow || useActions(statement, USE_ACTIONS).length === 0) continue;
    const unknown = statement.principals.find((p) => p.kind === 'unknown');
    if (unknown) throw unresolved(resource, 'KeyPolicy principal', unknown.key);
    rootUses ||= statement.principals.some((p) => p.kind === 'root');
  }
  return compliantIf(!rootUses);
});
