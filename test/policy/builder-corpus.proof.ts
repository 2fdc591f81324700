/**
 * The differential corpus through the builder (issue 9, *Proof*): every Allow statement of the
 * corpus of differential.proof.ts (same generator, same seed) is offered to `addToResourcePolicy`
 * of a fresh SeparatedDutyKey with a named administrator (role/admin) and a named user (role/app).
 * It is either rejected, with a message that names the construct path and the method and says
 * why, or accepted; an accepted statement must leave every forbidden cell below closed, as the IAM
 * evaluation engine (@cloud-copilot/iam-simulate, through test/helpers/iam-eval.ts) decides on the
 * key policy the key then renders. That is the soundness claim of the builder: a failure is a
 * builder bug.
 *
 * Strictness is allowed and measured: for a rejected statement the engine decides whether it was
 * harmless (the raw statement added to the policy the key had before opens no forbidden cell); the
 * count is printed and held under MAX_HARMLESS_REJECTED.
 *
 * The forbidden cells are concrete engine requests that must be ImplicitlyDenied or
 * ExplicitlyDenied ("kms:*": the principal has an IAM policy allowing kms:* on every resource).
 * The issue's list:
 *  (a) a role of another account (222222222222, 444455556666), kms:*: kms:Decrypt, direct and
 *      through S3 (kms:ViaService s3.us-east-1.amazonaws.com);
 *  (b) a role of the key's account that no statement names: without IAM policy kms:Decrypt and
 *      kms:PutKeyPolicy; with kms:* kms:Decrypt;
 *  (c) the account root user: kms:Decrypt;
 *  (d) the administrator (its role and a session of it), kms:*: kms:Decrypt, and kms:CreateGrant
 *      not for an AWS resource;
 *  (e) the user (its role and a session of it), kms:*: kms:PutKeyPolicy, kms:ScheduleKeyDeletion;
 *  (f) sns.amazonaws.com acting for a topic of another account (aws:SourceAccount 444455556666,
 *      aws:SourceArn of its topic): kms:Decrypt, kms:GenerateDataKey.
 * Beyond it, because the corpus reaches them and DESIGN.md (invariants 1-6) forbids them:
 *  (x) for the principals of (a)-(d), "use" is also kms:Encrypt, kms:GenerateDataKey(WithoutPlaintext),
 *      kms:ReEncryptFrom, kms:Sign, kms:Verify and a grant for an AWS resource, each direct, through
 *      S3, and (for (a) and (b)) from a member of an organization (another one for (a), o-abc123,
 *      the one the corpus binds to, for (b)); the unnamed role of (b) without IAM policy may not
 *      kms:DisableKey or kms:ScheduleKeyDeletion either; services acting for another account are
 *      also logs, cloudtrail and events (never named by the corpus), asking every use, and each
 *      service also calls without a source and, SNS, with the encryption context it sends;
 *  (g) each IAM role or user of the key's account that the statement names (in its principal or a
 *      condition value), other than the administrator and the user, with kms:*: it must not both
 *      use (kms:Decrypt or kms:GenerateDataKey) and administer (kms:PutKeyPolicy) the key, a role
 *      and its sessions counting as one principal.
 *
 * Offered statements:
 *  - the first STATEMENT_COUNT distinct Allow statements of the corpus (the corpus repeats the
 *    statements of its correct policies; repeats are counted, not offered again);
 *  - statements that aws-cdk-lib's `PolicyStatement.fromJson` itself rejects cannot be offered;
 *    they are skipped and counted (the action wildcard `kms:?ecrypt`, which CDK's action check refuses);
 *  - each statement whose principal has a value written as a string (`{"AWS": "arn:…"}`) is offered
 *    a second time with its principal values as lists (`{"AWS": ["arn:…"]}`), the same statement
 *    to IAM: `fromJson` keeps the value as written, and the builder reads such a string one
 *    character at a time ("cannot name 'a'"), so that most statements as written never reach its
 *    evaluator. Both spellings are held to the same soundness claim and counted apart.
 *
 * Speed (measured on 2 shared cores: ~75 s without coverage, ~110-150 s with it):
 *  - `Template.fromStack` costs ~1 s a stack with aws-cdk-lib's CloudFormation validator, so each
 *    key policy is rendered with `stack.resolve` of the CfnKey's `keyPolicy` and resolved with
 *    `resolveKey` on a one-resource template; the first FULL_TEMPLATE_CHECKS accepted statements
 *    are also rendered through `Template.fromStack` and must give the same policy;
 *  - the two pure lookups of the engine are memoized (engine-memo.ts), as in differential.proof.ts;
 *  - a request that the added statement cannot apply to (by action and principal) is answered from
 *    the policy before, which is exact (see `answerer`); every AUDIT_EVERY-th statement is decided
 *    by the engine as well, and the two must agree;
 *  - for a rejected statement only harmful or harmless is asked: the first open cell settles it,
 *    and the two spellings of a statement are decided once.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { generatePolicy, Json, OWN } from './differential-corpus';
import { SeparatedDutyKey } from '../../src/keys/separated-duty-key';
import { evaluateKeyAccess, KeyAccessDecision, resolveKey, ResolvedKey } from '../helpers/iam-eval';

jest.mock('@cloud-copilot/iam-utils', () =>
  jest.requireActual('./engine-memo').withMemoizedResourceTypes(jest.requireActual('@cloud-copilot/iam-utils')));
jest.mock('@cloud-copilot/iam-simulate', () =>
  jest.requireActual('./engine-memo').withMemoizedContextKeys(jest.requireActual('@cloud-copilot/iam-simulate')));

/** The seed of differential.proof.ts: the same corpus. */
const SEED = 20260;
/** Distinct Allow statements offered to the builder (the corpus repeats the statements of its correct policies). */
const STATEMENT_COUNT = 2000;
/** Every AUDIT_EVERY-th statement of the corpus is also decided without the exact shortcut of `answerer`, to check it. */
const AUDIT_EVERY = 80;
/** How many accepted statements are also rendered through `Template.fromStack`, to check the fast rendering. */
const FULL_TEMPLATE_CHECKS = 3;
/**
 * Harmless statements the builder rejects. Measured: see the summary line printed by the test.
 * A little above the measurement, so that the builder cannot silently grow stricter.
 */
const MAX_HARMLESS_REJECTED = 940;
/** The same, for the statements offered again with their principal values as lists. */
const MAX_HARMLESS_REJECTED_AS_LISTS = 740;
/** How many counterexamples a failure prints. */
const SHOW = 5;

const ADMIN_ROLE = `arn:aws:iam::${OWN}:role/admin`;
const USER_ROLE = `arn:aws:iam::${OWN}:role/app`;
const ADMIN_SESSION = `arn:aws:sts::${OWN}:assumed-role/admin/s`;
const USER_SESSION = `arn:aws:sts::${OWN}:assumed-role/app/s`;
/** A role name no statement of the corpus uses. */
const UNNAMED = 'someone-else';
const ALLOW_KMS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
const VIA_S3 = { 'kms:ViaService': 's3.us-east-1.amazonaws.com' };
const FOREIGN_TOPIC = 'arn:aws:sns:us-east-1:444455556666:t';

// ---------------------------------------------------------------------------------------------
// Forbidden cells
// ---------------------------------------------------------------------------------------------

/** One engine request that must be denied. */
interface Request {
  readonly principal: string;
  readonly kmsAll: boolean;
  readonly action: string;
  readonly context?: Record<string, string>;
}

/**
 * A forbidden cell: open when the engine allows some request of `any` (single requests), or, for
 * a separation cell, some request of `any` and some request of `andAny`.
 */
interface Cell {
  readonly group: string;
  readonly label: string;
  readonly any: readonly Request[];
  readonly andAny?: readonly Request[];
}

function single(group: string, principal: string, kmsAll: boolean, action: string, context?: Record<string, string>, note = ''): Cell {
  const label = `${principal}${kmsAll ? ' (IAM kms:*)' : ' (no IAM policy)'} ${action}${note}`;
  return { group, label, any: [{ principal, kmsAll, action, context }] };
}

/**
 * What "use" asks of an IAM principal: kms:Decrypt (the issue's cells) and (x) the other
 * cryptographic actions and a grant for an AWS resource, which hands use on to that resource.
 */
const USES: ReadonlyArray<[string, Record<string, string>?]> = [
  ['kms:Decrypt'], ['kms:Encrypt'], ['kms:GenerateDataKey'], ['kms:GenerateDataKeyWithoutPlaintext'], ['kms:ReEncryptFrom'],
  ['kms:Sign'], ['kms:Verify'], ['kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'true' }],
];
/** (x): a principal of an organization: the one the corpus binds to (o-abc123), or another one. */
const OWN_ORG = { 'aws:PrincipalOrgID': 'o-abc123', 'aws:PrincipalOrgPaths': 'o-abc123/r-ab12/ou-ab12-11111111/' };
const FOREIGN_ORG = { 'aws:PrincipalOrgID': 'o-zzz999', 'aws:PrincipalOrgPaths': 'o-zzz999/r-zz99/ou-zz99-22222222/' };
const IN_ORG = ' in an organization';

/** (f) and (x): services acting for a resource of another account (the corpus's three, and one it never names). */
const FOREIGN_SOURCES: ReadonlyArray<[string, string]> = [
  ['sns.amazonaws.com', FOREIGN_TOPIC],
  ['logs.us-east-1.amazonaws.com', 'arn:aws:logs:us-east-1:444455556666:log-group:g'],
  ['cloudtrail.amazonaws.com', 'arn:aws:cloudtrail:us-east-1:444455556666:trail/t'],
  ['events.amazonaws.com', 'arn:aws:events:us-east-1:444455556666:rule/r'],
];
const SERVICE_USES = ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:Sign', 'kms:CreateGrant'];

const FIXED_CELLS: readonly Cell[] = (() => {
  const cells: Cell[] = [];
  /** Every use in each request context; `brief` names the uses that are the issue's cells (the rest are (x)). */
  type Contexts = ReadonlyArray<[string, Record<string, string>]>;
  const uses = (group: string, principal: string, kmsAll: boolean, contexts: Contexts, brief: (action: string, note: string) => boolean) => {
    for (const [action, actionContext] of USES) {
      for (const [note, context] of contexts) {
        const merged = { ...actionContext, ...context };
        cells.push(single(brief(action, note) ? group : 'x', principal, kmsAll, action, Object.keys(merged).length > 0 ? merged : undefined, note));
      }
    }
  };
  const DIRECT: [string, Record<string, string>] = ['', {}];
  const THROUGH_S3: [string, Record<string, string>] = [' via s3', VIA_S3];
  for (const account of ['222222222222', '444455556666']) {
    uses('a', `arn:aws:iam::${account}:role/${UNNAMED}`, true, [DIRECT, THROUGH_S3, [IN_ORG, FOREIGN_ORG]],
      (action, note) => action === 'kms:Decrypt' && note !== IN_ORG);
  }
  const local = `arn:aws:iam::${OWN}:role/${UNNAMED}`;
  cells.push(single('b', local, false, 'kms:Decrypt'));
  cells.push(single('b', local, false, 'kms:PutKeyPolicy'));
  for (const action of ['kms:DisableKey', 'kms:ScheduleKeyDeletion']) cells.push(single('x', local, false, action));
  uses('b', local, true, [DIRECT, THROUGH_S3, [IN_ORG, OWN_ORG]], (action, note) => action === 'kms:Decrypt' && note === '');
  uses('c', `arn:aws:iam::${OWN}:root`, false, [DIRECT, THROUGH_S3], (action, note) => action === 'kms:Decrypt' && note === '');
  for (const admin of [ADMIN_ROLE, ADMIN_SESSION]) {
    cells.push(single('d', admin, true, 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'false' }, ' not for an AWS resource'));
    uses('d', admin, true, [DIRECT, THROUGH_S3], (action, note) => action === 'kms:Decrypt' && note === '');
  }
  for (const user of [USER_ROLE, USER_SESSION]) {
    cells.push(single('e', user, true, 'kms:PutKeyPolicy'));
    cells.push(single('e', user, true, 'kms:ScheduleKeyDeletion'));
  }
  for (const [service, sourceArn] of FOREIGN_SOURCES) {
    const source = { 'aws:SourceAccount': '444455556666', 'aws:SourceArn': sourceArn };
    const sns = service === 'sns.amazonaws.com';
    for (const action of SERVICE_USES) {
      const group = sns && (action === 'kms:Decrypt' || action === 'kms:GenerateDataKey') ? 'f' : 'x';
      cells.push({ group, label: `${service} for ${sourceArn} ${action}`, any: [{ principal: service, kmsAll: false, action, context: source }] });
    }
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
      // A service call that says nothing of whom it is for: only a binding condition keeps it out.
      cells.push({ group: 'x', label: `${service} without a source ${action}`, any: [{ principal: service, kmsAll: false, action }] });
      if (!sns) continue;
      cells.push({
        group: 'x',
        label: `${service} for ${sourceArn} ${action} (with the encryption context SNS sends)`,
        any: [{ principal: service, kmsAll: false, action, context: { ...source, 'kms:EncryptionContext:aws:sns:topicArn': sourceArn } }],
      });
    }
  }
  return cells;
})();

const IDENTITY = /^arn:aws:(?:iam::(\d{12}):(role|user)\/([A-Za-z0-9+=,.@_-]+)|sts::(\d{12}):assumed-role\/([A-Za-z0-9+=,.@_-]+)\/[A-Za-z0-9+=,.@_-]+)$/;

function strings(value: Json, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}

/** (g): one separation cell per role or user of the key's account that the statement names, other than the administrator and the user. */
function namedCells(statement: Json): Cell[] {
  const identities = new Set<string>();
  for (const s of strings(statement)) {
    const m = IDENTITY.exec(s);
    if (!m) continue;
    const account = m[1] ?? m[4];
    if (account !== OWN) continue;
    identities.add(m[2] === 'user' ? `arn:aws:iam::${OWN}:user/${m[3]}` : `arn:aws:iam::${OWN}:role/${m[3] ?? m[5]}`);
  }
  identities.delete(ADMIN_ROLE);
  identities.delete(USER_ROLE);
  return [...identities].sort().map((arn) => {
    const role = /:role\/(.+)$/.exec(arn)?.[1];
    const members = role === undefined ? [arn] : [arn, `arn:aws:sts::${OWN}:assumed-role/${role}/s`];
    return {
      group: 'g',
      label: `${arn} (and its sessions) with IAM kms:* both uses (kms:Decrypt/GenerateDataKey) and administers (kms:PutKeyPolicy)`,
      any: members.flatMap((principal) => ['kms:Decrypt', 'kms:GenerateDataKey'].map((action) => ({ principal, kmsAll: true, action }))),
      andAny: members.map((principal) => ({ principal, kmsAll: true, action: 'kms:PutKeyPolicy' })),
    };
  });
}

interface OpenCell {
  readonly cell: Cell;
  /** The engine's decision on each request of the cell. */
  readonly decisions: string[];
}

interface CellCheck {
  readonly open: OpenCell[];
  readonly errors: string[];
}

/** Requests the engine answered, and the time it took (for the summary). */
let engineRequests = 0;
let engineMs = 0;

/** The engine's decision on one request (or `error: …`). */
async function decide(keyArn: string, policy: Json, request: Request): Promise<KeyAccessDecision | string> {
  engineRequests++;
  const t0 = Date.now();
  try {
    return await evaluateKeyAccess({
      keyPolicy: policy,
      keyArn,
      principalArn: request.principal,
      action: request.action,
      identityPolicies: request.principal.endsWith(':root') || request.principal.endsWith('.amazonaws.com')
        ? undefined : request.kmsAll ? [ALLOW_KMS] : [],
      context: request.context,
      ignoreInapplicableContext: true,
    });
  } catch (e) {
    return `error: ${(e as Error).message}`;
  } finally {
    engineMs += Date.now() - t0;
  }
}

/**
 * The open cells of a key policy (with `stopAtFirst`, the first one only). `decideOne` answers a
 * request (the engine, or an exact shortcut, see `answerer`).
 */
async function openCells(cells: readonly Cell[], decideOne: (r: Request) => Promise<string>, stopAtFirst = false): Promise<CellCheck> {
  const open: OpenCell[] = [];
  const errors: string[] = [];
  for (const cell of cells) {
    const decisions: string[] = [];
    const anyAllowed = async (list: readonly Request[]) => {
      let allowed = false;
      for (const r of list) {
        const d = await decideOne(r);
        decisions.push(`${r.principal}${r.kmsAll ? ' +IAM kms:*' : ''} ${r.action}${r.context ? ` ${JSON.stringify(r.context)}` : ''}: ${d}`);
        if (d.startsWith('error')) errors.push(`${cell.label}: ${d}`);
        if (d === 'Allowed') allowed = true;
      }
      return allowed;
    };
    const isOpen = await anyAllowed(cell.any) && (cell.andAny === undefined || await anyAllowed(cell.andAny));
    if (isOpen) open.push({ cell, decisions });
    if (isOpen && stopAtFirst) break;
  }
  return { open, errors };
}

/** Whether an action pattern of a policy (wildcards, any case) matches an action. */
function actionMatches(pattern: string, action: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(action);
}

// ---------------------------------------------------------------------------------------------
// The builder
// ---------------------------------------------------------------------------------------------

function newKey(): { stack: Stack; key: SeparatedDutyKey } {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: OWN, region: 'us-east-1' } });
  const key = new SeparatedDutyKey(stack, 'Key', {
    alias: 'k',
    administrators: [iam.Role.fromRoleArn(stack, 'Admin', ADMIN_ROLE, { mutable: false })],
    users: [iam.Role.fromRoleArn(stack, 'User', USER_ROLE, { mutable: false })],
  });
  return { stack, key };
}

/** The key policy as the engine sees it, rendered without synthesizing the whole stack. */
function renderKey(stack: Stack, key: SeparatedDutyKey): ResolvedKey {
  const logicalId = stack.getLogicalId(key.cfnKey);
  const keyPolicy = stack.resolve(key.cfnKey.keyPolicy);
  return resolveKey({ Resources: { [logicalId]: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: keyPolicy } } } }, logicalId);
}

/** The same, from the full synthesized template. */
function renderKeyFromTemplate(stack: Stack, key: SeparatedDutyKey): ResolvedKey {
  return resolveKey(Template.fromStack(stack).toJSON(), stack.getLogicalId(key.cfnKey));
}

const withoutSid = (statement: Json): Json => {
  const { Sid: _sid, ...rest } = statement;
  return rest;
};

/**
 * The statement with every principal value as a list (`{"AWS": ["arn:…"]}`): the same policy for
 * IAM. `PolicyStatement.fromJson` keeps a principal value as written, and the builder reads a
 * string value one character at a time (it expects lists, as aws-cdk-lib's own principals give),
 * so it rejects most statements as written before its evaluator is asked; the twin reaches it.
 */
function listSpelled(statement: Json): Json | undefined {
  const field = statement.Principal !== undefined ? 'Principal' : 'NotPrincipal';
  const value = statement[field];
  if (!value || typeof value !== 'object' || Object.values(value).every(Array.isArray)) return undefined;
  return { ...statement, [field]: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, [v].flat()])) };
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

type Spelling = 'as written' | 'principals as lists';

interface Offered {
  readonly policyIndex: number;
  readonly spelling: Spelling;
  readonly statement: Json;
  readonly outcome: 'accepted' | 'rejected';
  readonly message?: string;
  /** Cells open on the key's policy (accepted) or on the policy before plus the raw statement (rejected). */
  readonly check: CellCheck;
  /** Rejected: whether the key's policy after the rejection is the policy before. */
  readonly unchanged?: boolean;
}

interface Skipped {
  readonly statement: Json;
  readonly reason: string;
}

const offered: Offered[] = [];
const skipped: Skipped[] = [];
let duplicates = 0;
let policiesRead = 0;
let seconds = 0;
let base: ResolvedKey;
let baseCheck: CellCheck;
const renderingMismatches: string[] = [];

/** The first STATEMENT_COUNT distinct Allow statements of the corpus that CDK can express. */
function corpusStatements(): Array<{ policyIndex: number; statement: Json }> {
  const out: Array<{ policyIndex: number; statement: Json }> = [];
  const seen = new Set<string>();
  for (let i = 0; out.length < STATEMENT_COUNT; i++) {
    policiesRead = i + 1;
    for (const s of generatePolicy(SEED, i).policy.Statement as Json[]) {
      if (s.Effect !== 'Allow' || out.length >= STATEMENT_COUNT) continue;
      const statement = s.Resource === undefined && s.NotResource === undefined ? { ...s, Resource: '*' } : s;
      const key = JSON.stringify(withoutSid(statement));
      if (seen.has(key)) {
        duplicates++;
        continue;
      }
      seen.add(key);
      try {
        iam.PolicyStatement.fromJson(statement);
      } catch (e) {
        skipped.push({ statement, reason: (e as Error).message.split('.')[0] });
        continue;
      }
      out.push({ policyIndex: i, statement });
    }
  }
  return out;
}

/** The engine's answers on the policy before, by request. */
const baseDecisions = new Map<string, Promise<string>>();
const requestKeys = new WeakMap<Request, string>();
function onBase(r: Request): Promise<string> {
  let k = requestKeys.get(r);
  if (k === undefined) {
    k = JSON.stringify(r);
    requestKeys.set(r, k);
  }
  let d = baseDecisions.get(k);
  if (d === undefined) {
    d = decide(base.keyArn, base.keyPolicy, r);
    baseDecisions.set(k, d);
  }
  return d;
}

/** Whether a statement's `Action` or `NotAction` can match `action`. */
function coversAction(statement: Json, action: string): boolean {
  if (statement.Action !== undefined) return [statement.Action].flat().some((a: string) => actionMatches(a, action));
  return ![statement.NotAction].flat().some((a: string) => actionMatches(a, action));
}

const accountOf = (arn: string) => /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];

/**
 * Whether one principal value of a statement can match the request's principal: `false` only when
 * it certainly cannot (an over-approximation: wildcards, unknown forms and case differences count
 * as a match).
 */
function principalMayMatch(type: string, value: Json, principal: string): boolean {
  if (typeof value !== 'string' || /[*?]/.test(value)) return true;
  const isService = principal.endsWith('.amazonaws.com');
  const v = value.toLowerCase();
  const p = principal.toLowerCase();
  if (type === 'Service') return isService;
  if (type !== 'AWS') return true;
  if (isService) return false;
  if (/^\d{12}$/.test(v)) return v === accountOf(p);
  if (/^arn:aws:iam::\d{12}:root$/.test(v)) return accountOf(v) === accountOf(p);
  const role = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(v) ?? /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(v);
  if (role) {
    // A role matches its sessions; a session is counted as matching its role too (over-approximation).
    const r = /^arn:aws:(?:iam::(\d{12}):role\/(?:.*\/)?([^/]+)|sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+)$/.exec(p);
    return r !== null && (r[1] ?? r[3]) === role[1] && (r[2] ?? r[4]) === role[2];
  }
  if (/^arn:aws:iam::\d{12}:user\//.test(v)) return v === p;
  return true;
}

/** Whether a statement can apply to a request: its action and principal can match (conditions aside). */
function mayApply(statement: Json, r: Request): boolean {
  if (!coversAction(statement, r.action)) return false;
  const principal = statement.Principal;
  if (principal === undefined) return true; // NotPrincipal: whatever it excludes, it may apply
  if (typeof principal === 'string') return true;
  return Object.entries(principal).some(([type, values]) => [values].flat().some((v) => principalMayMatch(type, v, r.principal)));
}

/** Requests answered by the shortcut and, for an audited statement, also by the engine, when the two disagree. */
const shortcutDisagreements: string[] = [];
let shortcutAudits = 0;
let shortcuts = 0;

/**
 * Answers requests on `policy` (of the same key as the policy before). A request the engine
 * denies on the policy before is denied on `policy` too when every Allow statement of `policy`
 * that can apply to it (action and principal, conditions aside) is a statement of the policy
 * before, and every Deny statement of the policy before that can apply to it is still there: an
 * exact shortcut, not a sample (Sids and statement order do not matter to IAM). Every other
 * request goes to the engine. With `audit`, the engine answers the shortcut requests too, and a
 * disagreement is recorded.
 */
function answerer(keyArn: string, policy: Json, audit: boolean): (r: Request) => Promise<string> {
  const key = (x: Json) => JSON.stringify(withoutSid(x));
  const before = base.keyPolicy.Statement.map(key);
  const now = [policy.Statement].flat().map(key);
  const minus = (a: string[], b: string[]) => {
    const rest = [...b];
    return a.filter((x) => {
      const i = rest.indexOf(x);
      if (i >= 0) rest.splice(i, 1);
      return i < 0;
    }).map((x) => JSON.parse(x));
  };
  const newAllows = minus(now, before).filter((x) => x.Effect === 'Allow');
  const goneDenies = minus(before, now).filter((x) => x.Effect === 'Deny');
  return async (r) => {
    if (keyArn === base.keyArn && !newAllows.some((x) => mayApply(x, r)) && !goneDenies.some((x) => mayApply(x, r))) {
      const d = await onBase(r);
      if (d === 'ImplicitlyDenied' || d === 'ExplicitlyDenied') {
        shortcuts++;
        if (audit) {
          shortcutAudits++;
          const engine = await decide(keyArn, policy, r);
          // The shortcut says denied: the engine must say denied too.
          if (engine !== d && (engine === 'Allowed' || engine.startsWith('error'))) {
            shortcutDisagreements.push(`${JSON.stringify(r)} on ${JSON.stringify(newAllows)}: shortcut ${d}, engine ${engine}`);
          }
        }
        return d;
      }
    }
    return decide(keyArn, policy, r);
  };
}

/**
 * The harmlessness of a rejected statement, by its meaning: a statement and its twin with
 * principal values as lists are the same statement to IAM, so they are decided once.
 */
const rejectedChecks = new Map<string, Promise<CellCheck>>();

const auditedStatements = new Set<string>();
/** Whether the shortcut is audited for this statement (both spellings of every AUDIT_EVERY-th statement). */
function audited(statement: Json): boolean {
  return auditedStatements.has(JSON.stringify(withoutSid(listSpelled(statement) ?? statement)));
}

async function offer(policyIndex: number, spelling: Spelling, statement: Json): Promise<void> {
  const { stack, key } = newKey();
  const cells = [...FIXED_CELLS, ...namedCells(statement)];
  let message: string | undefined;
  try {
    key.addToResourcePolicy(iam.PolicyStatement.fromJson(statement));
  } catch (e) {
    message = (e as Error).message;
  }
  if (message === undefined) {
    const rendered = renderKey(stack, key);
    if (offered.filter((o) => o.outcome === 'accepted').length < FULL_TEMPLATE_CHECKS) {
      const full = renderKeyFromTemplate(stack, key);
      if (JSON.stringify(full) !== JSON.stringify(rendered)) renderingMismatches.push(JSON.stringify(statement));
    }
    const check = await openCells(cells, answerer(rendered.keyArn, rendered.keyPolicy, audited(statement)));
    offered.push({ policyIndex, spelling, statement, outcome: 'accepted', check });
  } else {
    // Harmless? The raw statement (without its Sid, which must be unique) added to the policy before.
    const unchanged = JSON.stringify(renderKey(stack, key).keyPolicy) === JSON.stringify(base.keyPolicy);
    const raw = withoutSid(listSpelled(statement) ?? statement);
    const meaning = JSON.stringify(raw);
    let pending = rejectedChecks.get(meaning);
    if (pending === undefined) {
      // Harmful or not is all that is asked here: the first open cell settles it.
      const policy = { ...base.keyPolicy, Statement: [...base.keyPolicy.Statement, raw] };
      pending = openCells(cells, answerer(base.keyArn, policy, audited(statement)), true);
      rejectedChecks.set(meaning, pending);
    }
    const check = await pending;
    offered.push({ policyIndex, spelling, statement, outcome: 'rejected', message, unchanged, check });
  }
}

beforeAll(async () => {
  const started = Date.now();
  // The policy every key has before a statement is offered: rendered once, from a full template.
  const twin = newKey();
  base = renderKeyFromTemplate(twin.stack, twin.key);
  baseCheck = await openCells(FIXED_CELLS, onBase);
  const statements = corpusStatements();
  statements.forEach(({ statement }, i) => {
    if (i % AUDIT_EVERY === 0) auditedStatements.add(JSON.stringify(withoutSid(listSpelled(statement) ?? statement)));
  });
  for (const { policyIndex, statement } of statements) {
    await offer(policyIndex, 'as written', statement);
    const lists = listSpelled(statement);
    if (lists !== undefined) await offer(policyIndex, 'principals as lists', lists);
  }
  seconds = (Date.now() - started) / 1000;
}, 15 * 60 * 1000);

const asWritten = () => offered.filter((o) => o.spelling === 'as written');
const accepted = (list = offered) => list.filter((o) => o.outcome === 'accepted');
const rejected = (list = offered) => list.filter((o) => o.outcome === 'rejected');
const harmless = (list: Offered[]) => rejected(list).filter((o) => o.check.open.length === 0 && o.check.errors.length === 0);

function describeOpen(o: Offered): string {
  // The issue's cells first, then (g) and (x); a few of them.
  const order = (c: OpenCell) => (c.cell.group === 'x' ? 2 : c.cell.group === 'g' ? 1 : 0);
  const cells = [...o.check.open].sort((a, b) => order(a) - order(b));
  const open = cells.slice(0, 4).map((c) => `    cell (${c.cell.group}) ${c.cell.label}\n      engine: ${c.decisions.join('\n              ')}`);
  const more = cells.length > 4 ? `\n    (and ${cells.length - 4} more cells)` : '';
  return `  statement (corpus policy #${o.policyIndex}, ${o.spelling}): ${JSON.stringify(o.statement)}\n${open.join('\n')}${more}`;
}

/** A well-formed rejection: construct path and kind, the method, and a reason. */
const WELL_FORMED = /^SeparatedDutyKey at 'Stack\/Key': `addToResourcePolicy\(\)` (would open the key|rejects|cannot)\b.{20,}/s;

/** Why the builder rejected, in a few words (for the summary). */
function reasonOf(message: string): string {
  const m = /`addToResourcePolicy\(\)` (.*)$/s.exec(message);
  if (!m) return message.slice(0, 60);
  const text = m[1];
  if (text.startsWith('would open the key')) return `would open the key (${/^would open the key: (.*?) (can|may)\b/.exec(text)?.[1] ?? '?'})`;
  return text.replace(/'[^']*'/g, "'…'").replace(/\([^)]*\)/g, '(…)').split(/: /)[0].slice(0, 90);
}

function counts(items: string[]): string {
  const m = new Map<string, number>();
  items.forEach((x) => m.set(x, (m.get(x) ?? 0) + 1));
  return [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join('; ');
}

/** One rejected statement per reason, with its message, at most 10. */
function examples(list: Offered[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const o of list) {
    const reason = reasonOf(o.message!);
    if (seen.has(reason) || out.length >= 10) continue;
    seen.add(reason);
    out.push(`    [${o.spelling}] ${JSON.stringify(o.statement)}\n      -> ${o.message}`);
  }
  return out.join('\n');
}

describe('the differential corpus through SeparatedDutyKey.addToResourcePolicy', () => {
  test('the corpus and the setup: 2,000 distinct statements; the policy before is closed and the engine sees it', async () => {
    expect(asWritten().length).toBe(STATEMENT_COUNT);
    expect(renderingMismatches).toEqual([]);
    expect(baseCheck.errors).toEqual([]);
    expect(baseCheck.open.map((c) => c.cell.label)).toEqual([]);
    // Positive controls: the engine allows what the policy before grants, so "denied" is not an artefact.
    const decision = (principal: string, action: string, kmsAll: boolean) => decide(base.keyArn, base.keyPolicy, { principal, kmsAll, action });
    expect(await decision(USER_ROLE, 'kms:Decrypt', false)).toBe('Allowed');
    expect(await decision(USER_SESSION, 'kms:GenerateDataKey', false)).toBe('Allowed');
    expect(await decision(ADMIN_ROLE, 'kms:PutKeyPolicy', false)).toBe('Allowed');
    expect(await decision(`arn:aws:iam::${OWN}:role/${UNNAMED}`, 'kms:PutKeyPolicy', true)).toBe('Allowed');
    // The exact shortcut of `answerer` agrees with the engine wherever it was audited.
    expect(shortcutAudits).toBeGreaterThan(1000);
    expect(shortcutDisagreements.slice(0, SHOW)).toEqual([]);
    // The cells are live: many rejected statements would open one.
    expect(rejected().filter((o) => o.check.open.length > 0).length).toBeGreaterThan(100);
  });

  test('sound: no accepted statement opens a forbidden cell (engine-checked)', () => {
    const bad = accepted().filter((o) => o.check.open.length > 0);
    if (bad.length > 0) {
      const groups = bad.flatMap((o) => o.check.open.map((c) => c.cell.group));
      throw new Error(`${bad.length} accepted statements open a forbidden cell (cells by group: ${counts(groups)}); the first ${Math.min(SHOW, bad.length)}:\n` +
        bad.slice(0, SHOW).map(describeOpen).join('\n'));
    }
  });

  test('the engine decided every request', () => {
    const errors = offered.filter((o) => o.check.errors.length > 0);
    expect(errors.slice(0, 3).map((o) => `${JSON.stringify(o.statement)}: ${o.check.errors[0]}`)).toEqual([]);
  });

  test('every rejection names the construct path and the method and says why; the policy is left as it was', () => {
    const malformed = rejected().filter((o) => !WELL_FORMED.test(o.message!));
    expect(malformed.slice(0, SHOW).map((o) => `${JSON.stringify(o.statement)}\n  -> ${o.message}`)).toEqual([]);
    expect(rejected().filter((o) => !o.unchanged).map((o) => JSON.stringify(o.statement))).toEqual([]);
  });

  test('strictness: harmless statements rejected stay few', () => {
    const pct = (n: number, of: number) => `${(100 * n / Math.max(1, of)).toFixed(1)} %`;
    const line = (list: Offered[]) => {
      const h = harmless(list).length;
      return `${list.length} statements, accepted ${accepted(list).length}, rejected ${rejected(list).length}, ` +
        `harmless but rejected ${h} (${pct(h, list.length)} of the statements, ${pct(h, rejected(list).length)} of the rejected), ` +
        `accepted opening a cell ${accepted(list).filter((o) => o.check.open.length > 0).length}`;
    };
    const twins = offered.filter((o) => o.spelling === 'principals as lists');
    const written = asWritten();
    // eslint-disable-next-line no-console
    console.log(`builder corpus: ${line(written)}; skipped ${skipped.length} (${counts(skipped.map((x) => x.reason))}) ` +
      `[distinct Allow statements of corpus policies #0-#${policiesRead - 1}, ${duplicates} repeats left out]\n` +
      `  principals as lists: ${line(twins)}\n` +
      `  ${engineRequests} engine requests (${(engineMs / 1000).toFixed(0)} s), ${shortcuts} answered by the exact shortcut (${shortcutAudits} of them audited), ${seconds.toFixed(0)} s\n` +
      `  rejected as written, by reason: ${counts(rejected(written).map((o) => reasonOf(o.message!)))}\n` +
      `  harmless but rejected as written, by reason: ${counts(harmless(written).map((o) => reasonOf(o.message!)))}\n` +
      `  harmless but rejected with principals as lists, by reason: ${counts(harmless(twins).map((o) => reasonOf(o.message!)))}\n` +
      `  harmless but rejected, one example per reason (up to 10 of each spelling):\n${examples(harmless(written))}\n${examples(harmless(twins))}`);
    expect(harmless(written).length).toBeLessThanOrEqual(MAX_HARMLESS_REJECTED);
    expect(harmless(twins).length).toBeLessThanOrEqual(MAX_HARMLESS_REJECTED_AS_LISTS);
  });
});
