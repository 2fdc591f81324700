import { NagRuleCompliance } from 'cdk-nag';
import { KEY_POLICY_HEADROOM, KEY_POLICY_LIMIT, keyPolicySize } from '../../private/policy-size';
import { compliantIf, ruleFor } from '../../private/values';

/**
 * The key policy of a KMS key or replica key stays under 90% of the KMS limit even at its longest
 * resolution. A policy already over the limit is KMSKeyPolicySize's finding, not this one's.
 */
export const KMSKeyPolicySizeHeadroom = ruleFor('KMSKeyPolicySizeHeadroom', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) => {
  const size = keyPolicySize(index, resource);
  if (size === undefined || size.min > KEY_POLICY_LIMIT) return NagRuleCompliance.NOT_APPLICABLE;
  return compliantIf(size.max <= KEY_POLICY_HEADROOM);
});
