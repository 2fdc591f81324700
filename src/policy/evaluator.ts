import { actionPatternRegExp, infoOf, isCrossAccountAction } from './actions';
import { PolicyModel, PolicyStatementModel, PrincipalValue } from './document';
import { hasPlaceholder, match, OWN_ACCOUNT, requestValue, Tri, tri } from './match';

/**
 * The evaluator: for a key policy, whether a class of principals may perform an action in a
 * request context — allowed, denied, or depends (on an IAM policy, a value known only at
 * deployment, a condition the template does not fix). It is conservative: it never answers
 * denied unless every request of the class is denied.
 *
 * Semantics follow IAM policy evaluation for a resource policy of KMS: an explicit Deny wins; a
 * statement naming the account (its root ARN or ID) delegates to the IAM policies of that
 * account; a principal of another account needs the key policy and its own IAM policy, and only
 * for the actions KMS accepts across accounts.
 */

/** The key's own environment, as rendered values (literal or placeholder). */
export interface KeyEnvironment {
  readonly account: string;
  readonly region: string;
}

/** What an IAM principal's own identity policies allow, for the classes that need to say. */
export type IamPolicy = 'none' | 'kms-all' | 'unknown';

/** A class of principals that may send requests to the key. */
export type Subject =
  /** a principal named in the policy (a role, a user; a role session counts as its role) */
  | { readonly kind: 'named'; readonly arn: string; readonly account: string; readonly iam: IamPolicy }
  /** the root user of an account */
  | { readonly kind: 'root-user'; readonly account: string }
  /** any IAM principal of an account that the policy does not name */
  | { readonly kind: 'other-iam'; readonly account: string; readonly iam: IamPolicy }
  /** an AWS service principal acting for a resource of an account */
  | { readonly kind: 'service'; readonly service: string; readonly forAccount: string };

export interface RequestContext {
  /**
   * Through an AWS service of the caller (`kms:ViaService`): the endpoint prefix (`s3`) or the
   * whole value (`s3.us-east-1.amazonaws.com`); `*` for a service the policy does not name.
   */
  readonly via?: string;
  /** For grant operations: the grant is for an AWS resource (`kms:GrantIsForAWSResource`). */
  readonly grantForAwsResource?: boolean;
  /**
   * What the key policy says rather than what KMS does: a principal of another account is taken
   * at the policy's word for every action, also those KMS honours only in the key's account.
   */
  readonly asWritten?: boolean;
}

export type Decision = 'allowed' | 'denied' | 'depends';

export interface Answer {
  readonly decision: Decision;
  /** Why, in plain words: the statements that allow or deny, and what the answer depends on. */
  readonly because: readonly string[];
}

/** A fresh account: 12 digits that no literal of the policy names. */
export const ANOTHER_ACCOUNT = requestValue.freshAccount('another');
/** A service the policy does not name. */
const ANOTHER_SERVICE = requestValue.fresh('service');
/** An organization (and path) the policy does not name: where a principal of an unnamed account belongs, if anywhere. */
const ANOTHER_ORGANIZATION = requestValue.fresh('organization');
const PARTITION = '\u0000P.Partition\u0000';

/** What a request may carry under one condition key (lower case). */
export interface KeyState {
  /** The key may be missing from the request. */
  readonly mayBeAbsent: boolean;
  /** The values it may have when present (one of them); `any` for any value; `undefined`: never present. */
  readonly present?: readonly string[] | 'any';
}

const ABSENT: KeyState = { mayBeAbsent: true };
const UNKNOWN: KeyState = { mayBeAbsent: true, present: 'any' };
const is = (...values: string[]): KeyState => ({ mayBeAbsent: false, present: values });

/** The account of a principal ARN or account value, and what it names. */
export interface PrincipalShape {
  readonly kind: 'everyone' | 'account' | 'identity' | 'session' | 'service' | 'unknown' | 'invalid';
  /** The account it belongs to (for account, identity, session). */
  readonly account?: string;
  /** For a session, the ARN of its role; for an identity, itself. */
  readonly identity?: string;
}

const ACCOUNT_TEXT = '(\\d{12}|\u0000[^\u0000]*\u0000)';
const ROOT_ARN = new RegExp(`^arn:[^:]*:iam::${ACCOUNT_TEXT}:root$`);
const IDENTITY_ARN = new RegExp(`^arn:([^:]*):iam::${ACCOUNT_TEXT}:(role|user)(/.+)$`);
const SESSION_ARN = new RegExp(`^arn:([^:]*):sts::${ACCOUNT_TEXT}:(assumed-role/([^/]+)/.+|federated-user/.+)$`);

/** What an AWS principal value names. */
export function principalShape(value: PrincipalValue): PrincipalShape {
  if (value.type === 'Service') return { kind: 'service' };
  if (value.type !== 'AWS') return { kind: 'invalid' };
  const v = value.value;
  if (v === '*') return { kind: 'everyone' };
  if (/^\d{12}$/.test(v)) return { kind: 'account', account: v };
  if (/^\u0000[^\u0000]*\u0000$/.test(v) && v.toLowerCase() === OWN_ACCOUNT.toLowerCase()) return { kind: 'account', account: v };
  const root = ROOT_ARN.exec(v);
  if (root) return isAccountText(root[1]) ? { kind: 'account', account: root[1] } : { kind: 'unknown' };
  const identity = IDENTITY_ARN.exec(v);
  if (identity && isAccountText(identity[2])) return { kind: 'identity', account: identity[2], identity: v };
  const session = SESSION_ARN.exec(v);
  if (session && isAccountText(session[2])) {
    const role = session[4] !== undefined ? `arn:${session[1]}:iam::${session[2]}:role/${session[4]}` : undefined;
    return { kind: 'session', account: session[2], identity: role ?? v };
  }
  return { kind: hasPlaceholder(v) ? 'unknown' : 'invalid' };
}

/** A placeholder can stand for an account only when it is an account or unknown text. */
function isAccountText(text: string): boolean {
  if (/^\d{12}$/.test(text)) return true;
  return /^\u0000(P\.AccountId|A\.[^\u0000]*|X[^\u0000]*)\u0000$/i.test(text);
}

/** The ARN `aws:PrincipalArn` carries for an identity or session: sessions carry their role. */
export function principalArnOf(shape: PrincipalShape): string | undefined {
  return shape.identity;
}

export class KeyPolicyEvaluator {
  private readonly cache = new Map<string, Answer>();
  /** Per statement and subject: the principal match does not depend on the action. */
  private readonly principalCache = new Map<string, { direct: Tri; account: Tri }>();
  /** Per statement, subject and context: conditions depend on the action only through the grant keys. */
  private readonly conditionCache = new Map<string, Tri>();

  constructor(public readonly policy: PolicyModel, public readonly env: KeyEnvironment) {}

  /**
   * Whether some Allow statement may name `subject`, directly or through its account: when none
   * does, every action is denied to it, and a caller asking many actions can skip them.
   */
  public mayAllowSomething(subject: Subject): boolean {
    const subjectKey = JSON.stringify(subject);
    return this.policy.statements.some((statement, i) => {
      if (statement.effect === 'Deny') return false;
      const principalKey = `${i}|${subjectKey}`;
      let principal = this.principalCache.get(principalKey);
      if (!principal) {
        principal = principalMatches(statement, subject);
        this.principalCache.set(principalKey, principal);
      }
      return principal.direct !== 'FALSE' || principal.account !== 'FALSE';
    });
  }

  /** Whether `subject` may perform `action` (e.g. `kms:Decrypt`) in `context`. */
  public evaluate(subject: Subject, action: string, context: RequestContext = {}): Answer {
    const cacheKey = JSON.stringify([subject, action.toLowerCase(), context]);
    let answer = this.cache.get(cacheKey);
    if (!answer) {
      answer = this.decide(subject, action, context);
      this.cache.set(cacheKey, answer);
    }
    return answer;
  }

  private decide(subject: Subject, action: string, context: RequestContext): Answer {
    const request = requestKeys(subject, action, context, this.env);
    const subjectKey = JSON.stringify(subject);
    const requestKey = `${subjectKey}|${JSON.stringify(context)}|${GRANT_OPERATION.test(action)}`;
    const because: string[] = [];
    let deny: Tri = 'FALSE';
    let allow: Tri = 'FALSE';
    const crossAccount = subject.kind === 'service' ? 'FALSE' : tri.not(match(this.env.account, subject.account, PLAIN));
    const iam = iamAllows(subject);
    for (const [i, statement] of this.policy.statements.entries()) {
      const actionMatch = tri.and(actionMatches(statement, action), resourceMatches(statement, this.env));
      if (actionMatch === 'FALSE') continue;
      const principalKey = `${i}|${subjectKey}`;
      let principal = this.principalCache.get(principalKey);
      if (!principal) {
        principal = principalMatches(statement, subject);
        this.principalCache.set(principalKey, principal);
      }
      if (principal.direct === 'FALSE' && principal.account === 'FALSE') continue;
      const conditionKey = `${i}|${requestKey}`;
      let conditions = this.conditionCache.get(conditionKey);
      if (conditions === undefined) {
        conditions = conditionsMatch(statement, request);
        this.conditionCache.set(conditionKey, conditions);
      }
      if (statement.effect !== 'Allow') {
        // A Deny (or an effect only known at deployment) removes what it certainly matches.
        const applies = tri.and(tri.and(actionMatch, tri.or(principal.direct, principal.account)), conditions);
        const certain = statement.effect === 'Deny' ? applies : tri.and(applies, 'MAYBE');
        if (certain !== 'FALSE') because.push(`${statement.where} ${certain === 'TRUE' ? 'denies it' : 'may deny it'}`);
        deny = tri.or(deny, certain);
        if (statement.effect === 'Deny') continue;
      }
      // Named directly: enough in the key's account; another account's IAM policy must agree too.
      const direct = tri.and(tri.and(actionMatch, principal.direct), conditions);
      // Named by account: the account's IAM policies decide.
      const delegated = tri.and(tri.and(tri.and(actionMatch, principal.account), conditions), iam);
      let grants = tri.or(direct, delegated);
      if (crossAccount !== 'FALSE') {
        const across = isCrossAccountAction(action) || context.asWritten ? tri.and(tri.or(direct, tri.and(tri.and(actionMatch, principal.account), conditions)), iam) : 'FALSE';
        grants = crossAccount === 'TRUE' ? across : tri.oneOf([grants, across]);
      }
      if (statement.effect !== 'Allow') grants = tri.and(grants, 'MAYBE');
      if (grants !== 'FALSE') {
        const through = principal.account !== 'FALSE' && principal.direct === 'FALSE' ? ', through the IAM policies of the account' : '';
        because.push(`${statement.where} ${grants === 'TRUE' ? 'allows it' : 'may allow it'}${through}`);
      }
      allow = tri.or(allow, grants);
    }
    if (deny === 'TRUE') return { decision: 'denied', because: because.filter((b) => b.includes('denies')) };
    if (allow === 'FALSE') return { decision: 'denied', because: ['no statement allows it'] };
    if (allow === 'TRUE' && deny === 'FALSE') return { decision: 'allowed', because };
    return { decision: 'depends', because };
  }
}

const PLAIN = { wildcards: false, ignoreCase: false };
/** The operations whose requests carry kms:GrantIsForAWSResource. */
const GRANT_OPERATION = /^kms:(creategrant|listgrants|revokegrant)$/i;

function iamAllows(subject: Subject): Tri {
  switch (subject.kind) {
    case 'root-user': return 'TRUE';
    case 'service': return 'FALSE';
    default: return subject.iam === 'none' ? 'FALSE' : subject.iam === 'kms-all' ? 'TRUE' : 'MAYBE';
  }
}

/** Whether a statement's Action (or NotAction) covers `action`. */
export function actionMatches(statement: PolicyStatementModel, action: string): Tri {
  let matched: Tri = 'FALSE';
  for (const pattern of statement.actions) {
    if (hasPlaceholder(pattern)) matched = tri.or(matched, 'MAYBE');
    else if (actionPatternRegExp(pattern).test(action)) matched = 'TRUE';
  }
  return statement.notAction ? tri.not(matched) : matched;
}

/**
 * Whether the statement's Resource covers the key: `*` does; an ARN pattern may (the key's own
 * ARN is known only at deployment), unless it is no KMS key ARN at all.
 */
function resourceMatches(statement: PolicyStatementModel, env: KeyEnvironment): Tri {
  if (statement.resources.length === 0) return statement.notResource ? 'TRUE' : 'MAYBE';
  const keyArn = `arn:${PARTITION}:kms:${env.region}:${env.account}:key/${requestValue.any}`;
  const covered = tri.any(statement.resources.map((r) => (r === '*' ? 'TRUE' : match(r, keyArn, { wildcards: true, ignoreCase: false }) === 'FALSE' ? 'FALSE' : 'MAYBE')));
  return statement.notResource ? tri.not(covered) : covered;
}

/** Whether a statement names the subject directly, and whether it names the subject's account. */
/**
 * A statement's principals, sorted once: identities spelled out in full are looked up, the rest
 * (accounts, services, values with placeholders) compared one by one. Only named subjects can be
 * an identity, so the others never look at identities at all.
 */
interface PrincipalIndex {
  readonly literalIdentities: ReadonlySet<string>;
  readonly otherIdentities: readonly PrincipalValue[];
  readonly rest: readonly PrincipalValue[];
}

const principalIndexes = new WeakMap<PolicyStatementModel, PrincipalIndex>();

function principalIndex(statement: PolicyStatementModel): PrincipalIndex {
  let index = principalIndexes.get(statement);
  if (!index) {
    const literalIdentities = new Set<string>();
    const otherIdentities: PrincipalValue[] = [];
    const rest: PrincipalValue[] = [];
    for (const value of statement.principals) {
      const shape = principalShape(value);
      if (shape.kind === 'identity' && !hasPlaceholder(value.value.replace(/\u0000P\.Partition\u0000/g, ''))) literalIdentities.add(value.value);
      else if (shape.kind === 'identity' || shape.kind === 'session') otherIdentities.push(value);
      else rest.push(value);
    }
    index = { literalIdentities, otherIdentities, rest };
    principalIndexes.set(statement, index);
  }
  return index;
}

function principalMatches(statement: PolicyStatementModel, subject: Subject): { direct: Tri; account: Tri } {
  if (statement.principalMissing) return { direct: 'FALSE', account: 'FALSE' };
  if (statement.everyone) return { direct: 'TRUE', account: 'FALSE' };
  let direct: Tri = 'FALSE';
  let account: Tri = 'FALSE';
  const index = principalIndex(statement);
  const candidates = [...index.rest];
  if (subject.kind === 'named') {
    const identity = principalShape({ type: 'AWS', value: subject.arn }).identity ?? subject.arn;
    if (index.literalIdentities.has(identity)) direct = 'TRUE';
    if (hasPlaceholder(identity.replace(/\u0000P\.Partition\u0000/g, ''))) {
      // A subject spelled with placeholders may be any of the literal identities.
      for (const value of index.literalIdentities) candidates.push({ type: 'AWS', value });
    }
    candidates.push(...index.otherIdentities);
  }
  for (const value of candidates) {
    const m = principalValueMatches(value, subject);
    direct = tri.or(direct, m.direct);
    account = tri.or(account, m.account);
  }
  if (statement.notPrincipal) {
    // NotPrincipal applies to everyone it does not certainly exclude.
    return { direct: tri.not(tri.or(direct, account)), account: 'FALSE' };
  }
  return { direct, account };
}

function principalValueMatches(value: PrincipalValue, subject: Subject): { direct: Tri; account: Tri } {
  const no = { direct: 'FALSE' as Tri, account: 'FALSE' as Tri };
  if (value.type === 'Service') {
    if (subject.kind !== 'service') return no;
    return { direct: match(value.value, subject.service, { wildcards: false, ignoreCase: true }), account: 'FALSE' };
  }
  if (value.type !== 'AWS') return no;
  const shape = principalShape(value);
  switch (shape.kind) {
    case 'everyone':
      return { direct: 'TRUE', account: 'FALSE' };
    case 'unknown':
      return { direct: 'MAYBE', account: subject.kind === 'service' ? 'FALSE' : 'MAYBE' };
    case 'account': {
      if (subject.kind === 'service') return no;
      const same = match(shape.account!, subject.account, PLAIN);
      // The root user is the account: it holds every IAM permission of it.
      return subject.kind === 'root-user' ? { direct: same, account: 'FALSE' } : { direct: 'FALSE', account: same };
    }
    case 'identity':
    case 'session': {
      if (shape.kind === 'session' && shape.identity === value.value && (subject.kind === 'named' || subject.kind === 'other-iam')) {
        // A federated user: any IAM user of its account allowed sts:GetFederationToken becomes it.
        const iamMayFederate = subject.kind === 'other-iam' ? subject.iam !== 'none' : /:user\//.test(subject.arn);
        if (iamMayFederate) return { direct: tri.and(match(shape.account!, subject.account, PLAIN), 'MAYBE'), account: 'FALSE' };
      }
      if (subject.kind === 'named') {
        const subjectShape = principalShape({ type: 'AWS', value: subject.arn });
        const roleMatch = match(shape.identity!, subjectShape.identity ?? subject.arn, PLAIN);
        // A statement naming one session of the role covers some of the role's requests.
        if (shape.kind === 'session' && subjectShape.kind !== 'session') return { direct: tri.and(roleMatch, 'MAYBE'), account: 'FALSE' };
        if (shape.kind === 'session' && subjectShape.kind === 'session') return { direct: match(value.value, subject.arn, PLAIN), account: 'FALSE' };
        return { direct: roleMatch, account: 'FALSE' };
      }
      // The other classes are, by definition, not the principals the policy names.
      return no;
    }
    default:
      return no;
  }
}

/** The request context a class of principals sends, by lower-case key. */
function requestKeys(subject: Subject, action: string, context: RequestContext, env: KeyEnvironment): Map<string, KeyState> {
  const keys = new Map<string, KeyState>();
  keys.set('aws:resourceaccount', is(env.account));
  keys.set('aws:requestedregion', is(env.region));
  keys.set('aws:securetransport', is('true'));
  const grantOperation = GRANT_OPERATION.test(action);
  if (subject.kind === 'service') {
    keys.set('aws:principalisawsservice', is('true'));
    keys.set('aws:principalservicename', is(subject.service));
    // A service principal is no principal of an account, and belongs to no organization.
    keys.set('aws:principalorgid', ABSENT);
    keys.set('aws:principalorgpaths', ABSENT);
    keys.set('aws:principalaccount', ABSENT);
    keys.set('aws:principalarn', ABSENT);
    keys.set('aws:sourceaccount', { mayBeAbsent: true, present: [subject.forAccount] });
    if (subject.forAccount === ANOTHER_ACCOUNT) {
      keys.set('aws:sourceorgid', { mayBeAbsent: true, present: [ANOTHER_ORGANIZATION] });
      keys.set('aws:sourceorgpaths', { mayBeAbsent: true, present: [`${ANOTHER_ORGANIZATION}/${requestValue.any}`] });
    }
    // A service acting for a resource names it: in aws:SourceArn, and in the encryption context
    // it sets (a log group's ARN, a trail's ARN). Either is a resource of the account it acts for.
    const named = RESOURCE_ARN_OF_SERVICE[subject.service.toLowerCase()];
    const resourceOfAccount: KeyState = {
      mayBeAbsent: true,
      present: named ? [named(subject.forAccount)] : [
        `arn:${PARTITION}:${requestValue.segment}:${requestValue.segment}:${subject.forAccount}:${requestValue.any}`,
        // S3 bucket ARNs carry no account.
        `arn:${PARTITION}:s3:::${requestValue.any}`,
      ],
    };
    keys.set('aws:sourcearn', resourceOfAccount);
    keys.set(SERVICE_ENCRYPTION_CONTEXT, resourceOfAccount);
    keys.set('kms:viaservice', ABSENT);
    keys.set('aws:viaawsservice', { mayBeAbsent: true, present: ['false'] });
    if (!grantOperation) keys.set('kms:grantisforawsresource', ABSENT);
    return keys;
  }
  const account = subject.account;
  let arn: string;
  let type: KeyState;
  switch (subject.kind) {
    case 'root-user':
      arn = `arn:${PARTITION}:iam::${account}:root`;
      type = is('Account');
      break;
    case 'named': {
      const shape = principalShape({ type: 'AWS', value: subject.arn });
      arn = shape.identity ?? subject.arn;
      type = /:user\//.test(arn) ? is('User') : /:role\//.test(arn) ? is('AssumedRole') : UNKNOWN;
      break;
    }
    default:
      arn = '';
      type = UNKNOWN;
  }
  if (account === ANOTHER_ACCOUNT) {
    // An account the policy does not name is in no organization the policy names.
    keys.set('aws:principalorgid', { mayBeAbsent: true, present: [ANOTHER_ORGANIZATION] });
    keys.set('aws:principalorgpaths', { mayBeAbsent: true, present: [`${ANOTHER_ORGANIZATION}/${requestValue.any}`] });
  }
  keys.set('aws:principalaccount', is(account));
  // Another principal of the key's account: a role or user (any path) whose name the policy does
  // not spell. In another account, whoever owns it names its roles: any name at all.
  const unnamed = match(env.account, account, PLAIN) === 'TRUE' ? requestValue.fresh('principal') : requestValue.any;
  keys.set('aws:principalarn', arn !== '' ? is(arn) : is(
    `arn:${PARTITION}:iam::${account}:role/${unnamed}`, `arn:${PARTITION}:iam::${account}:role/${requestValue.any}/${unnamed}`,
    `arn:${PARTITION}:iam::${account}:user/${unnamed}`, `arn:${PARTITION}:iam::${account}:user/${requestValue.any}/${unnamed}`,
  ));
  keys.set('aws:principaltype', type);
  keys.set('aws:principalisawsservice', is('false'));
  keys.set('aws:principalservicename', ABSENT);
  keys.set('aws:principalservicenameslist', ABSENT);
  keys.set('kms:calleraccount', is(account));
  // The source keys describe a service principal acting for a resource; an IAM principal's
  // request, direct or through a service (a forward access session), carries none of them.
  for (const k of ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths']) keys.set(k, ABSENT);
  if (context.via === undefined) {
    keys.set('kms:viaservice', ABSENT);
    keys.set('aws:viaawsservice', is('false'));
    for (const k of ['aws:calledvia', 'aws:calledviafirst', 'aws:calledvialast']) keys.set(k, ABSENT);
  } else {
    const value = context.via === '*' ? `${ANOTHER_SERVICE}.${env.region}.amazonaws.com`
      : context.via.includes('.') ? context.via : `${context.via}.${env.region}.amazonaws.com`;
    keys.set('kms:viaservice', is(value));
    keys.set('aws:viaawsservice', is('true'));
  }
  if (grantOperation) {
    keys.set('kms:grantisforawsresource', context.grantForAwsResource ? is('true') : { mayBeAbsent: true, present: ['false'] });
  } else {
    keys.set('kms:grantisforawsresource', ABSENT);
  }
  return keys;
}

/**
 * Services whose resource ARN (in aws:SourceArn and the encryption context they set) has a name
 * that can hold no `:`, so that a pattern such as `arn:aws:cloudtrail:*:111111111111:trail/*`
 * binds the service to the account's resources: trail names and topic names are letters, digits,
 * `.`, `_` and `-` only.
 */
const RESOURCE_ARN_OF_SERVICE: Readonly<Record<string, (account: string) => string>> = {
  'cloudtrail.amazonaws.com': (account) => `arn:${PARTITION}:cloudtrail:${requestValue.segment}:${account}:trail/${requestValue.segment}`,
  'sns.amazonaws.com': (account) => `arn:${PARTITION}:sns:${requestValue.segment}:${account}:${requestValue.segment}`,
};

/** For a service subject: what any `kms:EncryptionContext:<key>` holds. */
const SERVICE_ENCRYPTION_CONTEXT = 'kms:encryptioncontext:*';

function stateOf(request: Map<string, KeyState>, key: string): KeyState {
  const lower = key.toLowerCase();
  const known = request.get(lower);
  if (known) return known;
  if (lower.startsWith('kms:encryptioncontext:') && lower !== 'kms:encryptioncontextkeys') return request.get(SERVICE_ENCRYPTION_CONTEXT) ?? UNKNOWN;
  return UNKNOWN;
}

function conditionsMatch(statement: PolicyStatementModel, request: Map<string, KeyState>): Tri {
  let result: Tri = 'TRUE';
  for (const clause of statement.conditions) {
    result = tri.and(result, clauseMatches(clause.operator, clause.key, clause.values, request));
    if (result === 'FALSE') break;
  }
  return result;
}

const OPERATOR = /^(ForAnyValue:|ForAllValues:)?(String(Not)?Equals(IgnoreCase)?|String(Not)?Like|Arn(Not)?(Equals|Like)|Numeric(Not)?Equals|Numeric(LessThan|GreaterThan)(Equals)?|Date(Not)?Equals|Date(LessThan|GreaterThan)(Equals)?|Bool|BinaryEquals|(Not)?IpAddress|Null)(IfExists)?$/i;

/** One condition clause (operator, key, values) against what the request may carry. */
export function clauseMatches(operator: string, key: string, values: readonly string[], request: Map<string, KeyState>): Tri {
  const parsed = OPERATOR.exec(operator);
  if (!parsed || hasPlaceholder(key)) return 'MAYBE';
  const setOperator = parsed[1]?.toLowerCase();
  const base = parsed[2].toLowerCase();
  const ifExists = parsed[parsed.length - 1] !== undefined;
  const state = stateOf(request, key);
  if (base === 'null') {
    if (setOperator || ifExists) return 'MAYBE';
    const absent: Tri = state.present === undefined ? 'TRUE' : state.mayBeAbsent ? 'MAYBE' : 'FALSE';
    return tri.any(values.map((v) => (hasPlaceholder(v) ? 'MAYBE' : v.toLowerCase() === 'true' ? absent : v.toLowerCase() === 'false' ? tri.not(absent) : 'FALSE')));
  }
  const negated = /not/.test(base.replace(/^notipaddress$/, 'not'));
  // A missing key: the set operator decides first (ForAllValues holds, ForAnyValue fails, with
  // IfExists or not); then IfExists and negated operators hold, positive ones fail.
  const whenAbsent: Tri = setOperator === 'forallvalues:' ? 'TRUE' : setOperator === 'foranyvalue:' ? 'FALSE'
    : ifExists || negated ? 'TRUE' : 'FALSE';
  const answers: Tri[] = [];
  if (state.mayBeAbsent) answers.push(whenAbsent);
  if (state.present === 'any') {
    answers.push('MAYBE');
  } else if (state.present !== undefined) {
    for (const actual of state.present) answers.push(valueMatches(base, negated, values, actual, request));
  }
  return tri.oneOf(answers);
}

/**
 * One present request value against the clause's values (any of them; none of them when
 * negated). A value that cannot match at all — a policy variable whose key the request lacks, or
 * for Arn operators something that is not an ARN — fails in both polarities, as IAM has it.
 */
function valueMatches(base: string, negated: boolean, values: readonly string[], actual: string, request: Map<string, KeyState>): Tri {
  const arn = base.startsWith('arn');
  if (arn && !hasPlaceholder(actual) && !splitArn(actual)) return 'FALSE';
  let any: Tri = 'FALSE';
  let broken: Tri = 'FALSE';
  for (const raw of values) {
    let m: Tri;
    if (base.startsWith('string') || arn) {
      const { value: expected, missing } = substituteVariables(raw, request);
      broken = tri.or(broken, missing);
      if (missing === 'TRUE') continue;
      if (arn && !hasPlaceholder(expected) && !splitArn(expected)) {
        broken = 'MAYBE';
        continue;
      }
      const wildcards = base.endsWith('like');
      const ignoreCase = base.endsWith('ignorecase');
      m = arn ? arnMatch(expected, actual) : match(expected, actual, { wildcards, ignoreCase });
    } else if (base === 'bool') {
      m = hasPlaceholder(raw) || hasPlaceholder(actual) ? 'MAYBE' : raw.toLowerCase() === actual.toLowerCase() ? 'TRUE' : 'FALSE';
    } else {
      m = 'MAYBE';
    }
    any = tri.or(any, m);
  }
  const result = negated ? tri.not(any) : any;
  if (broken === 'FALSE') return result;
  // A value that cannot be filled in makes the clause false; one that may not be, uncertain.
  return broken === 'TRUE' && values.length === 1 ? 'FALSE' : result === 'FALSE' ? 'FALSE' : 'MAYBE';
}

/**
 * Policy variables (`${aws:PrincipalAccount}`) take the request's value: known for the keys the
 * class fixes, anything otherwise. `missing` says whether the key is absent from the request (then
 * the value matches nothing). `${*}`, `${?}`, `${$}` and defaults are treated as unknown.
 */
function substituteVariables(value: string, request: Map<string, KeyState>): { value: string; missing: Tri } {
  if (!value.includes('${')) return { value, missing: 'FALSE' };
  let missing: Tri = 'FALSE';
  const substituted = value.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
    const trimmed = name.trim();
    if (['*', '?', '$'].includes(trimmed) || trimmed.includes(',')) return requestValue.any;
    const state = stateOf(request, trimmed);
    if (state.present === undefined) {
      missing = 'TRUE';
    } else if (state.mayBeAbsent) {
      missing = tri.or(missing, 'MAYBE');
    }
    if (!state.mayBeAbsent && Array.isArray(state.present) && state.present.length === 1) return state.present[0];
    return requestValue.any;
  });
  return { value: substituted, missing };
}

/** ArnEquals/ArnLike (both take wildcards): each of the six colon-separated parts on its own. */
function arnMatch(pattern: string, actual: string): Tri {
  const mayHoldColon = (v: string) => /\u0000(X|U\.any|R|P\.(?!AccountId|Partition|Region))/i.test(v);
  const whole = match(pattern, actual, { wildcards: true, ignoreCase: false });
  if (mayHoldColon(pattern) || mayHoldColon(actual)) {
    if (whole === 'FALSE') return 'FALSE';
    return pattern === actual ? 'TRUE' : 'MAYBE';
  }
  const p = splitArn(pattern);
  const a = splitArn(actual);
  if (!p || !a) return 'FALSE';
  return tri.all(p.map((part, i) => match(part, a[i], { wildcards: true, ignoreCase: false })));
}

function splitArn(value: string): string[] | undefined {
  const parts = value.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** Actions of the catalogue whose class is one of `classes`, for the questions the callers ask. */
export function actionClass(action: string): string | undefined {
  return infoOf(action)?.class;
}
