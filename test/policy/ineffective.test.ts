import { readPolicy } from '../../src/policy/document';
import { ineffectiveParts } from '../../src/policy/ineffective';
import { evaluateKeyAccess } from '../helpers/iam-eval';

/**
 * What KMSG-KMS15 reports as a guard rail that fails open, asked of the IAM evaluation engine:
 * with an Allow of `kms:*` to the role, the Deny that was meant to stop `action` does not.
 */
const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b7e3c1a-5d2f-4e8a-9c6b-1f2e3d4c5b6a`;
const ALLOW = { Sid: 'Allow', Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:*', Resource: '*' };
const deny = (extra: object) => ({ Sid: 'Guard', Effect: 'Deny', Principal: { AWS: ROLE }, Resource: '*', ...extra });

const parts = (statements: object[]) => ineffectiveParts(readPolicy({ Statement: statements }, (v) => (typeof v === 'string' ? v : undefined))).parts;
const engine = (statements: object[], action: string, context: Record<string, string> = {}) =>
  evaluateKeyAccess({ keyPolicy: { Version: '2012-10-17', Statement: statements }, keyArn: KEY, principalArn: ROLE, action, context });

describe('a guard rail KMS15 reports fails open in the IAM evaluation engine', () => {
  test.each([
    // (A misspelled action cannot be asked: the test harness refuses actions the reference does not list.)
    ['kms:GrantIsForAWSResource on kms:Decrypt', 'kms:Decrypt', deny({ Action: 'kms:Decrypt', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'false' } } })],
    ['an encryption context on kms:DescribeKey', 'kms:DescribeKey', deny({ Action: ['kms:Decrypt', 'kms:DescribeKey'], Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'a' } } })],
  ])('%s: reported, and the engine allows %s', async (_name, action, guard) => {
    const statements = [ALLOW, guard];
    expect(parts(statements)).toHaveLength(1);
    expect(await engine(statements, action)).toBe('Allowed');
  });

  test('a sound guard rail: not reported, and the engine denies', async () => {
    const statements = [ALLOW, deny({ Action: 'kms:Decrypt', Condition: { StringNotEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })];
    expect(parts(statements)).toEqual([]);
    expect(await engine(statements, 'kms:Decrypt')).not.toBe('Allowed');
  });
});
