import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EncryptedTable, EncryptedTableProps, MultiRegionKeySet } from '../../src';
import { findingsByPack, noFindings, registerBuiltInPacks } from '../helpers/nag';

const PK = { name: 'pk', type: dynamodb.AttributeType.STRING };
const env = (region: string) => ({ account: '111111111111', region });

function setup(tableRegion = 'us-east-1') {
  const app = new App();
  const keys = new Stack(app, 'Keys', { env: env('us-east-1'), crossRegionReferences: true });
  const eu = new Stack(app, 'KeysEu', { env: env('eu-west-1'), crossRegionReferences: true });
  const ap = new Stack(app, 'KeysAp', { env: env('ap-southeast-2'), crossRegionReferences: true });
  const tables = new Stack(app, 'Tables', { env: env(tableRegion), crossRegionReferences: true });
  const keySet = new MultiRegionKeySet(keys, 'Orders', { alias: 'orders', replicaStacks: [eu, ap] });
  return { app, keys, eu, ap, tables, keySet };
}

const keyStatements = (stack: Stack, type: string) => {
  const t = Template.fromStack(stack).toJSON();
  return Object.values<any>(t.Resources).find(r => r.Type === type).Properties.KeyPolicy.Statement as any[];
};

describe('a global table on a multi-Region key set', () => {
  test('a replica in every other Region of the set, each under the key of its Region', () => {
    const { tables, keySet } = setup();
    new EncryptedTable(tables, 'Orders', { partitionKey: PK, keySet });
    const template = Template.fromStack(tables);
    const table = Object.values<any>(template.findResources('AWS::DynamoDB::GlobalTable'))[0];
    const replicas = table.Properties.Replicas;
    expect(replicas.map((r: any) => r.Region).sort()).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
    const keyOf = (region: string) => JSON.stringify(tables.resolve(replicas.find((r: any) => r.Region === region).SSESpecification.KMSMasterKeyId));
    // The replicas' keys are the primary key ID in their own Region, not the primary's ARN.
    expect(keyOf('eu-west-1')).toContain(':kms:eu-west-1:111111111111:key/');
    expect(keyOf('ap-southeast-2')).toContain(':kms:ap-southeast-2:111111111111:key/');
    expect(keyOf('eu-west-1')).toContain('Fn::ImportValue');
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
  });

  test('replicaRegions chooses a subset', () => {
    const { tables, keySet } = setup();
    new EncryptedTable(tables, 'Orders', { partitionKey: PK, keySet, replicaRegions: ['eu-west-1'] });
    const table = Object.values<any>(Template.fromStack(tables).findResources('AWS::DynamoDB::GlobalTable'))[0];
    expect(table.Properties.Replicas.map((r: any) => r.Region).sort()).toEqual(['eu-west-1', 'us-east-1']);
  });

  test('the table deploys after the primary and the replica keys', () => {
    const { app, tables, keySet } = setup();
    new EncryptedTable(tables, 'Orders', { partitionKey: PK, keySet });
    const assembly = app.synth();
    const stacksBefore = (name: string) => assembly.getStackByName(name).dependencies.map(d => d.id).filter(id => !id.endsWith('.assets')).sort();
    expect(stacksBefore('Tables')).toEqual(['Keys', 'KeysAp', 'KeysEu']);
    expect(stacksBefore('KeysEu')).toEqual(['Keys']);
    expect(stacksBefore('Keys')).toEqual([]);
  });

  test('every key of the table lets the account create grants through DynamoDB of its own Region', () => {
    const { keys, eu, ap, tables, keySet } = setup();
    new EncryptedTable(tables, 'Orders', { partitionKey: PK, keySet, replicaRegions: ['eu-west-1'] });
    expect(keyStatements(keys, 'AWS::KMS::Key').map(s => s.Sid)).toContain('AccountGrantsViaDynamodb');
    expect(keyStatements(eu, 'AWS::KMS::ReplicaKey').map(s => s.Sid)).toContain('AccountGrantsViaDynamodb');
    expect(keyStatements(ap, 'AWS::KMS::ReplicaKey').map(s => s.Sid)).not.toContain('AccountGrantsViaDynamodb');
  });

  test('grants reach the key of every table Region, only through DynamoDB', () => {
    const { keys, eu, tables, keySet } = setup();
    const reader = new iam.ArnPrincipal('arn:aws:iam::111111111111:role/reader');
    new EncryptedTable(tables, 'Orders', { partitionKey: PK, keySet, replicaRegions: ['eu-west-1'] }).grantReadData(reader);
    for (const [stack, type] of [[keys, 'AWS::KMS::Key'], [eu, 'AWS::KMS::ReplicaKey']] as const) {
      const via = keyStatements(stack, type).find(s => s.Sid === 'KeyUsageViaDynamodb');
      expect(via.Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:role/reader' });
      expect(via.Action).toEqual(['kms:DescribeKey', 'kms:Decrypt']);
      expect(JSON.stringify(via.Condition)).toContain('dynamodb.');
    }
  });

  // New `cdk init` apps turn the flag on; TableV2 then gives a replica only its own resource policy.
  test.each([true, false])('grants to an imported role reach the resource policy of every replica (resourcePolicyPerReplica: %s)', (perReplica) => {
    const app = new App({ context: { '@aws-cdk/aws-dynamodb:resourcePolicyPerReplica': perReplica } });
    const keys = new Stack(app, 'Keys', { env: env('us-east-1'), crossRegionReferences: true });
    const eu = new Stack(app, 'KeysEu', { env: env('eu-west-1'), crossRegionReferences: true });
    const tables = new Stack(app, 'Tables', { env: env('us-east-1'), crossRegionReferences: true });
    const keySet = new MultiRegionKeySet(keys, 'Orders', { alias: 'orders', replicaStacks: [eu] });
    const orders = new EncryptedTable(tables, 'Orders', { partitionKey: PK, keySet });
    orders.grantReadData(new iam.ArnPrincipal('arn:aws:iam::111111111111:role/reader'));
    const table = Object.values<any>(Template.fromStack(tables).findResources('AWS::DynamoDB::GlobalTable'))[0];
    const readers = (region: string) => table.Properties.Replicas.find((r: any) => r.Region === region)
      .ResourcePolicy?.PolicyDocument.Statement.map((s: any) => s.Principal.AWS);
    expect(readers('us-east-1')).toEqual(['arn:aws:iam::111111111111:role/reader']);
    expect(readers('eu-west-1')).toEqual(['arn:aws:iam::111111111111:role/reader']);
  });

  test('without a grant on the resource side, no replica has a resource policy', () => {
    const app = new App({ context: { '@aws-cdk/aws-dynamodb:resourcePolicyPerReplica': true } });
    const keys = new Stack(app, 'Keys', { env: env('us-east-1'), crossRegionReferences: true });
    const eu = new Stack(app, 'KeysEu', { env: env('eu-west-1'), crossRegionReferences: true });
    const tables = new Stack(app, 'Tables', { env: env('us-east-1'), crossRegionReferences: true });
    new EncryptedTable(tables, 'Orders', { partitionKey: PK, keySet: new MultiRegionKeySet(keys, 'Orders', { alias: 'orders', replicaStacks: [eu] }) });
    const table = Object.values<any>(Template.fromStack(tables).findResources('AWS::DynamoDB::GlobalTable'))[0];
    expect(table.Properties.Replicas.map((r: any) => r.ResourcePolicy)).toEqual([undefined, undefined]);
  });

  test('a table in a replica Region uses that Region\'s replica key', () => {
    const app = new App();
    const keys = new Stack(app, 'Keys', { env: env('us-east-1'), crossRegionReferences: true });
    const eu = new Stack(app, 'KeysEu', { env: env('eu-west-1'), crossRegionReferences: true });
    const euTables = new Stack(app, 'TablesEu', { env: env('eu-west-1'), crossRegionReferences: true });
    const keySet = new MultiRegionKeySet(keys, 'Orders', { alias: 'orders', replicaStacks: [eu] });
    const table = new EncryptedTable(euTables, 'Orders', { partitionKey: PK, keySet, replicaRegions: [] });
    expect(table.encryptionKey).toBe(keySet.replicaKey('eu-west-1'));
  });

  test('six cdk-nag packs: zero findings on every stack', () => {
    const { app, tables, keySet } = setup();
    new EncryptedTable(tables, 'Orders', { partitionKey: PK, keySet });
    const packs = registerBuiltInPacks(app);
    expect(findingsByPack(app, packs)).toEqual(noFindings(packs));
  });
});

describe('fails if', () => {
  const path = "EncryptedTable at 'Tables/Orders'";
  test.each([
    ['the table stack Region is not in the key set', 'sa-east-1', {}, "`keySet` has Regions us-east-1, eu-west-1, ap-southeast-2, but the table's stack is in sa-east-1"],
    ['a replica Region is not in the key set', 'us-east-1', { replicaRegions: ['sa-east-1'] }, '`replicaRegions` contains sa-east-1, which is not a Region of the key set (us-east-1, eu-west-1, ap-southeast-2)'],
    ['a replica Region is the table Region', 'us-east-1', { replicaRegions: ['us-east-1'] }, "`replicaRegions` contains us-east-1, the table's own Region"],
  ])('%s', (_name, region, props, message) => {
    const { tables, keySet } = setup(region);
    expect(() => new EncryptedTable(tables, 'Orders', { partitionKey: PK, keySet, ...props as Partial<EncryptedTableProps> })).toThrow(`${path}: ${message}`);
  });

  test('keySet comes with an encryptionKey', () => {
    const { tables, keySet } = setup();
    expect(() => new EncryptedTable(tables, 'Orders', { partitionKey: PK, keySet, encryptionKey: new kms.Key(tables, 'K', { enableKeyRotation: true }) }))
      .toThrow(`${path}: \`keySet\` cannot be combined with \`encryptionKey\` or \`keyAdministrators\``);
  });

  test('replicaRegions without a keySet', () => {
    const { tables } = setup();
    expect(() => new EncryptedTable(tables, 'Orders', { partitionKey: PK, replicaRegions: ['eu-west-1'] }))
      .toThrow(`${path}: \`replicaRegions\` needs a \`keySet\``);
  });

  test('the table is in the stack of the primary key', () => {
    const { keys, keySet } = setup();
    expect(() => new EncryptedTable(keys, 'OrdersTable', { partitionKey: PK, keySet }))
      .toThrow("EncryptedTable at 'Keys/OrdersTable': `keySet` is defined in the table's stack 'Keys': put the table in another stack of us-east-1");
  });
});
