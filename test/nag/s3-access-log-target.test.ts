import { aws_kms as kms, aws_s3 as s3, CfnParameter, Stack } from 'aws-cdk-lib';
import { newStack, pathsFor } from './nag-test-util';

const RULE = 'KMSG-S3';

function reported(build: (stack: Stack) => void): string[] {
  const { app, stack } = newStack();
  build(stack);
  return pathsFor(app, RULE);
}

const sse = (sseAlgorithm: string, kmsMasterKeyId?: string): s3.CfnBucket.BucketEncryptionProperty =>
  ({ serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm, kmsMasterKeyId } }] });

describe('KMSG-S3: buckets that receive server access logs are not SSE-KMS', () => {
  test('L2: a log bucket under SSE-KMS with aws/s3 is reported: S3\'s log delivery cannot use the AWS managed key', () => {
    expect(reported((s) => {
      const target = new s3.Bucket(s, 'Logs', { encryption: s3.BucketEncryption.KMS_MANAGED });
      new s3.Bucket(s, 'Data', { serverAccessLogsBucket: target });
    })).toEqual(['Stack/Logs/Resource']);
  });

  test.each([
    ['SSE-KMS', (s: Stack) => ({ encryptionKey: new kms.Key(s, 'Key') })],
    ['DSSE-KMS', (s: Stack) => ({ encryption: s3.BucketEncryption.DSSE, encryptionKey: new kms.Key(s, 'Key') })],
  ])('L2: a log bucket under %s with a key of the app is not reported: aws-cdk-lib lets logging.s3.amazonaws.com use the key', (_name, logs) => {
    expect(reported((s) => {
      const target = new s3.Bucket(s, 'Logs', logs(s));
      new s3.Bucket(s, 'Data', { serverAccessLogsBucket: target });
    })).toEqual([]);
  });

  const keyWithPolicy = (s: Stack, extra: unknown[]) => new kms.CfnKey(s, 'Key', {
    keyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' }, ...extra] },
  });
  const logDelivery = (Condition?: unknown) => ({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: ['kms:GenerateDataKey', 'kms:Encrypt'], Resource: '*', Condition });

  test.each([
    ['a key policy that does not name S3\'s log delivery', [], ['Stack/Logs']],
    ['a key policy that lets S3\'s log delivery use the key for this account', [logDelivery({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } })], []],
    ['a key policy that denies S3\'s log delivery', [logDelivery(), { Effect: 'Deny', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 'kms:*', Resource: '*' }], ['Stack/Logs']],
  ])('L1: a log bucket under SSE-KMS with %s', (_name, extra, expected) => {
    expect(reported((s) => {
      const key = keyWithPolicy(s, extra as unknown[]);
      const target = new s3.CfnBucket(s, 'Logs', { bucketEncryption: sse('aws:kms', key.attrArn) });
      new s3.CfnBucket(s, 'Data', { loggingConfiguration: { destinationBucketName: target.ref } });
    })).toEqual(expected);
  });

  test('L2: a log bucket under SSE-S3 is compliant; the source bucket under SSE-KMS is not concerned', () => {
    expect(reported((s) => {
      const target = new s3.Bucket(s, 'Logs', { encryption: s3.BucketEncryption.S3_MANAGED });
      new s3.Bucket(s, 'Data', { serverAccessLogsBucket: target, encryptionKey: new kms.Key(s, 'Key') });
    })).toEqual([]);
  });

  test('L1: the target is found by name and by reference, across stacks', () => {
    const { app, stack } = newStack({ env: { account: '111122223333', region: 'us-east-1' } });
    const other = new Stack(app, 'Other', { env: { account: '111122223333', region: 'us-east-1' } });
    const byRef = new s3.CfnBucket(other, 'ByRef', { bucketEncryption: sse('aws:kms') });
    new s3.CfnBucket(stack, 'ByName', { bucketName: 'access-logs-111122223333', bucketEncryption: sse('aws:kms:dsse', 'alias/logs') });
    new s3.CfnBucket(stack, 'Untouched', { bucketEncryption: sse('aws:kms') });
    new s3.CfnBucket(stack, 'A', { loggingConfiguration: { destinationBucketName: byRef.ref } });
    new s3.CfnBucket(stack, 'B', { loggingConfiguration: { destinationBucketName: 'access-logs-111122223333' } });
    expect(pathsFor(app, RULE)).toEqual(['Other/ByRef', 'Stack/ByName']);
  });

  test('L1: a bucket that logs to itself (no destination) under SSE-KMS is reported', () => {
    expect(reported((s) => new s3.CfnBucket(s, 'Self', { bucketEncryption: sse('aws:kms'), loggingConfiguration: {} }))).toEqual(['Stack/Self']);
  });

  test('a target whose encryption is known only at deployment is reported under the rule, not guessed', () => {
    expect(reported((s) => {
      const target = new s3.CfnBucket(s, 'Logs', { bucketEncryption: sse(new CfnParameter(s, 'Algorithm').valueAsString) });
      new s3.CfnBucket(s, 'Data', { loggingConfiguration: { destinationBucketName: target.ref } });
    })).toEqual(['Stack/Logs']);
  });
});
