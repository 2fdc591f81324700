import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SeparatedDutyKey, SeparatedDutyKeyProps } from '../../src';
import { controlStatus, runControlTower } from '../helpers/control-tower';
import { findingsByPack, noFindings, registerBuiltInPacks } from '../helpers/nag';

function keysApp(extra?: (stack: Stack) => void) {
  const app = new App();
  const stack = new Stack(app, 'Keys', { env: { account: '111111111111', region: 'us-east-1' } });
  const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
  const app1 = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  new SeparatedDutyKey(stack, 'Data', { alias: 'data', administrators: [admin], users: [app1] });
  new SeparatedDutyKey(stack, 'Mac', { alias: 'mac', keySpec: kms.KeySpec.HMAC_384, administrators: [admin], users: [app1] });
  new SeparatedDutyKey(stack, 'Signing', { alias: 'signing', keySpec: kms.KeySpec.RSA_4096, keyUsage: kms.KeyUsage.SIGN_VERIFY, administrators: [admin], users: [app1] });
  extra?.(stack);
  return { app, packs: registerBuiltInPacks(app) };
}

describe('six cdk-nag packs on symmetric, HMAC and signing keys', () => {
  test('zero findings, and synth succeeds with every pack registered (no acknowledgements exist in the library)', () => {
    const { app, packs } = keysApp();
    expect(findingsByPack(app, packs)).toEqual(noFindings(packs));
  });

  test('the gate is live: a plain kms.Key without rotation fails synth (AwsSolutions-KMS5)', () => {
    const { app } = keysApp(stack => new kms.Key(stack, 'Plain'));
    expect(() => app.synth()).toThrow(/AwsSolutions-KMS5/);
  });
});

describe('AWS Control Tower proactive controls for KMS', () => {
  // PASS: the control ran on the key and found nothing; SKIP: the control does not apply to that kind of key.
  test.each([
    ['symmetric', { alias: 'data' }, ['PASS', 'SKIP', 'PASS']],
    ['HMAC', { alias: 'mac', keySpec: kms.KeySpec.HMAC_256 }, ['SKIP', 'SKIP', 'PASS']],
    ['signing', { alias: 'signing', keySpec: kms.KeySpec.ECC_NIST_P384, keyUsage: kms.KeyUsage.SIGN_VERIFY }, ['SKIP', 'SKIP', 'PASS']],
    ['RSA encryption', { alias: 'rsa', keySpec: kms.KeySpec.RSA_3072, keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT }, ['SKIP', 'PASS', 'PASS']],
  ])('CT.KMS.PR.1-3 on a %s key', (_name, props, statuses) => {
    const app = new App();
    const stack = new Stack(app, 'Keys', { env: { account: '111111111111', region: 'us-east-1' } });
    const key = new SeparatedDutyKey(stack, 'Key', props as SeparatedDutyKeyProps);
    const report = runControlTower(stack, { services: ['KMS'] });
    expect(report.findings).toEqual([]);
    expect(['CT.KMS.PR.1', 'CT.KMS.PR.2', 'CT.KMS.PR.3'].map(c => controlStatus(report, c, key))).toEqual(statuses);
  });

  test('the controls are live: a plain kms.Key fails CT.KMS.PR.1 and CT.KMS.PR.3', () => {
    const app = new App();
    const stack = new Stack(app, 'Keys', { env: { account: '111111111111', region: 'us-east-1' } });
    new kms.Key(stack, 'Plain');
    const report = runControlTower(stack, { services: ['KMS'] });
    expect(report.findings.map(f => f.control).sort()).toEqual(['CT.KMS.PR.1', 'CT.KMS.PR.3']);
  });
});
