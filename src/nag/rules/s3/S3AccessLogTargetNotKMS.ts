import { NagRuleCompliance } from 'cdk-nag';
import { AppIndex, IndexedResource } from '../../private/app-index';
import { bucketEncryption, bucketName } from '../../private/encryption';
import { serviceMayUseKey } from '../../private/key-policy';
import { keyUses } from '../../private/key-users';
import { resourceLabel } from '../../private/multi-region';
import { asObject, ruleFor } from '../../private/values';

/** The buckets of the app that send their server access logs to each bucket, by the target's rendered name. */
function logSources(index: AppIndex): ReadonlyMap<string, readonly IndexedResource[]> {
  return index.derive('accessLogSources', () => {
    const out = new Map<string, IndexedResource[]>();
    for (const bucket of index.resourcesOfType('AWS::S3::Bucket')) {
      try {
        const logging = asObject(bucket.properties().LoggingConfiguration);
        if (!logging) continue;
        // Without a destination, S3 delivers the logs to the bucket itself.
        const destination = logging.DestinationBucketName;
        const target = destination === undefined ? bucketName(index, bucket) : index.render(bucket.scope, destination);
        if (target !== undefined) out.set(target, [...(out.get(target) ?? []), bucket]);
      } catch {
        // a bucket that cannot be read sends logs nowhere we can prove
      }
    }
    return out;
  });
}

/**
 * A bucket that receives S3 server access logs from a bucket of the app and encrypts by default
 * with SSE-KMS or DSSE-KMS lets S3's log delivery (`logging.s3.amazonaws.com`) generate data keys
 * under its key; otherwise the logs of every source bucket are silently lost. The AWS managed key
 * `aws/s3` cannot let it, and neither can a key outside the app that the pack cannot read. Buckets
 * encrypted with SSE-S3 and buckets that receive no logs are not applicable.
 */
export const S3AccessLogTargetNotKMS = ruleFor('S3AccessLogTargetNotKMS', ['AWS::S3::Bucket'], (resource, index) => {
  const name = bucketName(index, resource);
  const sources = name === undefined ? [] : logSources(index).get(name) ?? [];
  if (sources.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const kms = bucketEncryption(index, resource).find((rule) => rule.algorithm.startsWith('aws:kms'));
  if (!kms) return NagRuleCompliance.COMPLIANT;
  const keys = [...keyUses(index)].filter(([, uses]) => uses.some((u) => u.user === resource)).map(([uid]) => index.resourceByUid(uid)!);
  const decisions = keys.map((key) => serviceMayUseKey(index, key, 'logging.s3.amazonaws.com', 'kms:GenerateDataKey'));
  // "depends" is left to the key-policy rules: S3 sends aws:SourceAccount and aws:SourceArn, which
  // a policy may rightly require.
  if (keys.length > 0 && decisions.every((d) => d !== 'denied')) return NagRuleCompliance.COMPLIANT;
  const why = keys.length === 0
    ? 'its key is not a key of the app (the AWS managed key `aws/s3` cannot let S3\'s log delivery use it)'
    : `the key policy of ${keys.map((k) => resourceLabel(k)).join(', ')} does not let \`logging.s3.amazonaws.com\` call kms:GenerateDataKey`;
  return sources.map((source) =>
    `${source === resource ? 'this bucket itself' : resourceLabel(source)} sends its server access logs here, and the bucket encrypts by default with ${kms.algorithm}, but ${why}: ` +
    'the logs are lost. Let the log delivery service use the key (with aws:SourceAccount), encrypt this bucket with SSE-S3 (`AES256`), or log to another bucket.');
});
