/**
 * KMS action lists, explicit and checked against the KMS service authorization reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
 * and the key policy guide:
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 *
 * Only actions whose resource type is `key` belong in a key policy: `kms:ListAliases`,
 * `kms:ListKeys` and `kms:CreateKey` are not key-scoped, so a key policy cannot grant them.
 */

/** Administrative actions that change the key, its policy, aliases, tags or life cycle. */
export const MUTATING_ADMIN_ACTIONS = [
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:UpdateAlias',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:PutKeyPolicy',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateKeyDescription',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

/** Administrative actions that only read the key's configuration. */
export const READ_ADMIN_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListKeyRotations',
  'kms:ListKeyPolicies',
  'kms:ListResourceTags',
  'kms:ListGrants',
];

/** Revoking a grant is administration too: it can only take access away. */
export const REVOKE_GRANT = 'kms:RevokeGrant';

/** Only for multi-Region primary keys. ReplicateKey sets the replica's policy: it is audited. */
export const MULTI_REGION_ADMIN_ACTIONS = ['kms:ReplicateKey', 'kms:UpdatePrimaryRegion'];

/** Only for keys with imported key material (origin EXTERNAL). */
export const IMPORT_ADMIN_ACTIONS = ['kms:GetParametersForImport', 'kms:ImportKeyMaterial', 'kms:DeleteImportedKeyMaterial'];

/** Every action that uses key material, whatever the key usage, plus grant creation (a path to use). */
export const CRYPTOGRAPHIC_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:Sign',
  'kms:Verify',
  'kms:GenerateMac',
  'kms:VerifyMac',
  'kms:DeriveSharedSecret',
];

/** Grant management that users get only for grants to AWS resources. */
export const GRANT_ACTIONS = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'];

/** `kms:RetireGrant` is called by the grant's retiring principal, not authorized by the key policy alone. */
export const RETIRE_GRANT = 'kms:RetireGrant';

export const GET_PUBLIC_KEY = 'kms:GetPublicKey';
export const DESCRIBE_KEY = 'kms:DescribeKey';

/**
 * Actions that a key policy can grant to a principal in another account. Everything else
 * (policy, alias, tag, life-cycle actions) only works for principals of the key's own account.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
 */
export const CROSS_ACCOUNT_ACTIONS = new Set([
  ...CRYPTOGRAPHIC_ACTIONS,
  'kms:CreateGrant',
  'kms:DescribeKey',
  'kms:GetKeyRotationStatus',
  'kms:GetPublicKey',
  'kms:ListGrants',
  'kms:RetireGrant',
  'kms:RevokeGrant',
]);

/** Every key-scoped action we know, to expand wildcards such as `kms:GenerateDataKey*`. */
export const ALL_KEY_ACTIONS = [
  ...new Set([
    ...MUTATING_ADMIN_ACTIONS,
    ...READ_ADMIN_ACTIONS,
    REVOKE_GRANT,
    ...MULTI_REGION_ADMIN_ACTIONS,
    ...IMPORT_ADMIN_ACTIONS,
    ...CRYPTOGRAPHIC_ACTIONS,
    ...GRANT_ACTIONS,
    RETIRE_GRANT,
    GET_PUBLIC_KEY,
  ]),
];

/** The actions an IAM action pattern (`kms:Re*`, `kms:*`, `*`) matches, case-insensitively. */
export function expandActionPattern(pattern: string): string[] {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const re = new RegExp(`^${escaped}$`, 'i');
  return ALL_KEY_ACTIONS.filter(a => re.test(a));
}
