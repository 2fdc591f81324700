import { readPolicy } from '../../src/policy/document';
import { unscopedKeyUse } from '../../src/policy/identity-use';
import { evaluateKeyAccess } from '../helpers/iam-eval';

/**
 * The identity-policy question of KMSG-IAM1 asked of the IAM evaluation engine: may a role whose
 * identity policy is `statements` use a key of its account that the policy does not name, when
 * the key policy lets IAM policies decide (the KMS default policy)? The engine is asked for every
 * use action, directly and through a service the policy does not name, with the key's tags and
 * the encryption context absent or holding values the policy does not spell.
 */
const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b7e3c1a-5d2f-4e8a-9c6b-1f2e3d4c5b6a`;
const DEFAULT_KEY_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
const USE = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:Sign', 'kms:GenerateMac', 'kms:CreateGrant'];
const CONTEXTS: Array<Record<string, string>> = [
  {},
  { 'kms:ViaService': 'unnamed.us-east-1.amazonaws.com' },
  { 'kms:EncryptionContext:tenant': 'unspelled', 'aws:ResourceTag/team': 'unspelled' },
  { 'kms:ViaService': 'unnamed.us-east-1.amazonaws.com', 'kms:EncryptionContext:tenant': 'unspelled', 'aws:ResourceTag/team': 'unspelled' },
];

async function engineAllowsSomeUse(statements: object[]): Promise<boolean> {
  for (const action of USE) {
    for (const context of CONTEXTS) {
      const grant: Record<string, string> = action === 'kms:CreateGrant' ? { 'kms:GrantIsForAWSResource': 'false' } : {};
      const decision = await evaluateKeyAccess({
        keyPolicy: DEFAULT_KEY_POLICY,
        keyArn: KEY,
        principalArn: ROLE,
        action,
        identityPolicies: [{ Version: '2012-10-17', Statement: statements }],
        context: { ...context, ...grant },
        ignoreInapplicableContext: true,
      });
      if (decision === 'Allowed') return true;
    }
  }
  return false;
}

const allow = (extra: object) => ({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', ...extra });
const cases: Array<[string, object[]]> = [
  ['kms:Decrypt on *', [allow({})]],
  ['kms:* on every key of the account', [allow({ Action: 'kms:*', Resource: `arn:aws:kms:*:${ACCOUNT}:key/*` })]],
  ['the key of another app by ARN', [allow({ Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555` })]],
  ['NotResource of another key', [{ Effect: 'Allow', Action: 'kms:Decrypt', NotResource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555` }]],
  ['NotAction', [{ Effect: 'Allow', NotAction: 'kms:Decrypt', Resource: '*' }]],
  ['kms:ViaService naming a service', [allow({ Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })]],
  ['kms:ViaService with IfExists', [allow({ Condition: { StringEqualsIfExists: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })]],
  ['a negated kms:ViaService', [allow({ Condition: { StringNotEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })]],
  ['kms:ViaService matching every service', [allow({ Condition: { StringLike: { 'kms:ViaService': '*' } } })]],
  ['a tag of the key', [allow({ Condition: { StringEquals: { 'aws:ResourceTag/team': 'orders' } } })]],
  ['any value of a tag of the key', [allow({ Condition: { StringLike: { 'aws:ResourceTag/team': '*' } } })]],
  ['an encryption context', [allow({ Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'a' } } })]],
  ['ForAllValues on the encryption context keys', [allow({ Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['tenant'] } } })]],
  ['CreateGrant for AWS resources only', [allow({ Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } })]],
  ['CreateGrant', [allow({ Action: 'kms:CreateGrant' })]],
  ['kms:DescribeKey only', [allow({ Action: 'kms:DescribeKey' })]],
  ['an Allow and a Deny of the same on *', [allow({ Action: 'kms:*' }), { Effect: 'Deny', Action: 'kms:*', Resource: '*' }]],
  ['an Allow and a Deny outside one key', [allow({}), { Effect: 'Deny', Action: 'kms:*', NotResource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555` }]],
];

describe('unscopedKeyUse agrees with the IAM evaluation engine', () => {
  test.each(cases)('%s', async (_name, statements) => {
    const model = readPolicy({ Statement: statements }, (v) => (typeof v === 'string' ? v.replace(/arn:aws:/g, 'arn:\u0000P.Partition\u0000:') : undefined));
    const ours = unscopedKeyUse(model);
    expect(ours?.decision === 'allowed').toBe(await engineAllowsSomeUse(statements));
    expect(ours?.decision).not.toBe('depends');
  });
});
