import { CRYPTOGRAPHIC_ACTIONS } from './actions';
import { PolicyModel, PolicyStatementModel } from './document';
import { actionMatches, clauseMatches, KeyState } from './evaluator';
import { match, requestValue, Tri, tri } from './match';

/**
 * Whether an IAM identity policy lets its principals use KMS keys it does not name: any key of
 * any account that lets IAM policies decide (the KMS default key policy does). "Use" is what the
 * key policy model calls it: a cryptographic action, or `kms:CreateGrant` for anything but an AWS
 * resource, which hands the cryptographic actions on.
 *
 * The question is asked of a key whose ARN, tags, aliases and encryption context the policy does
 * not spell, requested directly or through an AWS service the policy does not name. Conditions
 * on those keys (kms:ViaService, aws:CalledVia*, aws:ResourceTag/*, kms:ResourceAliases,
 * kms:RequestAlias, kms:EncryptionContext:*, kms:EncryptionContextKeys) are evaluated as IAM
 * does, with the key present or absent; conditions on anything else (the caller's network, MFA,
 * tags, time, account) describe when the principal may act, not which key, and the principal is
 * taken to meet them: they neither restrict an Allow nor certainly apply a Deny.
 */
export interface UnscopedKeyUse {
  readonly decision: 'allowed' | 'depends';
  /** The use actions allowed on keys the policy does not name. */
  readonly actions: string[];
  /** The statements (`Statement[0] (Sid X)`) that allow them. */
  readonly statements: string[];
}

const USE_ACTIONS = [...CRYPTOGRAPHIC_ACTIONS, 'kms:CreateGrant'];
const PARTITION = '\u0000P.Partition\u0000';
/** A key no literal of the policy names, in any Region and account. */
const ANY_KEY = `arn:${PARTITION}:kms:${requestValue.segment}:${requestValue.segment}:key/${requestValue.fresh('key')}`;
const ANOTHER_SERVICE = requestValue.fresh('service');

const ABSENT: KeyState = { mayBeAbsent: true };
const is = (value: string): KeyState => ({ mayBeAbsent: false, present: [value] });

/** Condition keys that say how the request reaches KMS: fixed by the context. */
const CONTEXT_KEYS = ['kms:viaservice', 'aws:viaawsservice', 'aws:calledvia', 'aws:calledviafirst', 'aws:calledvialast', 'kms:grantisforawsresource'];
/** Condition keys that describe the key or the data: absent, or a value the policy does not spell. */
const KEY_ATTRIBUTE = /^(aws:resourcetag\/.+|kms:resourcealiases|kms:requestalias|kms:encryptioncontext:.+|kms:encryptioncontextkeys)$/;
/** Beyond this many attribute keys in one policy, each is asked about on its own. */
const MAX_ATTRIBUTES = 6;

export function unscopedKeyUse(policy: PolicyModel): UnscopedKeyUse | undefined {
  const keys = policy.statements.flatMap((s) => s.conditions.map((c) => c.key.toLowerCase()));
  const attributes = [...new Set(keys.filter((k) => KEY_ATTRIBUTE.test(k)))];
  const assignments = attributes.length > MAX_ATTRIBUTES ? attributes.map((k) => [k]) : subsets(attributes);
  const found = new Map<string, Tri>();
  const because = new Set<string>();
  for (const action of USE_ACTIONS) {
    let answer: Tri = 'FALSE';
    for (const via of [false, true]) {
      for (const present of assignments) {
        const request = requestFor(action, via, attributes, new Set(present));
        let allow: Tri = 'FALSE';
        let deny: Tri = 'FALSE';
        const allowing: string[] = [];
        for (const statement of policy.statements) {
          const mayAllow = statement.effect !== 'Deny';
          const mayDeny = statement.effect !== 'Allow';
          const acts = actionMatches(statement, action);
          if (acts === 'FALSE') continue;
          if (mayAllow) {
            let applies = tri.and(tri.and(acts, coversSomeKey(statement)), conditionsHold(statement, request, 'Allow'));
            if (statement.effect === undefined) applies = tri.and(applies, 'MAYBE');
            if (applies !== 'FALSE') allowing.push(statement.where);
            allow = tri.or(allow, applies);
          }
          if (mayDeny) {
            let applies = tri.and(tri.and(acts, coversEveryKey(statement)), conditionsHold(statement, request, 'Deny'));
            if (statement.effect === undefined) applies = tri.and(applies, 'MAYBE');
            deny = tri.or(deny, applies);
          }
        }
        const use = tri.and(allow, tri.not(deny));
        if (use !== 'FALSE') allowing.forEach((w) => because.add(w));
        answer = tri.or(answer, use);
      }
    }
    if (answer !== 'FALSE') found.set(action, answer);
  }
  if (found.size === 0) return undefined;
  const allowed = [...found.entries()].filter(([, a]) => a === 'TRUE').map(([a]) => a);
  return {
    decision: allowed.length > 0 ? 'allowed' : 'depends',
    actions: allowed.length > 0 ? allowed : [...found.keys()],
    statements: [...because],
  };
}

function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((all, item) => [...all, ...all.map((s) => [...s, item])], [[]]);
}

function requestFor(action: string, via: boolean, attributes: readonly string[], present: ReadonlySet<string>): Map<string, KeyState> {
  const request = new Map<string, KeyState>();
  request.set('kms:viaservice', via ? is(`${ANOTHER_SERVICE}.${requestValue.segment}.amazonaws.com`) : ABSENT);
  request.set('aws:viaawsservice', is(via ? 'true' : 'false'));
  for (const k of ['aws:calledvia', 'aws:calledviafirst', 'aws:calledvialast']) request.set(k, via ? is(`${ANOTHER_SERVICE}.amazonaws.com`) : ABSENT);
  // A grant that hands use on is not for an AWS resource.
  request.set('kms:grantisforawsresource', /^kms:creategrant$/i.test(action) ? is('false') : ABSENT);
  for (const key of attributes) request.set(key, present.has(key) ? is(requestValue.fresh('value')) : ABSENT);
  return request;
}

function conditionsHold(statement: PolicyStatementModel, request: Map<string, KeyState>, as: 'Allow' | 'Deny'): Tri {
  let result: Tri = 'TRUE';
  for (const clause of statement.conditions) {
    const key = clause.key.toLowerCase();
    const modelled = CONTEXT_KEYS.includes(key) || KEY_ATTRIBUTE.test(key);
    // Any other key is the principal's to meet: it meets an Allow's, and avoids a Deny's.
    const holds = modelled ? clauseMatches(clause.operator, clause.key, clause.values, request) : as === 'Allow' ? 'TRUE' : 'FALSE';
    result = tri.and(result, holds);
    if (result === 'FALSE') break;
  }
  return result;
}

/** A value of the template only known at deployment: it may be `*`. */
const UNKNOWN = /\u0000X/;

/** Whether Resource (or NotResource) takes in some key the policy does not name. */
function coversSomeKey(statement: PolicyStatementModel): Tri {
  if (statement.resources.length === 0) return statement.notResource ? 'TRUE' : 'FALSE';
  const matches = statement.resources.map((r) => {
    if (r === '*') return 'TRUE';
    const m = match(r, ANY_KEY, { wildcards: true, ignoreCase: false });
    // MAYBE here means "for some Region or account": some key is taken in, unless a value is unknown.
    return m === 'MAYBE' ? (UNKNOWN.test(r) ? 'MAYBE' : 'TRUE') : m;
  });
  if (!statement.notResource) return tri.any(matches);
  // NotResource takes in the keys that none of its values matches: none if one matches them all.
  const all = statement.resources.map((r) => (r === '*' ? 'TRUE' : match(r, ANY_KEY, { wildcards: true, ignoreCase: false })));
  if (all.includes('TRUE')) return 'FALSE';
  return statement.resources.some((r) => UNKNOWN.test(r)) ? 'MAYBE' : 'TRUE';
}

/** Whether a Deny's Resource (or NotResource) takes in every key the policy does not name. */
function coversEveryKey(statement: PolicyStatementModel): Tri {
  if (statement.resources.length === 0) return statement.notResource ? 'TRUE' : 'FALSE';
  const matches = statement.resources.map((r) => (r === '*' ? 'TRUE' : match(r, ANY_KEY, { wildcards: true, ignoreCase: false })));
  return statement.notResource ? tri.not(tri.any(matches)) : tri.any(matches);
}
