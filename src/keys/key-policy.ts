import { Aws, Fn, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { invalidProp } from '../private/errors';
import {
  ALL_KEY_ACTIONS,
  CROSS_ACCOUNT_ACTIONS,
  CRYPTOGRAPHIC_ACTIONS,
  expandActionPattern,
  GRANT_ACTIONS,
  IMPORT_ADMIN_ACTIONS,
  MULTI_REGION_ADMIN_ACTIONS,
  MUTATING_ADMIN_ACTIONS,
} from '../private/kms-actions';

/** KMS rejects key policies larger than this many bytes. */
export const KEY_POLICY_MAX_BYTES = 32_768;
/** Unresolved ARNs (tokens) are counted as this many bytes when estimating the policy size. */
const TOKEN_ESTIMATE_BYTES = 100;

/** Condition keys that tie `Principal: "*"` to an account or an organization. */
const SCOPING_CONDITION_KEYS = [
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:sourceaccount',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'kms:calleraccount',
];

/** Actions a user must never hold: the mutating administration of the key. */
const DENIED_TO_USERS = [...MUTATING_ADMIN_ACTIONS, ...MULTI_REGION_ADMIN_ACTIONS, ...IMPORT_ADMIN_ACTIONS];
/** Actions an administrator must never hold: every use of the key material, and grants (a path to use). */
const DENIED_TO_ADMINISTRATORS = [...CRYPTOGRAPHIC_ACTIONS, 'kms:CreateGrant'];
const CRYPTO = new Set(DENIED_TO_ADMINISTRATORS);
const ADMIN = new Set(DENIED_TO_USERS);

export interface KeyPolicyOptions {
  /** The construct whose path and kind error messages name. */
  readonly owner: IConstruct;
  readonly kind: string;
  /** Explicit administrative actions for this key (varies with multi-Region and imported material). */
  readonly adminActions: string[];
  /** Whether the account root gets the administrative actions (IAM-authorized administration). */
  readonly accountAdministration: boolean;
}

/** One principal value of a policy: `{ AWS: 'arn:…' }`, `{ Service: 'sns.amazonaws.com' }`, … */
interface Atom {
  readonly type: string;
  readonly value: string;
  /** Identity for conflict checks: the same role is the same atom whatever its conditions. */
  readonly id: string;
  readonly kind: 'star' | 'root' | 'service' | 'identity';
  /** `true` when the principal is known to be in another account than the key; undefined when unknown. */
  readonly crossAccount?: boolean;
  readonly label: string;
}

interface UsageEntry {
  readonly atoms: Atom[];
  readonly actions: Set<string>;
  readonly conditions: Record<string, any>;
}

/**
 * Builds a key policy from roles, so that every statement has one purpose and the invariants of
 * DESIGN.md hold by construction. Shared by SeparatedDutyKey and the replicas of a
 * MultiRegionKeySet: the rendered document uses pseudo parameters only, so it resolves in the
 * stack of each key.
 */
export class KeyPolicyBuilder {
  private readonly stack: Stack;
  private readonly admins = new Map<string, Atom>();
  private readonly users = new Map<string, Atom>();
  /** Usage statements, keyed by their grouping (actions + conditions + service). */
  private readonly usage = new Map<string, UsageEntry>();
  private readonly grantsForAwsResources = new Map<string, Atom>();
  private readonly serviceStatements: Array<{ atoms: Atom[]; actions: string[]; conditions: Record<string, any> }> = [];
  private readonly extraStatements: iam.PolicyStatement[] = [];
  /** Services through which IAM principals of the account may create grants for AWS resources. */
  private readonly accountGrantServices = new Set<string>();
  /** The prop or method being processed, for errors raised while reading principals. */
  private currentProp = '';

  constructor(private readonly options: KeyPolicyOptions) {
    this.stack = Stack.of(options.owner);
  }

  /** Adds an administrator: explicit administrative actions only, denied every cryptographic action. */
  public addAdministrator(principal: iam.IPrincipal, prop: string): void {
    for (const atom of this.atomsOf(principal, prop)) {
      if (atom.kind !== 'identity') {
        throw this.error(prop, `cannot name ${atom.label} as an administrator: only IAM roles and users of the key's account can administer it${atom.kind === 'root' ? ' (the account root administers through `accountAdministration`)' : ''}`);
      }
      if (atom.crossAccount) {
        throw this.error(prop, `cannot name ${atom.label} as an administrator: it is in another account, and KMS ignores administrative actions granted across accounts`);
      }
      if (this.users.has(atom.id)) {
        throw this.error(prop, `cannot name ${atom.label} as an administrator: it is already a user of the key, and no principal may both administer and use it`);
      }
      this.admins.set(atom.id, atom);
    }
  }

  /**
   * Adds a user: the given usage actions (already expanded and checked against the key's usage).
   * With `forAwsResources`, also kms:CreateGrant/ListGrants/RevokeGrant under kms:GrantIsForAWSResource.
   */
  public addUser(principal: iam.IPrincipal, actions: string[], prop: string, forAwsResources = false): void {
    const atoms = this.atomsOf(principal, prop);
    const services = atoms.filter(a => a.kind === 'service');
    if (services.length > 0) {
      this.addServiceAtoms(services, actions);
    }
    const identities = atoms.filter(a => a.kind !== 'service');
    if (identities.length === 0) return;
    for (const atom of identities) {
      this.checkUser(atom, [...actions, ...(forAwsResources ? GRANT_ACTIONS : [])], prop);
      if (forAwsResources) this.grantsForAwsResources.set(atom.id, atom);
    }
    this.addUsage(identities, actions, principal.policyFragment.conditions, '');
  }

  /**
   * Adds a user that may use the key only through one AWS service, called from the key's account:
   * `kms:ViaService: <service>.<region>.amazonaws.com` and `kms:CallerAccount`.
   */
  public addViaService(principal: iam.IPrincipal, service: string, actions: string[], prop: string): void {
    const atoms = this.atomsOf(principal, prop);
    for (const atom of atoms) {
      if (atom.kind !== 'identity') {
        throw this.error(prop, `cannot grant use through ${service} to ${atom.label}: only IAM roles and users can be granted use through a service`);
      }
      this.checkUser(atom, actions, prop);
    }
    const conditions = mergeConditions(principal.policyFragment.conditions, {
      StringEquals: {
        'kms:ViaService': `${service}.${Aws.REGION}.amazonaws.com`,
        'kms:CallerAccount': Aws.ACCOUNT_ID,
      },
    });
    this.addUsage(atoms, actions, conditions, service);
  }

  /**
   * Lets IAM principals of the account create grants, for AWS resources only, through one
   * service: what creating a resource encrypted under the key needs when the service works by
   * grants (DynamoDB tables). `kms:CreateGrant` and `kms:DescribeKey` only, with
   * `kms:ViaService`, `kms:CallerAccount` and `kms:GrantIsForAWSResource`: no IAM policy can turn
   * it into use of the key outside that service.
   */
  public allowAccountGrantsViaService(service: string): void {
    this.accountGrantServices.add(service);
  }

  /**
   * Accepts a statement written by a caller (aws-cdk-lib integrations such as SNS subscriptions,
   * or the user), after checking it against every invariant. The statement is kept as written.
   */
  public addStatement(statement: iam.PolicyStatement, prop: string): void {
    const json = statement.toStatementJson();
    if (statement.effect === iam.Effect.DENY) {
      this.extraStatements.push(statement);
      return;
    }
    if (json.NotAction || json.NotPrincipal) {
      throw this.error(prop, 'rejects an Allow statement with NotAction or NotPrincipal: it grants more than it names; list the actions and principals');
    }
    const patterns: string[] = toArray(json.Action);
    const actions = new Set<string>();
    for (const pattern of patterns) {
      if (Token.isUnresolved(pattern)) continue;
      if (!pattern.toLowerCase().startsWith('kms:') && pattern !== '*') {
        throw this.error(prop, `rejects the action '${pattern}': a key policy can only grant kms: actions`);
      }
      const expanded = expandActionPattern(pattern);
      if (expanded.length === 0) {
        throw this.error(prop, `rejects the action '${pattern}': it is not a KMS action on keys`);
      }
      expanded.forEach(a => actions.add(a));
    }
    const crypto = [...actions].filter(a => CRYPTO.has(a));
    const admin = [...actions].filter(a => ADMIN.has(a));
    const conditionKeys = Object.values(statement.conditions ?? {}).flatMap(c => Object.keys(c as object)).map(k => k.toLowerCase());

    for (const atom of statement.principals.flatMap(p => this.atomsOf(p, prop))) {
      if (crypto.length > 0 && admin.length > 0) {
        throw this.error(prop, `rejects a statement that gives ${atom.label} both administrative (${admin.join(', ')}) and cryptographic (${crypto.join(', ')}) actions: administration and use must be separate`);
      }
      switch (atom.kind) {
        case 'star':
          if (!conditionKeys.some(k => SCOPING_CONDITION_KEYS.includes(k))) {
            throw this.error(prop, `rejects \`Principal: "*"\` without a condition on ${SCOPING_CONDITION_KEYS.join(', ')}: it would open the key to every AWS account`);
          }
          break;
        case 'root':
          if (crypto.length > 0) {
            throw this.error(prop, `rejects cryptographic actions (${crypto.join(', ')}) for ${atom.label}: the account root must never use the key, or any IAM policy could unlock the data`);
          }
          if (atom.crossAccount) {
            throw this.error(prop, `rejects administrative actions for ${atom.label}: administrators from another account are not allowed`);
          }
          break;
        case 'service':
          if (admin.length > 0) {
            throw this.error(prop, `rejects administrative actions (${admin.join(', ')}) for ${atom.label}: service principals may only use the key`);
          }
          if (conditionKeys.length === 0) {
            throw this.error(prop, `rejects a statement for ${atom.label} without conditions: scope it to its source with aws:SourceArn or aws:SourceAccount (or the service's encryption context)${atom.label.includes('sns.amazonaws.com') ? '; for SNS subscriptions enable the feature flag @aws-cdk/aws-sns-subscriptions:restrictSqsDescryption' : ''}`);
          }
          break;
        default:
          if (crypto.length > 0) this.checkUser(atom, [...actions], prop);
          if (admin.length > 0) this.checkAdministrator(atom, prop);
          if (crypto.includes('kms:CreateGrant') && !conditionKeys.includes('kms:grantisforawsresource')) {
            throw this.error(prop, `rejects kms:CreateGrant for ${atom.label} without the condition kms:GrantIsForAWSResource: a grant would give it use outside any AWS service`);
          }
      }
    }
    this.extraStatements.push(statement);
  }

  /** The key policy document, a token-bearing JSON object that resolves in any stack. */
  public render(): any {
    const statements: any[] = [];
    const sids = new Sids();
    if (this.options.accountAdministration) {
      statements.push({
        Sid: sids.next('AccountAdministration'),
        Effect: 'Allow',
        Principal: { AWS: Fn.join('', ['arn:', Aws.PARTITION, ':iam::', Aws.ACCOUNT_ID, ':root']) },
        Action: this.options.adminActions,
        Resource: '*',
      });
    }
    for (const service of this.accountGrantServices) {
      statements.push({
        Sid: sids.next(`AccountGrantsVia${pascal(service)}`),
        Effect: 'Allow',
        Principal: { AWS: Fn.join('', ['arn:', Aws.PARTITION, ':iam::', Aws.ACCOUNT_ID, ':root']) },
        Action: ['kms:CreateGrant', 'kms:DescribeKey'],
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:ViaService': `${service}.${Aws.REGION}.amazonaws.com`, 'kms:CallerAccount': Aws.ACCOUNT_ID },
          Bool: { 'kms:GrantIsForAWSResource': 'true' },
        },
      });
    }
    if (this.admins.size > 0) {
      statements.push({
        Sid: sids.next('KeyAdministration'),
        Effect: 'Allow',
        Principal: principalJson([...this.admins.values()]),
        Action: this.options.adminActions,
        Resource: '*',
      });
    }
    for (const group of this.usageGroups()) {
      statements.push({
        Sid: sids.next(group.service ? `KeyUsageVia${pascal(group.service)}` : 'KeyUsage'),
        Effect: 'Allow',
        Principal: principalJson(group.atoms),
        Action: group.actions,
        Resource: '*',
        ...conditionJson(group.conditions),
      });
    }
    if (this.grantsForAwsResources.size > 0) {
      statements.push({
        Sid: sids.next('GrantsForAwsResources'),
        Effect: 'Allow',
        Principal: principalJson([...this.grantsForAwsResources.values()]),
        Action: GRANT_ACTIONS,
        Resource: '*',
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      });
    }
    for (const s of this.serviceStatements) {
      statements.push({
        Sid: sids.next('ServiceUsage'),
        Effect: 'Allow',
        Principal: principalJson(s.atoms),
        Action: s.actions,
        Resource: '*',
        ...conditionJson(s.conditions),
      });
    }
    for (const statement of this.extraStatements) {
      const json = statement.toStatementJson();
      statements.push(json.Sid ? { ...json, Sid: sids.claim(json.Sid) } : json);
    }
    if (this.admins.size > 0) {
      statements.push({
        Sid: sids.next('DenyCryptographyToAdministrators'),
        Effect: 'Deny',
        Principal: principalJson([...this.admins.values()]),
        Action: DENIED_TO_ADMINISTRATORS,
        Resource: '*',
      });
    }
    const users = [...this.users.values()].filter(a => a.kind === 'identity');
    if (users.length > 0) {
      statements.push({
        Sid: sids.next('DenyAdministrationToUsers'),
        Effect: 'Deny',
        Principal: principalJson(users),
        Action: DENIED_TO_USERS,
        Resource: '*',
      });
    }
    // Whatever any Allow says, a grant can only be created for an AWS resource or by a service
    // (the AWS Control Tower control CT.KMS.PR.3 looks for exactly this statement).
    statements.push({
      Sid: sids.next('DenyGrantsOutsideAwsResources'),
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
    return { Version: '2012-10-17', Statement: statements };
  }

  /** Synth-time checks: the KMS size limit. */
  public validate(): string[] {
    const resolved = this.stack.resolve(this.render());
    const statementCount = resolved.Statement.length;
    const bytes = estimateBytes(resolved);
    if (bytes > KEY_POLICY_MAX_BYTES) {
      return [
        `${this.options.kind} at '${this.options.owner.node.path}': the key policy is about ${bytes} bytes in ${statementCount} statements ` +
        `(unresolved ARNs counted as ${TOKEN_ESTIMATE_BYTES} bytes each), over the KMS limit of ${KEY_POLICY_MAX_BYTES} bytes. ` +
        'Grant to fewer principals (a role per application rather than per function), or split the data across keys.',
      ];
    }
    return [];
  }

  /** The estimated size and statement count, for annotations and tests. */
  public size(): { bytes: number; statements: number } {
    const resolved = this.stack.resolve(this.render());
    return { bytes: estimateBytes(resolved), statements: resolved.Statement.length };
  }

  /** Usage entries grouped by service, actions and conditions, in a stable order. */
  private usageGroups(): Array<{ service: string; atoms: Atom[]; actions: string[]; conditions: Record<string, any> }> {
    const groups = new Map<string, { service: string; atoms: Atom[]; actions: string[]; conditions: Record<string, any> }>();
    for (const [key, entry] of this.usage) {
      const [service, conditionKey] = key.split('|');
      const actions = sortActions([...entry.actions]);
      const groupKey = `${service}|${conditionKey}|${actions.join(',')}`;
      const group = groups.get(groupKey) ?? { service, atoms: [], actions, conditions: entry.conditions };
      group.atoms.push(...entry.atoms);
      groups.set(groupKey, group);
    }
    return [...groups.values()];
  }

  private checkUser(atom: Atom, actions: string[], prop: string): void {
    if (atom.kind === 'star') {
      throw this.error(prop, 'cannot make any principal (`*`) a user of the key: name the roles that need it');
    }
    if (atom.kind === 'root') {
      throw this.error(prop, `cannot make ${atom.label} a user of the key: cryptographic actions for the account root would let any IAM policy of that account unlock the data; name the roles instead`);
    }
    if (this.admins.has(atom.id)) {
      throw this.error(prop, `cannot make ${atom.label} a user of the key: it is an administrator of the key, and no principal may both administer and use it`);
    }
    if (atom.crossAccount) {
      const local = actions.filter(a => !CROSS_ACCOUNT_ACTIONS.has(a));
      if (local.length > 0) {
        throw this.error(prop, `cannot give ${local.join(', ')} to ${atom.label}: it is in another account, and KMS honours only cryptographic, grant and DescribeKey/GetKeyRotationStatus/GetPublicKey actions across accounts`);
      }
    }
    this.users.set(atom.id, atom);
  }

  private checkAdministrator(atom: Atom, prop: string): void {
    if (this.users.has(atom.id)) {
      throw this.error(prop, `cannot give administrative actions to ${atom.label}: it is a user of the key, and no principal may both administer and use it`);
    }
    if (atom.crossAccount) {
      throw this.error(prop, `cannot give administrative actions to ${atom.label}: administrators from another account are not allowed`);
    }
    this.admins.set(atom.id, atom);
  }

  private addUsage(atoms: Atom[], actions: string[], conditions: Record<string, any>, service: string): void {
    // Per principal (and service and conditions), the union of what it was granted; render()
    // then gives principals with the same needs one statement.
    const conditionKey = JSON.stringify(this.stack.resolve(conditions ?? {}));
    for (const atom of atoms) {
      const key = `${service}|${conditionKey}|${atom.id}`;
      const entry = this.usage.get(key) ?? { atoms: [atom], actions: new Set<string>(), conditions: conditions ?? {} };
      actions.forEach(a => entry.actions.add(a));
      this.usage.set(key, entry);
    }
  }

  private addServiceAtoms(atoms: Atom[], actions: string[]): void {
    // A service acting for this account only: without aws:SourceAccount any account's resource
    // could make the service use this key (the confused deputy).
    const conditions = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };
    const key = JSON.stringify(this.stack.resolve(actions));
    const existing = this.serviceStatements.find(s => JSON.stringify(this.stack.resolve(s.actions)) === key);
    if (existing) {
      atoms.filter(a => !existing.atoms.some(e => e.id === a.id)).forEach(a => existing.atoms.push(a));
    } else {
      this.serviceStatements.push({ atoms, actions: [...new Set(actions)], conditions });
    }
  }

  private atomsOf(principal: iam.IPrincipal, prop?: string): Atom[] {
    if (prop) this.currentProp = prop;
    const fragment = principal.policyFragment;
    const atoms: Atom[] = [];
    for (const [type, values] of Object.entries(fragment.principalJson)) {
      for (const value of values) {
        atoms.push(this.atom(principal, type, value));
      }
    }
    return atoms;
  }

  private atom(principal: iam.IPrincipal, type: string, value: string): Atom {
    const resolved = JSON.stringify(this.stack.resolve(value));
    const id = `${type}:${resolved}`;
    const label = describe(principal, value, resolved);
    if (type === 'Service') {
      return { type, value, id, kind: 'service', label };
    }
    // KMS accepts accounts, roles, users, role sessions and services; it rejects the rest at deployment.
    if (type !== 'AWS') {
      throw this.error(this.currentProp, `cannot name ${label} (a ${type} principal): a key policy can name AWS accounts, IAM roles and users, role sessions and AWS services`);
    }
    if (principal instanceof iam.Group || (!Token.isUnresolved(value) && /^arn:[^:]+:iam::\d{12}:group\//.test(value))) {
      throw this.error(this.currentProp, `cannot name the IAM group ${label}: groups cannot be principals in a key policy; grant to the group's roles or users`);
    }
    if (type === 'AWS' && value === '*') {
      return { type, value, id, kind: 'star', label: 'any principal (`*`)' };
    }
    const account = accountOf(principal, value);
    const crossAccount = account === undefined ? undefined
      : Token.compareStrings(account, this.stack.account) === TokenComparison.DIFFERENT ? true : false;
    const isRoot = type === 'AWS' && (principal instanceof iam.AccountPrincipal
      || /^\d{12}$/.test(value)
      || /:root"?\]*\}?"?$/.test(resolved) || /:root"?$/.test(resolved));
    return { type, value, id, kind: isRoot ? 'root' : 'identity', crossAccount, label: isRoot ? rootLabel(value) : label };
  }

  private error(prop: string, message: string): Error {
    return invalidProp(this.options.owner, this.options.kind, prop, message);
  }
}

/** The account a principal value belongs to, when it can be told without guessing. */
function accountOf(principal: iam.IPrincipal, value: string): string | undefined {
  if (!Token.isUnresolved(value)) {
    const match = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(value) ?? /^(\d{12})$/.exec(value);
    if (match) return match[1];
  }
  return principal.principalAccount;
}

function describe(principal: iam.IPrincipal, value: string, resolved: string): string {
  const path = (principal as any).node?.path ?? (principal as any).role?.node?.path;
  if (path) return `'${path}'`;
  if (!Token.isUnresolved(value)) return `'${value}'`;
  // A token that resolves to a plain string (service principal names) reads better unquoted.
  return resolved.startsWith('"') ? `'${JSON.parse(resolved)}'` : resolved;
}

function rootLabel(value: string): string {
  return Token.isUnresolved(value) ? 'the account root' : `the account root ('${value}')`;
}

function principalJson(atoms: Atom[]): Record<string, string | string[]> {
  const out: Record<string, string[]> = {};
  for (const atom of atoms) (out[atom.type] ??= []).push(atom.value);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
}

function conditionJson(conditions: Record<string, any>): { Condition?: Record<string, any> } {
  return conditions && Object.keys(conditions).length > 0 ? { Condition: conditions } : {};
}

function mergeConditions(a: Record<string, any> | undefined, b: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...(a ?? {}) };
  for (const [op, keys] of Object.entries(b)) out[op] = { ...(out[op] ?? {}), ...keys };
  return out;
}

/** Actions in the order of our explicit lists, so a policy reads the same way every time. */
function sortActions(actions: string[]): string[] {
  const order = (a: string) => {
    const i = ALL_KEY_ACTIONS.indexOf(a);
    return i < 0 ? ALL_KEY_ACTIONS.length : i;
  };
  return actions.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
}

function toArray(value: any): any[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function pascal(service: string): string {
  return service.split(/[^a-zA-Z0-9]/).filter(Boolean).map(p => p[0].toUpperCase() + p.slice(1)).join('');
}

/** Sids are unique within a policy; a caller's duplicate Sid is renamed, never dropped. */
class Sids {
  private readonly used = new Set<string>();
  public next(base: string): string {
    let sid = base;
    for (let i = 2; this.used.has(sid); i++) sid = `${base}${i}`;
    this.used.add(sid);
    return sid;
  }
  public claim(sid: string): string {
    return Token.isUnresolved(sid) ? sid : this.next(sid);
  }
}

function estimateBytes(resolved: any): number {
  const text = JSON.stringify(resolved, (_key, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
        return 'x'.repeat(TOKEN_ESTIMATE_BYTES);
      }
    }
    return value;
  });
  return Buffer.byteLength(text, 'utf8');
}
