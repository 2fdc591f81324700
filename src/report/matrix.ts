import { AccessEntry, MatrixColumn, MatrixRow, RowKind } from './model';
import { ADMINISTER_ACTIONS, CRYPTOGRAPHIC_ACTIONS, KMS_ACTION_CATALOGUE, KeyUsageName } from '../policy/actions';
import { PolicyModel } from '../policy/document';
import { ANOTHER_ACCOUNT, Answer, KeyEnvironment, KeyPolicyEvaluator, RequestContext, Subject } from '../policy/evaluator';
import { labelOf, subjectsOf } from '../policy/invariants';
import { hasPlaceholder, match } from '../policy/match';

/**
 * The access matrix of one key policy, asked of the library's evaluator: for each class of
 * principals (rows) and each action in each request context, allowed, denied or depends — and on
 * what. The columns group the answers the way a reviewer asks: administer, use, create grants,
 * through which services.
 */

/** How a principal that the app defines is named in the report, by its rendered ARN. */
export interface PrincipalNamer {
  /** A readable label and a stable id for a rendered principal ARN. */
  name(arn: string): { label: string; id: string; resource?: { stack: string; logicalId: string } };
}

const ALIAS_ACTIONS = ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'];
const NAMED_ADMIN = ['kms:PutKeyPolicy', 'kms:DisableKey', 'kms:ScheduleKeyDeletion', ...ALIAS_ACTIONS];
const GRANT = 'kms:CreateGrant';

/** The cryptographic actions of a key usage (every one when the usage is unknown). */
export function useActions(usage: string): string[] {
  return CRYPTOGRAPHIC_ACTIONS.filter((a) => {
    const usages = KMS_ACTION_CATALOGUE[a.slice('kms:'.length)].usages ?? [];
    return usage === 'unknown' || usages.includes(usage as KeyUsageName);
  });
}

/** The columns of a key of this usage. Encrypt/decrypt keys group their eight actions in four. */
export function columnsFor(usage: string): MatrixColumn[] {
  const use = useActions(usage);
  const administer: MatrixColumn[] = [
    { id: 'administer:policy', label: 'Change policy', group: 'administer', actions: ['kms:PutKeyPolicy'] },
    { id: 'administer:disable', label: 'Disable', group: 'administer', actions: ['kms:DisableKey'] },
    { id: 'administer:delete', label: 'Schedule deletion', group: 'administer', actions: ['kms:ScheduleKeyDeletion'] },
    { id: 'administer:alias', label: 'Re-alias', group: 'administer', actions: ALIAS_ACTIONS },
    { id: 'administer:other', label: 'Other administration', group: 'administer', actions: ADMINISTER_ACTIONS.filter((a) => !NAMED_ADMIN.includes(a)) },
  ];
  const groups: Array<[string, (a: string) => boolean]> = usage === 'ENCRYPT_DECRYPT' ? [
    ['Encrypt', (a) => a === 'kms:Encrypt'],
    ['Decrypt', (a) => a === 'kms:Decrypt'],
    ['ReEncrypt*', (a) => a.startsWith('kms:ReEncrypt')],
    ['GenerateDataKey*', (a) => a.startsWith('kms:GenerateDataKey')],
  ] : use.map((a) => [a.slice('kms:'.length), (b: string) => b === a]);
  const useColumns = groups.map(([label, test]): MatrixColumn => ({ id: `use:${label}`, label, group: 'use', actions: use.filter(test) }));
  return [
    ...administer,
    ...useColumns,
    { id: 'grants', label: 'Create grants', group: 'grants', actions: [GRANT] },
    { id: 'services', label: 'Use through services', group: 'services', actions: use },
  ];
}

interface RowSpec {
  readonly id: string;
  readonly kind: RowKind;
  readonly label: string;
  readonly subject: Subject;
  readonly resource?: { stack: string; logicalId: string };
}

/** The rows: named principals, the account's root user and other principals, other accounts, services. */
function rowsOf(policy: PolicyModel, env: KeyEnvironment, namer: PrincipalNamer): RowSpec[] {
  const subjects = subjectsOf(policy, env);
  const rows: RowSpec[] = [];
  const seen = new Set<string>();
  for (const { subject } of subjects.named) {
    if (subject.kind !== 'named') continue;
    const name = namer.name(subject.arn);
    if (seen.has(name.id)) continue;
    seen.add(name.id);
    rows.push({ id: name.id, kind: 'named', label: name.label, subject, resource: name.resource });
  }
  const own = env.account;
  rows.push({ id: 'account:root-user', kind: 'root-user', label: 'the account root user', subject: { kind: 'root-user', account: own } });
  rows.push({
    id: 'account:without-iam-policy',
    kind: 'account-principals',
    label: 'other IAM principals of the account, without an IAM policy for the key',
    subject: { kind: 'other-iam', account: own, iam: 'none' },
  });
  rows.push({
    id: 'account:with-iam-policy',
    kind: 'account-principals',
    label: 'other IAM principals of the account, with an IAM policy allowing kms:*',
    subject: { kind: 'other-iam', account: own, iam: 'kms-all' },
  });
  for (const account of subjects.accounts) {
    const another = account === ANOTHER_ACCOUNT;
    rows.push({
      id: another ? 'other-account:any' : `other-account:${labelOf(account)}`,
      kind: 'other-account',
      label: another ? 'principals of any other account (with an IAM policy allowing kms:*)'
        : `principals of account ${labelOf(account)} that the policy does not name (with an IAM policy allowing kms:*)`,
      subject: { kind: 'other-iam', account, iam: 'kms-all' },
    });
  }
  for (const service of subjects.services) {
    // The evaluator's stand-in for a service the policy does not name is the one spelled with a placeholder.
    const unnamed = hasPlaceholder(service);
    const name = unnamed ? 'an AWS service the policy does not name' : labelOf(service);
    const id = unnamed ? 'any-service' : labelOf(service);
    rows.push({ id: `service:${id}:this-account`, kind: 'service', label: `${name}, for a resource of this account`, subject: { kind: 'service', service, forAccount: own } });
    rows.push({ id: `service:${id}:another-account`, kind: 'service', label: `${name}, for a resource of another account`, subject: { kind: 'service', service, forAccount: ANOTHER_ACCOUNT } });
  }
  return rows;
}

/** The request contexts asked for an action. */
function contextsFor(action: string, subject: Subject, vias: readonly string[]): Array<[string, RequestContext]> {
  const services: Array<[string, string]> = [...vias.map((v): [string, string] => [`via ${labelOf(v)}`, v]), ['via another service', '*']];
  const isService = subject.kind === 'service';
  if (action === GRANT) {
    const out: Array<[string, RequestContext]> = [
      ['grant for an AWS resource', { grantForAwsResource: true }],
      ['grant not for an AWS resource', { grantForAwsResource: false }],
    ];
    if (!isService) {
      for (const [label, via] of services) {
        out.push([`grant for an AWS resource ${label}`, { via, grantForAwsResource: true }]);
        out.push([`grant not for an AWS resource ${label}`, { via, grantForAwsResource: false }]);
      }
    }
    return out;
  }
  if (ADMINISTER_ACTIONS.includes(action) || isService) return [['direct', {}]];
  return [['direct', {}], ...services.map(([label, via]): [string, RequestContext] => [label, { via }])];
}

/** Every row of the matrix of `policy`, with its non-denied answers. */
export function accessMatrix(policy: PolicyModel, env: KeyEnvironment, usage: string, namer: PrincipalNamer): MatrixRow[] {
  const evaluator = new KeyPolicyEvaluator(policy, env);
  const { vias } = subjectsOf(policy, env);
  const actions = [...ADMINISTER_ACTIONS, ...useActions(usage), GRANT];
  const deployTime = statementsWithDeployTimeValues(policy);
  return rowsOf(policy, env, namer).map((row): MatrixRow => {
    const access: AccessEntry[] = [];
    for (const action of actions) {
      for (const [context, request] of contextsFor(action, row.subject, vias)) {
        const answer = evaluator.evaluate(row.subject, action, request);
        if (answer.decision === 'denied') continue;
        const because = [...answer.because];
        if (answer.decision === 'allowed') {
          access.push({ action, context, decision: 'allowed', because });
        } else {
          access.push({ action, context, decision: 'depends', dependsOn: dependsOn(evaluator, row.subject, action, request, answer, policy, deployTime), because });
        }
      }
    }
    return { id: row.id, kind: row.kind, label: row.label, ...(row.resource ? { resource: row.resource } : {}), access };
  });
}

/**
 * On what a `depends` answer depends: the principal's IAM policy (when its answer changes with
 * it), values known only at deployment, or the conditions of the statements that may allow or
 * deny it.
 */
function dependsOn(
  evaluator: KeyPolicyEvaluator, subject: Subject, action: string, context: RequestContext, answer: Answer,
  policy: PolicyModel, deployTime: ReadonlyMap<number, string[]>,
): string[] {
  const out: string[] = [];
  if (subject.kind === 'named' && subject.iam === 'unknown') {
    const without = evaluator.evaluate({ ...subject, iam: 'none' }, action, context).decision;
    const withAll = evaluator.evaluate({ ...subject, iam: 'kms-all' }, action, context).decision;
    if (without !== withAll) out.push('an IAM policy of the principal');
  }
  for (const reason of answer.because) {
    const m = /^Statement\[(\d+)\][^]*?(may allow|may deny)/.exec(reason);
    if (!m) continue;
    const index = Number(m[1]);
    const statement = policy.statements[index];
    const values = deployTime.get(index);
    if (values && values.length > 0) {
      out.push(`values known only at deployment in ${statement.where}: ${values.join(', ')}`);
    } else if (statement.conditions.length > 0) {
      out.push(`the condition of ${statement.where}: ${[...new Set(statement.conditions.map((c) => `${c.operator} ${c.key}`))].join(', ')}`);
    } else if (!reason.includes('through the IAM policies')
      && [subject.kind === 'named' ? subject.arn : '', ...statement.principals.map((v) => v.value)].some((v) => /\u0000[RX]/.test(v))) {
      out.push(`whether a name generated at deployment is one that ${statement.where} spells`);
    }
  }
  if (out.length === 0) out.push('the request: who sends it, and how');
  return [...new Set(out)];
}

/** Per statement: its values that only deployment fixes (parameters, unresolved values), as people read them. */
function statementsWithDeployTimeValues(policy: PolicyModel): Map<number, string[]> {
  const out = new Map<number, string[]>();
  policy.statements.forEach((s, i) => {
    const values = [...s.principals.map((p) => p.value), ...s.actions, ...s.resources, ...s.conditions.flatMap((c) => c.values)]
      .filter((v) => /\u0000X/.test(v));
    if (values.length > 0) out.set(i, [...new Set(values.map(labelOf))]);
  });
  return out;
}

/** Whether a rendered IAM resource pattern covers the key's ARN. */
export function resourceCovers(pattern: string, keyArn: string): boolean {
  if (pattern === '*') return true;
  return match(pattern, keyArn, { wildcards: true, ignoreCase: false }) !== 'FALSE';
}
