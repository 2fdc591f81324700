/**
 * S3 and KMS actions behind EncryptedBucket's grant methods: aws-cdk-lib's lists
 * (aws-s3/lib/perms.ts) spelled out action by action, so that no grant carries a wildcard
 * action, split between the bucket ARN and the object ARNs they apply to.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
 */

/** Bucket-level reads (`s3:GetBucket*`, `s3:List*` in aws-cdk-lib, limited to what reading objects needs). */
export const BUCKET_READ_BUCKET_ACTIONS = [
  's3:ListBucket',
  's3:ListBucketVersions',
  's3:ListBucketMultipartUploads',
  's3:GetBucketLocation',
];

/** Object-level reads (`s3:GetObject*`). */
export const BUCKET_READ_OBJECT_ACTIONS = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:GetObjectAttributes',
  's3:GetObjectVersionAttributes',
  's3:GetObjectTagging',
  's3:GetObjectVersionTagging',
  's3:GetObjectRetention',
  's3:GetObjectLegalHold',
  's3:ListMultipartUploadParts',
];

/** Object-level writes: aws-cdk-lib's BUCKET_PUT_ACTIONS, with `s3:Abort*` spelled out. */
export const BUCKET_PUT_OBJECT_ACTIONS = [
  's3:PutObject',
  's3:PutObjectLegalHold',
  's3:PutObjectRetention',
  's3:PutObjectTagging',
  's3:PutObjectVersionTagging',
  's3:AbortMultipartUpload',
];

/** Object-level deletes (`s3:DeleteObject*`). */
export const BUCKET_DELETE_OBJECT_ACTIONS = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:DeleteObjectTagging',
  's3:DeleteObjectVersionTagging',
];

/** Reading an SSE-KMS object: S3 decrypts its data key. */
export const KEY_READ_ACTIONS = ['kms:Decrypt'];

/**
 * Writing an SSE-KMS object: S3 generates a data key, and decrypts it again for multipart uploads
 * (and for the bucket key).
 */
export const KEY_WRITE_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * The replication role on the source bucket.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
export const REPLICATION_SOURCE_BUCKET_ACTIONS = ['s3:GetReplicationConfiguration', 's3:ListBucket'];
export const REPLICATION_SOURCE_OBJECT_ACTIONS = [
  's3:GetObjectVersionForReplication',
  's3:GetObjectVersionAcl',
  's3:GetObjectVersionTagging',
];
/** The replication role on the destination bucket. */
export const REPLICATION_DESTINATION_OBJECT_ACTIONS = ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'];
