import { NagRuleCompliance } from 'cdk-nag';
import { bucketEncryption, bucketName, logDeliveryBuckets } from '../../private/encryption';
import { compliantIf, ruleFor } from '../../private/values';

/**
 * S3 buckets encrypt by default with SSE-KMS or DSSE-KMS under a customer managed key. Not
 * applicable: buckets that receive S3 server access logs or Application or Classic Load Balancer
 * logs of the app (delivered only to SSE-S3 buckets), and log buckets of trails that encrypt each
 * log file with their own KMS key.
 */
export const S3CustomerManagedKey = ruleFor('S3CustomerManagedKey', ['AWS::S3::Bucket'], (resource, index) => {
  const name = bucketName(index, resource);
  if (name !== undefined && logDeliveryBuckets(index).has(name)) return NagRuleCompliance.NOT_APPLICABLE;
  const rules = bucketEncryption(index, resource);
  return compliantIf(rules.length > 0 && rules.every((rule) => rule.customerManagedKey));
});
