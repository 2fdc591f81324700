/**
 * Scenario: an app written with plain aws-cdk-lib (kms.Key with a hand-written key policy,
 * s3.Bucket, sqs.Queue, dynamodb.Table) that adds KmsGuardrailsChecks to its cdk-nag packs.
 *
 * The key policy started as the console's default: the account root with `kms:*`, administrators
 * with `kms:Create*`, `kms:Put*` and other wildcards. The pack reported KMSG-KMS2 (any IAM policy
 * of the account could decrypt), KMSG-KMS1 (`kms:Create*` includes `kms:CreateGrant`: the
 * administrators could grant themselves use) and KMSG-CT2 (no trail of the app records data
 * events). The policy below is the fix the messages describe; KMSG-KMS14 asked for its last Deny
 * once the root lost `kms:*`. SeparatedDutyKey writes such a policy for you.
 */
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NIST80053R4Checks,
  NIST80053R5Checks,
  PCIDSS321Checks,
  ServerlessChecks,
} from 'cdk-nag';
import { IConstruct } from 'constructs';
import { KmsGuardrailsChecks } from 'cdk-kms-guardrails';

const app = new App();
const stack = new Stack(app, 'LegacyOrders', { env: { account: '111111111111', region: 'us-east-1' } });
const region = stack.region;

const keyAdmins = new iam.Role(stack, 'KeyAdmins', { assumedBy: new iam.AccountRootPrincipal() });
const worker = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });

// Explicit lists, no wildcards: `kms:Create*` and `kms:*` include kms:CreateGrant.
// https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html
const ADMINISTRATION = [
  'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias', 'kms:DescribeKey', 'kms:EnableKey', 'kms:DisableKey',
  'kms:EnableKeyRotation', 'kms:DisableKeyRotation', 'kms:RotateKeyOnDemand', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy',
  'kms:GetKeyRotationStatus', 'kms:ListKeyRotations', 'kms:ListKeyPolicies', 'kms:ListResourceTags', 'kms:ListGrants',
  'kms:RevokeGrant', 'kms:TagResource', 'kms:UntagResource', 'kms:UpdateKeyDescription', 'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];
const MUTATING_ADMINISTRATION = ADMINISTRATION.filter(a => !/^kms:(Describe|Get|List)/.test(a));
const USE = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'];
const viaServices = (...services: string[]) => ({ 'kms:ViaService': services.map(s => `${s}.${region}.amazonaws.com`) });

const key = new kms.Key(stack, 'DataKey', {
  alias: 'legacy-orders',
  enableKeyRotation: true,
  policy: new iam.PolicyDocument({
    statements: [
      // KMSG-KMS2: the account root administers (CloudFormation and IAM admins keep the key
      // manageable) but never uses the key.
      new iam.PolicyStatement({ sid: 'AccountAdministration', principals: [new iam.AccountRootPrincipal()], actions: ADMINISTRATION, resources: ['*'] }),
      // KMSG-KMS1: administrators get the explicit list, without kms:CreateGrant.
      new iam.PolicyStatement({ sid: 'KeyAdministration', principals: [keyAdmins], actions: ADMINISTRATION, resources: ['*'] }),
      // The worker uses the key only through the three services that hold its data.
      new iam.PolicyStatement({
        sid: 'KeyUsage',
        principals: [worker],
        actions: USE,
        resources: ['*'],
        conditions: { StringEquals: viaServices('s3', 'sqs', 'dynamodb') },
      }),
      // DynamoDB creates the table's grant as the deploying role. KMSG-KMS2 allows kms:CreateGrant
      // for AWS resources through a named service.
      new iam.PolicyStatement({
        sid: 'AccountGrantsViaDynamodb',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:CreateGrant', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: viaServices('dynamodb'), Bool: { 'kms:GrantIsForAWSResource': true } },
      }),
      // KMSG-KMS14: the account root administers, so an IAM policy could let the worker
      // administer too; this Deny keeps the worker a user.
      new iam.PolicyStatement({ sid: 'DenyAdministrationToUsers', effect: iam.Effect.DENY, principals: [worker], actions: MUTATING_ADMINISTRATION, resources: ['*'] }),
    ],
  }),
});

const accessLogs = new s3.Bucket(stack, 'AccessLogs', {
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  versioned: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
});
const uploads = new s3.Bucket(stack, 'Uploads', {
  encryption: s3.BucketEncryption.KMS,
  encryptionKey: key,
  bucketKeyEnabled: true,
  enforceSSL: true,
  versioned: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  serverAccessLogsBucket: accessLogs,
  serverAccessLogsPrefix: 'uploads/',
});
const deadLetters = new sqs.Queue(stack, 'OrdersDlq', { encryptionMasterKey: key, enforceSSL: true, retentionPeriod: Duration.days(14) });
const orders = new sqs.Queue(stack, 'Orders', {
  encryptionMasterKey: key,
  enforceSSL: true,
  deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 },
});
const table = new dynamodb.Table(stack, 'OrdersTable', {
  partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
  encryptionKey: key,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
});

// The worker's access lives in the resource policies: `bucket.grantReadWrite(worker)` and the
// like also write `kms:GenerateDataKey*`-style wildcards into an inline policy of the role
// (AwsSolutions-IAM5, *-IAMNoInlinePolicy), and the key policy above already decides key use.
uploads.addToResourcePolicy(new iam.PolicyStatement({
  principals: [worker],
  actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
  resources: [uploads.arnForObjects('*')],
}));
orders.addToResourcePolicy(new iam.PolicyStatement({
  principals: [worker],
  actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
  resources: [orders.queueArn],
}));
// A table's resource policy cannot name the table's own ARN: `*` is this table.
table.addToResourcePolicy(new iam.PolicyStatement({
  principals: [worker],
  actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
  resources: ['*'],
}));

// What stays is acknowledged on the resources it concerns, with the reason and what would satisfy it.
const acknowledge = (scopes: IConstruct[], ids: string[], reason: string) =>
  scopes.forEach(scope => ids.forEach(id => Validations.of(scope).acknowledge({ id, reason })));
acknowledge([accessLogs], ['HIPAA.Security-S3DefaultEncryptionKMS', 'NIST.800.53.R5-S3DefaultEncryptionKMS', 'PCI.DSS.321-S3DefaultEncryptionKMS'],
  'S3 server access logs are delivered only to buckets encrypted with SSE-S3');
acknowledge([accessLogs, uploads], ['HIPAA.Security-S3BucketReplicationEnabled', 'NIST.800.53.R4-S3BucketReplicationEnabled',
  'NIST.800.53.R5-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled'],
'Versioned and retained, not replicated; replication rules to a destination bucket would satisfy it');
acknowledge([accessLogs, uploads], ['NIST.800.53.R4-S3BucketDefaultLockEnabled'],
  'Object lock is off; object lock with a default retention would satisfy it');
acknowledge([deadLetters], ['Serverless-SQSRedrivePolicy'], 'The last queue of a redrive chain has no redrive policy');
acknowledge([table], ['HIPAA.Security-DynamoDBInBackupPlan', 'NIST.800.53.R4-DynamoDBInBackupPlan', 'NIST.800.53.R5-DynamoDBInBackupPlan'],
  'Point-in-time recovery is on; an AWS Backup plan that selects the table would satisfy it');
// The account's organization trail records the data events (README: acknowledge once on the app).
Validations.of(app).acknowledge({ id: 'KMSG-CT2', reason: 'The organization trail of account 111111111111 logs S3, SQS and DynamoDB data events' });

Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app),
  new HIPAASecurityChecks(app),
  new NIST80053R4Checks(app),
  new NIST80053R5Checks(app),
  new PCIDSS321Checks(app),
  new ServerlessChecks(app),
  new KmsGuardrailsChecks(app),
);
