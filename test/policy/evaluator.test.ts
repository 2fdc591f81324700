import { readPolicy } from '../../src/policy/document';
import { ANOTHER_ACCOUNT, Decision, KeyPolicyEvaluator, RequestContext, Subject } from '../../src/policy/evaluator';
import { match } from '../../src/policy/match';
import { renderString } from '../../src/template/render';

const OWN = '111111111111';
const OTHER = '222222222222';
const ENV = { account: OWN, region: 'us-east-1' };
const scope = { uid: 0, account: OWN, region: 'us-east-1' };
const host = { reference: () => undefined, importValue: () => undefined };

const role = (name: string, account = OWN) => `arn:aws:iam::${account}:role/${name}`;
/** Rendered as the evaluator sees values (`arn:aws:` becomes the partition placeholder). */
const rendered = (value: string) => renderString(host, scope, value)!;

function decide(statements: object[], subject: Subject, action: string, context: RequestContext = {}): Decision {
  const model = readPolicy({ Version: '2012-10-17', Statement: statements }, (v) => renderString(host, scope, v));
  return new KeyPolicyEvaluator(model, ENV).evaluate(subject, action, context).decision;
}

const named = (arn: string, iam: 'none' | 'kms-all' | 'unknown' = 'none'): Subject =>
  ({ kind: 'named', arn: rendered(arn), account: /::(\d{12}):/.exec(arn)![1], iam });
const other = (account: string, iam: 'none' | 'kms-all'): Subject => ({ kind: 'other-iam', account, iam });
const star = (action: string, condition: object) => ({ Effect: 'Allow', Principal: '*', Action: action, Resource: '*', Condition: condition });

describe('conditions, decided as IAM decides them', () => {
  test.each<[string, object, Decision]>([
    ['StringEquals aws:PrincipalAccount own binds other accounts out', { StringEquals: { 'aws:PrincipalAccount': OWN } }, 'denied'],
    ['IfExists holds when the key is absent (aws:SourceAccount on a direct call)', { StringEqualsIfExists: { 'aws:SourceAccount': OWN } }, 'allowed'],
    ['a negated operator holds for every other value', { StringNotEquals: { 'aws:PrincipalAccount': OWN } }, 'allowed'],
    ['a wildcard value binds nothing', { StringLike: { 'aws:PrincipalAccount': '*' } }, 'allowed'],
    ['a wildcard that may span the account', { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam:*:role/ci-deployer' } }, 'depends'],
    ['ForAllValues holds when the key is absent', { 'ForAllValues:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc/*' } }, 'depends'],
    ['a prefix that some other accounts have', { 'ForAnyValue:StringLike': { 'aws:PrincipalAccount': ['1*', '2*'] } }, 'depends'],
    ['${aws:PrincipalAccount} is whoever asks', { StringEquals: { 'kms:CallerAccount': '${aws:PrincipalAccount}' } }, 'allowed'],
    ['Null false only needs the key to be present', { Null: { 'aws:PrincipalOrgID': 'false' } }, 'depends'],
  ])('Principal "*" + kms:Decrypt, %s, for a principal of another account with kms:*', (_name, condition, expected) => {
    expect(decide([star('kms:Decrypt', condition)], other(ANOTHER_ACCOUNT, 'kms-all'), 'kms:Decrypt')).toBe(expected);
  });

  test('a literal account is never the unnamed other account, but a named other account is itself', () => {
    const statement = star('kms:Decrypt', { StringEquals: { 'aws:PrincipalAccount': OTHER } });
    expect(decide([statement], other(ANOTHER_ACCOUNT, 'kms-all'), 'kms:Decrypt')).toBe('denied');
    expect(decide([statement], other(OTHER, 'kms-all'), 'kms:Decrypt')).toBe('allowed');
  });

  test('kms:ViaService and kms:CallerAccount: only through the named service, only from the account', () => {
    const viaS3 = { Effect: 'Allow', Principal: { AWS: role('app') }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:CallerAccount': OWN } } };
    expect(decide([viaS3], named(role('app')), 'kms:Decrypt', { via: 's3' })).toBe('allowed');
    expect(decide([viaS3], named(role('app')), 'kms:Decrypt')).toBe('denied');
    expect(decide([viaS3], named(role('app')), 'kms:Decrypt', { via: 'sqs' })).toBe('denied');
  });

  test('kms:GrantIsForAWSResource: a grant for an AWS resource, or not', () => {
    const grants = { Effect: 'Allow', Principal: { AWS: role('app') }, Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } };
    expect(decide([grants], named(role('app')), 'kms:CreateGrant', { grantForAwsResource: true })).toBe('allowed');
    expect(decide([grants], named(role('app')), 'kms:CreateGrant', { grantForAwsResource: false })).toBe('denied');
  });
});

describe('principals', () => {
  const rootAdmin = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: 'kms:*', Resource: '*' };

  test('the account root delegates to IAM: allowed with an IAM policy, not without, depends for a named role', () => {
    expect(decide([rootAdmin], other(OWN, 'kms-all'), 'kms:Decrypt')).toBe('allowed');
    expect(decide([rootAdmin], other(OWN, 'none'), 'kms:Decrypt')).toBe('denied');
    expect(decide([rootAdmin], named(role('app'), 'unknown'), 'kms:Decrypt')).toBe('depends');
    expect(decide([rootAdmin], { kind: 'root-user', account: OWN }, 'kms:Decrypt')).toBe('allowed');
  });

  test('a Deny subtracts what it certainly denies, and only that', () => {
    const admin = { Effect: 'Allow', Principal: { AWS: role('admin') }, Action: 'kms:*', Resource: '*' };
    const denyCrypto = { Effect: 'Deny', Principal: { AWS: role('admin') }, Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*' };
    expect(decide([admin, denyCrypto], named(role('admin')), 'kms:Decrypt')).toBe('denied');
    expect(decide([admin, denyCrypto], named(role('admin')), 'kms:PutKeyPolicy')).toBe('allowed');
    const conditionalDeny = { ...denyCrypto, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } };
    expect(decide([admin, conditionalDeny], named(role('admin')), 'kms:Decrypt')).toBe('depends');
  });

  test('a role session counts as its role; a statement for one session covers only some of the role', () => {
    const forRole = { Effect: 'Allow', Principal: { AWS: role('app') }, Action: 'kms:Decrypt', Resource: '*' };
    const forSession = { ...forRole, Principal: { AWS: `arn:aws:sts::${OWN}:assumed-role/app/worker` } };
    expect(decide([forRole], named(`arn:aws:sts::${OWN}:assumed-role/app/other`), 'kms:Decrypt')).toBe('allowed');
    expect(decide([forSession], named(role('app')), 'kms:Decrypt')).toBe('depends');
  });

  test('another account needs its own IAM policy, and only for the actions KMS accepts across accounts', () => {
    const partner = { Effect: 'Allow', Principal: { AWS: role('partner', OTHER) }, Action: ['kms:Decrypt', 'kms:PutKeyPolicy'], Resource: '*' };
    expect(decide([partner], named(role('partner', OTHER), 'none'), 'kms:Decrypt')).toBe('denied');
    expect(decide([partner], named(role('partner', OTHER), 'kms-all'), 'kms:Decrypt')).toBe('allowed');
    expect(decide([partner], named(role('partner', OTHER), 'kms-all'), 'kms:PutKeyPolicy')).toBe('denied');
  });

  test('NotPrincipal in an Allow addresses everyone it does not name', () => {
    const notAdmin = { Effect: 'Allow', NotPrincipal: { AWS: role('admin') }, Action: 'kms:Decrypt', Resource: '*' };
    expect(decide([notAdmin], other(ANOTHER_ACCOUNT, 'kms-all'), 'kms:Decrypt')).toBe('allowed');
    expect(decide([notAdmin], named(role('admin')), 'kms:Decrypt')).toBe('denied');
  });

  test('a service principal is bound only by a positive source condition', () => {
    const sns = (condition: object) => ({ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*', Condition: condition });
    const deputy: Subject = { kind: 'service', service: 'sns.amazonaws.com', forAccount: ANOTHER_ACCOUNT };
    expect(decide([sns({ Bool: { 'aws:SecureTransport': 'true' } })], deputy, 'kms:Decrypt')).toBe('allowed');
    expect(decide([sns({ StringEquals: { 'aws:SourceAccount': OWN } })], deputy, 'kms:Decrypt')).toBe('denied');
    expect(decide([sns({ StringEqualsIfExists: { 'aws:SourceAccount': OWN } })], deputy, 'kms:Decrypt')).toBe('depends');
  });

  test('a value known only at deployment is never a certain answer', () => {
    const unknown = { Effect: 'Allow', Principal: { AWS: { Ref: 'Param' } }, Action: 'kms:Decrypt', Resource: '*' };
    expect(decide([unknown], other(ANOTHER_ACCOUNT, 'kms-all'), 'kms:Decrypt')).toBe('depends');
    const unknownDeny = { Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalAccount': { Ref: 'Param' } } } };
    expect(decide([star('kms:Decrypt', {}), unknownDeny], other(ANOTHER_ACCOUNT, 'kms-all'), 'kms:Decrypt')).toBe('depends');
  });
});

describe('matching values that deployment fixes', () => {
  const plain = { wildcards: false, ignoreCase: false };
  const like = { wildcards: true, ignoreCase: false };
  test.each<[string, string, string, object, string]>([
    ['the same placeholder is the same value', 'arn:x:\u0000R1.Arn\u0000', 'arn:x:\u0000R1.Arn\u0000', plain, 'TRUE'],
    ['two resources of the app are two values', 'role/\u0000R1.Name\u0000', 'role/\u0000R2.Name\u0000', plain, 'FALSE'],
    ['a resource of the app may have a literal name', 'role/app', 'role/\u0000R1.Name\u0000', plain, 'MAYBE'],
    ['another account is no literal account', OWN, ANOTHER_ACCOUNT, plain, 'FALSE'],
    ['another account may start with 1', '1*', ANOTHER_ACCOUNT, like, 'MAYBE'],
    ['a star takes another account whole', 'arn:*', `arn:${ANOTHER_ACCOUNT}`, like, 'TRUE'],
    ['the key account of an env-agnostic stack may be any literal', OWN, '\u0000P.AccountId\u0000', plain, 'MAYBE'],
    ['the key account is not another account', '\u0000P.AccountId\u0000', ANOTHER_ACCOUNT, plain, 'FALSE'],
    ['text no literal spells is no literal', 'o-abc123', '\u0000F.org\u0000', plain, 'FALSE'],
    ['text no literal spells may match a pattern', 'o-*', '\u0000F.org\u0000', like, 'MAYBE'],
    ['text no literal spells may match a pattern with one wildcard character', 'o-abc12?', '\u0000F.org\u0000', like, 'MAYBE'],
  ])('%s', (_name, pattern, subject, options, expected) => {
    expect(match(pattern, subject, options as any)).toBe(expected);
  });
});
