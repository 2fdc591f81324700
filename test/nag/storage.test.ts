import { aws_dynamodb as ddb, aws_kms as kms, aws_s3 as s3, aws_sqs as sqs, CfnParameter, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import { newStack, pathsFor } from './nag-test-util';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const pk = { name: 'pk', type: ddb.AttributeType.STRING };

/** The paths `rule` reports for what `build` adds to a fresh stack. */
function reported(rule: string, build: (stack: Stack) => void, env?: { account: string; region: string }): string[] {
  const { app, stack } = newStack({ env });
  build(stack);
  return pathsFor(app, rule);
}

const l1Bucket = (stack: Stack, byDefault: s3.CfnBucket.ServerSideEncryptionByDefaultProperty, bucketKeyEnabled?: boolean) =>
  new s3.CfnBucket(stack, 'Bucket', { bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: byDefault, bucketKeyEnabled }] } });

describe('KMSG-S1: buckets under a customer managed key', () => {
  test.each([
    ['SSE-S3 (the default)', (s: Stack) => new s3.Bucket(s, 'Bucket')],
    ['SSE-KMS with aws/s3 (KMS_MANAGED)', (s: Stack) => new s3.Bucket(s, 'Bucket', { encryption: s3.BucketEncryption.KMS_MANAGED })],
    ['DSSE-KMS with aws/s3 (DSSE_MANAGED)', (s: Stack) => new s3.Bucket(s, 'Bucket', { encryption: s3.BucketEncryption.DSSE_MANAGED })],
  ])('%s is reported', (_name, build) => {
    expect(reported('KMSG-S1', build)).toEqual(['Stack/Bucket/Resource']);
  });

  test.each([
    ['alias/aws/s3', 'alias/aws/s3'],
    ['the aws/s3 alias ARN', 'arn:aws:kms:us-east-1:111122223333:alias/aws/s3'],
  ])('L1 KMSMasterKeyID %s is reported', (_name, key) => {
    expect(reported('KMSG-S1', (s) => l1Bucket(s, { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key }))).toEqual(['Stack/Bucket']);
  });

  test.each([
    ['SSE-KMS with a key of the app', (s: Stack) => new s3.Bucket(s, 'Bucket', { encryptionKey: new kms.Key(s, 'Key') })],
    ['DSSE-KMS with a key of the app', (s: Stack) => new s3.Bucket(s, 'Bucket', { encryption: s3.BucketEncryption.DSSE, encryptionKey: new kms.Key(s, 'Key') })],
    ['an imported key ARN', (s: Stack) => new s3.Bucket(s, 'Bucket', { encryptionKey: kms.Key.fromKeyArn(s, 'Key', KEY_ARN) })],
    ['a customer alias', (s: Stack) => l1Bucket(s, { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'alias/orders' })],
    ['a kms.Alias of the app', (s: Stack) => l1Bucket(s, { sseAlgorithm: 'aws:kms', kmsMasterKeyId: new kms.Alias(s, 'Alias', { aliasName: 'alias/o', targetKey: new kms.Key(s, 'Key') }).aliasName })],
  ])('%s is compliant', (_name, build) => {
    expect(reported('KMSG-S1', build)).toEqual([]);
  });

  test('a server access log target is exempt (S3 delivers logs only to SSE-S3 buckets)', () => {
    expect(reported('KMSG-S1', (s) => {
      const logs = new s3.Bucket(s, 'Logs');
      new s3.Bucket(s, 'Bucket', { encryptionKey: new kms.Key(s, 'Key'), serverAccessLogsBucket: logs });
    })).toEqual([]);
  });

  test('a key known only at deployment is reported, not guessed', () => {
    expect(reported('KMSG-S1', (s) =>
      l1Bucket(s, { sseAlgorithm: 'aws:kms', kmsMasterKeyId: new CfnParameter(s, 'KeyArn').valueAsString }))).toEqual(['Stack/Bucket']);
  });
});

describe('KMSG-S2: SSE-KMS buckets use a bucket key', () => {
  test('bucketKeyEnabled false is reported', () => {
    expect(reported('KMSG-S2', (s) => new s3.Bucket(s, 'Bucket', { encryptionKey: new kms.Key(s, 'Key'), bucketKeyEnabled: false })))
      .toEqual(['Stack/Bucket/Resource']);
  });

  test.each([
    ['bucketKeyEnabled true', (s: Stack) => new s3.Bucket(s, 'Bucket', { encryptionKey: new kms.Key(s, 'Key'), bucketKeyEnabled: true })],
    ['DSSE-KMS (no bucket keys)', (s: Stack) => l1Bucket(s, { sseAlgorithm: 'aws:kms:dsse', kmsMasterKeyId: KEY_ARN })],
    ['SSE-S3 (S1\'s finding)', (s: Stack) => new s3.Bucket(s, 'Bucket')],
  ])('%s is compliant or not applicable', (_name, build) => {
    expect(reported('KMSG-S2', build)).toEqual([]);
  });

  test('the log bucket of a trail with its own KMS key is not applicable; with a trail without one, it is reported', () => {
    const trailTo = (withKey: boolean) => (s: Stack) => {
      const key = new kms.Key(s, 'Key', { enableKeyRotation: true });
      const bucket = new s3.Bucket(s, 'Bucket', { encryptionKey: key, bucketKeyEnabled: false });
      new cloudtrail.CfnTrail(s, 'Trail', { isLogging: true, s3BucketName: bucket.bucketName, kmsKeyId: withKey ? key.keyArn : undefined });
    };
    expect(reported('KMSG-S2', trailTo(true))).toEqual([]);
    expect(reported('KMSG-S2', trailTo(false))).toEqual(['Stack/Bucket/Resource']);
  });
});

describe('KMSG-SQS1: queues under a customer managed key', () => {
  test.each([
    ['SSE-SQS (the default)', (s: Stack) => new sqs.Queue(s, 'Queue')],
    ['alias/aws/sqs (KMS_MANAGED)', (s: Stack) => new sqs.Queue(s, 'Queue', { encryption: sqs.QueueEncryption.KMS_MANAGED })],
    ['unencrypted', (s: Stack) => new sqs.Queue(s, 'Queue', { encryption: sqs.QueueEncryption.UNENCRYPTED })],
  ])('%s is reported', (_name, build) => {
    expect(reported('KMSG-SQS1', build)).toEqual(['Stack/Queue/Resource']);
  });

  test('L1 KmsMasterKeyId alias/aws/sqs is reported', () => {
    expect(reported('KMSG-SQS1', (s) => new sqs.CfnQueue(s, 'Queue', { kmsMasterKeyId: 'alias/aws/sqs' }))).toEqual(['Stack/Queue']);
  });

  test('a key of the app is compliant', () => {
    expect(reported('KMSG-SQS1', (s) => new sqs.Queue(s, 'Queue', { encryptionMasterKey: new kms.Key(s, 'Key') }))).toEqual([]);
  });
});

describe('KMSG-DDB1: tables and global tables under a customer managed key', () => {
  test.each([
    ['Table, AWS owned key (the default)', (s: Stack) => new ddb.Table(s, 'Table', { partitionKey: pk })],
    ['Table, AWS managed key', (s: Stack) => new ddb.Table(s, 'Table', { partitionKey: pk, encryption: ddb.TableEncryption.AWS_MANAGED })],
    ['TableV2, AWS owned key (the default)', (s: Stack) => new ddb.TableV2(s, 'Table', { partitionKey: pk })],
    ['TableV2, AWS managed key', (s: Stack) => new ddb.TableV2(s, 'Table', { partitionKey: pk, encryption: ddb.TableEncryptionV2.awsManagedKey() })],
  ])('%s is reported', (_name, build) => {
    expect(reported('KMSG-DDB1', build)).toEqual(['Stack/Table/Resource']);
  });

  test('a global table with one replica on the AWS managed key is reported', () => {
    expect(reported('KMSG-DDB1', (s) => new ddb.CfnGlobalTable(s, 'Table', {
      attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
      keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
      billingMode: 'PAY_PER_REQUEST',
      sseSpecification: { sseEnabled: true, sseType: 'KMS' },
      replicas: [
        { region: 'us-east-1', sseSpecification: { kmsMasterKeyId: KEY_ARN } },
        { region: 'us-west-2' },
      ],
    }))).toEqual(['Stack/Table']);
  });

  test.each([
    ['Table with a customer managed key', (s: Stack) =>
      new ddb.Table(s, 'Table', { partitionKey: pk, encryption: ddb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: new kms.Key(s, 'Key') })],
    ['TableV2 with replicas, each with its key', (s: Stack) => new ddb.TableV2(s, 'Table', {
      partitionKey: pk,
      encryption: ddb.TableEncryptionV2.customerManagedKey(new kms.Key(s, 'Key'), {
        'us-west-2': 'arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab',
      }),
      replicas: [{ region: 'us-west-2' }],
    })],
  ])('%s is compliant', (_name, build) => {
    expect(reported('KMSG-DDB1', build, { account: '111122223333', region: 'us-east-1' })).toEqual([]);
  });
});

describe('KMSG-DDB2 / KMSG-DDB3: global table replicas keep point-in-time recovery and deletion protection', () => {
  test('TableV2 defaults are reported by both', () => {
    const build = (s: Stack) => new ddb.TableV2(s, 'Table', { partitionKey: pk });
    expect(reported('KMSG-DDB2', build)).toEqual(['Stack/Table/Resource']);
    expect(reported('KMSG-DDB3', build)).toEqual(['Stack/Table/Resource']);
  });

  test('a replica that turns them off is reported', () => {
    const build = (s: Stack) => new ddb.TableV2(s, 'Table', {
      partitionKey: pk,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      replicas: [{ region: 'us-west-2', pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false }, deletionProtection: false }],
    });
    const env = { account: '111122223333', region: 'us-east-1' };
    expect(reported('KMSG-DDB2', build, env)).toEqual(['Stack/Table/Resource']);
    expect(reported('KMSG-DDB3', build, env)).toEqual(['Stack/Table/Resource']);
  });

  test('both on is compliant, and a plain Table is not applicable', () => {
    const build = (s: Stack) => {
      new ddb.TableV2(s, 'Table', { partitionKey: pk, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }, deletionProtection: true });
      new ddb.Table(s, 'Plain', { partitionKey: pk });
    };
    expect(reported('KMSG-DDB2', build)).toEqual([]);
    expect(reported('KMSG-DDB3', build)).toEqual([]);
  });
});
