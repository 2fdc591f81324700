import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { MultiRegionKeySet } from '../../src';
import { evaluateKeyAccess, resolveKey } from '../helpers/iam-eval';

/**
 * The keys of one multi-Region set share their key material, so they count as one key: a
 * principal that administers the key in one Region may not use it in another, whichever key
 * (`primaryKey`, `replicaKey(r)`, the set) the grants go through, and a statement added to one
 * key of the set is added to every key (or rejected), never to one Region silently.
 */
const ACCOUNT = '111111111111';
const OPS = `arn:aws:iam::${ACCOUNT}:role/ops`;
const READER = `arn:aws:iam::${ACCOUNT}:role/reader`;

function setup() {
  const app = new App();
  const stack = (id: string, region: string) => new Stack(app, id, { env: { account: ACCOUNT, region }, crossRegionReferences: true });
  const primary = stack('Primary', 'us-east-1');
  const eu = stack('Eu', 'eu-west-1');
  const keys = new MultiRegionKeySet(primary, 'Orders', { alias: 'orders', replicaStacks: [eu] });
  return { app, primary, eu, keys };
}

function keyIn(stack: Stack, env: { region: string }) {
  const template = Template.fromStack(stack).toJSON();
  const id = Object.keys(template.Resources).find(r => ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'].includes(template.Resources[r].Type))!;
  // The replica reads the primary key ARN through CDK's cross-Region export reader.
  const resourceValues: Record<string, { attributes: Record<string, string> }> = {};
  for (const [, reader, attribute] of JSON.stringify(template).matchAll(/"Fn::GetAtt":\["(ExportsReader[A-Za-z0-9]+)","([^"]+)"\]/g)) {
    (resourceValues[reader] ??= { attributes: {} }).attributes[attribute] = `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`;
  }
  return resolveKey(template, id, { ...env, resourceValues });
}

describe('one register of roles for the whole set', () => {
  test('an administrator of the replica cannot be made a user of the primary', () => {
    const { keys } = setup();
    const ops = new iam.ArnPrincipal(OPS);
    keys.replicaKey('eu-west-1').grantAdmin(ops);
    expect(() => keys.primaryKey.grantEncryptDecrypt(ops)).toThrow(/SeparatedDutyKey at 'Primary\/Orders\/Primary': `grantEncryptDecrypt\(\)`.*administrator.*eu-west-1/);
  });

  test('a user of the primary cannot be made an administrator of the replica', () => {
    const { keys } = setup();
    const ops = new iam.ArnPrincipal(OPS);
    keys.primaryKey.grantEncryptDecrypt(ops);
    expect(() => keys.replicaKey('eu-west-1').grantAdmin(ops)).toThrow(/replica at 'Eu\/.*': `grantAdmin\(\)`.*user.*us-east-1/);
  });

  test('a user of the replica cannot become an administrator of the primary through a statement', () => {
    const { keys } = setup();
    keys.replicaKey('eu-west-1').grantDecrypt(new iam.ArnPrincipal(OPS));
    expect(() => keys.primaryKey.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ArnPrincipal(OPS)], actions: ['kms:PutKeyPolicy'], resources: ['*'],
    }))).toThrow(/`addToResourcePolicy\(\)`.*user/);
  });

  test('after the rejected grant, the IAM engine finds ops unable to decrypt in us-east-1', async () => {
    const { primary, keys } = setup();
    const ops = new iam.ArnPrincipal(OPS);
    keys.replicaKey('eu-west-1').grantAdmin(ops);
    try { keys.primaryKey.grantEncryptDecrypt(ops); } catch { /* rejected, as the first test proves */ }
    const key = keyIn(primary, { region: 'us-east-1' });
    expect(await evaluateKeyAccess({ keyPolicy: key.keyPolicy, keyArn: key.keyArn, principalArn: OPS, action: 'kms:Decrypt' })).toBe('ImplicitlyDenied');
  });
});

describe('a statement added to one key of the set', () => {
  test('is added to every key of the set: the IAM engine allows the reader in both Regions', async () => {
    const { primary, eu, keys } = setup();
    keys.replicaKey('eu-west-1').addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ArnPrincipal(READER)], actions: ['kms:Decrypt'], resources: ['*'],
    }));
    for (const [stack, region] of [[primary, 'us-east-1'], [eu, 'eu-west-1']] as const) {
      const key = keyIn(stack, { region });
      expect(await evaluateKeyAccess({ keyPolicy: key.keyPolicy, keyArn: key.keyArn, principalArn: READER, action: 'kms:Decrypt' })).toBe('Allowed');
    }
  });

  test('that references a resource of one stack is rejected, naming the method and what is allowed', () => {
    const { eu, keys } = setup();
    const reader = new iam.Role(eu, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => keys.replicaKey('eu-west-1').addToResourcePolicy(new iam.PolicyStatement({
      principals: [reader], actions: ['kms:Decrypt'], resources: ['*'],
    }))).toThrow(/`addToResourcePolicy\(\)`.*every key of the set.*Eu\/Reader/);
  });

  test('a service statement bound to a resource of its own Region stays on that key (aws-cdk-lib integrations)', () => {
    const { eu, keys } = setup();
    const topic = new sns.Topic(eu, 'Topic');
    keys.replicaKey('eu-west-1').addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { ArnEquals: { 'aws:SourceArn': topic.topicArn } },
    }));
    expect(JSON.stringify(Template.fromStack(eu).toJSON())).toContain('sns.amazonaws.com');
  });
});
