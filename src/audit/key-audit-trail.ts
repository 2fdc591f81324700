import {
  Annotations,
  ArnFormat,
  aws_cloudtrail as cloudtrail,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as cloudwatchActions,
  aws_dynamodb as dynamodb,
  aws_iam as iam,
  aws_logs as logs,
  aws_s3 as s3,
  aws_sns as sns,
  aws_sqs as sqs,
  Duration,
  Lazy,
  Names,
  RemovalPolicy,
  Stack,
  Token,
  TokenComparison,
  Validations,
} from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { KEY_DISABLED_OR_DELETION_SCHEDULED_PATTERN, KEY_POLICY_CHANGED_PATTERN } from './private/filter-patterns';
import { acknowledgeFinding, nagResourceId } from '../private/nag-ids';
import { DataResourceType, MAX_SELECTOR_VALUES, planSelectors, SelectorPlan } from './private/selectors';
import { MAX_TRAILS_PER_REGION, trailPath, trailsInEnvironment } from './private/trail-limits';
import { SeparatedDutyKey } from '../keys/separated-duty-key';
import { grantViaServiceFor } from '../keys/separated-duty-key-base';
import { ABORT_INCOMPLETE_UPLOADS, stackAccessLogsBucket } from '../private/bucket-access-logs';
import { invalidProp } from '../private/errors';
import { resolveDataRemovalPolicy } from '../private/removal';
import { aliasFromPath } from '../private/validation';

const KIND = 'KeyAuditTrail';
const IS_KEY_AUDIT_TRAIL = Symbol.for('cdk-kms-guardrails.KeyAuditTrail');

/** Log retentions shorter than this fail CT.CLOUDWATCH.PR.2 and the audit's purpose. */
const MIN_RETENTION_DAYS = 365;

const REPLICATION_RULE_IDS = [
  'HIPAA.Security-S3BucketReplicationEnabled',
  'NIST.800.53.R4-S3BucketReplicationEnabled',
  'NIST.800.53.R5-S3BucketReplicationEnabled',
  'PCI.DSS.321-S3BucketReplicationEnabled',
];

/**
 * Properties of a KeyAuditTrail.
 */
export interface KeyAuditTrailProps {
  /**
   * The name of the trail: 3 to 128 letters, digits, `.`, `_` and `-`, starting and ending with a
   * letter or digit, without two separators in a row. The trail's log group is
   * `/aws/cloudtrail/<trailName>` and its alarms are named after it.
   *
   * @default - a name derived from the construct path, unique in the app
   * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
   */
  readonly trailName?: string;

  /**
   * Whether the trail records the AWS KMS management events: every KMS call, `Encrypt`,
   * `Decrypt` and `GenerateDataKey` included (KMS has no data events).
   *
   * These are the events that show who used which key, and the ones the alarms of this trail
   * watch. They are also the most numerous events of most accounts: this trail is usually not the
   * first copy of management events in the Region (an organization or Control Tower trail is),
   * and CloudTrail charges every further copy per 100,000 events. Leaving them out removes that
   * cost and the alarms on key disable, scheduled deletion and policy changes (a warning says
   * so); another trail must then record them.
   *
   * @default true
   * @see https://aws.amazon.com/cloudtrail/pricing/
   */
  readonly includeKmsManagementEvents?: boolean;

  /**
   * How long the CloudWatch Logs group keeps the events: at least one year (AWS Control Tower
   * CT.CLOUDWATCH.PR.2), or `INFINITE`. The S3 log files are kept as long as the bucket.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly cloudWatchLogsRetention?: logs.RetentionDays;

  /**
   * The SNS topic the alarms notify. Its publishers are CloudWatch alarms: if it is encrypted, its
   * key policy must let `cloudwatch.amazonaws.com` call `kms:Decrypt` and `kms:GenerateDataKey*`.
   *
   * @default - a new topic (child id `AlarmTopic`), encrypted under the trail's key, TLS only,
   * which only this trail's alarms can publish to; subscribe to it with `alarmTopic.addSubscription()`
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Administrators of the trail's key (a SeparatedDutyKey): they manage the key and cannot use it.
   *
   * @default - the key is administered through the account (SeparatedDutyKey's `accountAdministration`)
   */
  readonly keyAdministrators?: iam.IPrincipal[];

  /**
   * What happens to the key, the log bucket and the log group when they leave the stack. DESTROY
   * deletes the audit record and needs `acknowledgeDataLoss: true`.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Confirms `removalPolicy: DESTROY`, which deletes the log files and events with the stack.
   *
   * @default false
   */
  readonly acknowledgeDataLoss?: boolean;

  /**
   * The bucket that receives the server access logs of the trail's bucket. It must use SSE-S3
   * (server access logging delivers to no other encryption).
   *
   * @default - the stack's shared log bucket (id `AccessLogs` at the stack level), the one
   * EncryptedBucket uses
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * Lifecycle rules of the trail's bucket, e.g. a transition of old log files to Glacier or their
   * expiration once your retention obligation ends.
   *
   * @default - one rule that aborts incomplete multipart uploads after 7 days; log files are
   * never expired
   */
  readonly lifecycleRules?: s3.LifecycleRule[];
}

/** The KeyAuditTrails of each stack, in creation order. */
const TRAILS_BY_STACK = new WeakMap<Stack, KeyAuditTrail[]>();
/** Trails created by `KeyAuditTrail.of` because the stack had none. */
const IMPLICIT_TRAILS = new WeakSet<KeyAuditTrail>();

/**
 * A CloudTrail trail that audits the data protected by customer managed keys: the data events
 * of the S3 buckets, DynamoDB tables and SQS queues registered with it (CloudTrail logs none of
 * them by default, and aws-cdk-lib's `Trail` cannot select DynamoDB or SQS data events), and the
 * AWS KMS management events, which include every `Encrypt` and `Decrypt`.
 *
 * The trail uses advanced event selectors only, built at synthesis so that every registration
 * counts. It is hardened: its own SeparatedDutyKey, which admits CloudTrail only for this trail
 * and CloudWatch Logs only for its log group; an S3 bucket under that key, TLS only, versioned,
 * private, with server access logs; log file validation; an encrypted log group kept one year;
 * a delivery role with a managed policy. Metric filters and alarms watch for keys disabled or
 * scheduled for deletion and for key policy changes.
 *
 * Use one per account and Region: `KeyAuditTrail.of(this)` is the stack's trail, and a trail of
 * one stack can register the resources of other stacks (pass it as `auditTrail`).
 *
 * @example
 * // Created before the resources it audits: they register with the stack's trail as they are created.
 * const trail = new KeyAuditTrail(this, 'AuditTrail', { keyAdministrators: [securityAdminRole] });
 * trail.alarmTopic.addSubscription(new subscriptions.EmailSubscription('security@example.com'));
 * trail.grantReadLogFiles(auditorRole);
 *
 * // The trail records the bucket's S3 data events.
 * new EncryptedBucket(this, 'Documents');
 */
export class KeyAuditTrail extends Construct {
  /** The construct id of the stack's default trail (see `of`). */
  public static readonly DEFAULT_ID = 'KeyAuditTrail';

  /**
   * The stack's KeyAuditTrail: the one created in the stack, when there is exactly one; otherwise
   * the stack's own default trail, created with the default properties on first use. The default
   * lives directly under the stack with the id `KeyAuditTrail`, so its logical ids do not depend
   * on which construct asked for it first. Several trails in the stack are an error: say which
   * one (`auditTrail`).
   */
  public static of(scope: IConstruct): KeyAuditTrail {
    const stack = Stack.of(scope);
    const created = TRAILS_BY_STACK.get(stack) ?? [];
    if (created.length === 1) return created[0];
    if (created.length > 1) {
      throw invalidProp(scope, KIND, 'KeyAuditTrail.of()', `found ${created.length} KeyAuditTrails in stack '${stack.node.path}' (${created.map(t => `'${t.node.path}'`).join(', ')}): pass the one to use explicitly`);
    }
    const existing = stack.node.tryFindChild(KeyAuditTrail.DEFAULT_ID);
    if (existing === undefined) {
      const trail = new KeyAuditTrail(stack, KeyAuditTrail.DEFAULT_ID);
      IMPLICIT_TRAILS.add(trail);
      return trail;
    }
    if (!KeyAuditTrail.isKeyAuditTrail(existing)) {
      throw invalidProp(scope, KIND, 'KeyAuditTrail.of()', `needs the id '${KeyAuditTrail.DEFAULT_ID}' at the level of stack '${stack.node.path}', which a construct that is not a KeyAuditTrail already uses; rename that construct or pass your trail explicitly`);
    }
    return existing;
  }

  /**
   * The KeyAuditTrails created in a stack (not in its nested stages), in creation order.
   *
   * @internal
   */
  public static _createdIn(stack: Stack): KeyAuditTrail[] {
    return [...(TRAILS_BY_STACK.get(stack) ?? [])];
  }

  /** Whether `x` is a KeyAuditTrail (works across copies of this library). */
  public static isKeyAuditTrail(x: any): x is KeyAuditTrail {
    return x !== null && typeof x === 'object' && IS_KEY_AUDIT_TRAIL in x;
  }

  /** The trail. */
  public readonly trail: cloudtrail.CfnTrail;
  /** The name of the trail. */
  public readonly trailName: string;
  /** The ARN of the trail. */
  public readonly trailArn: string;
  /** The key that encrypts the log files, the log group and the alarm topic the trail creates. */
  public readonly encryptionKey: SeparatedDutyKey;
  /** The bucket that receives the log files and digest files. */
  public readonly bucket: s3.Bucket;
  /** The bucket that receives the server access logs of `bucket`. */
  public readonly accessLogsBucket: s3.IBucket;
  /** The CloudWatch Logs group that receives the events. */
  public readonly logGroup: logs.LogGroup;
  /** The role CloudTrail assumes to deliver events to the log group. */
  public readonly deliveryRole: iam.Role;
  /** The SNS topic the alarms notify. */
  public readonly alarmTopic: sns.ITopic;
  /**
   * The alarm on keys disabled or scheduled for deletion.
   * Undefined when `includeKmsManagementEvents` is false.
   */
  public readonly keyDisabledOrDeletionScheduledAlarm?: cloudwatch.Alarm;
  /**
   * The alarm on key policy changes (PutKeyPolicy, ReplicateKey).
   * Undefined when `includeKmsManagementEvents` is false.
   */
  public readonly keyPolicyChangedAlarm?: cloudwatch.Alarm;

  private readonly includeKmsManagementEvents: boolean;
  private readonly registered: Record<DataResourceType, Map<string, IConstruct>> = {
    'AWS::S3::Object': new Map(),
    'AWS::DynamoDB::Table': new Map(),
    'AWS::SQS::Queue': new Map(),
  };

  constructor(scope: Construct, id: string, props: KeyAuditTrailProps = {}) {
    super(scope, id);
    Object.defineProperty(this, IS_KEY_AUDIT_TRAIL, { value: true });
    const stack = Stack.of(this);
    const before = TRAILS_BY_STACK.get(stack) ?? [];
    const implicit = before.find(t => IMPLICIT_TRAILS.has(t));
    if (implicit !== undefined) {
      throw invalidProp(this, KIND, 'scope', `is stack '${stack.node.path}', which already has the default trail '${implicit.node.path}': resource constructs created before this trail, without \`auditTrail\`, registered with it. Create this trail before them, or pass it to each as \`auditTrail\`; a second trail would record and bill the KMS management events twice`);
    }
    TRAILS_BY_STACK.set(stack, [...before, this]);

    this.includeKmsManagementEvents = props.includeKmsManagementEvents ?? true;
    const removalPolicy = resolveDataRemovalPolicy(this, KIND, props.removalPolicy, props.acknowledgeDataLoss);
    const retention = this.validateRetention(props.cloudWatchLogsRetention);
    this.trailName = this.validateTrailName(props.trailName) ?? Names.uniqueResourceName(this, { maxLength: 128 });
    // Both ARNs are built from names rather than read from the resources: the key policy names
    // them, and the trail and log group need the key, so reading them back would close a cycle.
    this.trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: this.trailName });
    const logGroupName = `/aws/cloudtrail/${this.trailName}`;
    const logGroupArn = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    this.encryptionKey = new SeparatedDutyKey(this, 'Key', {
      alias: aliasFromPath(this),
      description: `Encrypts the log files, log group and alarm topic of CloudTrail trail ${this.trailName}`,
      administrators: props.keyAdministrators,
      removalPolicy,
    });
    this.admitCloudTrail();
    this.admitCloudWatchLogs(logGroupArn);

    this.accessLogsBucket = props.serverAccessLogsBucket ?? stackAccessLogsBucket(this, KIND);
    this.bucket = this.createBucket(removalPolicy, props.lifecycleRules ?? [ABORT_INCOMPLETE_UPLOADS]);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName,
      encryptionKey: this.encryptionKey,
      retention,
      removalPolicy,
    });
    const { role, policy } = this.createDeliveryRole(logGroupArn);
    this.deliveryRole = role;

    this.trail = new cloudtrail.CfnTrail(this, 'Resource', {
      trailName: this.trailName,
      isLogging: true,
      s3BucketName: this.bucket.bucketName,
      kmsKeyId: this.encryptionKey.keyArn,
      enableLogFileValidation: true,
      // One Region: the data events and KMS keys registered here are this Region's. Global
      // service events (IAM, STS) belong to the account's main trail.
      isMultiRegionTrail: false,
      includeGlobalServiceEvents: false,
      cloudWatchLogsLogGroupArn: this.logGroup.logGroupArn,
      cloudWatchLogsRoleArn: role.roleArn,
      advancedEventSelectors: Lazy.any({ produce: () => this.selectorPlan().selectors }),
    });
    this.node.defaultChild = this.trail;
    // CloudTrail checks the bucket policy and the role's permissions when the trail is created.
    this.trail.node.addDependency(this.bucket.policy!, policy);

    this.alarmTopic = props.alarmTopic ?? this.createAlarmTopic();
    if (this.includeKmsManagementEvents) {
      this.keyDisabledOrDeletionScheduledAlarm = this.addKeyAlarm('KeyDisabledOrDeletionScheduled',
        KEY_DISABLED_OR_DELETION_SCHEDULED_PATTERN, 'kms-key-disabled-or-deletion-scheduled',
        'A KMS key was disabled or scheduled for deletion (CIS AWS Foundations Benchmark): data encrypted under it becomes unreadable');
      this.keyPolicyChangedAlarm = this.addKeyAlarm('KeyPolicyChanged',
        KEY_POLICY_CHANGED_PATTERN, 'kms-key-policy-changed',
        'A KMS key policy was written (PutKeyPolicy, or ReplicateKey for a multi-Region key): check that no administrator granted itself use of the key');
    } else {
      Annotations.of(this).addWarningV2('cdk-kms-guardrails:audit-kms-events-excluded',
        'includeKmsManagementEvents is false: this trail records no AWS KMS event, so it has no alarm on keys disabled, scheduled for deletion or given a new policy. Make sure another trail records the KMS management events and alarms on them.');
    }

    this.node.addValidation({ validate: () => this.validateTrailCount() });
    this.node.addValidation({ validate: () => this.reportAggregation() });
  }

  /**
   * Records the object-level data events (reads and writes) of a bucket. Idempotent. The bucket
   * may be in another stack of the same account and Region: this trail's stack then depends on it.
   */
  public addBucket(bucket: s3.IBucket): void {
    if (bucket === this.bucket || Token.compareStrings(bucket.bucketArn, this.bucket.bucketArn) === TokenComparison.SAME) {
      throw invalidProp(this, KIND, 'addBucket()', 'cannot register the trail\'s own log bucket: every log file CloudTrail delivers would be a data event of that bucket, logged in turn');
    }
    this.register('AWS::S3::Object', bucket, bucket.bucketArn, 'addBucket()');
  }

  /** Records the data events (sends, receives, deletes) of a queue. Idempotent. */
  public addQueue(queue: sqs.IQueue): void {
    this.register('AWS::SQS::Queue', queue, queue.queueArn, 'addQueue()');
  }

  /** Records the item-level data events (reads and writes) of a table. Idempotent. */
  public addTable(table: dynamodb.ITableV2): void {
    this.register('AWS::DynamoDB::Table', table, table.tableArn, 'addTable()');
  }

  /**
   * Lets a principal list the trail's bucket and read its log files and digest files: the S3
   * actions in the bucket policy, `kms:Decrypt` through S3 only in the key policy. Reading the
   * events in CloudWatch Logs needs no key permission (CloudWatch Logs decrypts them).
   */
  public grantReadLogFiles(grantee: iam.IGrantable): iam.Grant {
    const bucketGrant = iam.Grant.addStatementToResourcePolicy({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
      resource: this.bucket,
      statement: new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn], principals: [grantee.grantPrincipal] }),
    });
    const objects = this.bucket.arnForObjects('AWSLogs/*');
    const objectGrant = iam.Grant.addStatementToResourcePolicy({
      grantee,
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resourceArns: [objects],
      resource: this.bucket,
      statement: new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [objects], principals: [grantee.grantPrincipal] }),
    });
    return bucketGrant.combine(objectGrant).combine(grantViaServiceFor(this.encryptionKey, grantee, 's3', ['kms:Decrypt'], 'grantReadLogFiles()', { owner: this, kind: KIND }));
  }

  private register(type: DataResourceType, resource: IConstruct & { env: { account: string; region: string } }, arn: string, method: string): void {
    const here = Stack.of(this);
    for (const [what, theirs, ours] of [['Region', resource.env.region, here.region], ['account', resource.env.account, here.account]]) {
      if (Token.compareStrings(theirs, ours) === TokenComparison.DIFFERENT) {
        throw invalidProp(this, KIND, method, `cannot register '${resource.node.path}': it is in ${what} ${theirs}, and this trail records ${what} ${ours} only; use a KeyAuditTrail of that ${what}`);
      }
    }
    if (!this.registered[type].has(arn)) this.registered[type].set(arn, resource);
  }

  private selectorPlan(): SelectorPlan {
    const arns = (type: DataResourceType) => [...this.registered[type].keys()];
    return planSelectors({
      includeKmsManagementEvents: this.includeKmsManagementEvents,
      arns: { 'AWS::S3::Object': arns('AWS::S3::Object'), 'AWS::DynamoDB::Table': arns('AWS::DynamoDB::Table'), 'AWS::SQS::Queue': arns('AWS::SQS::Queue') },
    });
  }

  /**
   * CloudTrail encrypts log and digest files with data keys from this key. The encryption context
   * names the trail, and aws:SourceArn keeps other trails (a confused deputy) from using the key.
   *
   * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
   */
  private admitCloudTrail(): void {
    const principal = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailEncryptsLogFiles',
      principals: [principal],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceArn': this.trailArn, 'kms:EncryptionContext:aws:cloudtrail:arn': this.trailArn },
      },
    }));
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailDescribesKey',
      principals: [principal],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceArn': this.trailArn } },
    }));
  }

  /**
   * CloudWatch Logs encrypts the log group's data with this key, only for this log group.
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   */
  private admitCloudWatchLogs(logGroupArn: string): void {
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchLogsEncryptsLogGroup',
      principals: [new iam.ServicePrincipal(`logs.${Stack.of(this).region}.amazonaws.com`)],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
    }));
  }

  /**
   * SSE-KMS under the trail's key, without an S3 Bucket Key: with one, creating or updating the
   * trail needs `kms:Decrypt` for the deploying principal, which a SeparatedDutyKey never gives
   * to administrators.
   */
  private createBucket(removalPolicy: RemovalPolicy, lifecycleRules: s3.LifecycleRule[]): s3.Bucket {
    if (this.accessLogsBucket.encryptionKey !== undefined) {
      throw invalidProp(this, KIND, 'serverAccessLogsBucket', `is encrypted with a KMS key ('${this.accessLogsBucket.node.path}'), but S3 server access logging delivers only to buckets encrypted with SSE-S3`);
    }
    const bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: false,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules,
      removalPolicy,
    });
    const prefix = `${this.node.addr}/`;
    (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: this.accessLogsBucket.bucketName,
      logFilePrefix: prefix,
    };
    const accessLogs = this.accessLogsBucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [this.accessLogsBucket.arnForObjects(`${prefix}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': bucket.bucketArn },
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      },
    }));
    if (!accessLogs.statementAdded) {
      Annotations.of(this).addWarningV2('cdk-kms-guardrails:access-logs-policy-not-added',
        `The server access log bucket '${this.accessLogsBucket.node.path}' is imported: add a bucket policy statement that lets logging.s3.amazonaws.com put objects under '${prefix}' (aws:SourceArn of the trail bucket).`);
    }

    // @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailChecksBucketAcl',
      principals: [cloudTrail],
      actions: ['s3:GetBucketAcl'],
      resources: [bucket.bucketArn],
      conditions: { StringEquals: { 'aws:SourceArn': this.trailArn } },
    }));
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailWritesLogFiles',
      principals: [cloudTrail],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`AWSLogs/${Stack.of(this).account}/*`)],
      conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': this.trailArn } },
    }));

    for (const id of REPLICATION_RULE_IDS) {
      Validations.of(bucket).acknowledge({ id, reason: 'KeyAuditTrail does not replicate its log bucket: log file validation (signed digest files) proves the log files unaltered; for a second copy in another account, deliver an organization trail to a log archive account' });
    }
    Validations.of(bucket).acknowledge({ id: 'NIST.800.53.R4-S3BucketDefaultLockEnabled', reason: 'KeyAuditTrail\'s log bucket has no Object Lock: log file validation (signed digest files) detects any change or deletion of a log file' });
    // No bucket key: CloudTrail sets the SSE-KMS of each log file with the trail key itself (KMSG-S2 exempts such buckets).
    return bucket;
  }

  /**
   * The delivery role gets a customer managed policy, not the inline DefaultPolicy of
   * `iam.Role`/`cloudtrail.Trail` (IAMNoInlinePolicy in four packs). The policy names the role
   * (not the reverse), so the trail can depend on the attachment.
   *
   * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
   */
  private createDeliveryRole(logGroupArn: string): { role: iam.Role; policy: iam.ManagedPolicy } {
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com'),
      description: `CloudTrail delivers the events of trail ${this.trailName} to CloudWatch Logs`,
    });
    const streams = `${logGroupArn}:log-stream:${stack.account}_CloudTrail_${stack.region}*`;
    const policy = new iam.ManagedPolicy(this, 'DeliveryPolicy', {
      description: `CloudTrail delivers the events of trail ${this.trailName} to CloudWatch Logs`,
      roles: [role],
      statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [streams] })],
    });
    acknowledgeFinding(policy, `AwsSolutions-IAM5[Resource::${nagResourceId(this, streams)}]`,
      'CloudTrail names its log streams <account>_CloudTrail_<region>, with a suffix it chooses when it starts a new stream; the policy names the trail\'s own log group and that prefix only, as the CloudTrail documentation does');
    return { role, policy };
  }

  /**
   * An SNS topic under the trail's key. Its publishers are CloudWatch alarms, which need the key
   * (kms:GenerateDataKey* and kms:Decrypt), only for this trail's alarms.
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-sns-encryption
   */
  private createAlarmTopic(): sns.Topic {
    const topic = new sns.Topic(this, 'AlarmTopic', { masterKey: this.encryptionKey, enforceSSL: true });
    const stack = Stack.of(this);
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublishToAlarmTopic',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: `${this.trailName}-*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      },
    }));
    return topic;
  }

  private addKeyAlarm(id: string, pattern: string, suffix: string, description: string): cloudwatch.Alarm {
    const filter = new logs.MetricFilter(this, `${id}Filter`, {
      logGroup: this.logGroup,
      filterPattern: logs.FilterPattern.literal(pattern),
      metricNamespace: `KeyAuditTrail/${this.trailName}`,
      metricName: id,
      metricValue: '1',
    });
    const alarm = new cloudwatch.Alarm(this, `${id}Alarm`, {
      alarmName: `${this.trailName}-${suffix}`,
      alarmDescription: description,
      metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      actionsEnabled: true,
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));
    return alarm;
  }

  private validateTrailName(name: string | undefined): string | undefined {
    if (name === undefined || Token.isUnresolved(name)) return name;
    const allowed = 'must be 3 to 128 letters, digits, \'.\', \'_\' and \'-\', start and end with a letter or digit, have no two of \'.\', \'_\', \'-\' in a row and not look like an IP address';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/.test(name) || /[._-]{2}/.test(name) || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
      throw invalidProp(this, KIND, 'trailName', `${allowed}, got '${name}'`);
    }
    return name;
  }

  private validateRetention(retention: logs.RetentionDays | undefined): logs.RetentionDays {
    if (retention === undefined) return logs.RetentionDays.ONE_YEAR;
    if (!Token.isUnresolved(retention) && retention < MIN_RETENTION_DAYS) {
      throw invalidProp(this, KIND, 'cloudWatchLogsRetention', `must keep the events at least one year (${MIN_RETENTION_DAYS} days, AWS Control Tower CT.CLOUDWATCH.PR.2), or INFINITE, got ${retention} days`);
    }
    return retention;
  }

  /**
   * At synthesis, when every stack of the app exists: CloudTrail's five trails per account and
   * Region. The first KeyAuditTrail of an environment over the limit reports it, once.
   */
  private validateTrailCount(): string[] {
    const { environment, trails } = trailsInEnvironment(this.trail);
    const first = trails.find(t => KeyAuditTrail.isKeyAuditTrail(t.node.scope));
    if (trails.length <= MAX_TRAILS_PER_REGION || first !== this.trail) return [];
    return [
      `${KIND} at '${this.node.path}': the app creates ${trails.length} CloudTrail trails in ${environment} (${trails.map(t => `'${trailPath(t)}'`).join(', ')}), ` +
      `but CloudTrail allows at most ${MAX_TRAILS_PER_REGION} per account and Region, an organization trail included. ` +
      'Share one trail: create a KeyAuditTrail in one stack and pass it as `auditTrail` to EncryptedBucket, EncryptedQueue and EncryptedTable in the other stacks ' +
      '(or call its addBucket(), addQueue() and addTable()), or set `dataEvents: false` on resources another trail already audits.',
    ];
  }

  /** Reports, once the registrations are complete, selectors that lost their ARN conditions. */
  private reportAggregation(): string[] {
    const plan = this.selectorPlan();
    if (plan.aggregated.length > 0) {
      Annotations.of(this).addWarningV2('cdk-kms-guardrails:audit-selectors-aggregated',
        `The registered resources need ${plan.requestedValues} advanced event selector values, over CloudTrail's limit of ${MAX_SELECTOR_VALUES} per trail: ` +
        `the data events of every ${plan.aggregated.join(', ')} resource in this account and Region are recorded instead (more events, more cost). ` +
        'To keep them selective, register fewer resources with this trail and share the rest with another KeyAuditTrail.');
    }
    return [];
  }
}
