/**
 * A seeded, reproducible corpus of KMS key policies for the differential test of the policy
 * evaluator against the IAM evaluation engine (see differential.proof.ts).
 *
 * Policy `i` of seed `s` is generated from its own PRNG (`mulberry32(mix(s, i))`), so one policy
 * can be regenerated alone: `generatePolicy(SEED, i)`.
 *
 * About half of the corpus is "almost right": a correct separated key policy (account root with
 * the explicit administrative actions, an administrator role with a Deny of use, a user with the
 * cryptographic actions and a Deny of administration, a Deny of CreateGrant that is not for an AWS
 * resource, a service principal bound to the account) with exactly ONE mutation. The other half
 * are random statements over the same vocabulary.
 *
 * Two rules the generator keeps:
 *  - no policy variable inside an `Arn*` operator value: @cloud-copilot/iam-simulate 0.1.x does
 *    not substitute variables there (AWS does), so the engine would be wrong, not the evaluator
 *    (/work/shared/TOOLCHAIN.md). Variables appear only in `String*` operators.
 *  - no empty action list: KMS rejects it, the engine accepts it.
 */

export type Json = any;

/* eslint-disable no-bitwise -- a PRNG and a hash are bit arithmetic */

/** mulberry32: a small, fast, good-enough 32-bit PRNG. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a seed and an index into a new seed. */
export function mix(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/* eslint-enable no-bitwise */

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  public float(): number {
    return this.next();
  }
  public int(n: number): number {
    return Math.floor(this.next() * n);
  }
  public chance(p: number): boolean {
    return this.next() < p;
  }
  public pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  /** k distinct items (order random). */
  public sample<T>(items: readonly T[], k: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < k && copy.length > 0) out.push(copy.splice(this.int(copy.length), 1)[0]);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

export const OWN = '111111111111';
export const OTHER = '222222222222';
export const THIRD = '333333333333';

export const rootArn = (account: string) => `arn:aws:iam::${account}:root`;
export const roleArn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
export const userArn = (account: string, name: string) => `arn:aws:iam::${account}:user/${name}`;
export const sessionArn = (account: string, role: string, session: string) => `arn:aws:sts::${account}:assumed-role/${role}/${session}`;

const ADMIN_ROLE = roleArn(OWN, 'admin');
const APP_ROLE = roleArn(OWN, 'app');
const OPS_ROLE = roleArn(OWN, 'ops');
const PARTNER_ROLE = roleArn(OTHER, 'partner');
const ALICE = userArn(OWN, 'alice');
const BOB = userArn(OTHER, 'bob');
const APP_SESSION = sessionArn(OWN, 'app', 'worker');
const ADMIN_SESSION = sessionArn(OWN, 'admin', 'break-glass');
const PARTNER_SESSION = sessionArn(OTHER, 'partner', 'job');

export const SERVICES = ['sns.amazonaws.com', 'logs.us-east-1.amazonaws.com', 'cloudtrail.amazonaws.com'];

/** Identities a policy may name (never `someone-else`: the engine's stand-in for unnamed principals). */
const IDENTITIES = [ADMIN_ROLE, APP_ROLE, OPS_ROLE, PARTNER_ROLE, ALICE, BOB, APP_SESSION, ADMIN_SESSION, PARTNER_SESSION];

/** The explicit administrative actions of DESIGN.md. */
export const ADMIN_ACTIONS = [
  'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias', 'kms:DescribeKey', 'kms:EnableKey', 'kms:DisableKey',
  'kms:EnableKeyRotation', 'kms:DisableKeyRotation', 'kms:RotateKeyOnDemand', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy',
  'kms:GetKeyRotationStatus', 'kms:ListKeyRotations', 'kms:ListAliases', 'kms:ListGrants', 'kms:ListKeyPolicies',
  'kms:ListResourceTags', 'kms:RevokeGrant', 'kms:TagResource', 'kms:UntagResource', 'kms:UpdateKeyDescription',
  'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:ReplicateKey', 'kms:UpdatePrimaryRegion',
];
export const MUTATING_ADMIN = [
  'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias', 'kms:EnableKey', 'kms:DisableKey', 'kms:EnableKeyRotation',
  'kms:DisableKeyRotation', 'kms:RotateKeyOnDemand', 'kms:PutKeyPolicy', 'kms:TagResource', 'kms:UntagResource',
  'kms:UpdateKeyDescription', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:ReplicateKey', 'kms:UpdatePrimaryRegion',
];
export const CRYPTO_ACTIONS = [
  'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:Sign', 'kms:Verify', 'kms:GenerateMac', 'kms:VerifyMac',
];
const USER_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];
const GRANT_ACTIONS = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'];

/** Action spellings: exact names in various case, and wildcards. */
const ACTION_POOL = [
  'kms:Decrypt', 'KMS:decrypt', 'kms:DECRYPT', 'kms:encrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:generatedatakey',
  'kms:Sign', 'kms:CreateGrant', 'kms:createGrant', 'kms:PutKeyPolicy', 'kms:putkeypolicy', 'kms:DisableKey',
  'kms:ScheduleKeyDeletion', 'kms:DescribeKey', 'kms:ReplicateKey', 'kms:ListGrants', 'kms:RevokeGrant', 'kms:ReEncryptFrom',
  'kms:GenerateDataKeyWithoutPlaintext', 'kms:Verify', 'kms:EnableKey',
  'kms:*', '*', 'kms:Re*', 'kms:Generate*', 'kms:*Key*', 'kms:Describe*', 'kms:?ecrypt', 'kms:List*', 'kms:*Grant', 'kms:Put*',
  'kms:*crypt', 'kms:Disable*',
];
const WIDE_ACTIONS = ['kms:*', '*', 'kms:Re*', 'kms:Generate*', 'kms:*Key*', 'kms:*crypt', 'kms:?ecrypt', 'kms:Put*', 'kms:*Grant'];

type KeyType = 'account' | 'arn' | 'principal-arn' | 'org' | 'orgpaths' | 'via' | 'bool' | 'ptype' | 'ec' | 'number' | 'service' | 'region';

const CONDITION_KEYS: Array<{ key: string; type: KeyType }> = [
  { key: 'aws:PrincipalAccount', type: 'account' },
  { key: 'aws:SourceAccount', type: 'account' },
  { key: 'kms:CallerAccount', type: 'account' },
  { key: 'aws:PrincipalArn', type: 'principal-arn' },
  { key: 'aws:SourceArn', type: 'arn' },
  { key: 'aws:PrincipalOrgID', type: 'org' },
  { key: 'aws:PrincipalOrgPaths', type: 'orgpaths' },
  { key: 'kms:ViaService', type: 'via' },
  { key: 'kms:GrantIsForAWSResource', type: 'bool' },
  { key: 'aws:PrincipalIsAWSService', type: 'bool' },
  { key: 'aws:SecureTransport', type: 'bool' },
  { key: 'aws:PrincipalType', type: 'ptype' },
  { key: 'kms:EncryptionContext:aws:sns:topicArn', type: 'ec' },
  // An unrelated numeric key: absent from every KMS request here.
  { key: 'aws:MultiFactorAuthAge', type: 'number' },
  { key: 'aws:ResourceAccount', type: 'account' },
  { key: 'aws:PrincipalServiceName', type: 'service' },
  { key: 'aws:ViaAWSService', type: 'bool' },
  { key: 'aws:RequestedRegion', type: 'region' },
  // Condition keys are case-insensitive.
  { key: 'AWS:SourceAccount', type: 'account' },
  { key: 'kms:calleraccount', type: 'account' },
  { key: 'aws:principalarn', type: 'principal-arn' },
];

/** Values per key type. `vars` hold policy variables: used only with String* operators. */
const VALUES: Record<KeyType, { plain: string[]; vars: string[] }> = {
  'account': {
    plain: [OWN, OWN, OWN, OTHER, THIRD, '1*', '*', '2*', '4*', '?11111111111', '11111111111?', '1111*1111'],
    vars: ['${aws:PrincipalAccount}', '${aws:SourceAccount}', '${aws:ResourceAccount}'],
  },
  'principal-arn': {
    plain: [ADMIN_ROLE, APP_ROLE, OPS_ROLE, PARTNER_ROLE, ALICE, rootArn(OWN), rootArn(OTHER), 'arn:aws:iam::*:role/app',
      'arn:aws:iam::111111111111:role/*', 'arn:aws:iam::*:role/*', 'arn:aws:iam:*:role/app', 'arn:aws:iam::*:*', '*',
      'arn:aws:iam::222222222222:*', 'arn:aws:iam::1*:role/*', APP_SESSION, 'arn:aws:sts::111111111111:assumed-role/app/*'],
    vars: ['arn:aws:iam::${aws:PrincipalAccount}:role/*', '${aws:PrincipalArn}', 'arn:aws:iam::${aws:PrincipalAccount}:role/app',
      'arn:aws:iam::${aws:SourceAccount}:*', 'arn:aws:iam::111111111111:user/${aws:username}'],
  },
  'arn': {
    plain: ['arn:aws:sns:us-east-1:111111111111:t', 'arn:aws:sns:us-east-1:111111111111:*', 'arn:aws:sns:*:111111111111:*',
      'arn:aws:*:*:111111111111:*', 'arn:aws:sns:us-east-1:222222222222:*', '*', 'arn:aws:*:*:*:*', 'arn:aws:s3:::*',
      'arn:aws:logs:us-east-1:111111111111:log-group:*', 'arn:aws:cloudtrail:us-east-1:111111111111:trail/*',
      // CloudTrail's documented statement (any Region), and patterns that try to reach past the account.
      'arn:aws:cloudtrail:*:111111111111:trail/*', 'arn:aws:cloudtrail:*:*:trail/*', 'arn:aws:cloudtrail:*1111:trail/*'],
    vars: ['arn:aws:sns:us-east-1:${aws:SourceAccount}:*', 'arn:aws:*:*:${aws:PrincipalAccount}:*', 'arn:aws:sns:*:${aws:ResourceAccount}:*'],
  },
  'org': { plain: ['o-abc123', 'o-*', '*', 'o-abc12?'], vars: ['${aws:PrincipalOrgID}'] },
  'orgpaths': { plain: ['o-abc123/*', 'o-abc123/r-ab12/ou-ab12-11111111/*', '*'], vars: [] },
  'via': {
    plain: ['s3.us-east-1.amazonaws.com', 'S3.us-east-1.amazonaws.com', 's3.*.amazonaws.com', '*.us-east-1.amazonaws.com',
      'sqs.us-east-1.amazonaws.com', '*', 'dynamodb.us-east-1.amazonaws.com'],
    vars: [],
  },
  'bool': { plain: ['true', 'false', 'true', 'false', 'True'], vars: [] },
  'ptype': { plain: ['Account', 'AssumedRole', 'User', '*', 'FederatedUser'], vars: [] },
  'ec': {
    plain: ['arn:aws:sns:us-east-1:111111111111:t', 'arn:aws:sns:us-east-1:111111111111:*', 'arn:aws:sns:us-east-1:222222222222:*', '*'],
    vars: ['arn:aws:sns:us-east-1:${aws:SourceAccount}:t', 'arn:aws:sns:us-east-1:${aws:PrincipalAccount}:*'],
  },
  'number': { plain: ['3600', '0'], vars: [] },
  'service': { plain: ['sns.amazonaws.com', '*.amazonaws.com', 'logs.*.amazonaws.com', 'cloudtrail.amazonaws.com'], vars: [] },
  'region': { plain: ['us-east-1', 'eu-*', 'us-*'], vars: [] },
};

const STRING_OPS = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'];
const ARN_OPS = ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'];

/** Whether a condition operator substitutes policy variables in the engine (Arn* does not: engine gap). */
export const isArnOperator = (operator: string) => /^(ForAnyValue:|ForAllValues:)?Arn/i.test(operator);
const hasVariable = (value: string) => value.includes('${');

// ---------------------------------------------------------------------------------------------
// Random parts
// ---------------------------------------------------------------------------------------------

function randomPrincipal(rng: Rng): { field: 'Principal' | 'NotPrincipal'; value: Json } {
  const one = (): { type: 'AWS' | 'Service'; value: string } => {
    const r = rng.int(12);
    if (r === 0) return { type: 'AWS', value: '*' };
    if (r === 1) return { type: 'AWS', value: rng.pick([OWN, OTHER, THIRD]) };
    if (r <= 3) return { type: 'AWS', value: rootArn(rng.pick([OWN, OWN, OTHER, THIRD])) };
    if (r <= 9) return { type: 'AWS', value: rng.pick(IDENTITIES) };
    return { type: 'Service', value: rng.pick(SERVICES) };
  };
  const notPrincipal = rng.chance(0.08);
  if (!notPrincipal && rng.chance(0.15)) return { field: 'Principal', value: '*' };
  const count = rng.chance(0.25) ? 2 : 1;
  const value: Record<string, string | string[]> = {};
  for (let i = 0; i < count; i++) {
    const p = one();
    const existing = value[p.type];
    value[p.type] = existing === undefined ? p.value : [...new Set([...[existing].flat(), p.value])];
  }
  return { field: notPrincipal ? 'NotPrincipal' : 'Principal', value };
}

function randomActions(rng: Rng): { field: 'Action' | 'NotAction'; value: string | string[] } {
  const count = 1 + rng.int(3);
  const actions = rng.sample(ACTION_POOL, count);
  const field = rng.chance(0.1) ? 'NotAction' : 'Action';
  return { field, value: actions.length === 1 && rng.chance(0.5) ? actions[0] : actions };
}

/** One condition clause: operator, key and values, type-compatible; variables only in String* operators. */
export function randomClause(rng: Rng, keyChoice?: { key: string; type: KeyType }): { operator: string; key: string; values: string[] } {
  const { key, type } = keyChoice ?? rng.pick(CONDITION_KEYS);
  let base: string;
  switch (type) {
    case 'bool': base = rng.chance(0.85) ? 'Bool' : 'Null'; break;
    case 'number': base = rng.chance(0.8) ? 'NumericLessThan' : 'Null'; break;
    case 'arn': case 'principal-arn': base = rng.chance(0.1) ? 'Null' : rng.chance(0.5) ? rng.pick(ARN_OPS) : rng.pick(STRING_OPS); break;
    default: base = rng.chance(0.1) ? 'Null' : rng.pick(STRING_OPS);
  }
  if (base === 'Null') return { operator: 'Null', key, values: [rng.pick(['true', 'false'])] };
  let prefix = '';
  if (type === 'orgpaths') prefix = rng.chance(0.5) ? 'ForAnyValue:' : 'ForAllValues:';
  else if (base !== 'Bool' && base !== 'NumericLessThan' && rng.chance(0.12)) prefix = rng.pick(['ForAnyValue:', 'ForAllValues:']);
  const ifExists = rng.chance(0.15) ? 'IfExists' : '';
  const operator = `${prefix}${base}${ifExists}`;
  const pool = VALUES[type];
  const count = rng.chance(0.25) ? 2 : 1;
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    const useVar = !isArnOperator(operator) && base.startsWith('String') && pool.vars.length > 0 && rng.chance(0.2);
    values.push(useVar ? rng.pick(pool.vars) : rng.pick(pool.plain));
  }
  return { operator, key, values: [...new Set(values)] };
}

function addClause(statement: Json, clause: { operator: string; key: string; values: string[] }): void {
  statement.Condition ??= {};
  statement.Condition[clause.operator] ??= {};
  const block = statement.Condition[clause.operator];
  const existing = block[clause.key];
  const merged = existing === undefined ? clause.values : [...new Set([...[existing].flat(), ...clause.values])];
  block[clause.key] = merged.length === 1 ? merged[0] : merged;
}

function randomStatement(rng: Rng): Json {
  const principal = randomPrincipal(rng);
  const actions = randomActions(rng);
  const effect = principal.field === 'NotPrincipal' ? (rng.chance(0.8) ? 'Deny' : 'Allow') : rng.chance(0.7) ? 'Allow' : 'Deny';
  const statement: Json = { Effect: effect, [principal.field]: principal.value, [actions.field]: actions.value, Resource: '*' };
  const clauses = rng.chance(0.35) ? 0 : 1 + rng.int(rng.chance(0.3) ? 3 : 2);
  for (let i = 0; i < clauses; i++) addClause(statement, randomClause(rng));
  return statement;
}

// ---------------------------------------------------------------------------------------------
// "Almost right": a correct separated policy with one mutation
// ---------------------------------------------------------------------------------------------

function separatedPolicy(rng: Rng): Json[] {
  const statements: Json[] = [];
  const rootSpelling = rng.pick([rootArn(OWN), rootArn(OWN), OWN]);
  statements.push({ Sid: 'AccountAdministration', Effect: 'Allow', Principal: { AWS: rootSpelling }, Action: ADMIN_ACTIONS, Resource: '*' });
  const admin = rng.pick([ADMIN_ROLE, ADMIN_ROLE, ADMIN_SESSION, ALICE]);
  statements.push({ Sid: 'Administrators', Effect: 'Allow', Principal: { AWS: admin }, Action: ADMIN_ACTIONS.filter((a) => a !== 'kms:ListGrants' || rng.chance(0.5)), Resource: '*' });
  statements.push({ Sid: 'AdministratorsDenyUse', Effect: 'Deny', Principal: { AWS: admin }, Action: [...CRYPTO_ACTIONS, 'kms:CreateGrant'], Resource: '*' });
  const user = rng.pick([APP_ROLE, APP_ROLE, APP_SESSION, OPS_ROLE, PARTNER_ROLE, PARTNER_SESSION]);
  const users = rng.chance(0.2) ? [user, rng.pick([OPS_ROLE, BOB, APP_ROLE])].filter((u, i, a) => a.indexOf(u) === i) : [user];
  const userPrincipal = { AWS: users.length === 1 ? users[0] : users };
  statements.push({ Sid: 'Users', Effect: 'Allow', Principal: userPrincipal, Action: USER_ACTIONS, Resource: '*' });
  statements.push({
    Sid: 'UsersGrants',
    Effect: 'Allow',
    Principal: userPrincipal,
    Action: GRANT_ACTIONS,
    Resource: '*',
    Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
  });
  statements.push({ Sid: 'UsersDenyAdministration', Effect: 'Deny', Principal: userPrincipal, Action: MUTATING_ADMIN, Resource: '*' });
  if (rng.chance(0.8)) {
    statements.push({
      Sid: 'DenyGrantsNotForAwsResources',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
  }
  if (rng.chance(0.7)) {
    const service = rng.pick(SERVICES);
    const condition = rng.pick<Json>([
      { StringEquals: { 'aws:SourceAccount': OWN } },
      { ArnLike: { 'aws:SourceArn': `arn:aws:${service.split('.')[0]}:us-east-1:${OWN}:*` } },
      { StringEquals: { 'aws:SourceAccount': OWN }, ArnLike: { 'aws:SourceArn': `arn:aws:${service.split('.')[0]}:*:${OWN}:*` } },
      { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': `arn:aws:sns:us-east-1:${OWN}:t` } },
    ]);
    statements.push({ Sid: 'Service', Effect: 'Allow', Principal: { Service: service }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: condition });
  }
  if (rng.chance(0.25)) {
    // Use through an AWS service of the account, as the AWS managed keys do.
    statements.push({
      Sid: 'ViaService',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:CallerAccount': OWN } },
    });
  }
  if (rng.chance(0.2)) {
    statements.push({
      Sid: 'OrgRead',
      Effect: 'Allow',
      Principal: '*',
      Action: 'kms:DescribeKey',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
    });
  }
  return statements;
}

type Mutation = (rng: Rng, statements: Json[]) => string | undefined;

const conditionEntries = (statement: Json): Array<{ operator: string; key: string }> =>
  Object.entries(statement.Condition ?? {}).flatMap(([operator, block]) => Object.keys(block as object).map((key) => ({ operator, key })));

function withConditions(statements: Json[]): Json[] {
  return statements.filter((s) => conditionEntries(s).length > 0);
}

function moveClause(statement: Json, from: { operator: string; key: string }, operator: string, values?: string[]): void {
  const value = statement.Condition[from.operator][from.key];
  delete statement.Condition[from.operator][from.key];
  if (Object.keys(statement.Condition[from.operator]).length === 0) delete statement.Condition[from.operator];
  const list = values ?? [value].flat();
  // Keep the engine gap out: a variable never lands in an Arn* operator.
  const kept = isArnOperator(operator) ? list.filter((v: string) => !hasVariable(v)) : list;
  addClause(statement, { operator, key: from.key, values: kept.length > 0 ? kept : ['*'] });
}

const MUTATIONS: Array<[string, Mutation]> = [
  ['operator', (rng, statements) => {
    const candidates = withConditions(statements);
    if (candidates.length === 0) return undefined;
    const s = rng.pick(candidates);
    const c = rng.pick(conditionEntries(s));
    const bare = c.operator.replace(/^(ForAnyValue:|ForAllValues:)/, '').replace(/IfExists$/, '');
    const options: string[] = [];
    if (bare !== 'Null') options.push(`${c.operator.replace(/IfExists$/, '')}IfExists`);
    if (/^(String|Arn)/.test(bare)) {
      options.push(`ForAllValues:${bare}`, `ForAnyValue:${bare}`, `ForAllValues:${bare}IfExists`);
      options.push(bare.includes('Not') ? bare.replace('Not', '') : bare.replace(/^(String|Arn)/, '$1Not'));
      if (bare.startsWith('String')) options.push('StringLike', 'StringEqualsIgnoreCase', 'StringNotLike');
      if (bare.startsWith('String') && /arn$/i.test(c.key)) options.push('ArnLike');
      if (bare.startsWith('Arn')) options.push('StringLike', 'StringEquals', 'ArnEquals');
    }
    if (bare === 'Bool') options.push('BoolIfExists', 'Null');
    if (options.length === 0) return undefined;
    const operator = rng.pick(options);
    moveClause(s, c, operator, operator === 'Null' ? [rng.pick(['true', 'false'])] : undefined);
    return `operator ${c.operator} -> ${operator} (${c.key})`;
  }],
  ['value', (rng, statements) => {
    const candidates = withConditions(statements);
    if (candidates.length === 0) return undefined;
    const s = rng.pick(candidates);
    const c = rng.pick(conditionEntries(s));
    const keyType = CONDITION_KEYS.find((k) => k.key.toLowerCase() === c.key.toLowerCase())?.type ?? 'account';
    const pool = VALUES[keyType];
    const allowVars = !isArnOperator(c.operator) && /String/.test(c.operator);
    const replacements = [...pool.plain, ...(allowVars ? pool.vars : []), '*', ...(allowVars ? ['${aws:PrincipalAccount}'] : [])];
    let value = rng.pick(replacements);
    if (c.operator === 'Null' || /^Bool/.test(c.operator)) value = rng.pick(['true', 'false']);
    const current = [s.Condition[c.operator][c.key]].flat();
    const next = rng.chance(0.3) ? [...current, value] : [value];
    s.Condition[c.operator][c.key] = next.length === 1 ? next[0] : [...new Set(next)];
    return `value of ${c.operator} ${c.key} -> ${JSON.stringify(next)}`;
  }],
  ['drop-deny', (rng, statements) => {
    const denies = statements.map((s, i) => [s, i] as const).filter(([s]) => s.Effect === 'Deny');
    if (denies.length === 0) return undefined;
    const [s, i] = rng.pick(denies);
    statements.splice(i, 1);
    return `dropped Deny ${s.Sid ?? i}`;
  }],
  ['widen-principal', (rng, statements) => {
    const s = rng.pick(statements);
    const to = rng.pick<Json>(['*', { AWS: '*' }, { AWS: rootArn(OWN) }, { AWS: OWN }, { AWS: rootArn(OTHER) }, { AWS: OTHER },
      { AWS: [s.Principal?.AWS ?? APP_ROLE, rootArn(OTHER)].flat() }, { AWS: sessionArn(OWN, 'app', 'other') }]);
    delete s.NotPrincipal;
    s.Principal = to;
    return `principal of ${s.Sid ?? '?'} -> ${JSON.stringify(to)}`;
  }],
  ['widen-action', (rng, statements) => {
    const s = rng.pick(statements);
    const wide = rng.pick(WIDE_ACTIONS);
    const field = s.NotAction !== undefined ? 'NotAction' : 'Action';
    if (rng.chance(0.5)) s[field] = wide;
    else s[field] = [...new Set([...[s[field]].flat(), wide])];
    return `${field} of ${s.Sid ?? '?'} += ${wide}`;
  }],
  ['not-action', (rng, statements) => {
    const s = rng.pick(statements.filter((x) => x.Action !== undefined));
    if (!s) return undefined;
    s.NotAction = rng.chance(0.5) ? s.Action : rng.sample(ACTION_POOL, 1 + rng.int(2));
    delete s.Action;
    return `Action -> NotAction in ${s.Sid ?? '?'}`;
  }],
  ['narrow-deny', (rng, statements) => {
    const denies = statements.filter((s) => s.Effect === 'Deny' && Array.isArray(s.Action) && s.Action.length > 1);
    if (denies.length === 0) return undefined;
    const s = rng.pick(denies);
    s.Action = rng.sample(s.Action, Math.max(1, s.Action.length - 1 - rng.int(s.Action.length - 1)));
    return `narrowed Deny ${s.Sid ?? '?'}`;
  }],
  ['flip-effect', (rng, statements) => {
    const s = rng.pick(statements);
    s.Effect = s.Effect === 'Allow' ? 'Deny' : 'Allow';
    return `effect of ${s.Sid ?? '?'} flipped`;
  }],
  ['drop-condition', (rng, statements) => {
    const candidates = withConditions(statements);
    if (candidates.length === 0) return undefined;
    const s = rng.pick(candidates);
    const c = rng.pick(conditionEntries(s));
    delete s.Condition[c.operator][c.key];
    if (Object.keys(s.Condition[c.operator]).length === 0) delete s.Condition[c.operator];
    if (Object.keys(s.Condition).length === 0) delete s.Condition;
    return `dropped condition ${c.operator} ${c.key} of ${s.Sid ?? '?'}`;
  }],
  ['add-condition', (rng, statements) => {
    const s = rng.pick(statements);
    const clause = randomClause(rng);
    addClause(s, clause);
    return `added ${clause.operator} ${clause.key} ${JSON.stringify(clause.values)} to ${s.Sid ?? '?'}`;
  }],
  ['not-principal', (rng, statements) => {
    const s = rng.pick(statements.filter((x) => x.Principal !== undefined && x.Principal !== '*'));
    if (!s) return undefined;
    s.NotPrincipal = s.Principal;
    delete s.Principal;
    return `Principal -> NotPrincipal in ${s.Sid ?? '?'}`;
  }],
  ['action-case', (rng, statements) => {
    const s = rng.pick(statements);
    const field = s.NotAction !== undefined ? 'NotAction' : 'Action';
    const change = (a: string) => (rng.chance(0.5) ? a.toLowerCase() : a.toUpperCase().replace(/^KMS:/, rng.pick(['kms:', 'KMS:'])));
    s[field] = Array.isArray(s[field]) ? s[field].map(change) : change(s[field]);
    return `case of ${field} in ${s.Sid ?? '?'}`;
  }],
  ['extra-statement', (rng, statements) => {
    const s = randomStatement(rng);
    statements.splice(rng.int(statements.length + 1), 0, s);
    return 'extra random statement';
  }],
  ['principal-star-scoped', (rng, statements) => {
    // An account-scoped "everyone" statement, one of the shapes.
    const clause = randomClause(rng, rng.pick(CONDITION_KEYS.filter((k) => ['account', 'principal-arn', 'org', 'orgpaths', 'arn'].includes(k.type))));
    const s: Json = { Sid: 'Scoped', Effect: 'Allow', Principal: rng.pick<Json>(['*', { AWS: '*' }]), Action: rng.pick<Json>(['kms:Decrypt', ['kms:Decrypt', 'kms:GenerateDataKey*'], 'kms:PutKeyPolicy', 'kms:*']), Resource: '*' };
    addClause(s, clause);
    statements.push(s);
    return `Principal * scoped by ${clause.operator} ${clause.key} ${JSON.stringify(clause.values)}`;
  }],
];

export interface CorpusPolicy {
  readonly index: number;
  readonly kind: 'almost-right' | 'random';
  /** What was mutated (almost-right) or how many statements (random). */
  readonly note: string;
  readonly policy: Json;
}

/** Policy `index` of the corpus of `seed`. */
export function generatePolicy(seed: number, index: number): CorpusPolicy {
  const rng = new Rng(mix(seed, index));
  if (rng.chance(0.5)) {
    const statements = separatedPolicy(rng);
    let note: string | undefined;
    for (let attempt = 0; attempt < 10 && note === undefined; attempt++) {
      const [name, mutate] = rng.pick(MUTATIONS);
      const result = mutate(rng, statements);
      if (result !== undefined) note = `${name}: ${result}`;
    }
    return { index, kind: 'almost-right', note: note ?? 'unmutated', policy: { Version: '2012-10-17', Statement: statements } };
  }
  const count = 1 + rng.int(5);
  const statements: Json[] = [];
  for (let i = 0; i < count; i++) statements.push(randomStatement(rng));
  return { index, kind: 'random', note: `${count} random statements`, policy: { Version: '2012-10-17', Statement: statements } };
}
