import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EncryptedBucket, MultiRegionKeySet, SeparatedDutyKey } from '../../src';

/**
 * What KMS refuses at deployment is refused at construction, with the construct path, the prop,
 * the value and what is allowed: a description over 8,192 characters, a key spec the installed
 * aws-cdk-lib does not know, an alias another key of the app already has in the same account
 * and Region.
 */
const ENV = { account: '111111111111', region: 'us-east-1' };
const newStack = (app = new App(), id = 'S', env = ENV) => new Stack(app, id, { env });

describe('description', () => {
  test('8,192 characters are accepted', () => {
    expect(() => new SeparatedDutyKey(newStack(), 'Key', { alias: 'k', description: 'x'.repeat(8192) })).not.toThrow();
  });
  test('8,193 characters are an error', () => {
    expect(() => new SeparatedDutyKey(newStack(), 'Key', { alias: 'k', description: 'x'.repeat(8193) }))
      .toThrow("SeparatedDutyKey at 'S/Key': `description` must be at most 8192 characters, got 8193");
  });
  test('on a multi-Region key set, before any key is created', () => {
    const app = new App();
    const primary = new Stack(app, 'P', { env: ENV, crossRegionReferences: true });
    const eu = new Stack(app, 'E', { env: { ...ENV, region: 'eu-west-1' }, crossRegionReferences: true });
    expect(() => new MultiRegionKeySet(primary, 'Set', { alias: 'k', replicaStacks: [eu], description: 'x'.repeat(9000) }))
      .toThrow("MultiRegionKeySet at 'P/Set': `description` must be at most 8192 characters, got 9000");
  });
});

describe('key spec', () => {
  test('a spec the installed aws-cdk-lib does not know is an error listing the ones it knows', () => {
    expect(() => new SeparatedDutyKey(newStack(), 'Key', { alias: 'k', keySpec: 'RSA_1024' as kms.KeySpec }))
      .toThrow(/SeparatedDutyKey at 'S\/Key': `keySpec` got 'RSA_1024', which aws-cdk-lib does not know; allowed: SYMMETRIC_DEFAULT, .*HMAC_256/);
  });
  test('a key usage it does not know is an error too', () => {
    expect(() => new SeparatedDutyKey(newStack(), 'Key', { alias: 'k', keyUsage: 'DECRYPT_ONLY' as kms.KeyUsage }))
      .toThrow(/`keyUsage` got 'DECRYPT_ONLY', which aws-cdk-lib does not know; allowed: .*ENCRYPT_DECRYPT/);
  });
  test('every spec of the installed aws-cdk-lib is accepted', () => {
    const stack = newStack();
    for (const spec of Object.values(kms.KeySpec)) {
      // ECC NIST curves have two usages and no default: name one.
      const keyUsage = spec.startsWith('ECC_NIST') ? kms.KeyUsage.SIGN_VERIFY : undefined;
      expect(() => new SeparatedDutyKey(stack, `Key${spec}`, { alias: `k-${spec}`, keySpec: spec, keyUsage })).not.toThrow();
    }
  });
});

describe('alias names in one account and Region', () => {
  test('two keys with the same alias in one stack are an error naming both', () => {
    const stack = newStack();
    new SeparatedDutyKey(stack, 'First', { alias: 'orders' });
    expect(() => new SeparatedDutyKey(stack, 'Second', { alias: 'alias/orders' }))
      .toThrow(/SeparatedDutyKey at 'S\/Second': `alias` is 'alias\/orders', which 'S\/First' already uses in account 111111111111, Region us-east-1/);
  });
  test('in two stacks of the same account and Region', () => {
    const app = new App();
    new SeparatedDutyKey(newStack(app, 'A'), 'First', { alias: 'orders' });
    expect(() => new SeparatedDutyKey(newStack(app, 'B'), 'Second', { alias: 'orders' })).toThrow(/'A\/First' already uses/);
  });
  test('through addAlias()', () => {
    const stack = newStack();
    new SeparatedDutyKey(stack, 'First', { alias: 'orders' });
    const second = new SeparatedDutyKey(stack, 'Second', { alias: 'orders-v2' });
    expect(() => second.addAlias('orders')).toThrow(/`addAlias\(\)` is 'alias\/orders', which 'S\/First' already uses/);
  });
  test('the same name in another Region or account is fine', () => {
    const app = new App();
    new SeparatedDutyKey(newStack(app, 'A'), 'First', { alias: 'orders' });
    expect(() => new SeparatedDutyKey(newStack(app, 'B', { ...ENV, region: 'eu-west-1' }), 'Second', { alias: 'orders' })).not.toThrow();
    expect(() => new SeparatedDutyKey(newStack(app, 'C', { ...ENV, account: '222222222222' }), 'Third', { alias: 'orders' })).not.toThrow();
  });
  test('a multi-Region key set uses its alias once per Region', () => {
    const app = new App();
    const primary = new Stack(app, 'P', { env: ENV, crossRegionReferences: true });
    const eu = new Stack(app, 'E', { env: { ...ENV, region: 'eu-west-1' }, crossRegionReferences: true });
    new MultiRegionKeySet(primary, 'Set', { alias: 'customers', replicaStacks: [eu], administrators: [new iam.ArnPrincipal('arn:aws:iam::111111111111:role/a')] });
    expect(() => new SeparatedDutyKey(eu, 'Other', { alias: 'customers' })).toThrow(/'E\/.*' already uses in account 111111111111, Region eu-west-1/);
  });
  test('keys that resource constructs create get aliases from their paths, which never collide', () => {
    const stack = newStack();
    expect(() => { new EncryptedBucket(stack, 'A', { dataEvents: false }); new EncryptedBucket(stack, 'B', { dataEvents: false }); }).not.toThrow();
  });
});
