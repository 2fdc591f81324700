/**
 * Which condition keys a request to AWS KMS can carry, per action: the facts of the Service
 * Authorization Reference, grouped the way KMS uses them. A condition on a key that a request
 * never carries is decided by the key's absence alone, whatever the policy author meant: an
 * `IfExists` or negated operator always holds, a positive one never does.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html#awskeymanagementservice-policy-keys
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
import { KMS_ACTION_CATALOGUE } from './actions';

const range = (n: number): number[] => [...Array(n).keys()];

/** Every KMS request on a key or alias names the caller's account and, through a service, that service. */
const CALLER = ['kms:CallerAccount', 'kms:ViaService'];
/** Nitro Enclaves and NitroTPM attestation documents sent with the request. */
const ATTESTATION = [
  'kms:RecipientAttestation:ImageSha384',
  ...range(32).map((i) => `kms:RecipientAttestation:PCR${i}`),
  ...range(24).map((i) => `kms:RecipientAttestation:NitroTPMPCR${i}`),
];
/** The encryption context of a symmetric cryptographic operation or a grant's constraint. */
const CONTEXT = ['kms:EncryptionContext:${EncryptionContextKey}', 'kms:EncryptionContextKeys'];
/** Operations that name the key, possibly by an alias. */
const ALIAS_REQUEST = ['kms:RequestAlias'];
const SYMMETRIC = [...CALLER, 'kms:EncryptionAlgorithm', ...CONTEXT, ...ALIAS_REQUEST];
const SIGNING = [...CALLER, 'kms:MessageType', 'kms:SigningAlgorithm', ...ALIAS_REQUEST];
const MAC = [...CALLER, 'kms:MacAlgorithm', ...ALIAS_REQUEST];

/**
 * The key resource type's own condition keys: every request on a key carries them (tags,
 * aliases and the key's properties).
 */
export const KEY_RESOURCE_CONDITION_KEYS: readonly string[] = [
  'aws:ResourceTag/${TagKey}', 'kms:KeyOrigin', 'kms:KeySpec', 'kms:KeyUsage', 'kms:MultiRegion', 'kms:MultiRegionKeyType', 'kms:ResourceAliases',
];

/** The request's own condition keys, by action (the key resource type's keys come on top for key actions). */
const REQUEST_CONDITION_KEYS: Readonly<Record<string, readonly string[]>> = {
  CancelKeyDeletion: CALLER,
  ConnectCustomKeyStore: ['kms:CallerAccount'],
  CreateAlias: CALLER,
  CreateCustomKeyStore: ['kms:CallerAccount'],
  CreateGrant: [
    ...CALLER, ...CONTEXT, 'kms:GrantConstraintSourceArn', 'kms:GrantConstraintType', 'kms:GrantIsForAWSResource', 'kms:GrantOperations',
    'kms:GranteePrincipal', 'kms:GranteeServicePrincipal', 'kms:RetiringPrincipal', 'kms:RetiringServicePrincipal',
  ],
  CreateKey: [
    'aws:RequestTag/${TagKey}', 'aws:ResourceTag/${TagKey}', 'aws:TagKeys', 'kms:BypassPolicyLockoutSafetyCheck', ...CALLER,
    'kms:KeyOrigin', 'kms:KeySpec', 'kms:KeyUsage', 'kms:MultiRegion', 'kms:MultiRegionKeyType',
  ],
  Decrypt: [...SYMMETRIC, ...ATTESTATION],
  DeleteAlias: CALLER,
  DeleteCustomKeyStore: ['kms:CallerAccount'],
  DeleteImportedKeyMaterial: CALLER,
  DeriveSharedSecret: [...CALLER, 'kms:KeyAgreementAlgorithm', ...ALIAS_REQUEST, ...ATTESTATION],
  DescribeCustomKeyStores: ['kms:CallerAccount'],
  DescribeKey: [...CALLER, ...ALIAS_REQUEST],
  DisableKey: [...CALLER, 'kms:TrailingDaysWithoutKeyUsage'],
  DisableKeyRotation: CALLER,
  DisconnectCustomKeyStore: ['kms:CallerAccount'],
  EnableKey: CALLER,
  EnableKeyRotation: [...CALLER, 'kms:RotationPeriodInDays'],
  Encrypt: SYMMETRIC,
  GenerateDataKey: [...SYMMETRIC, ...ATTESTATION],
  GenerateDataKeyPair: [...SYMMETRIC, 'kms:DataKeyPairSpec', ...ATTESTATION],
  GenerateDataKeyPairWithoutPlaintext: [...SYMMETRIC, 'kms:DataKeyPairSpec'],
  GenerateDataKeyWithoutPlaintext: SYMMETRIC,
  GenerateMac: MAC,
  GenerateRandom: ATTESTATION,
  GetKeyLastUsage: CALLER,
  GetKeyPolicy: CALLER,
  GetKeyRotationStatus: CALLER,
  GetParametersForImport: [...CALLER, 'kms:WrappingAlgorithm', 'kms:WrappingKeySpec'],
  GetPublicKey: [...CALLER, ...ALIAS_REQUEST],
  ImportKeyMaterial: [...CALLER, 'kms:ExpirationModel', 'kms:ValidTo'],
  ListAliases: [],
  ListGrants: [...CALLER, 'kms:GrantIsForAWSResource'],
  ListKeyPolicies: CALLER,
  ListKeyRotations: CALLER,
  ListKeys: [],
  ListResourceTags: CALLER,
  ListRetirableGrants: [],
  PutKeyPolicy: [...CALLER, 'kms:BypassPolicyLockoutSafetyCheck'],
  ReEncryptFrom: [...SYMMETRIC, 'kms:ReEncryptOnSameKey'],
  ReEncryptTo: [...SYMMETRIC, 'kms:ReEncryptOnSameKey'],
  ReplicateKey: [...CALLER, 'kms:ReplicaRegion'],
  RetireGrant: [...CALLER, ...CONTEXT, 'kms:GrantConstraintType'],
  RevokeGrant: [...CALLER, 'kms:GrantIsForAWSResource'],
  RotateKeyOnDemand: CALLER,
  ScheduleKeyDeletion: [...CALLER, 'kms:ScheduleKeyDeletionPendingWindowInDays', 'kms:TrailingDaysWithoutKeyUsage'],
  Sign: SIGNING,
  // Called only by the KMS service-linked role: its requests carry no KMS condition key.
  SynchronizeMultiRegionKey: [],
  TagResource: ['aws:RequestTag/${TagKey}', 'aws:TagKeys', ...CALLER],
  UntagResource: ['aws:TagKeys', ...CALLER],
  UpdateAlias: CALLER,
  UpdateCustomKeyStore: ['kms:CallerAccount'],
  UpdateKeyDescription: CALLER,
  UpdatePrimaryRegion: [...CALLER, 'kms:PrimaryRegion'],
  Verify: SIGNING,
  VerifyMac: MAC,
};

/**
 * The deprecated names of kms:KeySpec and kms:KeyUsage: the reference still lists them among the
 * service's keys, no action names them any more, and KMS keeps honouring them where the new
 * names apply.
 */
const DEPRECATED_ALIASES: Readonly<Record<string, string>> = {
  'kms:customermasterkeyspec': 'kms:keyspec',
  'kms:customermasterkeyusage': 'kms:keyusage',
};

/**
 * The global condition keys (any service, any action) other than the tag keys, which each service
 * lists per action. A few of them carry another service's prefix: they describe the session.
 */
export const GLOBAL_CONDITION_KEYS: readonly string[] = [
  'aws:PrincipalArn', 'aws:PrincipalAccount', 'aws:PrincipalOrgPaths', 'aws:PrincipalOrgID', 'aws:PrincipalTag/${TagKey}',
  'aws:PrincipalIsAWSService', 'aws:PrincipalServiceName', 'aws:PrincipalServiceNamesList', 'aws:PrincipalType', 'aws:userid', 'aws:username',
  'aws:AssumedRoot', 'aws:FederatedProvider', 'aws:TokenIssueTime', 'aws:MultiFactorAuthAge', 'aws:MultiFactorAuthPresent', 'aws:ChatbotSourceArn',
  'aws:Ec2InstanceSourceVpc', 'aws:Ec2InstanceSourcePrivateIPv4', 'aws:SourceIdentity', 'ec2:RoleDelivery', 'ec2:SourceInstanceArn',
  'glue:RoleAssumedBy', 'glue:CredentialIssuingService', 'lambda:SourceFunctionArn', 'ssm:SourceInstanceArn', 'identitystore:UserId',
  'aws:SourceIp', 'aws:SourceVpc', 'aws:SourceVpcArn', 'aws:SourceVpce', 'aws:VpceAccount', 'aws:VpceOrgPaths', 'aws:VpceOrgID', 'aws:VpcSourceIp',
  'aws:ResourceAccount', 'aws:ResourceOrgID', 'aws:ResourceOrgPaths',
  'aws:CalledVia', 'aws:CalledViaFirst', 'aws:CalledViaLast', 'aws:CalledViaAWSMCP', 'aws:ViaAWSService', 'aws:ViaAWSMCPService',
  'aws:CurrentTime', 'aws:EpochTime', 'aws:referer', 'aws:RequestedRegion', 'aws:SecureTransport',
  'aws:SourceArn', 'aws:SourceAccount', 'aws:SourceOwner', 'aws:SourceOrgPaths', 'aws:SourceOrgID', 'aws:UserAgent', 'aws:IsMcpServiceAction',
];

/** The tag keys: global by name, but each service says which of its actions carry them. */
const TAG_KEYS = ['aws:RequestTag/${TagKey}', 'aws:ResourceTag/${TagKey}', 'aws:TagKeys'];

/** A catalogue key as a lower-case matcher: `${...}` stands for any non-empty text. */
function matcher(key: string): RegExp {
  const body = key.toLowerCase().split(/\$\{[^}]*\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.+');
  return new RegExp(`^${body}$`);
}

const KEY_SCOPED = new Set(Object.keys(KMS_ACTION_CATALOGUE).filter((n) => KMS_ACTION_CATALOGUE[n].class !== 'not-key-scoped'));
const BY_ACTION = new Map(Object.entries(REQUEST_CONDITION_KEYS).map(([name, keys]) => [
  name.toLowerCase(),
  [...keys, ...(KEY_SCOPED.has(name) ? KEY_RESOURCE_CONDITION_KEYS : [])].map(matcher),
]));
const KMS_KEYS = [...new Set(Object.values(REQUEST_CONDITION_KEYS).flat().concat(KEY_RESOURCE_CONDITION_KEYS))].filter((k) => k.startsWith('kms:')).map(matcher);
const GLOBAL = GLOBAL_CONDITION_KEYS.map(matcher);
const TAGS = TAG_KEYS.map(matcher);

/** The condition keys of an action (`Decrypt`), as the reference spells them; `undefined` for an unknown action. */
export function conditionKeysOf(action: string): readonly string[] | undefined {
  const name = Object.keys(REQUEST_CONDITION_KEYS).find((n) => n.toLowerCase() === action.replace(/^kms:/i, '').toLowerCase());
  if (!name) return undefined;
  return [...REQUEST_CONDITION_KEYS[name], ...(KEY_SCOPED.has(name) ? KEY_RESOURCE_CONDITION_KEYS : [])];
}

/**
 * What a condition key is to KMS:
 * - `global`: any request may carry it (aws: keys and the session keys), whatever the action;
 * - `per-action`: a KMS key or a tag key, carried only by the actions the reference lists;
 * - `unknown`: a misspelled KMS or global key, or another service's key: no KMS request carries it.
 */
export function conditionKeyKind(key: string): 'global' | 'per-action' | 'unknown' {
  const lower = DEPRECATED_ALIASES[key.toLowerCase()] ?? key.toLowerCase();
  if (TAGS.some((m) => m.test(lower))) return 'per-action';
  if (GLOBAL.some((m) => m.test(lower))) return 'global';
  if (KMS_KEYS.some((m) => m.test(lower))) return 'per-action';
  return 'unknown';
}

/** Whether a request for `action` (`kms:Decrypt`) can carry `key`; global keys always can. */
export function conditionKeyApplies(key: string, action: string): boolean {
  const kind = conditionKeyKind(key);
  if (kind !== 'per-action') return kind === 'global';
  const lower = DEPRECATED_ALIASES[key.toLowerCase()] ?? key.toLowerCase();
  return (BY_ACTION.get(action.replace(/^kms:/i, '').toLowerCase()) ?? []).some((m) => m.test(lower));
}
