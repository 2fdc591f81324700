import { NagRuleCompliance } from 'cdk-nag';
import { bucketEncryption, bucketName } from '../../private/encryption';
import { trailModels } from '../../private/trails';
import { compliantIf, ruleFor } from '../../private/values';

/**
 * S3 buckets that encrypt with SSE-KMS use an S3 Bucket Key. Other encryption (SSE-S3, and DSSE-KMS,
 * which does not support bucket keys) is not applicable, and so is the log bucket of a trail that
 * encrypts its log files with its own KMS key: CloudTrail sets each file's encryption itself.
 */
export const S3BucketKeyEnabled = ruleFor('S3BucketKeyEnabled', ['AWS::S3::Bucket'], (resource, index) => {
  const kms = bucketEncryption(index, resource).filter((rule) => rule.algorithm === 'aws:kms');
  if (kms.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const name = bucketName(index, resource);
  const trailBucket = name !== undefined && trailModels(index).some((trail) =>
    trail.bucketName === name && trail.resource.properties().KMSKeyId !== undefined);
  if (trailBucket) return NagRuleCompliance.NOT_APPLICABLE;
  return compliantIf(kms.every((rule) => rule.bucketKey));
});
