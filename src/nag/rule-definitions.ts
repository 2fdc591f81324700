import { NagMessageLevel } from 'cdk-nag';
import { NagRuleFunction } from './private/values';
import { CloudTrailDataEventsCovered, CloudTrailKMSManagementEvents } from './rules/cloudtrail';
import { DynamoDBCustomerManagedKey, DynamoDBGlobalTableDeletionProtection, DynamoDBGlobalTablePITR } from './rules/dynamodb';
import { IAMNoUnscopedKeyUse } from './rules/iam';
import {
  KMSAliasExists, KMSAsymmetricEncryptionKeyLength, KMSCreateGrantForAWSResource, KMSCrossAccountAdministrator, KMSDeletionWindow,
  KMSKeyPolicySize, KMSKeyPolicySizeHeadroom, KMSKeyPolicyStatementsEffective, KMSLockoutSafetyCheck,
  KMSMultiRegionPoliciesConsistent, KMSRetained, KMSRootNoCryptographicAccess, KMSRotationEnabled, KMSRotationPeriod,
  KMSSeparationOfDuties, KMSServicePrincipalBound, KMSUsedKeyEnabled, KMSUserAdministersThroughIAM, KMSWildcardPrincipalScoped,
} from './rules/kms';
import { S3AccessLogTargetNotKMS, S3BucketKeyEnabled, S3CustomerManagedKey } from './rules/s3';
import { SQSCustomerManagedKey } from './rules/sqs';

/** A rule of the pack: its ID suffix, level and the text RULES.md must repeat word for word. */
export interface RuleDefinition {
  readonly id: string;
  readonly level: NagMessageLevel;
  readonly info: string;
  readonly explanation: string;
  readonly rule: NagRuleFunction;
}

export interface RuleOptions {
  readonly minimumPendingWindowDays: number;
}

/**
 * Levels: ERROR where the template itself breaks the key's security model or loses data (a policy
 * grant, a bypassed safety check, no customer managed key, deletion); WARN where the control is
 * hygiene or may live outside the app (aliases, periods, bucket keys, replicas, audit coverage).
 * Both fail `cdk synth` until fixed or acknowledged.
 */
export function ruleDefinitions(options: RuleOptions): RuleDefinition[] {
  return [
    {
      id: 'KMS1',
      level: NagMessageLevel.ERROR,
      info: 'The KMS key policy lets one named principal both administer and use the key.',
      explanation: 'A principal that can change the key policy, disable, delete, re-tag or re-alias the key must not also encrypt, decrypt, sign or create grants, or one compromised identity controls the data. The pack decides by evaluating the policy as IAM does: `kms:*`, `*`, wildcards such as `kms:Re*` and `NotAction` count, a Deny statement that certainly applies removes what it denies, a role session counts as its role, and a role named once by `Fn::GetAtt` and once by its ARN is one role. Give administrators an explicit list of administrative actions and users only the cryptographic actions of the key\'s usage, or deny each role what it must not do.',
      rule: KMSSeparationOfDuties,
    },
    {
      id: 'KMS2',
      level: NagMessageLevel.ERROR,
      info: 'The KMS key policy lets the account root, and so the IAM policies of the account, use the key.',
      explanation: 'A statement that gives `arn:aws:iam::<account>:root` (or the bare account ID) a cryptographic action or `kms:CreateGrant` hands the decision to IAM: any IAM policy in the account can then decrypt the data. A key without a key policy gets the KMS default policy, which gives the account root `kms:*`: use, grants and administration, reported here once. Give the account root only the explicit administrative actions and name the roles that use the key. `kms:CreateGrant` only for AWS resources (`kms:GrantIsForAWSResource` true) through named services (`kms:ViaService`) is resource creation and allowed.',
      rule: KMSRootNoCryptographicAccess,
    },
    {
      id: 'KMS3',
      level: NagMessageLevel.ERROR,
      info: 'The KMS key policy lets principals it does not name use the key: other accounts, or every principal of the key\'s account.',
      explanation: 'A `Principal: "*"`, NotPrincipal or unresolved principal whose conditions do not bind it to named principals opens the key. The pack evaluates the conditions as IAM does: IfExists and ForAllValues hold when the key is absent, negated operators hold for other values, a policy variable such as `${aws:PrincipalAccount}` is whoever asks, and a wildcard can span an account. Scope `Principal: "*"` with a positive operator and literal values (aws:PrincipalAccount, aws:PrincipalOrgID, or aws:PrincipalArn naming roles that the policy also names as users), and never give every principal of the account administration.',
      rule: KMSWildcardPrincipalScoped,
    },
    {
      id: 'KMS4',
      level: NagMessageLevel.ERROR,
      info: 'The KMS key policy lets a named principal create grants that are not for an AWS resource.',
      explanation: 'A principal that may create grants can give itself or anyone else the use of the key outside the key policy. Allow `kms:CreateGrant`, also when granted through `kms:*`, `*`, `kms:Create*` or `NotAction`, only with `"Condition": {"Bool": {"kms:GrantIsForAWSResource": true}}`, or deny grants outside AWS resources to everyone, so that only AWS services integrated with KMS create grants on the principal\'s behalf.',
      rule: KMSCreateGrantForAWSResource,
    },
    {
      id: 'KMS5',
      level: NagMessageLevel.ERROR,
      info: 'The symmetric KMS key does not have automatic key rotation enabled.',
      explanation: 'Rotation limits how much data one version of the key material protects. Set `EnableKeyRotation: true` (`enableKeyRotation: true` on `kms.Key`). Asymmetric and HMAC keys, keys with imported key material (Origin EXTERNAL) and keys in a custom key store (Origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE) cannot rotate automatically and are exempt; replica keys rotate with their primary key.',
      rule: KMSRotationEnabled,
    },
    {
      id: 'KMS6',
      level: NagMessageLevel.WARN,
      info: 'The KMS key rotates less often than every 365 days.',
      explanation: 'Compliance frameworks expect a cryptoperiod of at most one year. Set `RotationPeriodInDays` (`rotationPeriod` on `kms.Key`) to at most 365 days (90 is the KMS minimum), or leave it unset for the 365-day default.',
      rule: KMSRotationPeriod,
    },
    {
      id: 'KMS7',
      level: NagMessageLevel.WARN,
      info: 'The KMS key deletion waiting period is shorter than the pack\'s minimum (30 days unless the pack\'s minimumPendingWindow says otherwise).',
      explanation: 'A key scheduled for deletion can be recovered only during its waiting period; after that, all data encrypted under it is lost. Set `PendingWindowInDays` (`pendingWindow` on `kms.Key`) to at least the minimum, or leave it unset for the 30-day default. `SeparatedDutyKey` and `MultiRegionKeySet` accept 7 to 30 days: a shorter window set explicitly on them is the user\'s decision, and the key carries an acknowledgement of this rule with the value as the reason.',
      rule: KMSDeletionWindow(options.minimumPendingWindowDays),
    },
    {
      id: 'KMS8',
      level: NagMessageLevel.ERROR,
      info: 'The KMS key is not retained when it is removed from the stack or replaced.',
      explanation: 'CloudFormation schedules a deleted or replaced key for deletion, and once the waiting period ends every piece of data encrypted under it is unreadable. Set `DeletionPolicy: Retain` (or RetainExceptOnCreate) and `UpdateReplacePolicy: Retain`, which `removalPolicy: RemovalPolicy.RETAIN` (the `kms.Key` default) does.',
      rule: KMSRetained,
    },
    {
      id: 'KMS9',
      level: NagMessageLevel.WARN,
      info: 'The KMS key has no alias in the app.',
      explanation: 'An alias gives people and policies a stable, readable name for the key and lets you move to a new key without changing every reference. Add an `AWS::KMS::Alias` whose `TargetKeyId` refers to the key (`alias` on `kms.Key`, or `new kms.Alias`); a replica key needs its own alias in its Region.',
      rule: KMSAliasExists,
    },
    {
      id: 'KMS10',
      level: NagMessageLevel.ERROR,
      info: 'The KMS key policy is longer than 32,768 bytes, the KMS limit.',
      explanation: 'KMS rejects the policy and the deployment fails. The size is measured with every CloudFormation value at its shortest, so the policy is too long in any account and Region. Merge statements that share principals and conditions, or move principals to fewer roles.',
      rule: KMSKeyPolicySize,
    },
    {
      id: 'KMS11',
      level: NagMessageLevel.WARN,
      info: 'The KMS key policy may be longer than 29,491 bytes, 90% of the 32,768-byte KMS limit.',
      explanation: 'One more statement, or a longer partition, Region or generated resource name, can push the policy over the limit and fail the deployment. The size is measured with every CloudFormation value at its longest. Merge statements that share principals and conditions, or move principals to fewer roles.',
      rule: KMSKeyPolicySizeHeadroom,
    },
    {
      id: 'KMS12',
      level: NagMessageLevel.ERROR,
      info: 'The KMS key bypasses the key policy lockout safety check.',
      explanation: 'The safety check refuses a key policy that would lock every principal, including the one deploying it, out of the key for good. Remove `BypassPolicyLockoutSafetyCheck` and keep administrative actions for the deploying role or the account root in the key policy.',
      rule: KMSLockoutSafetyCheck,
    },
    {
      id: 'KMS13',
      level: NagMessageLevel.ERROR,
      info: 'The KMS key policy lets an AWS service use the key when it acts for a resource of another account.',
      explanation: 'A service principal such as `sns.amazonaws.com` or `logs.amazonaws.com` acts for whoever owns the resource that triggers it: without a binding condition, another account\'s topic, log group or trail can make the service encrypt or decrypt with this key (the confused deputy). Add `aws:SourceAccount` or `aws:SourceArn` (or `aws:SourceOrgID`) with a positive operator and literal values naming this account or a resource of it, or an encryption-context condition naming such a resource.',
      rule: KMSServicePrincipalBound,
    },
    {
      id: 'KMS14',
      level: NagMessageLevel.WARN,
      info: 'A user of the KMS key can also administer it through the IAM policies of its account.',
      explanation: 'When the account root holds administrative actions, any IAM policy of the account can let a principal administer the key, the users of the key included, and a user that can change the key policy controls the data. Add a Deny of the administrative actions that names each user (SeparatedDutyKey writes it), or acknowledge the finding where IAM policies are governed elsewhere.',
      rule: KMSUserAdministersThroughIAM,
    },
    {
      id: 'KMS15',
      level: NagMessageLevel.ERROR,
      info: 'A statement of the KMS key policy names an action that is no KMS key action, or a condition key that its actions never carry.',
      explanation: 'A misspelled action (`kms:Decrpyt`), another service\'s action (`s3:GetObject`), an action a key policy cannot grant or deny (`kms:CreateKey`), or a condition key no request of the statement\'s actions carries (`kms:EncryptionContext:...` on `kms:DescribeKey`, `kms:GrantIsForAWSResource` on `kms:Decrypt`, an unknown `kms:` or `aws:` key, another service\'s key) makes the statement say something it does not do. A condition on a key that is absent from the request is decided by the absence alone: a Deny with a positive operator never applies, so the guard rail fails open; an Allow with IfExists or a negated operator is not restricted at all. It is an error because the policy that was reviewed is not the policy that takes effect. Which keys each action carries follows the Service Authorization Reference; global condition keys apply to every action. Real KMS actions that are not key actions (`kms:ListAliases`) are only reported in a Deny or a NotAction, where they leave a hole; a condition that applies to some of the actions of a wildcard is not reported. Correct the spelling, or move the action or the condition to a statement whose actions carry the key.',
      rule: KMSKeyPolicyStatementsEffective,
    },
    {
      id: 'KMS16',
      level: NagMessageLevel.WARN,
      info: 'The asymmetric RSA KMS key for encryption and decryption is only 2048 bits long.',
      explanation: 'AWS Control Tower control CT.KMS.PR.2 requires RSA keys with key usage ENCRYPT_DECRYPT to be longer than 2048 bits. RSA_2048 gives 112-bit security, which NIST still accepts, so this is a warning about cryptographic strength rather than an opening. Set `KeySpec` to RSA_3072 or RSA_4096 (`keySpec: KeySpec.RSA_4096` on `kms.Key`). RSA keys for signing and other key specs are not concerned; a replica key has its primary key\'s spec.',
      rule: KMSAsymmetricEncryptionKeyLength,
    },
    {
      id: 'KMS17',
      level: NagMessageLevel.ERROR,
      info: 'A bucket, queue, table or global-table replica of the app encrypts under a KMS key that is disabled.',
      explanation: 'A disabled key (`Enabled: false`) cannot encrypt or decrypt: the bucket\'s objects, the queue\'s messages and the table\'s items become unreadable, and DynamoDB archives a table whose key stays inaccessible for seven days, so data can be lost. The key is found through references, aliases of the app and, for a global table replica, the replica key of its Region. Enable the key (`Enabled: true`, `enabled: true` on `kms.Key`) or encrypt the resource under an enabled key. Keys no resource of the app uses are not concerned.',
      rule: KMSUsedKeyEnabled,
    },
    {
      id: 'KMS18',
      level: NagMessageLevel.ERROR,
      info: 'A replica key and its primary key differ in who may use or administer them.',
      explanation: 'The keys of a multi-Region set share their key material: whoever may use one of them decrypts what any of them encrypted, and whoever may administer one can give itself that use. A principal that one key of the set admits and another refuses therefore holds access the stricter policy was written to prevent. The pack evaluates the primary key\'s and the replica key\'s policies for the same principals (each principal either names, the account root user, the account\'s other IAM principals, other accounts, services) and compares the answers, not the text; a service or kms:ViaService value naming the key\'s own Region counts as the same service in each Region. Give every key of the set the same principals (MultiRegionKeySet does), or acknowledge the finding with the reason the difference is intended.',
      rule: KMSMultiRegionPoliciesConsistent,
    },
    {
      id: 'KMS19',
      level: NagMessageLevel.ERROR,
      info: 'The KMS key policy lets a principal of another account administer the key.',
      explanation: 'Administration belongs to the key\'s own account: a role or root user of another account that may change the key policy, disable or delete the key, manage its rotation, aliases or tags, or list and revoke its grants (which KMS honours across accounts) controls data it does not own, and a key policy that trusts another account to administer is one KMS would partly ignore, so it does not say what happens. The pack evaluates the policy as for KMS1: `kms:*`, wildcards and NotAction count. Give principals of other accounts only the cryptographic actions of the key\'s usage (and `kms:DescribeKey`), and keep administrators in the key\'s account.',
      rule: KMSCrossAccountAdministrator,
    },
    {
      id: 'S1',
      level: NagMessageLevel.ERROR,
      info: 'The S3 bucket is not encrypted with a customer managed KMS key.',
      explanation: 'SSE-S3 and the AWS managed key `aws/s3` leave access to the data to S3 and IAM alone; only a customer managed key puts a key policy you control in front of every read. Set default encryption to `aws:kms` or `aws:kms:dsse` with `KMSMasterKeyID` naming a customer managed key (`encryption: BucketEncryption.KMS` with `encryptionKey` on `s3.Bucket`). Exempt, because their writers decide the encryption: buckets that receive S3 server access logs from the app (SSE-S3, or a key that S3\'s log delivery may use, which rule S3 checks), buckets that receive Application or Classic Load Balancer access or connection logs (delivered only to SSE-S3 buckets), and the log bucket of a trail that encrypts each log file with its own KMS key (`KMSKeyId`).',
      rule: S3CustomerManagedKey,
    },
    {
      id: 'S2',
      level: NagMessageLevel.WARN,
      info: 'The S3 bucket encrypts with SSE-KMS without an S3 Bucket Key.',
      explanation: 'Without a bucket key S3 calls KMS for every object, which costs more and can exhaust the KMS request quota. Set `BucketKeyEnabled: true` (`bucketKeyEnabled: true` on `s3.Bucket`). DSSE-KMS does not support bucket keys and is exempt, and so is the log bucket of a trail with its own `KMSKeyId`: CloudTrail sets the encryption of each log file itself.',
      rule: S3BucketKeyEnabled,
    },
    {
      id: 'S3',
      level: NagMessageLevel.ERROR,
      info: 'The S3 bucket receives server access logs and encrypts by default with a KMS key that S3\'s log delivery cannot use.',
      explanation: 'S3 writes server access logs as the service principal `logging.s3.amazonaws.com`. A bucket encrypted by default with `aws:kms` or `aws:kms:dsse` receives them only when its key policy lets that principal call kms:GenerateDataKey; the AWS managed key `aws/s3` never does. Otherwise the logs are lost without an error, and with them the record of who read and wrote the source buckets: an error, because audit data is lost. The pack evaluates the key policy of the bucket\'s key (a key of the app) for that service acting for the key\'s account. Add a key-policy statement for `logging.s3.amazonaws.com` with `aws:SourceAccount`, encrypt the log bucket with SSE-S3 (`AES256`, `encryption: BucketEncryption.S3_MANAGED` on `s3.Bucket`), which rule S1 accepts for log buckets, or send the logs to another bucket. The target is the `DestinationBucketName` of another bucket\'s `LoggingConfiguration` (or the bucket itself when that is absent), followed through references.',
      rule: S3AccessLogTargetNotKMS,
    },
    {
      id: 'SQS1',
      level: NagMessageLevel.ERROR,
      info: 'The SQS queue is not encrypted with a customer managed KMS key.',
      explanation: 'SSE-SQS and the AWS managed key `alias/aws/sqs` leave access to the messages to SQS and IAM alone. Set `KmsMasterKeyId` to a customer managed key (`encryption: QueueEncryption.KMS` with `encryptionMasterKey` on `sqs.Queue`).',
      rule: SQSCustomerManagedKey,
    },
    {
      id: 'DDB1',
      level: NagMessageLevel.ERROR,
      info: 'The DynamoDB table or global table is not encrypted with a customer managed KMS key.',
      explanation: 'The AWS owned key (the default) and the AWS managed key `alias/aws/dynamodb` leave access to the data to DynamoDB and IAM alone. Set `SSESpecification` with `SSEEnabled: true`, `SSEType: KMS` and a customer managed `KMSMasterKeyId`, in every replica of a global table (`encryption: TableEncryption.CUSTOMER_MANAGED` on `Table`, `TableEncryptionV2.customerManagedKey()` on `TableV2`).',
      rule: DynamoDBCustomerManagedKey,
    },
    {
      id: 'DDB2',
      level: NagMessageLevel.WARN,
      info: 'A replica of the DynamoDB global table does not have point-in-time recovery enabled.',
      explanation: 'Without point-in-time recovery, a bad write or delete replicates to every Region and cannot be undone. Set `PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: true` on every replica (`pointInTimeRecoverySpecification` on `TableV2`).',
      rule: DynamoDBGlobalTablePITR,
    },
    {
      id: 'DDB3',
      level: NagMessageLevel.WARN,
      info: 'A replica of the DynamoDB global table does not have deletion protection enabled.',
      explanation: 'Deletion protection keeps the table and its data from being deleted by a stack update or by hand. Set `DeletionProtectionEnabled: true` on every replica (`deletionProtection: true` on `TableV2`).',
      rule: DynamoDBGlobalTableDeletionProtection,
    },
    {
      id: 'IAM1',
      level: NagMessageLevel.ERROR,
      info: 'An IAM identity policy of the app lets its principals use KMS keys it does not name.',
      explanation: 'A policy (AWS::IAM::Policy, AWS::IAM::ManagedPolicy, or an inline policy of a role, user or group) that allows a cryptographic KMS action, or `kms:CreateGrant` for anything but an AWS resource, on `Resource: "*"`, `arn:aws:kms:*`, a `key/*` wildcard or through NotResource or NotAction opens every key, in any account, whose key policy lets IAM policies decide (the KMS default key policy does): an error, because the template lets its principals in (Security Hub KMS.1 and KMS.2). The pack evaluates the policy as IAM does, for a key the policy does not name, requested directly and through an AWS service it does not name: a kms:ViaService condition restricts only with a positive operator and no IfExists, and conditions on the key\'s tags, aliases or encryption context count as restrictions; conditions on the caller (network, MFA, tags, time) do not. Name the keys by ARN in Resource, or add `"Condition": {"StringEquals": {"kms:ViaService": "<service>.<region>.amazonaws.com"}}`; `key.grant*()` on a key of the app writes its ARN.',
      rule: IAMNoUnscopedKeyUse,
    },
    {
      id: 'CT1',
      level: NagMessageLevel.WARN,
      info: 'The CloudTrail trail does not log every KMS management event.',
      explanation: 'Key policy changes, scheduled deletions, disabled keys and every Decrypt call are KMS management events. A trail that is not logging, excludes `kms.amazonaws.com`, logs no management events or only read or only write ones leaves them unaudited. Keep `IncludeManagementEvents` true with `ReadWriteType: All` and no `ExcludeManagementEventSources` entry for kms.amazonaws.com, or add an advanced event selector with `eventCategory` Equals Management that neither excludes `eventSource` kms.amazonaws.com nor filters `readOnly`. The question is asked once per account and Region: a trail that logs only data events is compliant when another trail of the app covers its account and Region, and when none does, the first trail of the environment reports it once. If a trail outside the app (an organization trail) records these events, acknowledge the finding.',
      rule: CloudTrailKMSManagementEvents,
    },
    {
      id: 'CT2',
      level: NagMessageLevel.WARN,
      info: 'No CloudTrail trail in the app logs the data events of a resource encrypted with a customer managed key.',
      explanation: 'KMS events show that a service used the key, not who read or wrote which object, item or message. Select the read and write data events of the resource in a logging trail of the same account and Region (or a multi-Region or organization trail): basic `DataResources` of type AWS::S3::Object with the bucket ARN followed by `/`, or AWS::DynamoDB::Table with the table ARN; or an advanced event selector with `eventCategory` Data, `resources.type` AWS::S3::Object, AWS::DynamoDB::Table or AWS::SQS::Queue, and `resources.ARN` StartsWith or Equals the resource. SQS data events need advanced selectors. In an account and Region where no trail of the app logs the data events of any such resource, the finding is reported once for the environment, on its first resource, with the list; if a trail outside the app (an organization trail) records them, acknowledge KMSG-CT2 once on the app or stack.',
      rule: CloudTrailDataEventsCovered,
    },
  ];
}
