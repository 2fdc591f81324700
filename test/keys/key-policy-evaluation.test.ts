import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SeparatedDutyKey } from '../../src';
import { evaluateKeyAccess, resolveKey, roleArn } from '../helpers/iam-eval';
import { A, ALL_KMS, decide, I, matrixCases, PARTNER_ROLE, STRANGER_ROLE, X } from '../helpers/key-matrix';

/**
 * Who can do what with a SeparatedDutyKey, answered by a real IAM evaluation engine on the
 * synthesized key policy, with each principal's own IAM policy allowing `kms:*` where noted: the
 * key policy alone must keep the roles apart, whatever IAM says.
 */
function synthesize() {
  const app = new App();
  const stack = new Stack(app, 'Keys', { env: { account: '111111111111', region: 'us-east-1' } });
  const role = (id: string) => new iam.Role(stack, id, { assumedBy: new iam.AccountRootPrincipal() });
  const key = new SeparatedDutyKey(stack, 'Data', {
    alias: 'data',
    administrators: [role('KeyAdmin')],
    users: [role('KeyUser')],
  });
  role('IamAdmin');
  key.grantEncryptDecrypt(role('GrantedLater'));
  key.grantDecrypt(new iam.ArnPrincipal(PARTNER_ROLE));
  const template = Template.fromStack(stack).toJSON();
  const keyId = Object.keys(template.Resources).find(id => template.Resources[id].Type === 'AWS::KMS::Key')!;
  return { template, key: resolveKey(template, keyId) };
}

const { template, key } = synthesize();
const arn = (logicalPrefix: string) => roleArn(template, Object.keys(template.Resources).find(id => id.startsWith(logicalPrefix) && template.Resources[id].Type === 'AWS::IAM::Role')!);

interface Principal {
  readonly name: string;
  readonly arn: string;
}
const principals: Record<string, Principal> = {
  admin: { name: 'named administrator', arn: arn('KeyAdmin') },
  user: { name: 'named user', arn: arn('KeyUser') },
  later: { name: 'principal granted later', arn: arn('GrantedLater') },
  iamAdmin: { name: 'IAM administrator of the account', arn: arn('IamAdmin') },
  partner: { name: 'user in another account', arn: PARTNER_ROLE },
  stranger: { name: 'principal in another account, not named', arn: STRANGER_ROLE },
  root: { name: 'account root user', arn: 'arn:aws:iam::111111111111:root' },
};

const cases = matrixCases(Object.fromEntries(Object.entries(principals).map(([k, p]) => [k, p.name])));

describe('key policy evaluated by IAM (principal IAM policies allow kms:*)', () => {
  test('the matrix covers at least 30 principal × action cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  test.each(cases)('%s → %s', async (_name, _actionName, who, action, decision) => {
    expect(await decide(key, who, principals[who].arn, action)).toBe(decision);
  });

  test('a principal without any IAM policy is served by the key policy alone', async () => {
    const ask = (who: string, action: string) =>
      evaluateKeyAccess({ keyPolicy: key.keyPolicy, keyArn: key.keyArn, principalArn: principals[who].arn, action });
    expect(await ask('user', 'kms:Decrypt')).toBe(A);
    expect(await ask('admin', 'kms:PutKeyPolicy')).toBe(A);
    expect(await ask('iamAdmin', 'kms:PutKeyPolicy')).toBe(I);
    // Another account always needs its own IAM policy too.
    expect(await ask('partner', 'kms:Decrypt')).toBe(I);
  });
});

describe('use through a service', () => {
  const app = new App();
  const stack = new Stack(app, 'Via', { env: { account: '111111111111', region: 'us-east-1' } });
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
  const viaKey = new SeparatedDutyKey(stack, 'Data', { alias: 'data' });
  viaKey.grantViaService(reader, 's3', 'kms:Decrypt');
  const t = Template.fromStack(stack).toJSON();
  const resolved = resolveKey(t, Object.keys(t.Resources).find(id => t.Resources[id].Type === 'AWS::KMS::Key')!);
  const readerArn = roleArn(t, Object.keys(t.Resources).find(id => id.startsWith('Reader'))!);

  test.each([
    ['through S3 in the key Region, from the account', { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:CallerAccount': '111111111111' }, A],
    ['directly', {}, I],
    ['through another service', { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com', 'kms:CallerAccount': '111111111111' }, I],
    ['through S3 in another Region', { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:CallerAccount': '111111111111' }, I],
  ])('a role granted decryption via S3 decrypts %s: %s', async (_name, context, decision) => {
    expect(await evaluateKeyAccess({ keyPolicy: resolved.keyPolicy, keyArn: resolved.keyArn, principalArn: readerArn, action: 'kms:Decrypt', context })).toBe(decision);
  });

  test('and cannot administer the key, whatever its IAM policy', async () => {
    expect(await evaluateKeyAccess({ keyPolicy: resolved.keyPolicy, keyArn: resolved.keyArn, principalArn: readerArn, action: 'kms:PutKeyPolicy', identityPolicies: [ALL_KMS] })).toBe(X);
  });
});
