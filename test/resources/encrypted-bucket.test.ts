import { App, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R4Checks, NIST80053R5Checks, NagPack, PCIDSS321Checks, ServerlessChecks,
} from 'cdk-nag';
import { EncryptedBucket, EncryptedBucketProps, SeparatedDutyKey } from '../../src';
import { findingsByPack, noFindings, registerBuiltInPacks } from '../helpers/nag';

const ENV = { account: '111111111111', region: 'us-east-1' };

function setup() {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  return { app, stack };
}

function make(props?: EncryptedBucketProps) {
  const { app, stack } = setup();
  const bucket = new EncryptedBucket(stack, 'Docs', props);
  return { app, stack, bucket, template: () => Template.fromStack(stack) };
}

/** The bucket policy statements of the bucket whose logical id starts with `prefix`. */
function bucketPolicyStatements(stack: Stack, prefix: string): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::S3::BucketPolicy');
  const policy = Object.values(policies).find((p: any) => p.Properties.Bucket.Ref.startsWith(prefix)) as any;
  return policy.Properties.PolicyDocument.Statement;
}

function keyPolicyStatements(stack: Stack): any[] {
  const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
  return (Object.values(keys)[0] as any).Properties.KeyPolicy.Statement;
}

function allPacks(): NagPack[] {
  return [
    new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R4Checks(),
    new NIST80053R5Checks(), new PCIDSS321Checks(), new ServerlessChecks(),
  ];
}

/** Synthesizes with every built-in pack registered, and returns what each pack still reports. */
function nagFindings(app: App): string[] {
  const packs = allPacks();
  Validations.of(app).addPlugins(...packs);
  app.synth();
  return packs.flatMap(p => p.validateScope(app).violations
    .flatMap(v => v.violatingResources.map(r => `${v.ruleName} ${r.constructPath}`)));
}

describe('defaults', () => {
  test('SSE-KMS under the construct\'s own SeparatedDutyKey, bucket key on', () => {
    const { template, bucket } = make();
    expect(SeparatedDutyKey.isSeparatedDutyKey(bucket.encryptionKey)).toBe(true);
    template().hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DocsKey'), 'Arn'] },
          },
          BucketKeyEnabled: true,
        }],
      },
    });
    template().hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/Stack/Docs' });
  });

  test('versioned, public access blocked, ACLs disabled', () => {
    make().template().hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.objectLike({}),
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  test('the bucket and its key are retained', () => {
    const { template } = make();
    template().hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({ BucketEncryption: Match.anyValue() }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template().hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
  });

  test('TLS only, and TLS 1.2 or later', () => {
    const { stack } = make();
    const statements = bucketPolicyStatements(stack, 'DocsBucket');
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
    ]));
  });

  test('server access logs go to one shared SSE-S3 log bucket at the stack level, under a per-bucket prefix', () => {
    const { stack, bucket } = make({ dataEvents: false });
    const other = new EncryptedBucket(stack, 'Other', { dataEvents: false });
    expect(bucket.accessLogsBucket).toBe(other.accessLogsBucket);
    expect(bucket.accessLogsBucket.node.path).toBe('Stack/AccessLogs');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 3);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.objectLike({}),
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^AccessLogs') }, LogFilePrefix: `${bucket.node.addr}/` },
    });
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicPolicy: true, RestrictPublicBuckets: true }),
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('the log bucket keeps its logical id whichever EncryptedBucket created it', () => {
    const logicalId = (...ids: string[]) => {
      const { stack } = setup();
      ids.forEach(id => new EncryptedBucket(stack, id));
      const buckets = Template.fromStack(stack).findResources('AWS::S3::Bucket', { Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } } });
      return Object.keys(buckets);
    };
    expect(logicalId('A', 'B')).toEqual(logicalId('B'));
  });

  test('the log bucket requires TLS 1.2 and lets only S3 logging of this bucket and account write, under the bucket\'s prefix', () => {
    const { stack, bucket } = make();
    const statements = bucketPolicyStatements(stack, 'AccessLogs');
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
    ]));
    expect(statements).toEqual(expect.arrayContaining([expect.objectContaining({
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^AccessLogs/), 'Arn'] }, `/${bucket.node.addr}/*`]] },
      Condition: {
        ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^DocsBucket/), 'Arn'] } },
        StringEquals: { 'aws:SourceAccount': ENV.account },
      },
    })]));
  });

  test('no Lambda-backed custom resource, no EventBridge notification', () => {
    const template = make().template();
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(Object.values(template.toJSON().Resources).filter((r: any) => r.Type.startsWith('Custom::'))).toEqual([]);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.anyValue(),
      NotificationConfiguration: Match.absent(),
      ReplicationConfiguration: Match.absent(),
      ObjectLockEnabled: Match.absent(),
    });
  });
});

describe('overrides', () => {
  test('encryptionKey: the given key encrypts the bucket and no key is created', () => {
    const { stack } = setup();
    const key = new SeparatedDutyKey(stack, 'Shared', { alias: 'shared' });
    const bucket = new EncryptedBucket(stack, 'Docs', { encryptionKey: key, dataEvents: false });
    expect(bucket.encryptionKey).toBe(key);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [Match.objectLike({
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Shared'), 'Arn'] } },
        })],
      },
    });
  });

  test('keyAdministrators: administer the key the construct creates', () => {
    const { stack } = setup();
    const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    new EncryptedBucket(stack, 'Docs', { keyAdministrators: [admin] });
    const adminArn = { 'Fn::GetAtt': [expect.stringMatching(/^Admin/), 'Arn'] };
    expect(keyPolicyStatements(stack)).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Allow', Principal: { AWS: adminArn }, Action: expect.arrayContaining(['kms:ScheduleKeyDeletion']) }),
    ]));
  });

  test('a plain kms.Key works, with the key-duties-not-separated warning', () => {
    const { stack } = setup();
    const key = new kms.Key(stack, 'Plain', { enableKeyRotation: true });
    const bucket = new EncryptedBucket(stack, 'Docs', { encryptionKey: key });
    bucket.grantRead(new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
    Annotations.fromStack(stack).hasWarning('/Stack/Docs', Match.stringLikeRegexp('not a SeparatedDutyKey.*\\[ack: cdk-kms-guardrails:key-duties-not-separated\\]'));
  });

  test('removalPolicy DESTROY with acknowledgeDataLoss deletes the bucket and the key', () => {
    const { template } = make({ removalPolicy: RemovalPolicy.DESTROY, acknowledgeDataLoss: true });
    template().hasResource('AWS::S3::Bucket', { Properties: Match.objectLike({ BucketEncryption: Match.anyValue() }), DeletionPolicy: 'Delete' });
    template().hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    template().hasResource('AWS::S3::Bucket', { Properties: Match.objectLike({ BucketEncryption: Match.objectLike({ ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } })] }) }), DeletionPolicy: 'Retain' });
  });

  test('bucketName, serverAccessLogsPrefix, lifecycleRules', () => {
    make({
      bucketName: 'my-docs',
      serverAccessLogsPrefix: 'docs/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
    }).template().hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'my-docs',
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'docs/' }),
      LifecycleConfiguration: { Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' })] },
    });
  });

  test('serverAccessLogsBucket: logs go there and no shared log bucket is created', () => {
    const { stack } = setup();
    const logs = new s3.Bucket(stack, 'MyLogs', { encryption: s3.BucketEncryption.S3_MANAGED });
    const bucket = new EncryptedBucket(stack, 'Docs', { serverAccessLogsBucket: logs, dataEvents: false });
    expect(bucket.accessLogsBucket).toBe(logs);
    expect(stack.node.tryFindChild('AccessLogs')).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^MyLogs') }, LogFilePrefix: Match.anyValue() },
    });
  });

  test('eventBridgeEnabled: on the bucket\'s notification configuration, without a custom resource', () => {
    const template = make({ eventBridgeEnabled: true }).template();
    template.hasResourceProperties('AWS::S3::Bucket', {
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(Object.values(template.toJSON().Resources).filter((r: any) => r.Type.startsWith('Custom::'))).toEqual([]);
  });

  test('objectLockEnabled with objectLockDefaultRetention', () => {
    make({ objectLockEnabled: true, objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(30)) })
      .template().hasResourceProperties('AWS::S3::Bucket', {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } },
      });
  });
});

describe('replication', () => {
  function replicated() {
    const { app, stack } = setup();
    const destination = new EncryptedBucket(stack, 'Replica');
    const bucket = new EncryptedBucket(stack, 'Docs', { replication: { destinationBucket: destination.bucket, storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL } });
    return { app, stack, bucket, destination };
  }

  test('every object goes to the destination bucket, re-encrypted under the destination key', () => {
    const { stack } = replicated();
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: {
        Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DocsReplicationRole'), 'Arn'] },
        Rules: [Match.objectLike({
          Status: 'Enabled',
          Filter: { Prefix: '' },
          SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
          Destination: {
            Bucket: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReplicaBucket'), 'Arn'] },
            StorageClass: 'GLACIER_IR',
            EncryptionConfiguration: { ReplicaKmsKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReplicaKey'), 'Arn'] } },
          },
        })],
      },
    });
  });

  test('the replication role gets a managed policy with explicit actions, and both keys through S3 only', () => {
    const { stack } = replicated();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^DocsReplicationRole') }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'] }),
          Match.objectLike({ Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'] }),
          Match.objectLike({ Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'] }),
        ],
      },
    });
    const via = (action: string) => Match.objectLike({
      Action: [action],
      Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DocsReplicationRole'), 'Arn'] } },
      Condition: { StringEquals: Match.objectLike({ 'kms:ViaService': Match.anyValue() }) },
    });
    template.hasResourceProperties('AWS::KMS::Key', { Description: 'Created by Stack/Docs', KeyPolicy: Match.objectLike({ Statement: Match.arrayWith([via('kms:Decrypt')]) }) });
    template.hasResourceProperties('AWS::KMS::Key', { Description: 'Created by Stack/Replica', KeyPolicy: Match.objectLike({ Statement: Match.arrayWith([via('kms:Encrypt')]) }) });
  });

  test('an imported destination bucket works, and the six packs stay clean (IAM5 on its literal ARN is acknowledged)', () => {
    const { app, stack } = setup();
    const key = new SeparatedDutyKey(stack, 'DrKey', { alias: 'dr' });
    const destination = s3.Bucket.fromBucketName(stack, 'Dr', 'dr-bucket');
    new EncryptedBucket(stack, 'Docs', { replication: { destinationBucket: destination, destinationKey: key }, dataEvents: false });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'] })]) },
    });
    const packs = registerBuiltInPacks(app);
    expect(findingsByPack(app, packs)).toEqual(noFindings(packs));
  });

  test('destinationKey overrides the destination bucket\'s key', () => {
    const { stack } = setup();
    const key = new SeparatedDutyKey(stack, 'DrKey', { alias: 'dr' });
    const destination = new s3.Bucket(stack, 'Dr', { versioned: true });
    new EncryptedBucket(stack, 'Docs', { replication: { destinationBucket: destination, destinationKey: key } });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: {
        Rules: [Match.objectLike({
          Destination: Match.objectLike({
            EncryptionConfiguration: { ReplicaKmsKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DrKey'), 'Arn'] } },
          }),
        })],
      },
    });
  });
});

describe('grants', () => {
  function granted(grant: (b: EncryptedBucket, r: iam.IGrantable) => void) {
    const { stack } = setup();
    const bucket = new EncryptedBucket(stack, 'Docs', { dataEvents: false });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    grant(bucket, role);
    return { stack, bucket, role };
  }
  const roleArn = { 'Fn::GetAtt': [expect.stringMatching(/^Reader/), 'Arn'] };
  const s3For = (stack: Stack) => bucketPolicyStatements(stack, 'DocsBucket').filter(s => s.Effect === 'Allow');
  const keyFor = (stack: Stack) => keyPolicyStatements(stack).filter(s => s.Effect === 'Allow' && JSON.stringify(s.Principal).includes('Reader'));

  test('grantRead: explicit read actions in the bucket policy, kms:Decrypt through S3 only in the key policy', () => {
    const { stack } = granted((b, r) => b.grantRead(r));
    expect(s3For(stack)).toEqual([
      expect.objectContaining({ Principal: { AWS: roleArn }, Action: expect.arrayContaining(['s3:ListBucket', 's3:GetBucketLocation']), Resource: bucketArnResolved() }),
      expect.objectContaining({ Principal: { AWS: roleArn }, Action: expect.arrayContaining(['s3:GetObject', 's3:GetObjectVersion']), Resource: objectsArnResolved() }),
    ]);
    const key = keyFor(stack);
    expect(key).toEqual([expect.objectContaining({
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Condition: {
        StringEquals: {
          'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
          'kms:CallerAccount': { Ref: 'AWS::AccountId' },
        },
      },
    })]);
  });

  test('no grant writes an IAM policy for the grantee, and no action is a wildcard', () => {
    const { stack } = granted((b, r) => { b.grantReadWrite(r); b.grantPut(r); b.grantDelete(r); b.grantWrite(r); b.grantRead(r); });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    const actions = [...s3For(stack), ...keyFor(stack)].flatMap(s => [].concat(s.Action));
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
  });

  test.each([
    ['grantWrite', (b: EncryptedBucket, r: iam.IGrantable) => b.grantWrite(r), ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject', 's3:DeleteObjectVersion'], ['s3:GetObject'], ['kms:GenerateDataKey', 'kms:Decrypt']],
    ['grantPut', (b: EncryptedBucket, r: iam.IGrantable) => b.grantPut(r), ['s3:PutObject', 's3:AbortMultipartUpload'], ['s3:GetObject', 's3:DeleteObject'], ['kms:GenerateDataKey', 'kms:Decrypt']],
    ['grantDelete', (b: EncryptedBucket, r: iam.IGrantable) => b.grantDelete(r), ['s3:DeleteObject', 's3:DeleteObjectVersion'], ['s3:GetObject', 's3:PutObject'], []],
    ['grantReadWrite', (b: EncryptedBucket, r: iam.IGrantable) => b.grantReadWrite(r), ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], [], ['kms:Decrypt', 'kms:GenerateDataKey']],
  ])('%s: object actions in the bucket policy, the key through S3 only', (_name, grant, has, hasNot, keyActions) => {
    const { stack } = granted(grant);
    const objectStatement = s3For(stack).find(s => JSON.stringify(s.Resource).includes('/*'));
    expect(objectStatement.Principal).toEqual({ AWS: roleArn });
    expect(objectStatement.Action).toEqual(expect.arrayContaining(has));
    hasNot.forEach(a => expect(objectStatement.Action).not.toContain(a));
    const key = keyFor(stack);
    if (keyActions.length === 0) {
      expect(key).toEqual([]);
    } else {
      expect(key).toHaveLength(1);
      expect([].concat(key[0].Action).sort()).toEqual([...keyActions].sort());
      expect(key[0].Condition.StringEquals['kms:ViaService']).toBeDefined();
    }
  });

  test('the grant does not put kms:Decrypt for the grantee anywhere but the via-S3 statement', () => {
    const { stack } = granted((b, r) => b.grantReadWrite(r));
    const template = JSON.stringify(Template.fromStack(stack).toJSON());
    expect(template.match(/kms:Decrypt/g)).toHaveLength(1);
  });

  function bucketArnResolved() { return { 'Fn::GetAtt': [expect.stringMatching(/^DocsBucket/), 'Arn'] }; }
  function objectsArnResolved() { return { 'Fn::Join': ['', [bucketArnResolved(), '/*']] }; }
});

describe('bad input', () => {
  const path = "EncryptedBucket at 'Stack/Docs'";

  test('fails if encryptionKey is not a symmetric encryption key', () => {
    const { stack } = setup();
    const key = new kms.Key(stack, 'Rsa', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.SIGN_VERIFY });
    expect(() => new EncryptedBucket(stack, 'Docs', { encryptionKey: key }))
      .toThrow(`${path}: \`encryptionKey\` must be a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT), got RSA_2048/SIGN_VERIFY`);
  });

  test('fails if encryptionKey is an HMAC key', () => {
    const { stack } = setup();
    const key = new SeparatedDutyKey(stack, 'Mac', { alias: 'mac', keySpec: kms.KeySpec.HMAC_256 });
    expect(() => new EncryptedBucket(stack, 'Docs', { encryptionKey: key }))
      .toThrow(`${path}: \`encryptionKey\` must be a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT), got HMAC_256/GENERATE_VERIFY_MAC`);
  });

  test('fails if keyAdministrators come with encryptionKey', () => {
    const { stack } = setup();
    const key = new SeparatedDutyKey(stack, 'Shared', { alias: 'shared' });
    const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => new EncryptedBucket(stack, 'Docs', { encryptionKey: key, keyAdministrators: [admin] }))
      .toThrow(`${path}: \`keyAdministrators\` applies only to the key the construct creates`);
  });

  test('fails if replication has no destination bucket', () => {
    const { stack } = setup();
    expect(() => new EncryptedBucket(stack, 'Docs', { replication: {} as any }))
      .toThrow(`${path}: \`replication\` has no \`destinationBucket\``);
  });

  test('fails if the replication destination has no known key', () => {
    const { stack } = setup();
    const destination = new s3.Bucket(stack, 'Dr', { versioned: true });
    expect(() => new EncryptedBucket(stack, 'Docs', { replication: { destinationBucket: destination } }))
      .toThrow(`${path}: \`replication\` has no \`destinationKey\`, and destination bucket 'Stack/Dr' has no known encryption key`);
  });

  test.each([undefined, false])('fails if objectLockDefaultRetention comes with objectLockEnabled %s', (enabled) => {
    const { stack } = setup();
    expect(() => new EncryptedBucket(stack, 'Docs', {
      objectLockEnabled: enabled,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(1)),
    })).toThrow(`${path}: \`objectLockDefaultRetention\` needs \`objectLockEnabled: true\`, got objectLockEnabled: ${enabled}`);
  });

  test.each([RemovalPolicy.DESTROY, RemovalPolicy.SNAPSHOT])('fails if removalPolicy is %s without acknowledgeDataLoss', (policy) => {
    const { stack } = setup();
    expect(() => new EncryptedBucket(stack, 'Docs', { removalPolicy: policy }))
      .toThrow(`${path}: \`removalPolicy\` is ${policy}, which deletes the data when the resource leaves the stack; set \`acknowledgeDataLoss: true\``);
  });

  test('fails if serverAccessLogsBucket is encrypted with a KMS key', () => {
    const { stack } = setup();
    const logs = new s3.Bucket(stack, 'Logs', { encryption: s3.BucketEncryption.KMS });
    expect(() => new EncryptedBucket(stack, 'Docs', { serverAccessLogsBucket: logs }))
      .toThrow(`${path}: \`serverAccessLogsBucket\` is encrypted with a KMS key ('Stack/Logs'), but S3 server access logging delivers only to buckets encrypted with SSE-S3`);
  });

  test('fails if the stack already has a foreign AccessLogs construct', () => {
    const { stack } = setup();
    new s3.Bucket(stack, 'AccessLogs');
    expect(() => new EncryptedBucket(stack, 'Docs'))
      .toThrow(`${path}: \`serverAccessLogsBucket\` is not set, and the stack already has a construct with id 'AccessLogs' that is not our log bucket`);
  });

  test('fails if a grant names any principal', () => {
    const { bucket } = make();
    expect(() => bucket.grantRead(new iam.AnyPrincipal()))
      .toThrow(`${path}: \`grantRead()\` cannot grant access to any principal (\`*\`)`);
  });
});

describe('cdk-nag', () => {
  test('default props and a grant: zero unacknowledged findings under all six packs', () => {
    const { app, stack, bucket } = make();
    bucket.grantReadWrite(new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
    expect(nagFindings(app)).toEqual([]);
  });

  test('with replication and object lock set, their acknowledgements are gone and the packs still pass', () => {
    const { app, stack } = setup();
    const destination = new EncryptedBucket(stack, 'Replica', {
      objectLockEnabled: true, objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(1)),
    });
    const bucket = new EncryptedBucket(stack, 'Docs', {
      replication: { destinationBucket: destination.bucket },
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(1)),
    });
    expect(acknowledgementsOf(bucket.bucket).join()).not.toMatch(/S3BucketReplicationEnabled|S3BucketDefaultLockEnabled/);
    expect(acknowledgementsOf(destination.bucket)).toEqual(expect.arrayContaining(['HIPAA.Security-S3BucketReplicationEnabled']));
    expect(acknowledgementsOf(destination.bucket)).not.toContain('NIST.800.53.R4-S3BucketDefaultLockEnabled');
    expect(nagFindings(app)).toEqual([]);
  });

  test('without our acknowledgements the packs would report exactly the opt-ins and the log bucket\'s SSE-S3', () => {
    const { app } = make();
    const packs = allPacks();
    app.synth();
    const bucketAcks = acknowledgementsOf(app.node.findChild('Stack').node.findChild('Docs').node.findChild('Bucket'));
    const logAcks = acknowledgementsOf(app.node.findChild('Stack').node.findChild('AccessLogs'));
    expect(bucketAcks.sort()).toEqual([
      'HIPAA.Security-S3BucketReplicationEnabled',
      'NIST.800.53.R4-S3BucketDefaultLockEnabled',
      'NIST.800.53.R4-S3BucketReplicationEnabled',
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'PCI.DSS.321-S3BucketReplicationEnabled',
    ]);
    expect(logAcks.sort()).toEqual([...bucketAcks,
      'HIPAA.Security-S3DefaultEncryptionKMS', 'NIST.800.53.R5-S3DefaultEncryptionKMS', 'PCI.DSS.321-S3DefaultEncryptionKMS'].sort());
    expect(packs.flatMap(p => p.validateScope(app).violations)).toEqual([]);
  });
});

/** The rule ids acknowledged on a construct, read from the same place Validations reads them. */
function acknowledgementsOf(construct: any): string[] {
  return construct.node.metadata
    .filter((m: any) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m: any) => Object.keys(m.data).map(id => id.replace(/^Annotation::/, '')));
}

describe('the L2 bucket', () => {
  test('bucket.grantRead also reaches the key only through S3', () => {
    const { stack } = setup();
    const docs = new EncryptedBucket(stack, 'Docs', { dataEvents: false });
    docs.bucket.grantRead(new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
    const usage = keyPolicyStatements(stack).filter(s => (s.Sid ?? '').startsWith('KeyUsage'));
    expect(usage.map(s => s.Sid)).toEqual(['KeyUsageViaS3']);
  });
});
