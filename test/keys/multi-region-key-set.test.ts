import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { MultiRegionKeySet, MultiRegionKeySetProps } from '../../src';
import { resolveKey } from '../helpers/iam-eval';
import { decide, matrixCases, PARTNER_ROLE } from '../helpers/key-matrix';
import { findingsByPack, noFindings, registerBuiltInPacks } from '../helpers/nag';

const ACCOUNT = '111111111111';
const env = (region: string, account = ACCOUNT) => ({ account, region });
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/key-admin`;
const USER = `arn:aws:iam::${ACCOUNT}:role/key-user`;
const LATER = `arn:aws:iam::${ACCOUNT}:role/granted-later`;

function setup(props: Partial<MultiRegionKeySetProps> = {}, replicaProps: StackProps[] = [
  { env: env('eu-west-1'), crossRegionReferences: true },
  { env: env('ap-southeast-2'), crossRegionReferences: true },
]) {
  const app = new App();
  const primary = new Stack(app, 'Primary', { env: env('us-east-1'), crossRegionReferences: true });
  const replicas = replicaProps.map((p, i) => new Stack(app, `Replica${i}`, p));
  const set = new MultiRegionKeySet(primary, 'Orders', {
    alias: 'orders',
    replicaStacks: replicas,
    administrators: [new iam.ArnPrincipal(ADMIN)],
    users: [new iam.ArnPrincipal(USER)],
    ...props,
  });
  return { app, primary, replicas, set };
}

function keyOf(stack: Stack, type: string) {
  const template = Template.fromStack(stack).toJSON();
  const id = Object.keys(template.Resources).find(r => template.Resources[r].Type === type)!;
  return { template, id, resource: template.Resources[id] };
}

describe('the set', () => {
  test('a multi-Region primary in the scope stack and a retained replica with the same alias in each replica stack', () => {
    const { primary, replicas } = setup({ pendingWindow: Duration.days(14), rotationPeriod: Duration.days(180) });
    Template.fromStack(primary).hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ MultiRegion: true, EnableKeyRotation: true, RotationPeriodInDays: 180, PendingWindowInDays: 14 }),
      DeletionPolicy: 'Retain',
    });
    Template.fromStack(primary).hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/orders' });
    for (const replica of replicas) {
      const t = Template.fromStack(replica);
      t.resourceCountIs('AWS::KMS::ReplicaKey', 1);
      t.hasResource('AWS::KMS::ReplicaKey', {
        Properties: Match.objectLike({ PendingWindowInDays: 14, Enabled: true, PrimaryKeyArn: Match.anyValue() }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      // Rotation is a property of the primary only: replicas share its key material.
      expect(keyOf(replica, 'AWS::KMS::ReplicaKey').resource.Properties.EnableKeyRotation).toBeUndefined();
      t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/orders' });
    }
  });

  test('replica stacks depend on the primary stack, which deploys first', () => {
    const { app } = setup();
    const assembly = app.synth();
    for (const name of ['Replica0', 'Replica1']) {
      expect(assembly.getStackByName(name).dependencies.map(d => d.id)).toContain('Primary');
    }
    expect(assembly.getStackByName('Primary').dependencies.map(d => d.id)).not.toContain('Replica0');
  });

  test('administrators get ReplicateKey and UpdatePrimaryRegion, in every Region', () => {
    const { primary, replicas } = setup();
    for (const [stack, type] of [[primary, 'AWS::KMS::Key'], ...replicas.map(r => [r, 'AWS::KMS::ReplicaKey'])] as Array<[Stack, string]>) {
      const admin = keyOf(stack, type).resource.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'KeyAdministration');
      expect(admin.Action).toEqual(expect.arrayContaining(['kms:ReplicateKey', 'kms:UpdatePrimaryRegion']));
      expect(admin.Principal).toEqual({ AWS: ADMIN });
    }
  });

  test('regions, replicaKey() and the replica ARNs derived from the primary key ID', () => {
    const { primary, set } = setup();
    expect(set.regions).toEqual(['us-east-1', 'eu-west-1', 'ap-southeast-2']);
    expect(set.replicaKey('us-east-1')).toBe(set.primaryKey);
    expect(set.replicaKey('eu-west-1').keySpec).toBe('SYMMETRIC_DEFAULT');
    expect(primary.resolve(set.keyArnIn('eu-west-1'))).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:111111111111:key/', { Ref: keyOf(primary, 'AWS::KMS::Key').id }]],
    });
    expect(set.replicaKeyArns).toHaveLength(2);
  });

  test('grants on the set apply in every Region; grants on a replica only there', () => {
    const { primary, replicas, set } = setup();
    set.grantEncryptDecrypt(new iam.ArnPrincipal(LATER));
    set.replicaKey('eu-west-1').grantDecrypt(new iam.ArnPrincipal(PARTNER_ROLE));
    const usage = (stack: Stack, type: string) => JSON.stringify(keyOf(stack, type).resource.Properties.KeyPolicy.Statement.filter((s: any) => s.Sid.startsWith('KeyUsage')));
    expect(usage(primary, 'AWS::KMS::Key')).toContain(LATER);
    expect(usage(primary, 'AWS::KMS::Key')).not.toContain(PARTNER_ROLE);
    expect(usage(replicas[0], 'AWS::KMS::ReplicaKey')).toContain(LATER);
    expect(usage(replicas[0], 'AWS::KMS::ReplicaKey')).toContain(PARTNER_ROLE);
    expect(usage(replicas[1], 'AWS::KMS::ReplicaKey')).toContain(LATER);
    expect(usage(replicas[1], 'AWS::KMS::ReplicaKey')).not.toContain(PARTNER_ROLE);
  });
});

describe('the same answers in every Region (IAM evaluation)', () => {
  const { primary, replicas, set } = setup();
  set.grantEncryptDecrypt(new iam.ArnPrincipal(LATER));
  set.grantDecrypt(new iam.ArnPrincipal(PARTNER_ROLE));
  const keys = [
    ['us-east-1 (primary)', primary, 'AWS::KMS::Key'],
    ['eu-west-1 (replica)', replicas[0], 'AWS::KMS::ReplicaKey'],
    ['ap-southeast-2 (replica)', replicas[1], 'AWS::KMS::ReplicaKey'],
  ].map(([name, stack, type]) => {
    const k = keyOf(stack as Stack, type as string);
    const region = (stack as Stack).region;
    // The replica's PrimaryKeyArn arrives through CDK's cross-Region reader: give it the value
    // the primary would export, so the resolver can read the replica's key id from it.
    const resourceValues: Record<string, { attributes: Record<string, string> }> = {};
    const text = JSON.stringify(k.template);
    for (const [, reader, attribute] of text.matchAll(/"Fn::GetAtt":\["(ExportsReader[A-Za-z0-9]+)","([^"]+)"\]/g)) {
      (resourceValues[reader] ??= { attributes: {} }).attributes[attribute] = `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`;
    }
    return [name, resolveKey(k.template, k.id, { region, resourceValues })] as const;
  });
  const arns: Record<string, string> = {
    admin: ADMIN,
    user: USER,
    later: LATER,
    iamAdmin: `arn:aws:iam::${ACCOUNT}:role/iam-admin`,
    partner: PARTNER_ROLE,
    stranger: 'arn:aws:iam::222222222222:role/stranger',
    root: `arn:aws:iam::${ACCOUNT}:root`,
  };
  const cases = matrixCases(Object.fromEntries(Object.keys(arns).map(k => [k, k])));

  test.each(keys.flatMap(([region, key]) => cases.map(c => [region, ...c, key] as const)))(
    '%s: %s → %s', async (_region, _who, _action, who, action, decision, key) => {
      expect(await decide(key, who, arns[who], action)).toBe(decision);
    });
});

describe('six cdk-nag packs on every stack of a set', () => {
  test('zero findings', () => {
    const { app } = setup();
    const packs = registerBuiltInPacks(app);
    expect(findingsByPack(app, packs)).toEqual(noFindings(packs));
  });
});

describe('fails if', () => {
  const path = "MultiRegionKeySet at 'Primary/Orders'";
  test.each([
    ['no replica stacks', [], '`replicaStacks` must name at least one stack in another Region'],
    ['a replica stack is environment-agnostic', [{ crossRegionReferences: true }], "`replicaStacks` stack 'Replica0' is environment-agnostic: give it an explicit account and Region"],
    ['a replica stack is in the primary Region', [{ env: env('us-east-1'), crossRegionReferences: true }], "`replicaStacks` stack 'Replica0' is in us-east-1, the primary's Region: replicas must be in other Regions"],
    ['a replica stack is in another account', [{ env: env('eu-west-1', '222222222222'), crossRegionReferences: true }], "`replicaStacks` stack 'Replica0' is in account 222222222222, not the primary's account 111111111111"],
    ['two replica stacks share a Region', [{ env: env('eu-west-1'), crossRegionReferences: true }, { env: env('eu-west-1'), crossRegionReferences: true }], "`replicaStacks` stack 'Replica1' is in eu-west-1, which another replica stack already covers: one replica per Region"],
    ['a replica stack cannot receive cross-Region references', [{ env: env('eu-west-1') }], "`replicaStacks` stack 'Replica0' must be created with `crossRegionReferences: true`"],
  ])('%s', (_name, replicaProps, message) => {
    expect(() => setup({}, replicaProps as StackProps[])).toThrow(`${path}: ${message}`);
  });

  test('a stack is listed twice', () => {
    const app = new App();
    const primary = new Stack(app, 'Primary', { env: env('us-east-1'), crossRegionReferences: true });
    const eu = new Stack(app, 'Eu', { env: env('eu-west-1'), crossRegionReferences: true });
    expect(() => new MultiRegionKeySet(primary, 'Orders', { alias: 'orders', replicaStacks: [eu, eu] }))
      .toThrow(`${path}: \`replicaStacks\` stack 'Eu' is in eu-west-1, which another replica stack already covers`);
  });

  test('the primary stack is environment-agnostic', () => {
    const app = new App();
    const primary = new Stack(app, 'Primary');
    const eu = new Stack(app, 'Eu', { env: env('eu-west-1'), crossRegionReferences: true });
    expect(() => new MultiRegionKeySet(primary, 'Orders', { alias: 'orders', replicaStacks: [eu] }))
      .toThrow(`${path}: \`scope\` must be in a stack with an explicit account and Region`);
  });

  test('a Region outside the set is asked for', () => {
    const { set } = setup();
    expect(() => set.replicaKey('sa-east-1')).toThrow(`${path}: \`replicaKey()\` got Region 'sa-east-1', which is not in the set; its Regions are us-east-1, eu-west-1, ap-southeast-2`);
    expect(() => set.keyArnIn('sa-east-1')).toThrow(`${path}: \`keyArnIn()\` got Region 'sa-east-1'`);
  });

  test('the same principal administers and uses, in a replica too', () => {
    expect(() => setup({ users: [new iam.ArnPrincipal(ADMIN)] })).toThrow("SeparatedDutyKey at 'Primary/Orders/Primary': `users` cannot make 'arn:aws:iam::111111111111:role/key-admin' a user of the key");
    const { set } = setup();
    expect(() => set.replicaKey('eu-west-1').grantDecrypt(new iam.ArnPrincipal(ADMIN)))
      .toThrow("MultiRegionKeySet replica at 'Replica0/PrimaryOrdersReplica': `grantDecrypt()` cannot make 'arn:aws:iam::111111111111:role/key-admin' a user of the key");
  });
});
