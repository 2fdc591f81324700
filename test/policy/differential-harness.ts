/**
 * The differential harness: principal classes, actions and request contexts of the evaluator
 * (src/policy/evaluator.ts), each mapped to the concrete requests that stand for it in the IAM
 * evaluation engine (test/helpers/iam-eval.ts), and the comparison of the two answers.
 *
 * A class stands for many concrete requests. The evaluator's `denied` claims every one is denied,
 * its `allowed` claims every one is allowed. The engine is run on a few concrete members of the
 * class ("variants"): one Allowed variant refutes `denied`; every variant denied refutes `allowed`.
 */
import { Json, OTHER, OWN, Rng } from './differential-corpus';
import { readPolicy, PolicyModel } from '../../src/policy/document';
import { Answer, ANOTHER_ACCOUNT, Decision, KeyPolicyEvaluator, RequestContext, Subject } from '../../src/policy/evaluator';
import { RenderHost, RenderScope, renderString } from '../../src/template/render';
import { evaluateKeyAccess, KeyAccessDecision } from '../helpers/iam-eval';

export const REGION = 'us-east-1';
export const KEY_ARN = `arn:aws:kms:${REGION}:${OWN}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const ENV = { account: OWN, region: REGION };
const SCOPE: RenderScope = { uid: 0, account: OWN, region: REGION };
/** Literal JSON has no references: a host that resolves none is enough. */
const HOST: RenderHost<RenderScope> = { reference: () => undefined, importValue: () => undefined };

/**
 * Concrete accounts for the evaluator's ANOTHER_ACCOUNT ("an account no literal of the policy
 * names"). The corpus uses wildcards such as '1*', '2*', '4*', so the evaluator's answer must hold
 * for each of them: one starts like the own account, one like a wildcard of the corpus, one like none.
 */
export const FRESH_ACCOUNTS = ['444455556666', '999988887777', '123412341234'];

/** A principal name the corpus never uses: the engine's member of "another IAM principal of the account". */
const SOMEONE_ELSE = 'someone-else';
/** A session name the corpus never uses: the engine's second member of "a named role" (a session counts as its role). */
const ANOTHER_SESSION = 'differential-session';

export const ACTIONS = [
  'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:Sign', 'kms:CreateGrant', 'kms:PutKeyPolicy', 'kms:DisableKey',
  'kms:ScheduleKeyDeletion', 'kms:DescribeKey', 'kms:ReplicateKey', 'kms:ListGrants',
];
const GRANT_ACTION = /^kms:(CreateGrant|ListGrants|RevokeGrant)$/i;
const EC_ACTIONS = new Set(['kms:decrypt', 'kms:encrypt', 'kms:generatedatakey', 'kms:creategrant']);

export const ALLOW_KMS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };

/** One concrete principal of a class, as the engine sees it. */
interface Member {
  readonly principal: string;
  readonly identityPolicies?: object[];
  /** Service members: the source context (aws:SourceAccount, …) they send. */
  readonly context?: Record<string, string>;
}

export interface PrincipalClass {
  readonly label: string;
  readonly subject: Subject;
  readonly members: readonly Member[];
  readonly isService: boolean;
}

export interface Tuple {
  readonly cls: PrincipalClass;
  readonly action: string;
  readonly context: RequestContext;
}

export interface Variant {
  readonly principal: string;
  readonly identityPolicies?: object[];
  readonly context: Record<string, string>;
}

export interface EngineResult {
  readonly variant: Variant;
  readonly decision: KeyAccessDecision | 'error';
  readonly error?: string;
}

export type Verdict =
  /** the evaluator says denied, the engine allows some member */
  | 'unsound-denied'
  /** the evaluator says allowed, the engine denies some member (every member, in the weakest form of the claim) */
  | 'unsound-allowed'
  | 'ok';

export interface Outcome {
  readonly tuple: Tuple;
  readonly answer: Answer;
  readonly engine: readonly EngineResult[];
  /** allowed / denied when every variant agrees, mixed otherwise (error when the engine failed). */
  readonly engineSummary: 'allowed' | 'denied' | 'mixed' | 'error';
  readonly verdict: Verdict;
}

export function modelOf(policy: Json): PolicyModel {
  return readPolicy(policy, (v) => renderString(HOST, SCOPE, v));
}

export function evaluatorOf(policy: Json): KeyPolicyEvaluator {
  return new KeyPolicyEvaluator(modelOf(policy), ENV);
}

// ---------------------------------------------------------------------------------------------
// Classes, actions, contexts
// ---------------------------------------------------------------------------------------------

const NAMED = /^arn:aws:(iam::(\d{12}):(role|user)\/([A-Za-z0-9+=,.@_-]+)|sts::(\d{12}):assumed-role\/([A-Za-z0-9+=,.@_-]+)\/([A-Za-z0-9+=,.@_-]+))$/;

/** Every string of a JSON value. */
function strings(value: Json, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}

/** The role, user and session ARNs a policy names literally (in principals or condition values). */
export function namedIdentities(policy: Json): string[] {
  return [...new Set(strings(policy.Statement).filter((s) => NAMED.test(s)))].sort();
}

/** The service principals a policy names, plus one it does not name. */
export function servicesOf(policy: Json): string[] {
  const out = new Set<string>();
  for (const s of [policy.Statement].flat()) {
    for (const p of [s.Principal, s.NotPrincipal]) {
      if (p && typeof p === 'object' && p.Service !== undefined) [p.Service].flat().forEach((v: string) => out.add(v));
    }
  }
  out.add('events.amazonaws.com');
  return [...out].sort();
}

function accountLabel(account: string): string {
  return account === ANOTHER_ACCOUNT ? `ANOTHER(${FRESH_ACCOUNTS.join('|')})` : account;
}

/** The principal classes of a policy, each with its concrete members for the engine. */
export function classesOf(policy: Json): PrincipalClass[] {
  const classes: PrincipalClass[] = [];
  for (const arn of namedIdentities(policy)) {
    const m = NAMED.exec(arn)!;
    const account = m[2] ?? m[5];
    // A role is any session of it: the engine sees the role ARN and a session it was never named by.
    const principals = m[3] === 'role' ? [arn, `arn:aws:sts::${account}:assumed-role/${m[4]}/${ANOTHER_SESSION}`] : [arn];
    for (const iam of ['none', 'kms-all'] as const) {
      classes.push({
        label: `named ${arn} iam=${iam}`,
        subject: { kind: 'named', arn: renderString(HOST, SCOPE, arn)!, account, iam },
        members: principals.map((principal) => ({ principal, identityPolicies: iam === 'kms-all' ? [ALLOW_KMS] : [] })),
        isService: false,
      });
    }
  }
  for (const account of [OWN, OTHER, ANOTHER_ACCOUNT]) {
    const concrete = account === ANOTHER_ACCOUNT ? FRESH_ACCOUNTS : [account];
    classes.push({
      label: `root-user ${accountLabel(account)}`,
      subject: { kind: 'root-user', account },
      members: concrete.map((a) => ({ principal: `arn:aws:iam::${a}:root` })),
      isService: false,
    });
    for (const iam of ['none', 'kms-all'] as const) {
      classes.push({
        label: `other-iam ${accountLabel(account)} iam=${iam}`,
        subject: { kind: 'other-iam', account, iam },
        members: concrete.map((a) => ({ principal: `arn:aws:iam::${a}:role/${SOMEONE_ELSE}`, identityPolicies: iam === 'kms-all' ? [ALLOW_KMS] : [] })),
        isService: false,
      });
    }
  }
  for (const service of servicesOf(policy)) {
    for (const forAccount of [OWN, ANOTHER_ACCOUNT]) {
      const concrete = forAccount === ANOTHER_ACCOUNT ? FRESH_ACCOUNTS.slice(0, 2) : [forAccount];
      // What the service really sends: CloudTrail names its trail, SNS (and, for want of a
      // better model, every other service) a topic.
      const members: Member[] = concrete.map((a) => ({
        principal: service,
        context: service === 'cloudtrail.amazonaws.com' ? <Record<string, string>>{
          'aws:SourceAccount': a,
          'aws:SourceArn': `arn:aws:cloudtrail:${REGION}:${a}:trail/t`,
          'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:${REGION}:${a}:trail/t`,
        } : <Record<string, string>>{
          'aws:SourceAccount': a,
          'aws:SourceArn': `arn:aws:sns:${REGION}:${a}:t`,
          'kms:EncryptionContext:aws:sns:topicArn': `arn:aws:sns:${REGION}:${a}:t`,
        },
      }));
      // A service may also call without a source (the evaluator allows for it: the keys may be absent).
      members.push({ principal: service, context: {} });
      classes.push({
        label: `service ${service} for ${accountLabel(forAccount)}`,
        subject: { kind: 'service', service, forAccount },
        members,
        isService: true,
      });
    }
  }
  return classes;
}

/** The request contexts asked for an action: direct and through a service; grants for an AWS resource or not. */
export function contextsFor(action: string, isService: boolean): RequestContext[] {
  if (GRANT_ACTION.test(action)) {
    const base: RequestContext[] = [{ grantForAwsResource: true }, { grantForAwsResource: false }];
    return isService ? base : [...base, { via: 's3', grantForAwsResource: true }, { via: 's3', grantForAwsResource: false }];
  }
  return isService ? [{}] : [{}, { via: 's3' }];
}

export function tuplesOf(policy: Json): Tuple[] {
  const out: Tuple[] = [];
  for (const cls of classesOf(policy)) {
    for (const action of ACTIONS) {
      for (const context of contextsFor(action, cls.isService)) out.push({ cls, action, context });
    }
  }
  return out;
}

/** The engine requests of a tuple: members × the concrete forms of its context. */
export function variantsOf(tuple: Tuple): Variant[] {
  const contexts: Array<Record<string, string>> = [{}];
  if (tuple.context.via !== undefined) contexts[0]['kms:ViaService'] = `${tuple.context.via}.${REGION}.amazonaws.com`;
  if (tuple.context.grantForAwsResource === true) {
    contexts[0]['kms:GrantIsForAWSResource'] = 'true';
  } else if (tuple.context.grantForAwsResource === false) {
    // "Not for an AWS resource": KMS sends false, or nothing.
    contexts.push({ ...contexts[0] });
    contexts[0]['kms:GrantIsForAWSResource'] = 'false';
  }
  const out: Variant[] = [];
  for (const member of tuple.cls.members) {
    for (const context of contexts) {
      const memberContext = { ...(member.context ?? {}) };
      if (!EC_ACTIONS.has(tuple.action.toLowerCase())) {
        for (const key of Object.keys(memberContext)) if (key.startsWith('kms:EncryptionContext:')) delete memberContext[key];
      }
      out.push({ principal: member.principal, identityPolicies: member.identityPolicies, context: { ...memberContext, ...context } });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------

export async function runEngine(policy: Json, action: string, variant: Variant): Promise<EngineResult> {
  try {
    const decision = await evaluateKeyAccess({
      keyPolicy: policy,
      keyArn: KEY_ARN,
      principalArn: variant.principal,
      action,
      identityPolicies: variant.identityPolicies,
      context: variant.context,
      ignoreInapplicableContext: true,
    });
    return { variant, decision };
  } catch (e) {
    return { variant, decision: 'error', error: (e as Error).message };
  }
}

export function summarize(engine: readonly EngineResult[]): Outcome['engineSummary'] {
  if (engine.some((r) => r.decision === 'error')) return 'error';
  const allowed = engine.filter((r) => r.decision === 'Allowed').length;
  return allowed === engine.length ? 'allowed' : allowed === 0 ? 'denied' : 'mixed';
}

export function verdictOf(decision: Decision, engineSummary: Outcome['engineSummary']): Verdict {
  if (engineSummary === 'error') return 'ok';
  if (decision === 'denied' && engineSummary !== 'denied') return 'unsound-denied';
  // "allowed" claims every member is allowed: one denied member refutes it (stricter than "all denied").
  if (decision === 'allowed' && engineSummary !== 'allowed') return 'unsound-allowed';
  return 'ok';
}

export async function compare(policy: Json, evaluator: KeyPolicyEvaluator, tuple: Tuple): Promise<Outcome> {
  const answer = evaluator.evaluate(tuple.cls.subject, tuple.action, tuple.context);
  const engine: EngineResult[] = [];
  for (const variant of variantsOf(tuple)) engine.push(await runEngine(policy, tuple.action, variant));
  const engineSummary = summarize(engine);
  return { tuple, answer, engine, engineSummary, verdict: verdictOf(answer.decision, engineSummary) };
}

/** `k` tuples of a policy, uniformly at random (all of them when `k` is undefined). */
export function sampleTuples(policy: Json, rng: Rng, k: number | undefined): Tuple[] {
  const all = tuplesOf(policy);
  return k === undefined ? all : rng.sample(all, k);
}

// ---------------------------------------------------------------------------------------------
// Reporting and shrinking
// ---------------------------------------------------------------------------------------------

export function describeContext(context: RequestContext): string {
  const parts: string[] = [];
  if (context.via !== undefined) parts.push(`via ${context.via}`);
  if (context.grantForAwsResource !== undefined) parts.push(`grantForAwsResource=${context.grantForAwsResource}`);
  return parts.length === 0 ? 'direct' : parts.join(', ');
}

/** The policy without what every statement repeats. */
export function compactPolicy(policy: Json): string {
  return JSON.stringify([policy.Statement].flat().map((s: Json) => {
    const { Resource: _r, ...rest } = s;
    return rest;
  }));
}

export function describeOutcome(policy: Json, outcome: Outcome, note?: string): string {
  const engine = outcome.engine.map((r) => {
    const ctx = Object.entries(r.variant.context).map(([k, v]) => `${k}=${v}`).join(',');
    const iam = r.variant.identityPolicies && r.variant.identityPolicies.length > 0 ? ' +iam kms:*' : '';
    return `${r.variant.principal}${iam}${ctx ? ` {${ctx}}` : ''}: ${r.decision}${r.error ? ` (${r.error})` : ''}`;
  });
  return [
    `${outcome.verdict}: ${outcome.tuple.cls.label} | ${outcome.tuple.action} | ${describeContext(outcome.tuple.context)}`,
    `  evaluator: ${outcome.answer.decision} — ${outcome.answer.because.join('; ')}`,
    `  engine:    ${engine.join('\n             ')}`,
    `  policy:    ${compactPolicy(policy)}${note ? `\n  corpus:    ${note}` : ''}`,
  ].join('\n');
}

/** Smaller policies than `policy`: a statement, a condition, a value, an action or a principal less. */
function* smaller(policy: Json): Generator<Json> {
  const statements: Json[] = [policy.Statement].flat();
  const copy = () => JSON.parse(JSON.stringify(policy));
  for (let i = 0; i < statements.length; i++) {
    if (statements.length > 1) {
      const p = copy();
      p.Statement.splice(i, 1);
      yield p;
    }
  }
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    if (s.Sid !== undefined) {
      const p = copy();
      delete p.Statement[i].Sid;
      yield p;
    }
    for (const [operator, block] of Object.entries<Json>(s.Condition ?? {})) {
      for (const [key, values] of Object.entries<Json>(block)) {
        const p = copy();
        delete p.Statement[i].Condition[operator][key];
        if (Object.keys(p.Statement[i].Condition[operator]).length === 0) delete p.Statement[i].Condition[operator];
        if (Object.keys(p.Statement[i].Condition).length === 0) delete p.Statement[i].Condition;
        yield p;
        if (Array.isArray(values) && values.length > 1) {
          for (let j = 0; j < values.length; j++) {
            const q = copy();
            const rest = values.filter((_v: string, k: number) => k !== j);
            q.Statement[i].Condition[operator][key] = rest.length === 1 ? rest[0] : rest;
            yield q;
          }
        }
      }
    }
    for (const field of ['Action', 'NotAction']) {
      if (Array.isArray(s[field]) && s[field].length > 1) {
        // Halves first, then one less: admin lists are long.
        const half = Math.ceil(s[field].length / 2);
        for (const part of [s[field].slice(0, half), s[field].slice(half)]) {
          const p = copy();
          p.Statement[i][field] = part.length === 1 ? part[0] : part;
          yield p;
        }
        for (let j = 0; j < s[field].length; j++) {
          const p = copy();
          const rest = s[field].filter((_a: string, k: number) => k !== j);
          p.Statement[i][field] = rest.length === 1 ? rest[0] : rest;
          yield p;
        }
      }
    }
    for (const field of ['Principal', 'NotPrincipal']) {
      const value = s[field];
      if (!value || typeof value !== 'object') continue;
      const types = Object.keys(value);
      for (const type of types) {
        if (types.length > 1) {
          const p = copy();
          delete p.Statement[i][field][type];
          yield p;
        }
        if (Array.isArray(value[type]) && value[type].length > 1) {
          for (let j = 0; j < value[type].length; j++) {
            const p = copy();
            const rest = value[type].filter((_v: string, k: number) => k !== j);
            p.Statement[i][field][type] = rest.length === 1 ? rest[0] : rest;
            yield p;
          }
        }
      }
    }
  }
}

/**
 * The smallest policy (by greedy deletion) on which the same tuple is still unsound the same way,
 * judged by `evaluatorFor` (the real evaluator, or a mutated one).
 */
export async function shrink(policy: Json, tuple: Tuple, verdict: Verdict,
  evaluatorFor: (policy: Json) => KeyPolicyEvaluator = evaluatorOf): Promise<{ policy: Json; outcome: Outcome }> {
  let current = policy;
  let outcome = await compare(current, evaluatorFor(current), tuple);
  let progress = true;
  while (progress) {
    progress = false;
    for (const candidate of smaller(current)) {
      const o = await compare(candidate, evaluatorFor(candidate), tuple);
      if (o.verdict === verdict) {
        current = candidate;
        outcome = o;
        progress = true;
        break;
      }
    }
  }
  return { policy: current, outcome };
}
