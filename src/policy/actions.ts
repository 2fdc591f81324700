/**
 * The one catalogue of AWS KMS actions: every action of the `kms` service prefix in the Service
 * Authorization Reference, each classified once. The builder, the rule pack and the evaluator
 * read their action lists from here.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
 */

/** What an action does to or with a key. */
export type ActionClass =
  /** changes the key, its policy, aliases, tags, state or life cycle */
  | 'mutating-admin'
  /** reads the key's configuration */
  | 'read-admin'
  /** uses the key material */
  | 'cryptographic'
  /** creates, lists, revokes or retires grants */
  | 'grant'
  /** key material import (origin EXTERNAL) */
  | 'import'
  /** multi-Region primary key operations */
  | 'multi-region'
  /** called only by the KMS service-linked role */
  | 'service-linked'
  /** not scoped to a key: a key policy cannot grant it */
  | 'not-key-scoped';

/** The key usages under which a cryptographic action works. */
export type KeyUsageName = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC' | 'KEY_AGREEMENT';

interface ActionInfo {
  readonly class: ActionClass;
  /** Effective when the key policy grants it to another account. */
  readonly crossAccount: boolean;
  /** For cryptographic actions: the key usages that support it. */
  readonly usages?: readonly KeyUsageName[];
}

const admin = (crossAccount = false): ActionInfo => ({ class: 'mutating-admin', crossAccount });
const read = (crossAccount = false): ActionInfo => ({ class: 'read-admin', crossAccount });
const crypto = (...usages: KeyUsageName[]): ActionInfo => ({ class: 'cryptographic', crossAccount: true, usages });
const none: ActionInfo = { class: 'not-key-scoped', crossAccount: false };

/**
 * Every KMS action, by its name without the prefix. Cross-account effect follows the KMS
 * developer guide ("Allowing users in other accounts to use a KMS key").
 */
export const KMS_ACTION_CATALOGUE: Readonly<Record<string, ActionInfo>> = {
  CreateAlias: admin(),
  DeleteAlias: admin(),
  UpdateAlias: admin(),
  EnableKey: admin(),
  DisableKey: admin(),
  EnableKeyRotation: admin(),
  DisableKeyRotation: admin(),
  RotateKeyOnDemand: admin(),
  PutKeyPolicy: admin(),
  TagResource: admin(),
  UntagResource: admin(),
  UpdateKeyDescription: admin(),
  ScheduleKeyDeletion: admin(),
  CancelKeyDeletion: admin(),

  DescribeKey: read(true),
  GetKeyPolicy: read(),
  GetKeyRotationStatus: read(true),
  GetKeyLastUsage: read(),
  GetPublicKey: read(true),
  ListKeyRotations: read(),
  ListKeyPolicies: read(),
  ListResourceTags: read(),

  Encrypt: crypto('ENCRYPT_DECRYPT'),
  Decrypt: crypto('ENCRYPT_DECRYPT'),
  ReEncryptFrom: crypto('ENCRYPT_DECRYPT'),
  ReEncryptTo: crypto('ENCRYPT_DECRYPT'),
  GenerateDataKey: crypto('ENCRYPT_DECRYPT'),
  GenerateDataKeyWithoutPlaintext: crypto('ENCRYPT_DECRYPT'),
  GenerateDataKeyPair: crypto('ENCRYPT_DECRYPT'),
  GenerateDataKeyPairWithoutPlaintext: crypto('ENCRYPT_DECRYPT'),
  Sign: crypto('SIGN_VERIFY'),
  Verify: crypto('SIGN_VERIFY'),
  GenerateMac: crypto('GENERATE_VERIFY_MAC'),
  VerifyMac: crypto('GENERATE_VERIFY_MAC'),
  DeriveSharedSecret: crypto('KEY_AGREEMENT'),

  CreateGrant: { class: 'grant', crossAccount: true },
  ListGrants: { class: 'grant', crossAccount: true },
  RevokeGrant: { class: 'grant', crossAccount: true },
  RetireGrant: { class: 'grant', crossAccount: true },

  GetParametersForImport: { class: 'import', crossAccount: false },
  ImportKeyMaterial: { class: 'import', crossAccount: false },
  DeleteImportedKeyMaterial: { class: 'import', crossAccount: false },

  ReplicateKey: { class: 'multi-region', crossAccount: false },
  UpdatePrimaryRegion: { class: 'multi-region', crossAccount: false },

  SynchronizeMultiRegionKey: { class: 'service-linked', crossAccount: false },

  ConnectCustomKeyStore: none,
  CreateCustomKeyStore: none,
  DeleteCustomKeyStore: none,
  DescribeCustomKeyStores: none,
  DisconnectCustomKeyStore: none,
  UpdateCustomKeyStore: none,
  CreateKey: none,
  GenerateRandom: none,
  ListAliases: none,
  ListKeys: none,
  ListRetirableGrants: none,
};

const NAMES = Object.keys(KMS_ACTION_CATALOGUE);
const ofClass = (...classes: ActionClass[]) => NAMES.filter((n) => classes.includes(KMS_ACTION_CATALOGUE[n].class)).map((n) => `kms:${n}`);

/** Every action a key policy can grant (`kms:` prefixed). */
export const KEY_ACTIONS: readonly string[] = NAMES.filter((n) => KMS_ACTION_CATALOGUE[n].class !== 'not-key-scoped').map((n) => `kms:${n}`);
/** Administrative actions that change the key, its policy, aliases, tags or life cycle. */
export const MUTATING_ADMIN_ACTIONS = ofClass('mutating-admin');
/**
 * The read-only actions administrators get: the key's configuration and its grants. GetPublicKey
 * is for users of asymmetric keys, GetKeyLastUsage for auditors who ask for it.
 */
export const READ_ADMIN_ACTIONS = [
  'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListKeyRotations',
  'kms:ListKeyPolicies', 'kms:ListResourceTags', 'kms:ListGrants',
];
/** Only for multi-Region primary keys. */
export const MULTI_REGION_ADMIN_ACTIONS = ofClass('multi-region');
/** Only for keys with imported key material. */
export const IMPORT_ADMIN_ACTIONS = ofClass('import');
/** Every action that uses key material, whatever the key usage. */
export const CRYPTOGRAPHIC_ACTIONS = ofClass('cryptographic');
/** Grant management that users get only for grants to AWS resources. */
export const GRANT_ACTIONS = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'];
export const RETIRE_GRANT = 'kms:RetireGrant';
export const REVOKE_GRANT = 'kms:RevokeGrant';
export const GET_PUBLIC_KEY = 'kms:GetPublicKey';
export const DESCRIBE_KEY = 'kms:DescribeKey';

/**
 * Administration in the sense of separation of duties: every action that changes the key, its
 * policy, its material or its Regions. A user must hold none of them.
 */
export const ADMINISTER_ACTIONS: readonly string[] = [
  ...ofClass('mutating-admin', 'multi-region'),
  // GetParametersForImport only prepares an import: it changes nothing.
  ...ofClass('import').filter((a) => a !== 'kms:GetParametersForImport'),
];
/**
 * Use in the sense of separation of duties: every cryptographic action, and CreateGrant, which
 * hands them on. An administrator must hold none of them.
 */
export const USE_ACTIONS: readonly string[] = [...CRYPTOGRAPHIC_ACTIONS, 'kms:CreateGrant'];

/** Whether a key policy can grant `action` to a principal of another account. */
export function isCrossAccountAction(action: string): boolean {
  return infoOf(action)?.crossAccount ?? false;
}

/** The catalogue entry of `kms:Name` (any case), `undefined` for anything else. */
export function infoOf(action: string): ActionInfo | undefined {
  const match = /^kms:(.+)$/i.exec(action);
  if (!match) return undefined;
  const name = NAMES_BY_LOWER.get(match[1].toLowerCase());
  return name ? KMS_ACTION_CATALOGUE[name] : undefined;
}

/** The canonical spelling of a KMS action (`KMS:decrypt` → `kms:Decrypt`), `undefined` when unknown. */
export function canonicalAction(action: string): string | undefined {
  const match = /^kms:(.+)$/i.exec(action);
  const name = match ? NAMES_BY_LOWER.get(match[1].toLowerCase()) : undefined;
  return name ? `kms:${name}` : undefined;
}

const NAMES_BY_LOWER = new Map(NAMES.map((n) => [n.toLowerCase(), n]));
const patternCache = new Map<string, RegExp>();

/** An IAM action pattern as a regular expression: case-insensitive, `*` any run, `?` one character. */
export function actionPatternRegExp(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    re = new RegExp(`^${body}$`, 'i');
    patternCache.set(pattern, re);
  }
  return re;
}

/** The key actions (`kms:` prefixed, canonical spelling) that an action pattern (`kms:Re*`, `kms:*`, `*`) matches. */
export function expandActionPattern(pattern: string): string[] {
  const re = actionPatternRegExp(pattern);
  return KEY_ACTIONS.filter((a) => re.test(a));
}
