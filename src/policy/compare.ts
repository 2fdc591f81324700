import { PolicyModel } from './document';
import { ANOTHER_ACCOUNT, Decision, KeyEnvironment, KeyPolicyEvaluator, Subject } from './evaluator';
import { adminAnswer, labelOf, subjectsOf, useAnswer } from './invariants';

/** A key policy with the key's account and Region. */
export interface KeyUnderPolicy {
  readonly policy: PolicyModel;
  readonly env: KeyEnvironment;
}

/** One class of principals that two keys treat differently. */
export interface AccessDifference {
  readonly who: string;
  readonly what: 'use' | 'administer';
  readonly first: Decision;
  readonly second: Decision;
  /** The actions one key leaves open (allowed or depends) and the other denies. */
  readonly onlyFirst: readonly string[];
  readonly onlySecond: readonly string[];
}

const REGION = '\u0001region\u0001';

/** A principal class, spelled so that it reads the same in any Region of the set. */
interface RegionalSubject {
  readonly label: string;
  readonly subject: (env: KeyEnvironment) => Subject;
}

/**
 * Where two keys of one multi-Region set differ in who may use or administer them, decided by
 * evaluating both policies for the same principal classes: every principal either policy names,
 * the account root user, the account's other IAM principals with and without an IAM policy,
 * principals of other accounts, and each service either policy names, acting for this account or
 * another. Service names and kms:ViaService values that spell a key's own Region are compared
 * as the same service in the other key's Region.
 */
export function accessDifferences(first: KeyUnderPolicy, second: KeyUnderPolicy): AccessDifference[] {
  const regional = (value: string, env: KeyEnvironment) => (env.region.length > 0 ? value.split(env.region).join(REGION) : value);
  const inRegion = (value: string, env: KeyEnvironment) => value.split(REGION).join(env.region);
  const subjects = new Map<string, RegionalSubject>();
  const vias = new Set<string>();
  const services = new Set<string>();
  const accounts = new Set<string>();
  for (const key of [first, second]) {
    const found = subjectsOf(key.policy, key.env);
    for (const { subject, label } of found.named) {
      if (subject.kind === 'named' && !subjects.has(`named ${subject.arn}`)) subjects.set(`named ${subject.arn}`, { label, subject: () => subject });
    }
    found.vias.forEach((v) => vias.add(regional(v, key.env)));
    found.services.forEach((s) => services.add(regional(s, key.env)));
    found.accounts.filter((a) => a !== ANOTHER_ACCOUNT).forEach((a) => accounts.add(a));
  }
  const add = (label: string, subject: (env: KeyEnvironment) => Subject) => subjects.set(label, { label, subject });
  add('the account root user', (env) => ({ kind: 'root-user', account: env.account }));
  add('any IAM principal of the key\'s account, even one without an IAM policy', (env) => ({ kind: 'other-iam', account: env.account, iam: 'none' }));
  add('an IAM principal of the key\'s account that the key policy does not name (with an IAM policy allowing kms:*)', (env) => ({ kind: 'other-iam', account: env.account, iam: 'kms-all' }));
  for (const account of [...accounts, ANOTHER_ACCOUNT]) {
    const name = account === ANOTHER_ACCOUNT ? 'another AWS account' : `account ${labelOf(account)}`;
    add(`a principal of ${name} that the key policy does not name`, () => ({ kind: 'other-iam', account, iam: 'kms-all' }));
    add(`the root user of ${name}`, () => ({ kind: 'root-user', account }));
  }
  for (const service of services) {
    const name = labelOf(service.split(REGION).join('<Region>'));
    add(`${name} acting for this account`, (env) => ({ kind: 'service', service: inRegion(service, env), forAccount: env.account }));
    add(`${name} acting for another account`, (env) => ({ kind: 'service', service: inRegion(service, env), forAccount: ANOTHER_ACCOUNT }));
  }

  const evaluators = [first, second].map((key) => ({
    key,
    evaluator: new KeyPolicyEvaluator(key.policy, key.env),
    vias: [...vias].map((v) => inRegion(v, key.env)),
  }));
  const differences: AccessDifference[] = [];
  for (const { label, subject } of subjects.values()) {
    const [a, b] = evaluators.map(({ key, evaluator, vias: v }) => ({
      use: useAnswer(evaluator, subject(key.env), v),
      administer: adminAnswer(evaluator, subject(key.env)),
    }));
    for (const what of ['use', 'administer'] as const) {
      const onlyFirst = a[what].actions.filter((x) => !b[what].actions.includes(x));
      const onlySecond = b[what].actions.filter((x) => !a[what].actions.includes(x));
      if (a[what].answer.decision !== b[what].answer.decision || onlyFirst.length + onlySecond.length > 0) {
        differences.push({ who: label, what, first: a[what].answer.decision, second: b[what].answer.decision, onlyFirst, onlySecond });
      }
    }
  }
  return differences;
}
