import { NagRuleCompliance } from 'cdk-nag';
import { accessLogTargets, bucketEncryption, bucketName } from '../../private/encryption';
import { compliantIf, ruleFor } from '../../private/values';

/**
 * S3 buckets encrypt by default with SSE-KMS or DSSE-KMS under a customer managed key. Buckets that
 * receive server access logs of a bucket in the app are not applicable: S3 delivers those logs only
 * to SSE-S3 buckets.
 */
export const S3CustomerManagedKey = ruleFor('S3CustomerManagedKey', ['AWS::S3::Bucket'], (resource, index) => {
  const name = bucketName(index, resource);
  if (name !== undefined && accessLogTargets(index).has(name)) return NagRuleCompliance.NOT_APPLICABLE;
  const rules = bucketEncryption(index, resource);
  return compliantIf(rules.length > 0 && rules.every((rule) => rule.customerManagedKey));
});
