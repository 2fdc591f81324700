import { NagRuleCompliance } from 'cdk-nag';
import { KEY_POLICY_LIMIT, keyPolicySize } from '../../private/policy-size';
import { compliantIf, ruleFor } from '../../private/values';

/**
 * The key policy of a KMS key or replica key fits the 32,768-byte KMS limit in every account and
 * Region: non-compliant only when even its shortest resolution is too long.
 */
export const KMSKeyPolicySize = ruleFor('KMSKeyPolicySize', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) => {
  const size = keyPolicySize(index, resource);
  return size === undefined ? NagRuleCompliance.NOT_APPLICABLE : compliantIf(size.min <= KEY_POLICY_LIMIT);
});
