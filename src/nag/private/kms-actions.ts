/**
 * Every action of the `kms` service prefix, from the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html).
 * Wildcards in a policy are expanded against this list, so an action missing here is one no
 * wildcard can be blamed for: keep it complete.
 */
export const KMS_ACTIONS: readonly string[] = [
  'CancelKeyDeletion', 'ConnectCustomKeyStore', 'CreateAlias', 'CreateCustomKeyStore', 'CreateGrant',
  'CreateKey', 'Decrypt', 'DeleteAlias', 'DeleteCustomKeyStore', 'DeleteImportedKeyMaterial',
  'DeriveSharedSecret', 'DescribeCustomKeyStores', 'DescribeKey', 'DisableKey', 'DisableKeyRotation',
  'DisconnectCustomKeyStore', 'EnableKey', 'EnableKeyRotation', 'Encrypt', 'GenerateDataKey',
  'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext',
  'GenerateMac', 'GenerateRandom', 'GetKeyLastUsage', 'GetKeyPolicy', 'GetKeyRotationStatus',
  'GetParametersForImport', 'GetPublicKey', 'ImportKeyMaterial', 'ListAliases', 'ListGrants',
  'ListKeyPolicies', 'ListKeyRotations', 'ListKeys', 'ListResourceTags', 'ListRetirableGrants',
  'PutKeyPolicy', 'ReEncryptFrom', 'ReEncryptTo', 'ReplicateKey', 'RetireGrant', 'RevokeGrant',
  'RotateKeyOnDemand', 'ScheduleKeyDeletion', 'Sign', 'SynchronizeMultiRegionKey', 'TagResource',
  'UntagResource', 'UpdateAlias', 'UpdateCustomKeyStore', 'UpdateKeyDescription', 'UpdatePrimaryRegion',
  'Verify', 'VerifyMac',
];

/**
 * The cryptographic operations on a key
 * (https://docs.aws.amazon.com/kms/latest/developerguide/kms-cryptography.html#cryptographic-operations).
 * GenerateRandom is left out: it uses no key, so a key policy cannot grant it.
 */
export const CRYPTOGRAPHIC_ACTIONS: ReadonlySet<string> = new Set([
  'Decrypt', 'DeriveSharedSecret', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac',
  'ReEncryptFrom', 'ReEncryptTo', 'Sign', 'Verify', 'VerifyMac',
]);

/**
 * What it takes to use a key: the cryptographic actions, and CreateGrant because a grant can hand
 * its creator any of them outside the key policy.
 */
export const USE_ACTIONS: ReadonlySet<string> = new Set([...CRYPTOGRAPHIC_ACTIONS, 'CreateGrant']);

/**
 * Administrative actions that change the key, its policy, aliases, tags or material. Read-only
 * actions (Describe, Get, List) are left out because users legitimately need some of them, and so
 * are RetireGrant and RevokeGrant, which can only take access away.
 */
export const ADMINISTRATIVE_ACTIONS: ReadonlySet<string> = new Set([
  'CancelKeyDeletion', 'CreateAlias', 'DeleteAlias', 'DeleteImportedKeyMaterial', 'DisableKey',
  'DisableKeyRotation', 'EnableKey', 'EnableKeyRotation', 'ImportKeyMaterial', 'PutKeyPolicy',
  'ReplicateKey', 'RotateKeyOnDemand', 'ScheduleKeyDeletion', 'SynchronizeMultiRegionKey',
  'TagResource', 'UntagResource', 'UpdateAlias', 'UpdateKeyDescription', 'UpdatePrimaryRegion',
]);

const patternCache = new Map<string, RegExp>();

/**
 * IAM action patterns are case-insensitive; `*` matches any run of characters and `?` one.
 */
function patternToRegExp(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    const body = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    re = new RegExp(`^${body}$`, 'i');
    patternCache.set(pattern, re);
  }
  return re;
}

/**
 * The KMS actions (bare names, e.g. `Decrypt`) that a statement's `Action` or `NotAction`
 * patterns grant. `NotAction` grants every KMS action its patterns do not match.
 */
export function expandKmsActions(patterns: readonly string[], notAction: boolean): Set<string> {
  const regexps = patterns.map(patternToRegExp);
  const granted = new Set<string>();
  for (const action of KMS_ACTIONS) {
    const matched = regexps.some((re) => re.test(`kms:${action}`));
    if (matched !== notAction) granted.add(action);
  }
  return granted;
}
