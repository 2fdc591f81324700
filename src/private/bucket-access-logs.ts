import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { invalidProp } from './errors';

/** The construct id of the shared log bucket at the stack level: public API, it makes the logical id. */
export const ACCESS_LOGS_ID = 'AccessLogs';
const IS_ACCESS_LOGS_BUCKET = Symbol.for('cdk-kms-guardrails.AccessLogsBucket');

const SSE_KMS_RULE_IDS = [
  'HIPAA.Security-S3DefaultEncryptionKMS',
  'NIST.800.53.R5-S3DefaultEncryptionKMS',
  'PCI.DSS.321-S3DefaultEncryptionKMS',
];
export const REPLICATION_RULE_IDS = [
  'HIPAA.Security-S3BucketReplicationEnabled',
  'NIST.800.53.R4-S3BucketReplicationEnabled',
  'NIST.800.53.R5-S3BucketReplicationEnabled',
  'PCI.DSS.321-S3BucketReplicationEnabled',
];
export const OBJECT_LOCK_RULE_ID = 'NIST.800.53.R4-S3BucketDefaultLockEnabled';

/**
 * The stack's server-access-log bucket, created by the first EncryptedBucket that needs it.
 *
 * It lives directly under the stack with a fixed id, so its logical id does not depend on which
 * EncryptedBucket came first, and removing that one later does not replace the log bucket.
 * SSE-S3, because S3 server access logging delivers only to SSE-S3 target buckets.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
/**
 * Deletes only the parts of multipart uploads nobody completed within a week: no object is ever
 * expired. It also gives a versioned bucket the lifecycle configuration AWS Control Tower's
 * CT.S3.PR.3 and CT.S3.PR.6 look for.
 */
export const ABORT_INCOMPLETE_UPLOADS: s3.LifecycleRule = {
  id: 'AbortIncompleteMultipartUploads',
  abortIncompleteMultipartUploadAfter: Duration.days(7),
};

export function stackAccessLogsBucket(scope: Construct, kind: string): s3.Bucket {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(ACCESS_LOGS_ID);
  if (existing !== undefined) {
    if (!(IS_ACCESS_LOGS_BUCKET in existing)) {
      throw invalidProp(scope, kind, 'serverAccessLogsBucket', `is not set, and the stack already has a construct with id '${ACCESS_LOGS_ID}' that is not our log bucket; pass your own log bucket in \`serverAccessLogsBucket\` or rename that construct`);
    }
    return existing as unknown as s3.Bucket;
  }
  const bucket = new s3.Bucket(stack, ACCESS_LOGS_ID, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    lifecycleRules: [ABORT_INCOMPLETE_UPLOADS],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Object.defineProperty(bucket, IS_ACCESS_LOGS_BUCKET, { value: true });
  const ack = (id: string, reason: string) => Validations.of(bucket).acknowledge({ id, reason });
  for (const id of SSE_KMS_RULE_IDS) {
    ack(id, 'Inherent: S3 server access logging delivers only to target buckets encrypted with SSE-S3, so the log bucket cannot use a KMS key. To use another log bucket, set `serverAccessLogsBucket` on EncryptedBucket');
  }
  for (const id of REPLICATION_RULE_IDS) {
    ack(id, 'The shared server access log bucket is not replicated: to replicate access logs, pass your own log bucket in `serverAccessLogsBucket` of EncryptedBucket');
  }
  ack(OBJECT_LOCK_RULE_ID, 'The shared server access log bucket has no Object Lock: to lock access logs, pass your own log bucket in `serverAccessLogsBucket` of EncryptedBucket');
  return bucket;
}

