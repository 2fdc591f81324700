import { AppIndex, IndexedResource } from './app-index';
import { expandKmsActions } from './kms-actions';
import { isIntrinsic, PARTITION, placeholder } from './render';
import { asList, asObject, unresolved } from './values';

/** Who a statement names. `key` identifies the principal across statements. */
export interface PolicyPrincipal {
  /** root: an account (its root or bare ID); unknown: only known at deployment. */
  readonly kind: 'root' | 'named' | 'service' | 'unknown';
  readonly key: string;
}

/** One condition, operator and key lower-cased (IAM compares them case-insensitively). */
export interface PolicyCondition {
  readonly operator: string;
  readonly key: string;
  /** `undefined` for a value only known at deployment. */
  readonly values: ReadonlyArray<string | undefined>;
}

export interface KeyPolicyStatement {
  readonly allow: boolean;
  /** `Principal: "*"` (in any spelling) or `NotPrincipal`: everyone the conditions let through. */
  readonly everyone: boolean;
  readonly principals: readonly PolicyPrincipal[];
  /** KMS actions granted or denied, bare names (`Decrypt`), wildcards and NotAction expanded. */
  readonly actions: ReadonlySet<string>;
  readonly conditions: readonly PolicyCondition[];
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ACCOUNT = `(\\d{12}|${esc(placeholder.pseudo('AccountId'))}|\u0000X\\d+\\.[^\u0000]*\u0000)`;
const ROOT = new RegExp(`^(?:arn:${esc(PARTITION)}:iam::${ACCOUNT}:root|${ACCOUNT})$`);

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
 * The statements of a key's policy. A key without `KeyPolicy` gets the KMS default policy, which
 * gives the account root `kms:*`.
 */
export function keyPolicyStatements(index: AppIndex, resource: IndexedResource): readonly KeyPolicyStatement[] {
  const memo = resource.memo.get('keyPolicyStatements') as KeyPolicyStatement[] | undefined;
  if (memo) return memo;
  const document = keyPolicyDocument(resource);
  const statements = document === undefined
    ? [defaultStatement(resource)]
    : asList(document.Statement).map((statement, i) => parseStatement(index, resource, statement, `KeyPolicy.Statement[${i}]`));
  resource.memo.set('keyPolicyStatements', statements);
  return statements;
}

function defaultStatement(resource: IndexedResource): KeyPolicyStatement {
  const account = resource.scope.account ?? placeholder.pseudo('AccountId');
  return {
    allow: true,
    everyone: false,
    principals: [{ kind: 'root', key: `root:${account}` }],
    actions: expandKmsActions(['kms:*'], false),
    conditions: [],
  };
}

function parseStatement(index: AppIndex, resource: IndexedResource, value: unknown, path: string): KeyPolicyStatement {
  const statement = asObject(value);
  if (!statement || isIntrinsic(statement)) throw unresolved(resource, path, value);
  const effect = statement.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') throw unresolved(resource, `${path}.Effect`, effect);

  const notAction = statement.NotAction !== undefined;
  const patterns = asList(notAction ? statement.NotAction : statement.Action).map((action) => {
    const rendered = index.render(resource.scope, action);
    if (rendered === undefined || rendered.includes('\u0000')) throw unresolved(resource, `${path}.Action`, action);
    return rendered;
  });

  const notPrincipal = statement.NotPrincipal !== undefined;
  const audience = readPrincipals(index, resource, notPrincipal ? statement.NotPrincipal : statement.Principal);
  return {
    allow: effect === 'Allow',
    // Allow with NotPrincipal grants everyone but the listed principals.
    everyone: notPrincipal || audience.everyone,
    principals: notPrincipal ? [] : audience.principals,
    actions: expandKmsActions(patterns, notAction),
    conditions: readConditions(index, resource, statement.Condition),
  };
}

function readPrincipals(index: AppIndex, resource: IndexedResource, value: unknown): { everyone: boolean; principals: PolicyPrincipal[] } {
  if (value === '*') return { everyone: true, principals: [] };
  const byType = asObject(value);
  if (!byType || isIntrinsic(byType)) return { everyone: false, principals: [{ kind: 'unknown', key: JSON.stringify(value) }] };
  let everyone = false;
  const principals: PolicyPrincipal[] = [];
  for (const [type, names] of Object.entries(byType)) {
    for (const name of asList(names)) {
      const rendered = index.render(resource.scope, name);
      if (rendered === undefined) {
        principals.push({ kind: 'unknown', key: JSON.stringify(name) });
      } else if (type !== 'AWS') {
        principals.push({ kind: type === 'Service' ? 'service' : 'named', key: `${type}:${rendered}` });
      } else if (rendered === '*') {
        everyone = true;
      } else {
        const root = ROOT.exec(rendered);
        if (root) principals.push({ kind: 'root', key: `root:${root[1] ?? root[2]}` });
        else if (/\u0000X/.test(rendered)) principals.push({ kind: 'unknown', key: rendered });
        else principals.push({ kind: 'named', key: rendered });
      }
    }
  }
  return { everyone, principals };
}

function readConditions(index: AppIndex, resource: IndexedResource, value: unknown): PolicyCondition[] {
  const conditions: PolicyCondition[] = [];
  for (const [operator, block] of Object.entries(asObject(value) ?? {})) {
    for (const [key, values] of Object.entries(asObject(block) ?? {})) {
      conditions.push({
        operator: operator.toLowerCase(),
        key: key.toLowerCase(),
        values: asList(values).map((v) => index.render(resource.scope, v)),
      });
    }
  }
  return conditions;
}

/**
 * Conditions that hold only when the key exists in the request: `...IfExists` and `ForAllValues:`
 * pass when it is absent, so they restrict nothing.
 */
export function restricting(condition: PolicyCondition, operators: readonly string[]): boolean {
  const { operator } = condition;
  if (operator.endsWith('ifexists') || operator.startsWith('forallvalues:')) return false;
  return operators.includes(operator.replace(/^foranyvalue:/, ''));
}

/**
 * For a `Principal: "*"` statement narrowed to named principals by `aws:PrincipalArn`, those
 * principals; `undefined` when the statement really addresses everyone.
 */
export function principalArnScope(statement: KeyPolicyStatement): string[] | undefined {
  const scope = statement.conditions.find((c) =>
    c.key === 'aws:principalarn' && restricting(c, ['arnequals', 'arnlike', 'stringequals', 'stringlike']) &&
    c.values.length > 0 && c.values.every((v) => v !== undefined));
  return scope?.values.map((v) => v!);
}

/**
 * The actions of a statement that use the key. `kms:CreateGrant` alone does not count when the
 * statement allows it only for AWS resources (`kms:GrantIsForAWSResource` true) and only through
 * named services (`kms:ViaService` without wildcards): that is what creating a resource under the
 * key needs (a DynamoDB table's grant is created by whoever deploys it), and the grant it makes
 * is for the service, not for the caller.
 */
export function useActions(statement: KeyPolicyStatement, use: ReadonlySet<string>): string[] {
  const actions = [...statement.actions].filter((a) => use.has(a));
  if (actions.length !== 1 || actions[0] !== 'CreateGrant') return actions;
  const forAwsResources = statement.conditions.some((c) =>
    c.key === 'kms:grantisforawsresource' && restricting(c, ['bool']) && c.values.length > 0 && c.values.every((v) => v === 'true'));
  const throughNamedServices = statement.conditions.some((c) =>
    c.key === 'kms:viaservice' && restricting(c, ['stringequals']) && c.values.length > 0 &&
    c.values.every((v) => v !== undefined && !v.includes('*') && !v.includes('?')));
  return forAwsResources && throughNamedServices ? [] : actions;
}
