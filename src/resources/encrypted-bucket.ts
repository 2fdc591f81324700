import { Annotations, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { auditTrailFor } from './audit-registration';
import { EncryptedResourceProps } from './encrypted-resource-props';
import { grantThroughService, keyThroughService, resolveEncryptionKey } from './encryption-key';
import { ABORT_INCOMPLETE_UPLOADS, OBJECT_LOCK_RULE_ID, REPLICATION_RULE_IDS, stackAccessLogsBucket } from '../private/bucket-access-logs';
import { resolveDataRemovalPolicy } from '../private/removal';
import * as perms from './private/bucket-perms';
import { invalidProp } from '../private/errors';
import { acknowledgeFinding, nagResourceId } from '../private/nag-ids';

const KIND = 'EncryptedBucket';

/**
 * Where an EncryptedBucket replicates its objects.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html
 */
export interface EncryptedBucketReplication {
  /**
   * The bucket that receives the replicas. It must be versioned. A bucket of another account
   * also needs a bucket policy that lets the replication role replicate into it.
   */
  readonly destinationBucket: s3.IBucket;

  /**
   * The customer managed key that encrypts the replicas, in the Region of the destination bucket.
   * The replication role gets `kms:Encrypt` on it through S3 only.
   *
   * @default - the `encryptionKey` of `destinationBucket` (an EncryptedBucket has one); a
   * destination without a known key is an error
   */
  readonly destinationKey?: kms.IKey;

  /**
   * The storage class of the replicas.
   *
   * @default - the storage class of the source object
   */
  readonly storageClass?: s3.StorageClass;

  /**
   * The role S3 assumes to replicate. It gets the replication permissions.
   *
   * @default - a new role, with a managed policy that names only these two buckets
   */
  readonly role?: iam.IRole;
}

/**
 * Properties of an EncryptedBucket.
 */
export interface EncryptedBucketProps extends EncryptedResourceProps {
  /**
   * The physical name of the bucket.
   *
   * @default - CloudFormation generates a unique name
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
   */
  readonly bucketName?: string;

  /**
   * The bucket that receives the server access logs. It must use SSE-S3 (server access logging
   * delivers to no other encryption).
   *
   * @default - the stack's shared log bucket (id `AccessLogs` at the stack level): SSE-S3,
   * versioned, TLS only, public access blocked, retained
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * The prefix of the server access log objects.
   *
   * @default - the construct's path-derived unique id followed by `/`, so that buckets sharing
   * a log bucket do not mix their logs
   */
  readonly serverAccessLogsPrefix?: string;

  /**
   * Replicate every object to another bucket, encrypted there under its own key.
   *
   * @default - no replication
   */
  readonly replication?: EncryptedBucketReplication;

  /**
   * Whether S3 Object Lock is enabled. It can only be turned on when the bucket is created.
   *
   * @default false
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
   */
  readonly objectLockEnabled?: boolean;

  /**
   * The default Object Lock retention of new objects. Needs `objectLockEnabled: true`.
   *
   * @default - no default retention
   */
  readonly objectLockDefaultRetention?: s3.ObjectLockRetention;

  /**
   * Lifecycle rules of the bucket. Rules that expire objects delete data: they are yours to write.
   *
   * @default - one rule that aborts multipart uploads left incomplete for 7 days; no object expires
   */
  readonly lifecycleRules?: s3.LifecycleRule[];

  /**
   * Whether S3 sends events of this bucket to Amazon EventBridge. Set directly on the bucket's
   * notification configuration, without the Lambda-backed custom resource of `s3.Bucket`.
   *
   * @default false
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
   */
  readonly eventBridgeEnabled?: boolean;
}

/**
 * An S3 bucket encrypted under a customer managed key, hardened by default: SSE-KMS with a bucket
 * key, TLS 1.2 or later only, public access blocked, versioned, ACLs disabled, server access logs
 * to the stack's log bucket, retained.
 *
 * Its `grant*` methods write the S3 permissions into the bucket policy (explicit actions) and the
 * key permissions into the key policy, through S3 only (`kms:ViaService`).
 *
 * @example
 * const documents = new EncryptedBucket(this, 'Documents', { keyAdministrators: [securityAdminRole] });
 * documents.grantRead(reportingRole);
 */
export class EncryptedBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;
  /** The key that encrypts the objects. */
  public readonly encryptionKey: kms.IKey;
  /** The bucket that receives the server access logs. */
  public readonly accessLogsBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: EncryptedBucketProps = {}) {
    super(scope, id);
    this.validateObjectLock(props);
    const removalPolicy = resolveDataRemovalPolicy(this, KIND, props.removalPolicy, props.acknowledgeDataLoss);
    this.encryptionKey = resolveEncryptionKey(this, KIND, {
      encryptionKey: props.encryptionKey,
      keyAdministrators: props.keyAdministrators,
      removalPolicy,
    });
    this.accessLogsBucket = props.serverAccessLogsBucket ?? stackAccessLogsBucket(this, KIND);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      objectLockEnabled: props.objectLockEnabled,
      objectLockDefaultRetention: props.objectLockDefaultRetention,
      lifecycleRules: props.lifecycleRules ?? [ABORT_INCOMPLETE_UPLOADS],
      removalPolicy,
    });
    const cfnBucket = this.bucket.node.defaultChild as s3.CfnBucket;
    this.configureAccessLogs(cfnBucket, props.serverAccessLogsPrefix ?? `${this.node.addr}/`);
    if (props.eventBridgeEnabled) {
      cfnBucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    }
    if (props.replication !== undefined) {
      this.configureReplication(cfnBucket, props.replication);
    }
    this.acknowledgeOptInsLeftOff(props);
    // s3.Bucket's grant* methods call the key's grant methods directly: they see it through S3.
    Object.defineProperty(this.bucket, 'encryptionKey', {
      value: keyThroughService(this.encryptionKey, (grantee, actions) => grantThroughService(this, KIND, 'bucket.grant*()', this.encryptionKey, grantee, 's3', actions)),
    });
    auditTrailFor(this, KIND, props)?.addBucket(this.bucket);
  }

  /**
   * Lets a principal list the bucket and read its objects: the S3 actions in the bucket policy,
   * `kms:Decrypt` through S3 in the key policy.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantAccess(grantee, 'grantRead()',
      perms.BUCKET_READ_BUCKET_ACTIONS, perms.BUCKET_READ_OBJECT_ACTIONS, perms.KEY_READ_ACTIONS);
  }

  /**
   * Lets a principal write and delete objects (as `s3.Bucket.grantWrite`): the S3 actions in the
   * bucket policy, `kms:GenerateDataKey` and `kms:Decrypt` through S3 in the key policy.
   */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantAccess(grantee, 'grantWrite()',
      [], [...perms.BUCKET_PUT_OBJECT_ACTIONS, ...perms.BUCKET_DELETE_OBJECT_ACTIONS], perms.KEY_WRITE_ACTIONS);
  }

  /** Lets a principal read, write and delete objects. */
  public grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantAccess(grantee, 'grantReadWrite()',
      perms.BUCKET_READ_BUCKET_ACTIONS,
      [...perms.BUCKET_READ_OBJECT_ACTIONS, ...perms.BUCKET_PUT_OBJECT_ACTIONS, ...perms.BUCKET_DELETE_OBJECT_ACTIONS],
      [...new Set([...perms.KEY_READ_ACTIONS, ...perms.KEY_WRITE_ACTIONS])]);
  }

  /** Lets a principal put objects, without reading or deleting them. */
  public grantPut(grantee: iam.IGrantable): iam.Grant {
    return this.grantAccess(grantee, 'grantPut()', [], perms.BUCKET_PUT_OBJECT_ACTIONS, perms.KEY_WRITE_ACTIONS);
  }

  /** Lets a principal delete objects. Deleting needs no key permission. */
  public grantDelete(grantee: iam.IGrantable): iam.Grant {
    return this.grantAccess(grantee, 'grantDelete()', [], perms.BUCKET_DELETE_OBJECT_ACTIONS, []);
  }

  /**
   * The S3 side goes into the bucket policy, never into the grantee's IAM policy: an object grant
   * needs `<bucket>/*`, which in an IAM policy is a wildcard finding on the user's role
   * (AwsSolutions-IAM5), and the bucket policy keeps who can read the data in one place, as the
   * key policy does for the key. The key side goes through S3 only. `s3.Bucket.grant*` is never
   * called: it would also call the key's own grant methods.
   */
  private grantAccess(grantee: iam.IGrantable, method: string, bucketActions: string[], objectActions: string[], keyActions: string[]): iam.Grant {
    this.checkGrantee(grantee, method);
    const grants: iam.Grant[] = [];
    if (bucketActions.length > 0) grants.push(this.grantInBucketPolicy(grantee, bucketActions, [this.bucket.bucketArn]));
    grants.push(this.grantInBucketPolicy(grantee, objectActions, [this.bucket.arnForObjects('*')]));
    if (keyActions.length > 0) grants.push(grantThroughService(this, KIND, method, this.encryptionKey, grantee, 's3', keyActions));
    return grants.reduce((a, b) => a.combine(b));
  }

  private grantInBucketPolicy(grantee: iam.IGrantable, actions: string[], resourceArns: string[]): iam.Grant {
    return iam.Grant.addStatementToResourcePolicy({
      grantee,
      actions,
      resourceArns,
      resource: this.bucket,
      statement: new iam.PolicyStatement({ actions, resources: resourceArns, principals: [grantee.grantPrincipal] }),
    });
  }

  private checkGrantee(grantee: iam.IGrantable, method: string): void {
    const principals = Stack.of(this).resolve(grantee.grantPrincipal.policyFragment.principalJson);
    const aws = ([] as any[]).concat(principals.AWS ?? []);
    if (aws.includes('*')) {
      throw invalidProp(this, KIND, method, 'cannot grant access to any principal (`*`): name the roles that need it');
    }
  }

  /**
   * Replication on the L1 rather than through `s3.Bucket`'s `replicationRules`: the L2 would grant
   * both keys through their own grant methods, into the role's inline policy, without kms:ViaService.
   */
  private configureReplication(cfnBucket: s3.CfnBucket, replication: EncryptedBucketReplication): void {
    if (replication.destinationBucket === undefined || replication.destinationBucket === null) {
      throw invalidProp(this, KIND, 'replication', 'has no `destinationBucket`: name the versioned bucket that receives the replicas, or leave `replication` unset');
    }
    const destinationKey = replication.destinationKey ?? replication.destinationBucket.encryptionKey;
    if (destinationKey === undefined) {
      throw invalidProp(this, KIND, 'replication', `has no \`destinationKey\`, and destination bucket '${replication.destinationBucket.node.path}' has no known encryption key: name the customer managed key that encrypts the replicas`);
    }
    const role = replication.role ?? new iam.Role(this, 'ReplicationRole', {
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
      description: `S3 replication of ${this.node.path}`,
    });
    const destinationObjects = replication.destinationBucket.arnForObjects('*');
    const sourceObjects = this.bucket.arnForObjects('*');
    // The policy names the role (not the other way round): the bucket needs the role, the role is
    // in the key policy, and the bucket needs the key; a role naming the policy would close a cycle.
    const policy = new iam.ManagedPolicy(this, 'ReplicationPolicy', {
      description: `S3 replication of ${this.node.path}`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({ actions: perms.REPLICATION_SOURCE_BUCKET_ACTIONS, resources: [this.bucket.bucketArn] }),
        new iam.PolicyStatement({ actions: perms.REPLICATION_SOURCE_OBJECT_ACTIONS, resources: [sourceObjects] }),
        new iam.PolicyStatement({ actions: perms.REPLICATION_DESTINATION_OBJECT_ACTIONS, resources: [destinationObjects] }),
      ],
    });
    // Replication reads and writes every object version of both buckets: `<bucket>/*` is the point.
    for (const arn of [sourceObjects, destinationObjects]) {
      acknowledgeFinding(policy, `AwsSolutions-IAM5[Resource::${nagResourceId(this, arn)}]`,
        'S3 replication reads every object version of the source bucket and writes every replica into the destination bucket; the policy names only these two buckets');
    }
    grantThroughService(this, KIND, 'replication', this.encryptionKey, role, 's3', ['kms:Decrypt']);
    grantThroughService(this, KIND, 'replication', destinationKey, role, 's3', ['kms:Encrypt']);

    cfnBucket.replicationConfiguration = {
      role: role.roleArn,
      rules: [{
        id: 'ReplicateAll',
        status: 'Enabled',
        priority: 0,
        filter: { prefix: '' },
        deleteMarkerReplication: { status: 'Enabled' },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
        destination: {
          bucket: replication.destinationBucket.bucketArn,
          storageClass: replication.storageClass?.toString(),
          encryptionConfiguration: { replicaKmsKeyId: destinationKey.keyArn },
        },
      }],
    };
  }

  /**
   * Server access logging on the L1, with the log bucket's policy written here: `s3.Bucket` would
   * fall back to the LogDeliveryWrite ACL unless the app sets the feature flag
   * `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy`, and ACLs are disabled on our buckets.
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
   */
  private configureAccessLogs(cfnBucket: s3.CfnBucket, prefix: string): void {
    if (this.accessLogsBucket.encryptionKey !== undefined) {
      throw invalidProp(this, KIND, 'serverAccessLogsBucket', `is encrypted with a KMS key ('${this.accessLogsBucket.node.path}'), but S3 server access logging delivers only to buckets encrypted with SSE-S3`);
    }
    cfnBucket.loggingConfiguration = { destinationBucketName: this.accessLogsBucket.bucketName, logFilePrefix: prefix };
    const result = this.accessLogsBucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [this.accessLogsBucket.arnForObjects(`${prefix}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': this.bucket.bucketArn },
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      },
    }));
    if (!result.statementAdded) {
      Annotations.of(this).addWarningV2('cdk-kms-guardrails:access-logs-policy-not-added',
        `The server access log bucket '${this.accessLogsBucket.node.path}' is imported: add a bucket policy statement that lets logging.s3.amazonaws.com put objects under '${prefix}' (aws:SourceArn of this bucket).`);
    }
  }

  private validateObjectLock(props: EncryptedBucketProps): void {
    if (props.objectLockDefaultRetention !== undefined && props.objectLockEnabled !== true) {
      throw invalidProp(this, KIND, 'objectLockDefaultRetention', `needs \`objectLockEnabled: true\`, got objectLockEnabled: ${props.objectLockEnabled}`);
    }
  }

  /**
   * The only findings acknowledged on the bucket: opt-in features the user left off. Each goes
   * away as soon as the prop is set.
   */
  private acknowledgeOptInsLeftOff(props: EncryptedBucketProps): void {
    const ack = (id: string, reason: string) => Validations.of(this.bucket).acknowledge({ id, reason });
    if (props.replication === undefined) {
      for (const id of REPLICATION_RULE_IDS) {
        ack(id, 'Replication is an opt-in of EncryptedBucket: set `replication` (destination bucket and key) to replicate the objects');
      }
    }
    if (props.objectLockDefaultRetention === undefined) {
      ack(OBJECT_LOCK_RULE_ID, 'Object Lock is an opt-in of EncryptedBucket: set `objectLockEnabled: true` and `objectLockDefaultRetention` to lock new objects');
    }
  }
}
