import { ADMINISTER_ACTIONS, CRYPTOGRAPHIC_ACTIONS, REVOKE_GRANT } from './actions';
import { PolicyModel } from './document';
import { ANOTHER_ACCOUNT, Answer, KeyEnvironment, KeyPolicyEvaluator, principalShape, RequestContext, Subject } from './evaluator';
import { hasPlaceholder, match, requestValue } from './match';

/**
 * The invariants of DESIGN.md as questions to the evaluator: who may do what with the key. Each
 * answer that is not "denied" where the invariant needs "denied" is a forbidden cell.
 */

/** Which invariant a cell breaks. */
export type InvariantId =
  /** one principal both administers and uses the key */
  | 'separation'
  /** the account root, or an IAM principal of the key's account that is not named, uses the key */
  | 'account-use'
  /** any principal of the key's account, even without an IAM policy, administers the key */
  | 'account-admin'
  /** a principal of another account that is not named uses the key */
  | 'other-account-use'
  /** a principal of another account, named or not, administers the key */
  | 'other-account-admin'
  /** an AWS service acting for another account uses the key */
  | 'service-confused-deputy'
  /** a named user administers the key through the IAM policies of the account */
  | 'user-admin-through-iam'
  /** a named principal creates grants that are not for an AWS resource, handing use on */
  | 'grants-outside-aws-resources';

export interface ForbiddenCell {
  readonly invariant: InvariantId;
  /** Who, in plain words. */
  readonly who: string;
  /** What they may do, in plain words, with the actions. */
  readonly what: string;
  /** allowed, or depends (and on what). */
  readonly answer: Answer;
}

/** The principals a question names, with how messages name them. */
export interface NamedSubject {
  readonly subject: Subject;
  readonly label: string;
}

const DIRECT: RequestContext = {};
const THROUGH_A_SERVICE: RequestContext = { via: '*' };
const NOT_FOR_AN_AWS_RESOURCE: RequestContext = { grantForAwsResource: false };
/**
 * Grants that hand use on: not for an AWS resource, or for one through a service the policy does
 * not name. A grant for an AWS resource through a named service (DynamoDB creating a table) is
 * resource creation.
 */
const GRANTS_THAT_USE: readonly RequestContext[] = [
  NOT_FOR_AN_AWS_RESOURCE,
  { via: '*', grantForAwsResource: false },
  { grantForAwsResource: true },
  { via: '*', grantForAwsResource: true },
];

/**
 * What it takes to use the key: a cryptographic action, directly or through a service (each the
 * policy names in kms:ViaService, and one it does not), or a grant that hands use on.
 */
export function useAnswer(evaluator: KeyPolicyEvaluator, subject: Subject, vias: readonly string[] = []): { answer: Answer; actions: string[] } {
  const found = new Map<string, Answer>();
  if (!evaluator.mayAllowSomething(subject)) return summarize(found);
  const throughNamed = vias.map((via): RequestContext => ({ via }));
  for (const action of CRYPTOGRAPHIC_ACTIONS) {
    for (const context of [DIRECT, THROUGH_A_SERVICE, ...throughNamed]) {
      if (subject.kind === 'service' && context.via) continue;
      const answer = evaluator.evaluate(subject, action, context);
      if (answer.decision !== 'denied' && !found.has(action)) found.set(action, answer);
    }
  }
  for (const context of [...GRANTS_THAT_USE, ...vias.map((via): RequestContext => ({ via, grantForAwsResource: false }))]) {
    if (subject.kind === 'service' && context.via) continue;
    const grant = evaluator.evaluate(subject, 'kms:CreateGrant', context);
    if (grant.decision !== 'denied' && !found.has('kms:CreateGrant')) found.set('kms:CreateGrant', grant);
  }
  return summarize(found);
}

/**
 * Administration a key policy hands to a principal of another account, as written: every action
 * that changes the key, and revoking its grants (which KMS honours across accounts), whether or
 * not KMS would honour the rest.
 */
export function crossAccountAdminAnswer(evaluator: KeyPolicyEvaluator, subject: Subject): { answer: Answer; actions: string[] } {
  const found = new Map<string, Answer>();
  if (!evaluator.mayAllowSomething(subject)) return summarize(found);
  for (const action of [...ADMINISTER_ACTIONS, REVOKE_GRANT]) {
    const answer = evaluator.evaluate(subject, action, { asWritten: true });
    if (answer.decision !== 'denied') found.set(action, answer);
  }
  return summarize(found);
}

/** What it takes to administer the key: any action that changes it, its policy, material or Regions. */
export function adminAnswer(evaluator: KeyPolicyEvaluator, subject: Subject): { answer: Answer; actions: string[] } {
  const found = new Map<string, Answer>();
  if (!evaluator.mayAllowSomething(subject)) return summarize(found);
  for (const action of ADMINISTER_ACTIONS) {
    const answer = evaluator.evaluate(subject, action, DIRECT);
    if (answer.decision !== 'denied') found.set(action, answer);
  }
  return summarize(found);
}

function summarize(found: Map<string, Answer>): { answer: Answer; actions: string[] } {
  if (found.size === 0) return { answer: { decision: 'denied', because: [] }, actions: [] };
  const answers = [...found.values()];
  const decision = answers.some((a) => a.decision === 'allowed') ? 'allowed' : 'depends';
  const because = [...new Set(answers.flatMap((a) => a.because))];
  return { answer: { decision, because }, actions: [...found.keys()] };
}

/** The classes of principals a policy speaks of, and the services it names in kms:ViaService. */
export interface PolicySubjects {
  readonly named: NamedSubject[];
  readonly accounts: string[];
  readonly services: string[];
  readonly vias: string[];
}

/**
 * The principal classes of a policy: each named identity (a session as its role, also those
 * named by `aws:PrincipalArn`), the key account's root user and other IAM principals, every
 * other account named and one that is not, and each service named, acting for another account.
 */
export function subjectsOf(policy: PolicyModel, env: KeyEnvironment): PolicySubjects {
  const named = new Map<string, NamedSubject>();
  const vias = new Set<string>();
  const accounts = new Set<string>();
  const services = new Set<string>();
  const addIdentity = (value: string) => {
    const shape = principalShape({ type: 'AWS', value });
    if ((shape.kind === 'identity' || shape.kind === 'session') && shape.account) {
      const arn = shape.identity!;
      if (!named.has(arn)) named.set(arn, { subject: { kind: 'named', arn, account: shape.account, iam: 'unknown' }, label: labelOf(arn) });
      accounts.add(shape.account);
    } else if (shape.kind === 'account' && shape.account) {
      accounts.add(shape.account);
    }
  };
  for (const statement of policy.statements) {
    for (const principal of statement.principals) {
      if (principal.type === 'Service') services.add(principal.value);
      else if (principal.type === 'AWS') addIdentity(principal.value);
    }
    for (const clause of statement.conditions) {
      // Each service a kms:ViaService value names is asked about; a pattern, through a value it matches.
      if (clause.key.toLowerCase() === 'kms:viaservice') {
        clause.values.filter((v) => !v.includes('${')).forEach((v) => vias.add(v.replace(/[*?]/g, 'x')));
      }
      // An account a condition names is asked about like one a principal names.
      if (['aws:principalaccount', 'kms:calleraccount'].includes(clause.key.toLowerCase())) {
        clause.values.filter((v) => /^\d{12}$/.test(v)).forEach((v) => accounts.add(v));
      }
      if (clause.key.toLowerCase() !== 'aws:principalarn') continue;
      for (const value of clause.values) if (!/[*?]|\$\{/.test(value)) addIdentity(value);
    }
  }
  const otherAccounts = [...accounts].filter((a) => match(env.account, a, { wildcards: false, ignoreCase: false }) !== 'TRUE');
  return {
    named: [...named.values()],
    accounts: [...otherAccounts, ANOTHER_ACCOUNT],
    // One service the policy does not name: no literal of the policy spells it.
    services: [...services, `${requestValue.fresh('service')}.amazonaws.com`],
    vias: [...vias],
  };
}

/**
 * Every forbidden cell of a key policy. With `onlyNamed`, the named principals asked about are
 * only those (their ARNs as rendered): a change that only adds library-built statements for some
 * principals cannot change what the others may do.
 */
export function forbiddenCells(policy: PolicyModel, env: KeyEnvironment, onlyNamed?: ReadonlySet<string>): ForbiddenCell[] {
  const evaluator = new KeyPolicyEvaluator(policy, env);
  const cells: ForbiddenCell[] = [];
  const subjects = subjectsOf(policy, env);
  const { accounts, services, vias } = subjects;
  const use = (subject: Subject) => useAnswer(evaluator, subject, vias);
  const named = onlyNamed ? subjects.named.filter((n) => n.subject.kind === 'named' && onlyNamed.has(n.subject.arn)) : subjects.named;
  const add = (invariant: InvariantId, who: string, verb: string, result: { answer: Answer; actions: string[] }) => {
    if (result.answer.decision === 'denied') return;
    cells.push({ invariant, who, what: `${verb} (${result.actions.join(', ')})`, answer: result.answer });
  };

  for (const { subject, label } of named) {
    const admin = adminAnswer(evaluator, subject);
    if (admin.answer.decision === 'denied') continue;
    const usage = use(subject);
    if (usage.answer.decision === 'denied') continue;
    // Administration that only an IAM policy could add is a warning-level finding of its own.
    const direct = adminAnswer(evaluator, { ...subject, iam: 'none' } as Subject);
    if (direct.answer.decision === 'denied') {
      add('user-admin-through-iam', label, 'use the key and, through an IAM policy of its account, administer it', admin);
    } else {
      add('separation', label, `both administer (${admin.actions.join(', ')}) and use`, usage);
    }
  }

  const own = env.account;
  add('account-admin', 'any IAM principal of the key\'s account, even one without an IAM policy', 'administer the key',
    adminAnswer(evaluator, { kind: 'other-iam', account: own, iam: 'none' }));
  add('account-use', 'any IAM principal of the key\'s account, even one without an IAM policy', 'use the key',
    use({ kind: 'other-iam', account: own, iam: 'none' }));
  add('account-use', 'the account root user', 'use the key', use({ kind: 'root-user', account: own }));
  add('account-use', 'an IAM principal of the key\'s account that the key policy does not name (with an IAM policy allowing kms:*)', 'use the key',
    use({ kind: 'other-iam', account: own, iam: 'kms-all' }));

  // Cross-account administrators are an error (invariant 4), whether or not KMS would honour
  // each action across accounts: ListGrants and RevokeGrant work, and the rest says who the key
  // policy trusts.
  for (const { subject, label } of named) {
    // Only an account that is certainly another: a literal account in an environment-agnostic stack is most often its own.
    if (subject.kind !== 'named' || match(own, subject.account, { wildcards: false, ignoreCase: false }) !== 'FALSE') continue;
    add('other-account-admin', `${label}, of another account,`, 'administer the key', crossAccountAdminAnswer(evaluator, subject));
  }
  for (const account of accounts) {
    if (account !== ANOTHER_ACCOUNT && match(own, account, { wildcards: false, ignoreCase: false }) !== 'FALSE') continue;
    const root = account === ANOTHER_ACCOUNT ? 'the root user of another AWS account' : `the root user of account ${labelOf(account)}`;
    add('other-account-admin', root, 'administer the key', crossAccountAdminAnswer(evaluator, { kind: 'root-user', account }));
    add('other-account-admin', account === ANOTHER_ACCOUNT ? 'a principal of another AWS account' : `a principal of account ${labelOf(account)}`,
      'administer the key', crossAccountAdminAnswer(evaluator, { kind: 'other-iam', account, iam: 'kms-all' }));
  }
  for (const account of accounts) {
    const who = account === ANOTHER_ACCOUNT ? 'a principal of another AWS account' : `a principal of account ${labelOf(account)} that the key policy does not name`;
    add('other-account-use', who, 'use the key', use({ kind: 'other-iam', account, iam: 'kms-all' }));
    add('other-account-use', account === ANOTHER_ACCOUNT ? 'the root user of another AWS account' : `the root user of account ${labelOf(account)}`, 'use the key',
      use({ kind: 'root-user', account }));
  }
  for (const service of services) {
    const who = hasPlaceholder(service) ? 'an AWS service acting for another account' : `${service} acting for a resource of another account`;
    add('service-confused-deputy', who, 'use the key', use({ kind: 'service', service, forAccount: ANOTHER_ACCOUNT }));
  }
  return dedupe(cells).sort((a, b) => RANK.indexOf(a.invariant) - RANK.indexOf(b.invariant));
}

/** The order cells are told in: the widest opening first. */
const RANK: readonly InvariantId[] = [
  'other-account-use', 'other-account-admin', 'account-admin', 'account-use', 'service-confused-deputy', 'separation', 'grants-outside-aws-resources', 'user-admin-through-iam',
];

/** Named principals that may create grants not for an AWS resource: they can hand the key on outside the policy. */
export function grantCells(policy: PolicyModel, env: KeyEnvironment): ForbiddenCell[] {
  const evaluator = new KeyPolicyEvaluator(policy, env);
  const cells: ForbiddenCell[] = [];
  for (const { subject, label } of subjectsOf(policy, env).named) {
    const answer = evaluator.evaluate(subject, 'kms:CreateGrant', NOT_FOR_AN_AWS_RESOURCE);
    if (answer.decision !== 'denied') {
      cells.push({ invariant: 'grants-outside-aws-resources', who: label, what: 'create grants that are not for an AWS resource (kms:CreateGrant)', answer });
    }
  }
  return cells;
}

/** The same class reached twice (an account named and the unnamed one) is said once. */
function dedupe(cells: ForbiddenCell[]): ForbiddenCell[] {
  const seen = new Set<string>();
  return cells.filter((c) => {
    const key = `${c.invariant}|${c.who}|${c.what}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A rendered value as people read it: placeholders named. */
export function labelOf(value: string): string {
  return value
    .replace(/\u0000P\.AccountId\u0000/gi, '<this account>')
    .replace(/\u0000P\.Partition\u0000/gi, 'aws')
    .replace(/\u0000P\.Region\u0000/gi, '<this Region>')
    .replace(/\u0000A\.[^\u0000]*\u0000/g, '<another account>')
    .replace(/\u0000X\?\d+\u0000/g, '<unresolved>')
    .replace(/\u0000X\d+\.([^\u0000]*)\u0000/g, '<parameter $1>')
    .replace(/\u0000R[^\u0000.]*\.([^\u0000]*)\u0000/g, '<$1 of a resource of the app>')
    .replace(/\u0000U\.[^\u0000]*\u0000/g, '*');
}

/** A forbidden cell in one sentence. */
export function describeCell(cell: ForbiddenCell): string {
  const how = cell.answer.decision === 'allowed' ? 'can' : 'may, depending on IAM policies or values known only at deployment,';
  return `${cell.who} ${how} ${cell.what}: ${cell.answer.because.join('; ')}`;
}
