import { readPolicy } from '../../src/policy/document';
import { forbiddenCells, InvariantId } from '../../src/policy/invariants';
import { renderString } from '../../src/template/render';

const OWN = '111111111111';
const ENV = { account: OWN, region: 'us-east-1' };
const host = { reference: () => undefined, importValue: () => undefined };
const scope = { uid: 0, account: OWN, region: 'us-east-1' };

function invariants(statements: object[]): InvariantId[] {
  const policy = readPolicy({ Version: '2012-10-17', Statement: statements }, (v) => renderString(host, scope, v));
  return [...new Set(forbiddenCells(policy, ENV).map((c) => c.invariant))].sort();
}

const star = (condition: object) => ({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: condition });

describe('Principal "*" scopings: which cells each one leaves open', () => {
  test.each<[string, object, InvariantId[]]>([
    // What kms:CallerAccount holds when a service principal calls is not documented: not assumed.
    ['the account (kms:CallerAccount)', { StringEquals: { 'kms:CallerAccount': OWN } }, ['account-use', 'service-confused-deputy']],
    ['an organization (aws:PrincipalOrgID)', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }, ['account-use']],
    ['an organization path', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-abc123/r-ab12/*'] } }, ['account-use']],
    ['any organization (o-*)', { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }, ['account-use', 'other-account-use']],
    ['a source account, which IAM principals never carry', { StringEquals: { 'aws:SourceAccount': OWN } }, []],
    ['nothing', {}, ['account-use', 'other-account-use', 'service-confused-deputy']],
  ])('%s', (_name, condition, expected) => {
    expect(invariants([star(condition)])).toEqual(expected);
  });

  test('the own account with PutKeyPolicy: every principal of the account administers', () => {
    expect(invariants([{ ...star({ StringEquals: { 'aws:PrincipalAccount': OWN } }), Action: 'kms:PutKeyPolicy' }])).toEqual(['account-admin']);
  });
});

describe('a separated policy has no forbidden cell, and each guard rail is needed', () => {
  const admin = `arn:aws:iam::${OWN}:role/admin`;
  const user = `arn:aws:iam::${OWN}:role/app`;
  const statements = {
    root: { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: ['kms:PutKeyPolicy', 'kms:DescribeKey', 'kms:ScheduleKeyDeletion'], Resource: '*' },
    admin: { Effect: 'Allow', Principal: { AWS: admin }, Action: ['kms:PutKeyPolicy', 'kms:DisableKey'], Resource: '*' },
    user: { Effect: 'Allow', Principal: { AWS: user }, Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*' },
    denyAdminUse: { Effect: 'Deny', Principal: { AWS: admin }, Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:CreateGrant', 'kms:Sign', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:GenerateMac', 'kms:VerifyMac', 'kms:Verify', 'kms:DeriveSharedSecret'], Resource: '*' },
    denyUserAdmin: { Effect: 'Deny', Principal: { AWS: user }, Action: ['kms:Create*', 'kms:Delete*', 'kms:Update*', 'kms:Enable*', 'kms:Disable*', 'kms:Put*', 'kms:Tag*', 'kms:Untag*', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand', 'kms:ReplicateKey', 'kms:ImportKeyMaterial'], Resource: '*' },
    denyGrants: { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:CreateGrant', Resource: '*', Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } } },
  };

  test('complete: nothing open', () => {
    expect(invariants(Object.values(statements))).toEqual([]);
  });

  test('without the Deny of administration to users: the user may administer through IAM', () => {
    const { denyUserAdmin: _, ...rest } = statements;
    expect(invariants(Object.values(rest))).toEqual(['user-admin-through-iam']);
  });

  test('with the administrator also a user: separation', () => {
    const { denyAdminUse: _, ...rest } = statements;
    expect(invariants([...Object.values(rest), { ...statements.user, Principal: { AWS: admin } }])).toEqual(['separation']);
  });
});
