import { App, aws_kms as kms, CfnDeletionPolicy, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { designKeyPolicy } from './fixtures';
import { newStack, pathsFor } from './nag-test-util';
import { KmsGuardrailsChecks } from '../../src/nag';

const MRK_ARN = 'arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab';

describe('KMSG-KMS5: symmetric keys rotate', () => {
  test('an L2 key without rotation is reported', () => {
    const { app, stack } = newStack();
    new kms.Key(stack, 'Key', { policy: designKeyPolicy(stack) });
    expect(pathsFor(app, 'KMSG-KMS5')).toEqual(['Stack/Key/Resource']);
  });

  test.each([
    ['EnableKeyRotation false', { enableKeyRotation: false }],
    ['EnableKeyRotation absent, KeySpec SYMMETRIC_DEFAULT, Origin AWS_KMS', { keySpec: 'SYMMETRIC_DEFAULT', origin: 'AWS_KMS' }],
  ])('an L1 key with %s is reported', (_name, props) => {
    const { app, stack } = newStack();
    new kms.CfnKey(stack, 'Key', props);
    expect(pathsFor(app, 'KMSG-KMS5')).toEqual(['Stack/Key']);
  });

  test.each([
    ['L2 enableKeyRotation', (s: Stack) => new kms.Key(s, 'Key', { enableKeyRotation: true })],
    ['L1 EnableKeyRotation "true" (a string, as in a hand-written template)', (s: Stack) =>
      new kms.CfnKey(s, 'Key', {}).addPropertyOverride('EnableKeyRotation', 'true')],
  ])('%s is compliant', (_name, build) => {
    const { app, stack } = newStack();
    build(stack);
    expect(pathsFor(app, 'KMSG-KMS5')).toEqual([]);
  });

  test.each([
    ['asymmetric (RSA_2048, SIGN_VERIFY)', { keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' }],
    ['asymmetric (ECC_NIST_P256)', { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' }],
    ['HMAC', { keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' }],
    ['imported material (Origin EXTERNAL)', { origin: 'EXTERNAL' }],
    ['CloudHSM key store (Origin AWS_CLOUDHSM)', { origin: 'AWS_CLOUDHSM' }],
    ['external key store (Origin EXTERNAL_KEY_STORE)', { origin: 'EXTERNAL_KEY_STORE' }],
  ])('%s cannot rotate and is exempt', (_name, props) => {
    const { app, stack } = newStack();
    new kms.CfnKey(stack, 'Key', props);
    expect(pathsFor(app, 'KMSG-KMS5')).toEqual([]);
  });

  test('an L2 asymmetric key is exempt', () => {
    const { app, stack } = newStack();
    new kms.Key(stack, 'Key', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.SIGN_VERIFY });
    expect(pathsFor(app, 'KMSG-KMS5')).toEqual([]);
  });

  test('replica keys follow their primary and are not applicable', () => {
    const { app, stack } = newStack();
    new kms.CfnReplicaKey(stack, 'Replica', { primaryKeyArn: MRK_ARN, keyPolicy: designKeyPolicy(stack) });
    expect(pathsFor(app, 'KMSG-KMS5')).toEqual([]);
  });
});

describe('KMSG-KMS6: rotation period at most 365 days', () => {
  test('400 days is reported', () => {
    const { app, stack } = newStack();
    new kms.Key(stack, 'Key', { enableKeyRotation: true, rotationPeriod: Duration.days(400) });
    expect(pathsFor(app, 'KMSG-KMS6')).toEqual(['Stack/Key/Resource']);
  });

  test.each([['365 days', Duration.days(365)], ['90 days', Duration.days(90)], ['unset (365)', undefined]])('%s is compliant', (_name, rotationPeriod) => {
    const { app, stack } = newStack();
    new kms.Key(stack, 'Key', { enableKeyRotation: true, rotationPeriod });
    expect(pathsFor(app, 'KMSG-KMS6')).toEqual([]);
  });

  test('a key that does not rotate is KMS5\'s finding, not KMS6\'s', () => {
    const { app, stack } = newStack();
    new kms.CfnKey(stack, 'Key', { rotationPeriodInDays: 1000 });
    expect(pathsFor(app, 'KMSG-KMS6')).toEqual([]);
    expect(pathsFor(app, 'KMSG-KMS5')).toEqual(['Stack/Key']);
  });
});

describe('KMSG-KMS7: deletion window', () => {
  test('7 days is reported under the default minimum of 30', () => {
    const { app, stack } = newStack();
    new kms.Key(stack, 'Key', { pendingWindow: Duration.days(7) });
    expect(pathsFor(app, 'KMSG-KMS7')).toEqual(['Stack/Key/Resource']);
  });

  test('replica keys are checked', () => {
    const { app, stack } = newStack();
    new kms.CfnReplicaKey(stack, 'Replica', { primaryKeyArn: MRK_ARN, keyPolicy: designKeyPolicy(stack), pendingWindowInDays: 10 });
    expect(pathsFor(app, 'KMSG-KMS7')).toEqual(['Stack/Replica']);
  });

  test.each([['30 days', Duration.days(30)], ['unset (30)', undefined]])('%s is compliant', (_name, pendingWindow) => {
    const { app, stack } = newStack();
    new kms.Key(stack, 'Key', { pendingWindow });
    expect(pathsFor(app, 'KMSG-KMS7')).toEqual([]);
  });

  test('the minimum comes from the pack prop', () => {
    const { app, stack } = newStack();
    new kms.Key(stack, 'Week', { pendingWindow: Duration.days(7) });
    new kms.Key(stack, 'Fortnight', { pendingWindow: Duration.days(14) });
    expect(pathsFor(app, 'KMSG-KMS7', { minimumPendingWindow: Duration.days(10) })).toEqual(['Stack/Week/Resource']);
  });

  test.each([
    ['below 7 days', Duration.days(5)],
    ['above 30 days', Duration.days(31)],
    ['not whole days', Duration.hours(36)],
  ])('a minimumPendingWindow %s is rejected', (_name, minimumPendingWindow) => {
    expect(() => new KmsGuardrailsChecks(undefined, { minimumPendingWindow }))
      .toThrow(/`minimumPendingWindow` must be a whole number of days between 7 and 30, got/);
  });
});

describe('KMSG-KMS8: keys are retained', () => {
  test.each([
    ['RemovalPolicy.DESTROY', (key: kms.Key) => key.applyRemovalPolicy(RemovalPolicy.DESTROY)],
    ['Retain on delete only', (key: kms.Key) => {
      (key.node.defaultChild as kms.CfnKey).cfnOptions.updateReplacePolicy = CfnDeletionPolicy.DELETE;
    }],
  ])('%s is reported', (_name, apply) => {
    const { app, stack } = newStack();
    apply(new kms.Key(stack, 'Key'));
    expect(pathsFor(app, 'KMSG-KMS8')).toEqual(['Stack/Key/Resource']);
  });

  test('an L1 key and replica key without policies are reported (CloudFormation deletes by default)', () => {
    const { app, stack } = newStack();
    new kms.CfnKey(stack, 'Key', {});
    new kms.CfnReplicaKey(stack, 'Replica', { primaryKeyArn: MRK_ARN, keyPolicy: designKeyPolicy(stack) });
    expect(pathsFor(app, 'KMSG-KMS8')).toEqual(['Stack/Key', 'Stack/Replica']);
  });

  test.each([
    ['the kms.Key default (RETAIN)', (key: kms.Key) => key],
    ['RETAIN_ON_UPDATE_OR_DELETE (RetainExceptOnCreate)', (key: kms.Key) => key.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)],
  ])('%s is compliant', (_name, apply) => {
    const { app, stack } = newStack();
    apply(new kms.Key(stack, 'Key'));
    expect(pathsFor(app, 'KMSG-KMS8')).toEqual([]);
  });

  test('a DeletionPolicy chosen by Fn::If is reported as known only at deployment, not as "not retained"', () => {
    const { app, stack } = newStack();
    const key = new kms.CfnKey(stack, 'Key', {});
    key.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
    key.addOverride('DeletionPolicy', { 'Fn::If': ['IsProd', 'Retain', 'Delete'] });
    const report = new KmsGuardrailsChecks().validateScope(app);
    const kms8 = report.violations.find((v) => v.ruleName === 'KMSG-KMS8');
    expect(kms8?.violatingResources.map((r) => r.constructPath)).toEqual(['Stack/Key']);
    expect(kms8?.description).toMatch(/AWS::KMS::Key Key: the rule cannot decide: DeletionPolicy is only known at deployment \(\{"Fn::If":\["IsProd","Retain","Delete"\]\}\)/);
  });

  test('L1 cfnOptions Retain on both is compliant', () => {
    const { app, stack } = newStack();
    const key = new kms.CfnKey(stack, 'Key', {});
    key.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN;
    key.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
    expect(pathsFor(app, 'KMSG-KMS8')).toEqual([]);
  });
});

describe('KMSG-KMS9: keys have an alias in the app', () => {
  test('a key without an alias is reported, with an alias of another key around', () => {
    const { app, stack } = newStack();
    new kms.Key(stack, 'Bare');
    new kms.Key(stack, 'Named', { alias: 'alias/named' });
    new kms.CfnAlias(stack, 'Elsewhere', { aliasName: 'alias/elsewhere', targetKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' });
    expect(pathsFor(app, 'KMSG-KMS9')).toEqual(['Stack/Bare/Resource']);
  });

  test.each([
    ['kms.Key alias prop', (s: Stack) => new kms.Key(s, 'Key', { alias: 'alias/a' })],
    ['new kms.Alias', (s: Stack) => new kms.Alias(s, 'Alias', { aliasName: 'alias/a', targetKey: new kms.Key(s, 'Key') })],
    ['CfnAlias to GetAtt Arn', (s: Stack) => {
      const key = new kms.Key(s, 'Key');
      new kms.CfnAlias(s, 'Alias', { aliasName: 'alias/a', targetKeyId: key.keyArn });
    }],
    ['CfnAlias to the replica key', (s: Stack) => {
      const replica = new kms.CfnReplicaKey(s, 'Key', { primaryKeyArn: MRK_ARN, keyPolicy: designKeyPolicy(s) });
      new kms.CfnAlias(s, 'Alias', { aliasName: 'alias/a', targetKeyId: replica.ref });
    }],
  ])('%s is compliant', (_name, build) => {
    const { app, stack } = newStack();
    build(stack);
    expect(pathsFor(app, 'KMSG-KMS9')).toEqual([]);
  });

  test('an alias in another stack counts (followed through the export)', () => {
    const app = new App();
    const keys = new Stack(app, 'Keys');
    const key = new kms.Key(keys, 'Key');
    new kms.Alias(new Stack(app, 'Aliases'), 'Alias', { aliasName: 'alias/shared', targetKey: key });
    expect(pathsFor(app, 'KMSG-KMS9')).toEqual([]);
  });
});

describe('KMSG-KMS12: the lockout safety check is not bypassed', () => {
  test('BypassPolicyLockoutSafetyCheck true is reported', () => {
    const { app, stack } = newStack();
    new kms.CfnKey(stack, 'Key', { bypassPolicyLockoutSafetyCheck: true });
    (new kms.Key(stack, 'L2').node.defaultChild as kms.CfnKey).bypassPolicyLockoutSafetyCheck = true;
    expect(pathsFor(app, 'KMSG-KMS12')).toEqual(['Stack/Key', 'Stack/L2/Resource']);
  });

  test.each([['false', false], ['absent', undefined]])('%s is compliant', (_name, bypassPolicyLockoutSafetyCheck) => {
    const { app, stack } = newStack();
    new kms.CfnKey(stack, 'Key', { bypassPolicyLockoutSafetyCheck });
    expect(pathsFor(app, 'KMSG-KMS12')).toEqual([]);
  });
});
