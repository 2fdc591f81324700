import { AppIndex, IndexedResource } from './app-index';
import { asObject, unresolved } from './values';
import { PolicyStatementModel, readPolicy } from '../../policy/document';
import { Decision, KeyPolicyEvaluator, principalShape } from '../../policy/evaluator';
import { describeCell, forbiddenCells, ForbiddenCell, grantCells } from '../../policy/invariants';
import { isIntrinsic, placeholder } from '../../template/render';

/** The key policy as CloudFormation will send it, `undefined` when the template sets none. */
export function keyPolicyDocument(resource: IndexedResource): Record<string, unknown> | undefined {
  const policy = resource.properties().KeyPolicy;
  if (policy === undefined) return undefined;
  let document: unknown = policy;
  if (typeof policy === 'string') {
    try {
      document = JSON.parse(policy);
    } catch {
      throw unresolved(resource, 'KeyPolicy', policy);
    }
  }
  const object = asObject(document);
  if (!object || isIntrinsic(object)) throw unresolved(resource, 'KeyPolicy', policy);
  return object;
}

/**
 * Whether the key's policy lets `service`, acting for the key's own account, call `action`
 * directly: allowed, denied or depends (a key without a policy gets the KMS default policy, which
 * names no service).
 */
export function serviceMayUseKey(index: AppIndex, key: IndexedResource, service: string, action: string): Decision {
  const account = key.scope.account ?? placeholder.pseudo('AccountId');
  const env = { account, region: key.scope.region ?? placeholder.pseudo('Region') };
  const document = keyPolicyDocument(key);
  if (!document) return 'denied';
  const policy = readPolicy(document, (value) => index.render(key.scope, value));
  return new KeyPolicyEvaluator(policy, env).evaluate({ kind: 'service', service, forAccount: account }, action).decision;
}

/** The rules that report forbidden cells, each for its own root causes. */
export type KeyPolicyRule = 'KMS1' | 'KMS2' | 'KMS3' | 'KMS4' | 'KMS13' | 'KMS14' | 'KMS19';

/** When one statement opens several cells, the first of these rules reports it, once. */
const PRIORITY: readonly KeyPolicyRule[] = ['KMS3', 'KMS2', 'KMS13', 'KMS19', 'KMS1', 'KMS4', 'KMS14'];

/** How a statement names its principals: what its findings are about. */
type Form = 'open' | 'account' | 'other';

function formOf(statement: PolicyStatementModel): Form {
  if (statement.everyone || statement.notPrincipal) return 'open';
  const kinds = statement.principals.map((p) => principalShape(p).kind);
  if (kinds.some((k) => k === 'unknown' || k === 'everyone')) return 'open';
  return kinds.includes('account') ? 'account' : 'other';
}

/** The rule that reports a cell opened by a statement of this form. */
function ruleOf(cell: ForbiddenCell, form: Form): KeyPolicyRule {
  switch (cell.invariant) {
    case 'separation': return 'KMS1';
    case 'grants-outside-aws-resources': return 'KMS4';
    case 'user-admin-through-iam': return 'KMS14';
    case 'other-account-admin': return 'KMS19';
    case 'service-confused-deputy': return form === 'open' ? 'KMS3' : 'KMS13';
    default: return form === 'account' ? 'KMS2' : 'KMS3';
  }
}

/** The statements a cell rests on (those that allow or may allow it), by index. */
function causes(cell: ForbiddenCell): number[] {
  return cell.answer.because.flatMap((b) => {
    const m = /^Statement\[(\d+)\].*allow/.exec(b);
    return m ? [Number(m[1])] : [];
  });
}

/**
 * The findings of a key's policy by rule, decided by the evaluator: each statement that opens a
 * forbidden cell (a root cause) is reported once, by the first rule that it concerns. A key
 * without `KeyPolicy` gets the KMS default policy, the account root with `kms:*`.
 */
export function keyPolicyFindings(index: AppIndex, resource: IndexedResource): ReadonlyMap<KeyPolicyRule, readonly string[]> {
  const memo = resource.memo.get('keyPolicyFindings') as Map<KeyPolicyRule, string[]> | undefined;
  if (memo) return memo;
  const account = resource.scope.account ?? placeholder.pseudo('AccountId');
  const env = { account, region: resource.scope.region ?? placeholder.pseudo('Region') };
  const document = keyPolicyDocument(resource) ?? {
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
  };
  const policy = readPolicy(document, (value) => index.render(resource.scope, value));
  // Keys of one app often carry the same policy (every key left with the KMS default policy):
  // one evaluation answers for all of them.
  const byText = index.derive('keyPolicyFindingsByText', () => new Map<string, Map<KeyPolicyRule, string[]>>());
  const text = JSON.stringify([env, policy]);
  const same = byText.get(text);
  if (same) {
    resource.memo.set('keyPolicyFindings', same);
    return same;
  }
  const cells = [...forbiddenCells(policy, env), ...grantCells(policy, env)];
  const unknown = policy.unresolved.length > 0 ? ` Values only known at deployment: ${policy.unresolved.join('; ')}.` : '';

  // Each root cause goes to the first rule of PRIORITY among the cells it opens.
  const byCause = new Map<number, { rule: KeyPolicyRule; cell: ForbiddenCell }>();
  const uncaused: Array<{ rule: KeyPolicyRule; cell: ForbiddenCell }> = [];
  for (const cell of cells) {
    const statements = causes(cell);
    if (statements.length === 0) uncaused.push({ rule: ruleOf(cell, 'other'), cell });
    for (const i of statements) {
      const rule = ruleOf(cell, formOf(policy.statements[i]));
      const known = byCause.get(i);
      if (!known || PRIORITY.indexOf(rule) < PRIORITY.indexOf(known.rule)) byCause.set(i, { rule, cell });
    }
  }
  const findings = new Map<KeyPolicyRule, string[]>();
  for (const { rule, cell } of [...byCause.values(), ...uncaused]) {
    const message = describeCell(cell) + unknown;
    const list = findings.get(rule) ?? [];
    if (!list.includes(message)) list.push(message);
    findings.set(rule, list);
  }
  resource.memo.set('keyPolicyFindings', findings);
  byText.set(text, findings);
  return findings;
}
