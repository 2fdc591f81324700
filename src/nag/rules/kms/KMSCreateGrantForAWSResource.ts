import { keyPolicyStatements, restricting } from '../../private/key-policy';
import { compliantIf, ruleFor } from '../../private/values';

/**
 * Every Allow statement of a KMS key or replica key policy that grants kms:CreateGrant (by name,
 * wildcard or NotAction) requires `kms:GrantIsForAWSResource` to be true.
 */
export const KMSCreateGrantForAWSResource = ruleFor('KMSCreateGrantForAWSResource', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) => {
  const unconditioned = keyPolicyStatements(index, resource).some((statement) =>
    statement.allow && statement.actions.has('CreateGrant') &&
    !statement.conditions.some((c) => c.key === 'kms:grantisforawsresource' && restricting(c, ['bool', 'stringequals']) &&
      c.values.length > 0 && c.values.every((v) => v?.toLowerCase() === 'true')));
  return compliantIf(!unconditioned);
});
