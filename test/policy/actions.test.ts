import { readFileSync } from 'fs';
import { join } from 'path';
import {
  ADMINISTER_ACTIONS, canonicalAction, CRYPTOGRAPHIC_ACTIONS, expandActionPattern, infoOf, isCrossAccountAction,
  KEY_ACTIONS, KMS_ACTION_CATALOGUE, USE_ACTIONS,
} from '../../src/policy/actions';

/** The Service Authorization Reference's KMS actions, as the IAM data package (test-only) ships them. */
const kmsActions = JSON.parse(readFileSync(join(__dirname, '..', '..', 'node_modules', '@cloud-copilot', 'iam-data', 'data', 'actions', 'kms.json'), 'utf8'));
const reference = Object.values(kmsActions as Record<string, { name?: string; resourceTypes?: Array<{ name: string }> }>)
  .filter((a) => typeof a?.name === 'string')
  .map((a) => ({ name: a.name!, keyScoped: (a.resourceTypes ?? []).some((r) => r.name === 'key') }));

describe('the action catalogue', () => {
  test('classifies every KMS action of the Service Authorization Reference, and nothing else', () => {
    expect(reference.length).toBeGreaterThan(50);
    expect(Object.keys(KMS_ACTION_CATALOGUE).sort()).toEqual(reference.map((a) => a.name).sort());
  });

  test('an action is key-scoped exactly when the reference gives it the key resource type', () => {
    for (const { name, keyScoped } of reference) {
      expect([name, KMS_ACTION_CATALOGUE[name].class !== 'not-key-scoped']).toEqual([name, keyScoped]);
    }
  });

  test('knows the 2025-2026 additions', () => {
    expect(infoOf('kms:GetKeyLastUsage')?.class).toBe('read-admin');
    expect(infoOf('kms:SynchronizeMultiRegionKey')?.class).toBe('service-linked');
  });

  test('administration and use never share an action', () => {
    expect(ADMINISTER_ACTIONS.filter((a) => USE_ACTIONS.includes(a))).toEqual([]);
    expect(ADMINISTER_ACTIONS).toEqual(expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:ReplicateKey', 'kms:ImportKeyMaterial']));
    expect(USE_ACTIONS).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:CreateGrant', 'kms:DeriveSharedSecret']));
  });

  test('cross-account effect follows the KMS developer guide', () => {
    expect(CRYPTOGRAPHIC_ACTIONS.every(isCrossAccountAction)).toBe(true);
    expect(['kms:CreateGrant', 'kms:DescribeKey', 'kms:GetKeyRotationStatus', 'kms:GetPublicKey', 'kms:ListGrants', 'kms:RetireGrant', 'kms:RevokeGrant']
      .every(isCrossAccountAction)).toBe(true);
    expect(['kms:PutKeyPolicy', 'kms:GetKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:CreateAlias'].some(isCrossAccountAction)).toBe(false);
  });

  test('patterns match case-insensitively and only key actions', () => {
    expect(expandActionPattern('KMS:decrypt')).toEqual(['kms:Decrypt']);
    expect(expandActionPattern('kms:Re*')).toEqual(expect.arrayContaining(['kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:ReplicateKey', 'kms:RetireGrant', 'kms:RevokeGrant']));
    expect(expandActionPattern('kms:*')).toEqual(KEY_ACTIONS);
    expect(expandActionPattern('kms:CreateKey')).toEqual([]);
    expect(canonicalAction('kms:generatedatakey')).toBe('kms:GenerateDataKey');
    expect(canonicalAction('kms:Decrypts')).toBeUndefined();
  });
});
