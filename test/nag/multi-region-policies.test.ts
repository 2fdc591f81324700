import { App, aws_iam as iam, aws_kms as kms, Stack } from 'aws-cdk-lib';
import { pathsFor } from './nag-test-util';
import { MultiRegionKeySet } from '../../src';

const RULE = 'KMSG-KMS18';
const ACCOUNT = '111122223333';
const env = (region: string) => ({ account: ACCOUNT, region });
const ROOT_ADMIN = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['kms:Describe*', 'kms:Put*', 'kms:Enable*', 'kms:Disable*'], Resource: '*' };
const user = (name: string) => ({ Sid: 'Use', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/${name}` }, Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*' });

/** An L1 multi-Region primary key in us-east-1 and one replica in eu-west-1, with the given policies. */
function l1Set(primaryStatements: unknown[], replicaStatements: unknown[]): string[] {
  const app = new App();
  const primary = new Stack(app, 'Primary', { env: env('us-east-1'), crossRegionReferences: true });
  const replicaStack = new Stack(app, 'Replica', { env: env('eu-west-1'), crossRegionReferences: true });
  const key = new kms.CfnKey(primary, 'Key', { multiRegion: true, keyPolicy: { Version: '2012-10-17', Statement: primaryStatements } });
  new kms.CfnReplicaKey(replicaStack, 'ReplicaKey', { primaryKeyArn: key.attrArn, keyPolicy: { Version: '2012-10-17', Statement: replicaStatements } });
  return pathsFor(app, RULE);
}

describe('KMSG-KMS18: the keys of a multi-Region set admit the same principals', () => {
  test('L1: the same policy is compliant', () => {
    expect(l1Set([ROOT_ADMIN, user('app')], [ROOT_ADMIN, user('app')])).toEqual([]);
  });

  test('L1: the same principals in another spelling (separate statements, wildcards) are compliant', () => {
    const split = [ROOT_ADMIN, { ...user('app'), Action: 'kms:Decrypt' }, { ...user('app'), Sid: 'Enc', Action: 'kms:Encrypt*' }];
    expect(l1Set([ROOT_ADMIN, user('app')], split)).toEqual([]);
  });

  test('L1: a service principal naming each key\'s own Region is the same service', () => {
    const logs = (region: string) => ({
      Sid: 'Logs',
      Effect: 'Allow',
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    });
    expect(l1Set([ROOT_ADMIN, logs('us-east-1')], [ROOT_ADMIN, logs('eu-west-1')])).toEqual([]);
    expect(l1Set([ROOT_ADMIN, logs('us-east-1')], [ROOT_ADMIN, logs('us-east-1')])).toEqual(['Replica/ReplicaKey']);
  });

  test('L1: kms:ViaService naming each key\'s own Region is the same service', () => {
    const via = (region: string) => ({ ...user('app'), Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } } });
    expect(l1Set([ROOT_ADMIN, via('us-east-1')], [ROOT_ADMIN, via('eu-west-1')])).toEqual([]);
  });

  test.each([
    ['a user only the replica names', [ROOT_ADMIN, user('app')], [ROOT_ADMIN, user('app'), { ...user('intruder'), Sid: 'Extra' }]],
    ['a user the replica lacks', [ROOT_ADMIN, user('app')], [ROOT_ADMIN]],
    ['the account root given use on the replica only', [ROOT_ADMIN, user('app')], [{ ...ROOT_ADMIN, Action: 'kms:*' }, user('app')]],
    ['a Deny guard rail only on the primary', [ROOT_ADMIN, user('app'), { ...user('app'), Sid: 'Guard', Effect: 'Deny', Action: 'kms:Put*' }], [ROOT_ADMIN, user('app')]],
  ])('L1: %s is reported on the replica', (_name, primaryStatements, replicaStatements) => {
    expect(l1Set(primaryStatements, replicaStatements)).toEqual(['Replica/ReplicaKey']);
  });

  test('a replica of a primary outside the app is not applicable', () => {
    const app = new App();
    const stack = new Stack(app, 'Replica', { env: env('eu-west-1') });
    new kms.CfnReplicaKey(stack, 'ReplicaKey', { primaryKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`, keyPolicy: { Statement: [ROOT_ADMIN] } });
    expect(pathsFor(app, RULE)).toEqual([]);
  });

  describe('L2: MultiRegionKeySet', () => {
    function set(): { app: App; replicas: kms.CfnReplicaKey[] } {
      const app = new App();
      const primary = new Stack(app, 'Primary', { env: env('us-east-1'), crossRegionReferences: true });
      const replicaStacks = ['eu-west-1', 'ap-southeast-2'].map((r, i) => new Stack(app, `Replica${i}`, { env: env(r), crossRegionReferences: true }));
      new MultiRegionKeySet(primary, 'Orders', {
        alias: 'orders',
        replicaStacks,
        administrators: [new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/key-admin`)],
        users: [new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/key-user`)],
      });
      const replicas = replicaStacks.flatMap((s) => s.node.findAll().filter((c): c is kms.CfnReplicaKey => c instanceof kms.CfnReplicaKey));
      return { app, replicas };
    }

    test('a set built by MultiRegionKeySet is compliant', () => {
      const { app, replicas } = set();
      expect(replicas).toHaveLength(2);
      expect(pathsFor(app, RULE)).toEqual([]);
    });

    test('a replica whose policy an escape hatch replaces with the KMS default is reported', () => {
      const { app, replicas } = set();
      replicas[1].addPropertyOverride('KeyPolicy', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] });
      expect(pathsFor(app, RULE)).toEqual([replicas[1].node.path]);
    });
  });
});
