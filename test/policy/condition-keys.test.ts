import { readFileSync } from 'fs';
import { join } from 'path';
import { KMS_ACTION_CATALOGUE } from '../../src/policy/actions';
import { conditionKeyApplies, conditionKeyKind, conditionKeysOf, GLOBAL_CONDITION_KEYS, KEY_RESOURCE_CONDITION_KEYS } from '../../src/policy/condition-keys';

/** The Service Authorization Reference as the IAM data package (test-only) ships it. */
const data = join(__dirname, '..', '..', 'node_modules', '@cloud-copilot', 'iam-data', 'data');
const read = (path: string) => JSON.parse(readFileSync(join(data, path), 'utf8'));
type ReferenceAction = { name: string; conditionKeys?: string[]; resourceTypes?: Array<{ name: string; conditionKeys?: string[] }> };
const actions = Object.values(read('actions/kms.json') as Record<string, ReferenceAction>).filter((a) => typeof a?.name === 'string');
const resourceTypes = read('resourceTypes/kms.json') as Record<string, { conditionKeys?: string[] }>;
const serviceKeys = Object.values(read('conditionKeys/kms.json') as Record<string, { key: string }>).map((k) => k.key);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { globalConditionKeys } = require(join(data, '..', 'dist', 'cjs', 'globalConditionKeys.js')) as { globalConditionKeys: Array<{ key: string }> };

const sorted = (keys: Iterable<string>) => [...new Set([...keys].map((k) => k.toLowerCase()))].sort();

describe('the condition key catalogue', () => {
  test('gives every KMS action exactly the keys of the reference: its own and its resource types\'', () => {
    expect(actions.length).toBeGreaterThan(50);
    for (const action of actions) {
      const expected = [
        ...(action.conditionKeys ?? []),
        ...(action.resourceTypes ?? []).flatMap((r) => [...(r.conditionKeys ?? []), ...(resourceTypes[r.name]?.conditionKeys ?? [])]),
      ];
      expect([action.name, sorted(conditionKeysOf(action.name) ?? [])]).toEqual([action.name, sorted(expected)]);
    }
    expect(Object.keys(KMS_ACTION_CATALOGUE).every((name) => conditionKeysOf(name) !== undefined)).toBe(true);
  });

  test('the key resource type\'s keys are the reference\'s', () => {
    expect(sorted(KEY_RESOURCE_CONDITION_KEYS)).toEqual(sorted(resourceTypes.key.conditionKeys ?? []));
  });

  test('every KMS condition key of the reference is known, the deprecated key spec names included', () => {
    for (const key of serviceKeys) expect([key, conditionKeyKind(key.replace(/\$\{[^}]*\}/, 'x'))]).toEqual([key, 'per-action']);
    expect(conditionKeyApplies('kms:CustomerMasterKeySpec', 'kms:Decrypt')).toBe(true);
  });

  test('the global keys are the reference\'s', () => {
    const spelled = (key: string) => key.replace(/\/tag-key$/, '/${TagKey}');
    const tagKeys = ['aws:RequestTag/${TagKey}', 'aws:ResourceTag/${TagKey}', 'aws:TagKeys'];
    expect(sorted(GLOBAL_CONDITION_KEYS)).toEqual(sorted(globalConditionKeys.map((k) => spelled(k.key)).filter((k) => !tagKeys.includes(k))));
  });

  test.each([
    ['kms:EncryptionContext:aws:s3:arn', 'kms:Decrypt', true],
    ['kms:EncryptionContext:aws:s3:arn', 'kms:DescribeKey', false],
    ['kms:GrantIsForAWSResource', 'kms:CreateGrant', true],
    ['kms:GrantIsForAWSResource', 'kms:Decrypt', false],
    ['KMS:VIASERVICE', 'kms:Decrypt', true],
    ['kms:ViaService', 'kms:SynchronizeMultiRegionKey', false],
    ['aws:ResourceTag/team', 'kms:Decrypt', true],
    ['aws:RequestTag/team', 'kms:Decrypt', false],
    ['aws:RequestTag/team', 'kms:TagResource', true],
    ['aws:SourceArn', 'kms:Decrypt', true],
    ['aws:PrincipalTag/team', 'kms:PutKeyPolicy', true],
    ['kms:EncryptionContex:aws:s3:arn', 'kms:Decrypt', false],
    ['aws:SourceAcount', 'kms:Decrypt', false],
    ['s3:x-amz-server-side-encryption', 'kms:Decrypt', false],
  ])('%s on %s: %s', (key, action, applies) => {
    expect(conditionKeyApplies(key, action)).toBe(applies);
  });
});
