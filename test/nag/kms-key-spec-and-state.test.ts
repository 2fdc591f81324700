import { App, aws_dynamodb as ddb, aws_kms as kms, aws_s3 as s3, aws_sqs as sqs, CfnParameter, Stack } from 'aws-cdk-lib';
import { newStack, pathsFor } from './nag-test-util';
import { findingsFor, runControlTower } from '../helpers/control-tower';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('KMSG-KMS16: RSA keys for encryption longer than 2048 bits (CT.KMS.PR.2)', () => {
  const cases: Array<[string, boolean, (s: Stack) => kms.CfnKey | kms.Key]> = [
    ['L2 RSA_2048 for encryption', true, (s) => new kms.Key(s, 'Key', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT })],
    ['L1 RSA_2048 without KeyUsage (ENCRYPT_DECRYPT by default)', true, (s) => new kms.CfnKey(s, 'Key', { keySpec: 'RSA_2048' })],
    ['L2 RSA_4096 for encryption', false, (s) => new kms.Key(s, 'Key', { keySpec: kms.KeySpec.RSA_4096, keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT })],
    ['L1 RSA_3072 for encryption', false, (s) => new kms.CfnKey(s, 'Key', { keySpec: 'RSA_3072', keyUsage: 'ENCRYPT_DECRYPT' })],
    ['L2 RSA_2048 for signing', false, (s) => new kms.Key(s, 'Key', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.SIGN_VERIFY })],
    ['L2 symmetric (the default)', false, (s) => new kms.Key(s, 'Key')],
    ['L1 ECC for signing', false, (s) => new kms.CfnKey(s, 'Key', { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })],
  ];

  test.each(cases)('%s: reported %s, as the Control Tower control decides', (_name, expected, build) => {
    const { app, stack } = newStack();
    const key = build(stack);
    const path = kms.CfnKey.isCfnKey(key) ? key.node.path : key.node.defaultChild!.node.path;
    expect(pathsFor(app, 'KMSG-KMS16')).toEqual(expected ? [path] : []);
    // The same verdict as the control's own cfn-guard rule, run on the template.
    const failed = findingsFor(runControlTower(stack, { controls: ['CT.KMS.PR.2'] }), key).length > 0;
    expect(failed).toBe(expected);
  });

  test('a key spec known only at deployment is reported under the rule, not guessed', () => {
    const { app, stack } = newStack();
    new kms.CfnKey(stack, 'Key', { keySpec: new CfnParameter(stack, 'Spec').valueAsString });
    expect(pathsFor(app, 'KMSG-KMS16')).toEqual(['Stack/Key']);
  });
});

describe('KMSG-KMS17: keys that the app\'s data depends on are enabled', () => {
  /** An L2 key, disabled or not, and what `use` builds with it. */
  function reported(enabled: boolean, use: (s: Stack, key: kms.Key) => void): string[] {
    // TableV2 renders its replicas only in a Region-bound stack.
    const { app, stack } = newStack({ env: { account: '111122223333', region: 'us-east-1' } });
    use(stack, new kms.Key(stack, 'Key', { enabled }));
    return pathsFor(app, 'KMSG-KMS17');
  }

  test.each([
    ['an L2 bucket', (s: Stack, key: kms.Key) => new s3.Bucket(s, 'Bucket', { encryptionKey: key })],
    ['an L2 queue', (s: Stack, key: kms.Key) => new sqs.Queue(s, 'Queue', { encryptionMasterKey: key })],
    ['an L2 table', (s: Stack, key: kms.Key) => new ddb.Table(s, 'Table', { partitionKey: { name: 'pk', type: ddb.AttributeType.STRING }, encryption: ddb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key })],
    ['an L2 TableV2 (global table)', (s: Stack, key: kms.Key) => new ddb.TableV2(s, 'Table', { partitionKey: { name: 'pk', type: ddb.AttributeType.STRING }, encryption: ddb.TableEncryptionV2.customerManagedKey(key) })],
    ['an L1 bucket naming the key by an alias of the app', (s: Stack, key: kms.Key) => {
      new kms.Alias(s, 'Alias', { aliasName: 'alias/orders', targetKey: key });
      new s3.CfnBucket(s, 'Bucket', { bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'alias/orders' } }] } });
    }],
  ])('a disabled key used by %s is reported; enabled, it is compliant', (_name, use) => {
    expect(reported(false, use)).toEqual(['Stack/Key/Resource']);
    expect(reported(true, use)).toEqual([]);
  });

  test('an L1 disabled key used by an L1 queue is reported', () => {
    const { app, stack } = newStack();
    const key = new kms.CfnKey(stack, 'Key', { enabled: false });
    new sqs.CfnQueue(stack, 'Queue', { kmsMasterKeyId: key.ref });
    expect(pathsFor(app, 'KMSG-KMS17')).toEqual(['Stack/Key']);
  });

  test('a disabled key nothing uses, or that only a literal key ARN could name, is not applicable', () => {
    expect(reported(false, () => undefined)).toEqual([]);
    expect(reported(false, (s) => new sqs.CfnQueue(s, 'Queue', { kmsMasterKeyId: KEY_ARN }))).toEqual([]);
  });

  test('a global table replica is checked against the replica key of its Region', () => {
    const app = new App();
    const env = (region: string) => ({ account: '111122223333', region });
    const primary = new Stack(app, 'Primary', { env: env('us-east-1'), crossRegionReferences: true });
    const replicaStack = new Stack(app, 'Replica', { env: env('eu-west-1'), crossRegionReferences: true });
    const key = new kms.CfnKey(primary, 'Key', { multiRegion: true });
    const replica = new kms.CfnReplicaKey(replicaStack, 'ReplicaKey', { primaryKeyArn: key.attrArn, keyPolicy: {}, enabled: false });
    replica.applyRemovalPolicy(undefined);
    const arnIn = (region: string) => `arn:aws:kms:${region}:111122223333:key/${key.attrKeyId}`;
    new ddb.CfnGlobalTable(primary, 'Table', {
      attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
      keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
      billingMode: 'PAY_PER_REQUEST',
      sseSpecification: { sseEnabled: true, sseType: 'KMS' },
      replicas: [
        { region: 'us-east-1', sseSpecification: { kmsMasterKeyId: key.attrArn } },
        { region: 'eu-west-1', sseSpecification: { kmsMasterKeyId: arnIn('eu-west-1') } },
      ],
    });
    expect(pathsFor(app, 'KMSG-KMS17')).toEqual(['Replica/ReplicaKey']);
  });

  test('Enabled known only at deployment is reported under the rule, not guessed', () => {
    const { app, stack } = newStack();
    const key = new kms.CfnKey(stack, 'Key', { enabled: new CfnParameter(stack, 'On').valueAsString as unknown as boolean });
    new sqs.CfnQueue(stack, 'Queue', { kmsMasterKeyId: key.ref });
    expect(pathsFor(app, 'KMSG-KMS17')).toEqual(['Stack/Key']);
  });
});
