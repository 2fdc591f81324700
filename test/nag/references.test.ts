import { App, aws_kms as kms, aws_s3 as s3, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { newStack, pathsFor } from './nag-test-util';
import { KmsGuardrailsChecks } from '../../src/nag';

/** A bucket whose KMSMasterKeyID is written as `keyId`, with the key `Key` in the same stack. */
function bucketWithKeyId(keyId: (key: kms.CfnKey, stack: Stack) => unknown): string[] {
  const { app, stack } = newStack();
  const key = new kms.CfnKey(stack, 'Key', {});
  key.overrideLogicalId('Key');
  const bucket = new s3.CfnBucket(stack, 'Bucket', {
    bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'placeholder' } }] },
  });
  bucket.addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.KMSMasterKeyID', keyId(key, stack));
  return pathsFor(app, 'KMSG-S1');
}

describe('references are followed the way CloudFormation resolves them', () => {
  test.each([
    ['Ref', () => ({ Ref: 'Key' })],
    ['Fn::GetAtt as a string', () => ({ 'Fn::GetAtt': 'Key.Arn' })],
    ['Fn::Sub with ${Key.Arn}', () => ({ 'Fn::Sub': '${Key.Arn}' })],
    ['Fn::Sub with a variable map', () => ({ 'Fn::Sub': ['arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${Id}', { Id: { Ref: 'Key' } }] })],
    ['an ARN built with Fn::Join', () => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':key/', { Ref: 'Key' }]],
    })],
    ['Fn::Select of Fn::Split of the ARN', () => ({ 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['Key', 'Arn'] }] }] })],
  ])('a key written as %s is recognized', (_name, keyId) => {
    expect(bucketWithKeyId(keyId)).toEqual([]);
  });

  test.each([
    ['Fn::If', () => ({ 'Fn::If': ['UseKey', { Ref: 'Key' }, 'alias/aws/s3'] })],
    ['an attribute of a resource that is not a key', (_key: kms.CfnKey, stack: Stack) => {
      new CfnResource(stack, 'Custom', { type: 'Custom::KeyFinder' }).overrideLogicalId('Custom');
      return { 'Fn::GetAtt': ['Custom', 'KeyArn'] };
    }],
    ['an import of an export the app does not have', () => ({ 'Fn::ImportValue': 'SomeoneElsesKey' })],
  ])('a key written as %s is reported, not guessed', (_name, keyId) => {
    expect(bucketWithKeyId(keyId)).toEqual(['Stack/Bucket']);
  });

  test('a key in another stack is followed through the export', () => {
    const app = new App();
    const key = new kms.Key(new Stack(app, 'Keys'), 'Key');
    new s3.Bucket(new Stack(app, 'Data'), 'Bucket', { encryptionKey: key });
    expect(pathsFor(app, 'KMSG-S1')).toEqual([]);
  });

  // What `cdk init` writes today: "@aws-cdk/core:defaultCrossStackReferences": "weak".
  test('a key in another stack is followed through a weak reference (Fn::GetStackOutput)', () => {
    const app = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'weak' } });
    const key = new kms.Key(new Stack(app, 'Keys'), 'Key');
    new s3.Bucket(new Stack(app, 'Data'), 'Bucket', { encryptionKey: key });
    app.synth();
    const bucket = app.node.findChild('Data').node.findChild('Bucket').node.defaultChild as s3.CfnBucket;
    expect(JSON.stringify(Stack.of(bucket).resolve(bucket.bucketEncryption))).toContain('Fn::GetStackOutput');
    expect(pathsFor(app, 'KMSG-S1')).toEqual([]);
  });

  test('a key of the parent is followed into a nested stack through its parameter', () => {
    const { app, stack } = newStack();
    const key = new kms.Key(stack, 'Key');
    new s3.Bucket(new NestedStack(stack, 'Nested'), 'Bucket', { encryptionKey: key });
    expect(pathsFor(app, 'KMSG-S1')).toEqual([]);
  });

  test('a key of a nested stack is followed out through its output', () => {
    const { app, stack } = newStack();
    const key = new kms.Key(new NestedStack(stack, 'Nested'), 'Key');
    new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
    expect(pathsFor(app, 'KMSG-S1')).toEqual([]);
  });

  test('before synthesis, a cross-stack reference CDK has not resolved yet is reported, not guessed', () => {
    const app = new App();
    const key = new kms.Key(new Stack(app, 'Keys'), 'Key');
    new s3.Bucket(new Stack(app, 'Data'), 'Bucket', { encryptionKey: key });
    // The reason is in the default message, not only with `verbose`.
    const violations = new KmsGuardrailsChecks().validateScope(app).violations;
    const s1 = violations.find((v) => v.ruleName === 'KMSG-S1');
    expect(s1?.violatingResources.map((r) => r.constructPath)).toEqual(['Data/Bucket/Resource']);
    expect(s1?.description).toMatch(/AWS::S3::Bucket Bucket83908E77: the rule cannot decide: .*KMSMasterKeyID is only known at deployment/);
  });
});
