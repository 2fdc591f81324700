import { AppIndex, IndexedResource } from './app-index';
import { isCustomerManagedKey } from './key-reference';
import { asList, asObject, readBoolean, readString } from './values';

/** One default-encryption rule of a bucket. */
export interface BucketEncryptionRule {
  readonly algorithm: string;
  readonly customerManagedKey: boolean;
  readonly bucketKey: boolean;
}

/** The bucket's default encryption rules; none means SSE-S3, the S3 default. */
export function bucketEncryption(index: AppIndex, bucket: IndexedResource): BucketEncryptionRule[] {
  const configuration = asObject(bucket.properties().BucketEncryption)?.ServerSideEncryptionConfiguration;
  return asList(configuration).map((r, i) => {
    const path = `BucketEncryption.ServerSideEncryptionConfiguration[${i}]`;
    const rule = asObject(r) ?? {};
    const byDefault = asObject(rule.ServerSideEncryptionByDefault) ?? {};
    const algorithm = readString(index, bucket, `${path}.SSEAlgorithm`, byDefault.SSEAlgorithm) ?? 'AES256';
    const key = byDefault.KMSMasterKeyID;
    return {
      algorithm,
      // aws:kms without a key ID is the AWS managed key aws/s3.
      customerManagedKey: algorithm.startsWith('aws:kms') && key !== undefined && isCustomerManagedKey(index, bucket, `${path}.KMSMasterKeyID`, key),
      bucketKey: readBoolean(index, bucket, `${path}.BucketKeyEnabled`, rule.BucketKeyEnabled) === true,
    };
  });
}

/**
 * Buckets that receive S3 server access logs, by rendered name. S3 delivers those logs only to
 * buckets encrypted with SSE-S3.
 */
export function accessLogTargets(index: AppIndex): ReadonlySet<string> {
  return index.derive('accessLogTargets', () => {
    const names = new Set<string>();
    for (const bucket of index.resourcesOfType('AWS::S3::Bucket')) {
      try {
        const logging = asObject(bucket.properties().LoggingConfiguration);
        if (!logging) continue;
        // Without a destination, S3 delivers the bucket's access logs to the bucket itself.
        const target = logging.DestinationBucketName ?? { Ref: bucket.logicalId };
        const name = index.render(bucket.scope, target);
        if (name !== undefined) names.add(name);
      } catch {
        // a bucket that cannot be read exempts nobody
      }
    }
    return names;
  });
}

/**
 * Buckets whose encryption their writer decides, by rendered name, with the reason: targets of S3
 * server access logs (SSE-S3, or a KMS key S3's log delivery may use: rule S3), of Application and
 * Classic Load Balancer access and connection logs (delivered only to SSE-S3 buckets), and log
 * buckets of trails that encrypt each log file under their own KMS key.
 */
export function logDeliveryBuckets(index: AppIndex): ReadonlyMap<string, string> {
  return index.derive('logDeliveryBuckets', () => {
    const reasons = new Map<string, string>();
    const add = (resource: IndexedResource, value: unknown, reason: string) => {
      const name = value === undefined ? undefined : index.render(resource.scope, value);
      if (name !== undefined && !reasons.has(name)) reasons.set(name, reason);
    };
    const read = (resource: IndexedResource, visit: (props: Record<string, unknown>) => void) => {
      try {
        visit(resource.properties());
      } catch {
        // a resource that cannot be read exempts nobody
      }
    };
    for (const name of accessLogTargets(index)) reasons.set(name, 'it receives S3 server access logs, whose delivery under a KMS key rule S3 checks');
    for (const lb of index.resourcesOfType('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
      read(lb, (props) => {
        // Network Load Balancers deliver to SSE-KMS buckets too; Application Load Balancers only to SSE-S3 ones.
        const type = props.Type === undefined ? 'application' : index.render(lb.scope, props.Type);
        if (type !== 'application') return;
        for (const attribute of asList(props.LoadBalancerAttributes)) {
          const { Key: key, Value: value } = asObject(attribute) ?? {};
          if (key === 'access_logs.s3.bucket' || key === 'connection_logs.s3.bucket') {
            add(lb, value, 'it receives Application Load Balancer logs, which Elastic Load Balancing delivers only to SSE-S3 buckets');
          }
        }
      });
    }
    for (const lb of index.resourcesOfType('AWS::ElasticLoadBalancing::LoadBalancer')) {
      read(lb, (props) => add(lb, asObject(props.AccessLoggingPolicy)?.S3BucketName,
        'it receives Classic Load Balancer access logs, which Elastic Load Balancing delivers only to SSE-S3 buckets'));
    }
    for (const trail of index.resourcesOfType('AWS::CloudTrail::Trail')) {
      read(trail, (props) => {
        if (props.KMSKeyId !== undefined) add(trail, props.S3BucketName, 'it is the log bucket of a trail that encrypts each log file with its own KMS key');
      });
    }
    return reasons;
  });
}

export function bucketName(index: AppIndex, bucket: IndexedResource): string | undefined {
  return index.render(bucket.scope, { Ref: bucket.logicalId });
}

export function queueUsesCustomerManagedKey(index: AppIndex, queue: IndexedResource): boolean {
  const key = queue.properties().KmsMasterKeyId;
  // Without a key the queue uses SSE-SQS (or nothing).
  return key !== undefined && isCustomerManagedKey(index, queue, 'KmsMasterKeyId', key);
}

/** AWS::DynamoDB::Table, and every replica of an AWS::DynamoDB::GlobalTable. */
export function tableUsesCustomerManagedKey(index: AppIndex, table: IndexedResource): boolean {
  const props = table.properties();
  const sse = asObject(props.SSESpecification) ?? {};
  // SSEEnabled false or absent is the AWS owned key.
  if (readBoolean(index, table, 'SSESpecification.SSEEnabled', sse.SSEEnabled) !== true) return false;
  if ((readString(index, table, 'SSESpecification.SSEType', sse.SSEType) ?? 'KMS') !== 'KMS') return false;
  const keyed = (value: unknown, path: string) => value !== undefined && isCustomerManagedKey(index, table, path, value);
  if (table.type === 'AWS::DynamoDB::Table') return keyed(sse.KMSMasterKeyId, 'SSESpecification.KMSMasterKeyId');
  const replicas = asList(props.Replicas);
  // A replica without a key ID uses the AWS managed key alias/aws/dynamodb.
  return replicas.length > 0 && replicas.every((replica, i) =>
    keyed(asObject(asObject(replica)?.SSESpecification)?.KMSMasterKeyId, `Replicas[${i}].SSESpecification.KMSMasterKeyId`));
}
