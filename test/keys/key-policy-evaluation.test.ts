import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SeparatedDutyKey } from '../../src';
import { evaluateKeyAccess, KeyAccessDecision, resolveKey, roleArn } from '../helpers/iam-eval';

/**
 * Who can do what with a SeparatedDutyKey, answered by a real IAM evaluation engine on the
 * synthesized key policy, with each principal's own IAM policy allowing `kms:*` where noted: the
 * key policy alone must keep the roles apart, whatever IAM says.
 */
const A = 'Allowed';
const I = 'ImplicitlyDenied';
const X = 'ExplicitlyDenied';

const ALL_KMS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
const PARTNER_ROLE = 'arn:aws:iam::222222222222:role/partner-reader';
const STRANGER_ROLE = 'arn:aws:iam::222222222222:role/stranger';

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

interface Action {
  readonly action: string;
  readonly context?: Record<string, string>;
}
const actions: Record<string, Action> = {
  'Encrypt': { action: 'kms:Encrypt' },
  'Decrypt': { action: 'kms:Decrypt' },
  'GenerateDataKey': { action: 'kms:GenerateDataKey' },
  'ReEncryptFrom': { action: 'kms:ReEncryptFrom' },
  'CreateGrant for an AWS resource': { action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': 'true' } },
  'CreateGrant for anyone': { action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': 'false' } },
  'PutKeyPolicy': { action: 'kms:PutKeyPolicy' },
  'ScheduleKeyDeletion': { action: 'kms:ScheduleKeyDeletion' },
  'DisableKey': { action: 'kms:DisableKey' },
  'EnableKeyRotation': { action: 'kms:EnableKeyRotation' },
  'RotateKeyOnDemand': { action: 'kms:RotateKeyOnDemand' },
};

/**
 * The expected answer for each principal (whose IAM policy allows kms:*) and action. Columns
 * in the order of `actions`; the invariants of DESIGN.md read straight off it:
 * administrators never use (explicit Deny), users never administer (explicit Deny), the
 * account's IAM administrators administer but never use, other accounts get only what they
 * were granted, and nobody creates a grant that is not for an AWS resource (explicit Deny).
 */
const expected: Record<string, KeyAccessDecision[]> = {
  //        Enc Dec GDK ReE CGaws CGany Put Sched Dis Rot RotNow
  admin: [X, X, X, X, X, X, A, A, A, A, A],
  user: [A, A, A, A, A, X, X, X, X, X, X],
  later: [A, A, A, A, I, X, X, X, X, X, X],
  iamAdmin: [I, I, I, I, I, X, A, A, A, A, A],
  partner: [I, A, I, I, I, X, X, X, X, X, X],
  stranger: [I, I, I, I, I, X, I, I, I, I, I],
  root: [I, I, I, I, I, X, A, A, A, A, A],
};

const cases = Object.entries(expected).flatMap(([who, decisions]) =>
  Object.entries(actions).map(([actionName, action], i) => [principals[who].name, actionName, who, action, decisions[i]] as const));

describe('key policy evaluated by IAM (principal IAM policies allow kms:*)', () => {
  test('the matrix covers at least 30 principal × action cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  test.each(cases)('%s → %s', async (_name, _actionName, who, action, decision) => {
    const result = await evaluateKeyAccess({
      keyPolicy: key.keyPolicy,
      keyArn: key.keyArn,
      principalArn: principals[who].arn,
      action: action.action,
      context: action.context,
      identityPolicies: who === 'root' ? undefined : [ALL_KMS],
    });
    expect(result).toBe(decision);
  });

  test('a principal without any IAM policy is served by the key policy alone', async () => {
    const ask = (who: string, action: string) => evaluateKeyAccess({ keyPolicy: key.keyPolicy, keyArn: key.keyArn, principalArn: principals[who].arn, action });
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
