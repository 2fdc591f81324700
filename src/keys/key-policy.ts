import { Aws, Fn, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import {
  ADMINISTER_ACTIONS,
  CRYPTOGRAPHIC_ACTIONS,
  expandActionPattern,
  GET_PUBLIC_KEY,
  GRANT_ACTIONS,
  IMPORT_ADMIN_ACTIONS,
  isCrossAccountAction,
  MULTI_REGION_ADMIN_ACTIONS,
  MUTATING_ADMIN_ACTIONS,
  READ_ADMIN_ACTIONS,
  RETIRE_GRANT,
  REVOKE_GRANT,
} from '../policy/actions';
import { readPolicy } from '../policy/document';
import { principalShape } from '../policy/evaluator';
import { describeCell, forbiddenCells, ForbiddenCell, labelOf } from '../policy/invariants';
import { match } from '../policy/match';
import { invalidProp } from '../private/errors';
import { ConstructRenderer } from '../template/construct-renderer';
import { isIntrinsic, PLACEHOLDER } from '../template/render';

/** KMS rejects key policies larger than this many bytes. */
export const KEY_POLICY_MAX_BYTES = 32_768;
/** Values known only at deployment (generated names, parameters) count as this many bytes in the policy size. */
const TOKEN_ESTIMATE_BYTES = 100;
/** The longest value of each pseudo parameter a policy may hold: `aws-us-gov`, `ap-southeast-7`, 12 digits. */
const PSEUDO_LONGEST: Record<string, number> = { Partition: 10, Region: 14, AccountId: 12, URLSuffix: 16 };
/** Stands for the key's own account in the grouping of via-service statements. */
const OWN_ACCOUNT = 'own';

/** Actions a user must never hold: the mutating administration of the key. */
const DENIED_TO_USERS = [...MUTATING_ADMIN_ACTIONS, ...MULTI_REGION_ADMIN_ACTIONS, ...IMPORT_ADMIN_ACTIONS];
/** Actions an administrator must never hold: every use of the key material, and grants (a path to use). */
const DENIED_TO_ADMINISTRATORS = [...CRYPTOGRAPHIC_ACTIONS, 'kms:CreateGrant'];
const CRYPTO = new Set(DENIED_TO_ADMINISTRATORS);
const ADMIN = new Set(ADMINISTER_ACTIONS);
/** The order actions are written in, so a policy reads the same way every time. */
const ACTION_ORDER = [...new Set([
  ...MUTATING_ADMIN_ACTIONS, ...READ_ADMIN_ACTIONS, REVOKE_GRANT, ...MULTI_REGION_ADMIN_ACTIONS, ...IMPORT_ADMIN_ACTIONS,
  ...CRYPTOGRAPHIC_ACTIONS, ...GRANT_ACTIONS, RETIRE_GRANT, GET_PUBLIC_KEY,
])];

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
  readonly kind: 'star' | 'root' | 'service' | 'identity' | 'unknown';
  /** `true` when the principal is known to be in another account than the key; undefined when unknown. */
  readonly crossAccount?: boolean;
  /** The principal's account as rendered: 12 digits, or a placeholder when known only at deployment. */
  readonly account?: string;
  readonly label: string;
}

/** Who asked for a change, when it is not the key itself (a resource construct's `grant*` method). */
export interface PolicyCaller {
  readonly owner: IConstruct;
  readonly kind: string;
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
  /** Methods whose change could only be decided at synth (a Lazy value of the app). */
  private readonly deferred = new Set<string>();
  /** The prop or method being processed, for errors raised while reading principals. */
  private currentProp = '';
  /** The construct whose method the user called, while a change it asked for is processed. */
  private caller?: PolicyCaller;
  /** The builders of the other keys of a multi-Region set: one register of roles for all of them. */
  private peers: KeyPolicyBuilder[] = [];

  constructor(private readonly options: KeyPolicyOptions) {
    this.stack = Stack.of(options.owner);
  }

  /**
   * Makes the roles of this key and `peers` one register: a principal that administers any key of
   * a multi-Region set may use none of them, and the reverse (they share key material).
   */
  public linkPeers(peers: KeyPolicyBuilder[]): void {
    this.peers = peers.filter(p => p !== this);
  }

  /**
   * A restore point: calling the result undoes every change made since. For changes that must
   * land in several keys or none.
   */
  public savepoint(): () => void {
    return this.snapshot();
  }

  /** Where `atom` already holds the role: '' for this key, ` in <Region> (…)` for a key of the set; undefined when nowhere. */
  private holder(role: 'admins' | 'users', atom: Atom): string | undefined {
    if (this[role].has(atom.id)) return '';
    const peer = this.peers.find(p => p[role].has(atom.id));
    if (peer === undefined) return undefined;
    return ` in ${Stack.of(peer.options.owner).region} ('${peer.options.owner.node.path}'; the keys of a multi-Region set share their key material and count as one key)`;
  }

  /** Adds an administrator: explicit administrative actions only, denied every cryptographic action. */
  public addAdministrator(principal: iam.IPrincipal, prop: string): void {
    const atoms = this.atomsOf(principal, prop);
    this.change(prop, () => atoms.forEach(atom => this.addAdministratorAtom(atom, prop)), atoms);
  }

  private addAdministratorAtom(atom: Atom, prop: string): void {
    if (atom.kind === 'unknown') throw this.unresolvedPrincipal(atom, prop);
    if (atom.kind !== 'identity') {
      throw this.error(prop, `cannot name ${atom.label} as an administrator: only IAM roles and users of the key's account can administer it${atom.kind === 'root' ? ' (the account root administers through `accountAdministration`)' : ''}`);
    }
    if (atom.crossAccount) {
      throw this.error(prop, `cannot name ${atom.label} as an administrator: it is in another account, and KMS ignores administrative actions granted across accounts`);
    }
    const user = this.holder('users', atom);
    if (user !== undefined) {
      throw this.error(prop, `cannot name ${atom.label} as an administrator: it is already a user of the key${user}, and no principal may both administer and use it`);
    }
    this.admins.set(atom.id, atom);
  }

  /**
   * Adds a user: the given usage actions (already expanded and checked against the key's usage).
   * With `forAwsResources`, also kms:CreateGrant/ListGrants/RevokeGrant under kms:GrantIsForAWSResource.
   */
  public addUser(principal: iam.IPrincipal, actions: string[], prop: string, forAwsResources = false): void {
    const atoms = this.atomsOf(principal, prop);
    if (actions.length === 0 && !forAwsResources) {
      throw this.error(prop, 'grants no action: name the actions to grant (for example kms:Decrypt)');
    }
    this.change(prop, () => this.addUserAtoms(principal, atoms, actions, prop, forAwsResources), atoms);
  }

  private addUserAtoms(principal: iam.IPrincipal, atoms: Atom[], actions: string[], prop: string, forAwsResources: boolean): void {
    const services = atoms.filter(a => a.kind === 'service');
    if (services.length > 0) {
      this.addServiceAtoms(services, actions);
    }
    const identities = atoms.filter(a => a.kind !== 'service');
    if (identities.length === 0) return;
    for (const atom of identities) {
      if (atom.kind === 'unknown') throw this.unresolvedPrincipal(atom, prop);
      this.checkUser(atom, [...actions, ...(forAwsResources ? GRANT_ACTIONS : [])], prop);
      if (forAwsResources) this.grantsForAwsResources.set(atom.id, atom);
    }
    this.addUsage(identities, actions, principal.policyFragment.conditions, '');
  }

  /**
   * Adds a user that may use the key only through one AWS service, in the key's Region:
   * `kms:ViaService: <service>.<region>.amazonaws.com` and `kms:CallerAccount`, the principal's
   * own account (KMS sets it to the account of the credentials, so a partner of another account
   * is matched by its account, not the key's).
   *
   * @param caller the construct whose method the user called, named by errors instead of the key
   */
  public addViaService(principal: iam.IPrincipal, service: string, actions: string[], prop: string, caller?: PolicyCaller): void {
    this.caller = caller;
    try {
      const atoms = this.atomsOf(principal, prop);
      if (actions.length === 0) {
        throw this.error(prop, `grants no action through ${service}: name cryptographic actions the key supports (kms:CreateGrant and the other grant actions are not granted through a service)`);
      }
      this.change(prop, () => this.addViaServiceAtoms(principal, atoms, service, actions, prop), atoms);
    } finally {
      this.caller = undefined;
    }
  }

  private addViaServiceAtoms(principal: iam.IPrincipal, atoms: Atom[], service: string, actions: string[], prop: string): void {
    const byAccount = new Map<string, { account: string; atoms: Atom[] }>();
    for (const atom of atoms) {
      if (atom.kind === 'unknown') throw this.unresolvedPrincipal(atom, prop);
      if (atom.kind !== 'identity') {
        throw this.error(prop, `cannot grant use through ${service} to ${atom.label}: only IAM roles and users can be granted use through a service`);
      }
      this.checkUser(atom, actions, prop);
      const account = this.callerAccount(atom, prop);
      const group = byAccount.get(account) ?? { account, atoms: [] };
      group.atoms.push(atom);
      byAccount.set(account, group);
    }
    for (const { account, atoms: group } of byAccount.values()) {
      const conditions = mergeConditions(principal.policyFragment.conditions, {
        StringEquals: {
          'kms:ViaService': `${service}.${Aws.REGION}.amazonaws.com`,
          'kms:CallerAccount': account === OWN_ACCOUNT ? Aws.ACCOUNT_ID : account,
        },
      });
      this.addUsage(group, actions, conditions, service);
    }
  }

  /**
   * The `kms:CallerAccount` KMS will send for a principal: its own account. The key's account
   * stays `AWS::AccountId` in the template; another account must be a literal, or the statement
   * could not be checked (nor, for a value that turns out wrong, ever match).
   */
  private callerAccount(atom: Atom, prop: string): string {
    if (atom.crossAccount === false || (atom.account !== undefined && /^\u0000P\.AccountId\u0000$/i.test(atom.account))) return OWN_ACCOUNT;
    if (atom.account !== undefined && /^\d{12}$/.test(atom.account)) return atom.account;
    throw this.error(prop, `cannot grant use through a service to ${atom.label}: its account is known only at deployment, and the key policy must name the account KMS will see (\`kms:CallerAccount\`); name the role with an ARN whose account is a literal 12-digit account ID (iam.Role.fromRoleArn(this, 'Partner', 'arn:aws:iam::222222222222:role/reader'))`);
  }

  /**
   * Lets IAM principals of the account create grants, for AWS resources only, through one
   * service: what creating a resource encrypted under the key needs when the service works by
   * grants (DynamoDB tables). `kms:CreateGrant` and `kms:DescribeKey` only, with
   * `kms:ViaService`, `kms:CallerAccount` and `kms:GrantIsForAWSResource`: no IAM policy can turn
   * it into use of the key outside that service.
   */
  public allowAccountGrantsViaService(service: string): void {
    this.change('allowResourceCreationThroughService()', () => this.accountGrantServices.add(service), []);
  }

  /**
   * Accepts a statement written by a caller (aws-cdk-lib integrations such as SNS subscriptions,
   * or the user), after checking it against every invariant. The statement is kept as written.
   */
  public addStatement(statement: iam.PolicyStatement, prop: string): void {
    const json = statement.toStatementJson();
    const patterns: string[] = toArray(json.Action ?? json.NotAction);
    if (patterns.length === 0) {
      throw this.error(prop, 'rejects a statement without actions: KMS refuses an empty action list; name the actions');
    }
    if (json.Principal === undefined && json.NotPrincipal === undefined) {
      throw this.error(prop, 'rejects a statement without a principal: every statement of a key policy names its principals');
    }
    if (statement.effect === iam.Effect.DENY) {
      this.change(prop, () => this.extraStatements.push(statement));
      return;
    }
    if (json.NotAction || json.NotPrincipal) {
      throw this.error(prop, 'rejects an Allow statement with NotAction or NotPrincipal: it grants more than it names; list the actions and principals');
    }
    const actions = new Set<string>();
    for (const pattern of patterns) {
      if (Token.isUnresolved(pattern)) {
        throw this.error(prop, `rejects the action ${JSON.stringify(this.stack.resolve(pattern))}: an action known only at deployment could be \`kms:*\`; write the action names`);
      }
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
    const atoms = statement.principals.flatMap(p => this.atomsOf(p, prop));

    this.change(prop, () => {
      for (const atom of atoms) {
        if (crypto.length > 0 && admin.length > 0 && atom.kind !== 'star') {
          throw this.error(prop, `rejects a statement that gives ${atom.label} both administrative (${admin.join(', ')}) and cryptographic (${crypto.join(', ')}) actions: administration and use must be separate`);
        }
        switch (atom.kind) {
          case 'star':
            break;
          case 'unknown':
            throw this.unresolvedPrincipal(atom, prop);
          case 'root':
            if (crypto.length > 0) {
              throw this.error(prop, `rejects cryptographic actions (${crypto.join(', ')}) for ${atom.label}: the account root must never use the key, or any IAM policy of that account could unlock the data; name the roles instead`);
            }
            if (atom.crossAccount !== false && admin.length > 0) {
              throw this.error(prop, `rejects administrative actions for ${atom.label}: administrators from another account are not allowed`);
            }
            break;
          case 'service':
            if (admin.length > 0) {
              throw this.error(prop, `rejects administrative actions (${admin.join(', ')}) for ${atom.label}: service principals may only use the key`);
            }
            break;
          default:
            // Named principals join a role, so that the guard rails name them too.
            if (crypto.length > 0) this.checkUser(atom, [...actions], prop);
            if (admin.length > 0) this.checkAdministrator(atom, prop);
        }
      }
      this.extraStatements.push(statement);
    });
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

  /** Synth-time checks: the invariants, for changes that held values only known then; the KMS size limit. */
  public validate(): string[] {
    // Again with every value as synth has it: Lazy values may have changed since each call.
    const { cells, unresolved } = this.forbiddenCells();
    if (cells.length > 0) {
      const prop = this.deferred.size > 0 ? [...this.deferred].join(', ') : 'addToResourcePolicy()';
      return [this.forbidden(prop, cells, unresolved).message];
    }
    const { bytes, statements, exact, estimated } = this.size();
    if (bytes > KEY_POLICY_MAX_BYTES) {
      const how = exact
        ? `is ${bytes} bytes in ${statements} statements (counted exactly: every value is spelled out in the template, AWS::Partition, AWS::Region and AWS::AccountId at their longest)`
        : `is about ${bytes} bytes in ${statements} statements (estimated: ${estimated} values known only at deployment counted as ${TOKEN_ESTIMATE_BYTES} bytes each)`;
      return [
        `${this.options.kind} at '${this.options.owner.node.path}': the key policy ${how}, over the KMS limit of ${KEY_POLICY_MAX_BYTES} bytes. ` +
        'Grant to fewer principals (a role per application rather than per function), or split the data across keys.',
      ];
    }
    return [];
  }

  /**
   * The size of the policy as CloudFormation will write it, and its statement count. Values the
   * template spells out (literals, roles of the app with a literal name and path) count exactly;
   * pseudo parameters not fixed at synth count at their longest; anything else known only at
   * deployment (generated names, parameters, imports) counts as an estimate of
   * TOKEN_ESTIMATE_BYTES each, and then `exact` is false.
   */
  public size(): { bytes: number; statements: number; exact: boolean; estimated: number } {
    const renderer = new ConstructRenderer(this.stack);
    const resolved = renderer.resolve(this.render());
    let estimated = 0;
    const estimate = () => {
      estimated++;
      return 'x'.repeat(TOKEN_ESTIMATE_BYTES);
    };
    const flatten = (value: any): any => {
      if (Array.isArray(value)) return value.map(flatten);
      if (value === null || typeof value !== 'object') return value;
      if (isIntrinsic(value)) {
        const rendered = renderer.render(value);
        if (rendered === undefined) return estimate();
        let unknown = false;
        const text = rendered.replace(PLACEHOLDER, (_whole: string, kind: string, name: string) => {
          const longest = kind === 'P' ? PSEUDO_LONGEST[name.replace(/^\./, '')] : undefined;
          if (longest === undefined) unknown = true;
          return 'x'.repeat(longest ?? 0);
        });
        return unknown ? estimate() : text;
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, flatten(v)]));
    };
    const bytes = Buffer.byteLength(JSON.stringify(flatten(resolved)), 'utf8');
    return { bytes, statements: resolved.Statement.length, exact: estimated === 0, estimated };
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
    const admin = this.holder('admins', atom);
    if (admin !== undefined) {
      throw this.error(prop, `cannot make ${atom.label} a user of the key: it is an administrator of the key${admin}, and no principal may both administer and use it`);
    }
    if (atom.crossAccount) {
      const local = actions.filter(a => !isCrossAccountAction(a));
      if (local.length > 0) {
        throw this.error(prop, `cannot give ${local.join(', ')} to ${atom.label}: it is in another account, and KMS honours only cryptographic, grant and DescribeKey/GetKeyRotationStatus/GetPublicKey actions across accounts`);
      }
    }
    this.users.set(atom.id, atom);
  }

  private checkAdministrator(atom: Atom, prop: string): void {
    const user = this.holder('users', atom);
    if (user !== undefined) {
      throw this.error(prop, `cannot give administrative actions to ${atom.label}: it is a user of the key${user}, and no principal may both administer and use it`);
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
      // A principal read from JSON (PolicyStatement.fromJson) may hold one value, not a list.
      for (const value of ([] as string[]).concat(values)) {
        // `Principal: "*"` read from JSON comes as a literal string.
        atoms.push(type === 'LiteralString' && value === '*' ? this.atom(principal, 'AWS', '*') : this.atom(principal, type, value));
      }
    }
    return atoms;
  }

  private atom(principal: iam.IPrincipal, type: string, value: string): Atom {
    const renderer = new ConstructRenderer(this.stack);
    const rendered = renderer.render(value);
    const resolved = JSON.stringify(renderer.resolve(value));
    const label = describe(principal, value, resolved);
    if (type === 'Service') {
      return { type, value, id: `${type}:${rendered ?? resolved}`, kind: 'service', label };
    }
    // KMS accepts accounts, roles, users, role sessions and services; it rejects the rest at deployment.
    if (type !== 'AWS') {
      throw this.error(this.currentProp, `cannot name ${label} (a ${type} principal): a key policy can name AWS accounts, IAM roles and users, role sessions and AWS services`);
    }
    if (principal instanceof iam.Group || (rendered !== undefined && /^arn:[^:]*:iam::[^:]*:group\//.test(rendered))) {
      throw this.error(this.currentProp, `cannot name the IAM group ${label}: groups cannot be principals in a key policy; grant to the group's roles or users`);
    }
    if (rendered === '*') {
      return { type, value, id: 'AWS:*', kind: 'star', label: 'any principal (`*`)' };
    }
    const shape = rendered === undefined ? { kind: 'unknown' as const } : principalShape({ type, value: rendered });
    if (shape.kind === 'session' && shape.identity !== rendered) {
      throw this.error(this.currentProp, `cannot name the role session ${label}: a key policy statement for one session leaves the role's other sessions outside the guard rails; name the role (${labelOf(shape.identity!)}) instead`);
    }
    if (shape.kind === 'session') {
      throw this.error(this.currentProp, `cannot name the federated user ${label}: any IAM user of its account allowed sts:GetFederationToken becomes it, administrators included; name the roles or users that need the key`);
    }
    const own = renderer.environment.account;
    const sameAccount = shape.account === undefined ? 'MAYBE' : match(own, shape.account, { wildcards: false, ignoreCase: false });
    const crossAccount = sameAccount === 'TRUE' ? false : sameAccount === 'FALSE' ? true : undefined;
    switch (shape.kind) {
      case 'account':
        return { type, value, id: `root:${shape.account}`, kind: 'root', crossAccount, label: rootLabel(value, shape.account!) };
      case 'identity':
        return { type, value, id: `AWS:${shape.identity}`, kind: 'identity', crossAccount, account: shape.account, label };
      case 'everyone':
        return { type, value, id: 'AWS:*', kind: 'star', label: 'any principal (`*`)' };
      default:
        return { type, value, id: `AWS:${resolved}`, kind: 'unknown', label };
    }
  }

  /** Every change goes through here: applied, then the whole policy is evaluated; a change that opens a forbidden cell is undone and reported. */
  private change(prop: string, apply: () => void, only?: Atom[]): void {
    const saved = this.snapshot();
    try {
      apply();
      const { cells, unresolved, pendingLazy } = this.forbiddenCells(only && new Set(only.filter(a => a.id.startsWith('AWS:')).map(a => a.id.slice('AWS:'.length))));
      // A value the app produces later (a Lazy) is decided at synth, when it is known.
      if (cells.length > 0 && pendingLazy) this.deferred.add(prop);
      else if (cells.length > 0) throw this.forbidden(prop, cells, unresolved);
    } catch (e) {
      saved();
      throw e;
    }
  }

  /** The forbidden cells of the policy as it stands, decided by the evaluator, and the values it could not read. */
  public forbiddenCells(onlyNamed?: ReadonlySet<string>): { cells: ForbiddenCell[]; unresolved: readonly string[]; pendingLazy: boolean } {
    const renderer = new ConstructRenderer(this.stack);
    const policy = readPolicy(renderer.resolve(this.render()), v => renderer.render(v));
    return { cells: forbiddenCells(policy, renderer.environment, onlyNamed), unresolved: policy.unresolved, pendingLazy: renderer.pendingLazy };
  }

  private forbidden(prop: string, cells: ForbiddenCell[], unresolved: readonly string[]): Error {
    const first = cells[0];
    const more = cells.length > 1 ? ` (and ${cells.length - 1} more: ${cells.slice(1).map(c => c.who).join('; ')})` : '';
    const unknown = unresolved.length > 0 ? ` Known only at deployment: ${unresolved.join('; ')}.` : '';
    const hint = HINTS[first.invariant] + (first.who.includes('sns.amazonaws.com') ? '; for SNS subscriptions enable the feature flag @aws-cdk/aws-sns-subscriptions:restrictSqsDescryption' : '');
    return this.error(prop, `would open the key: ${describeCell(first)}${more}.${unknown} ${hint}`);
  }

  private unresolvedPrincipal(atom: Atom, prop: string): Error {
    return this.error(prop, `cannot name ${atom.label}: the principal is known only at deployment, so who it is (an account root, another account, \`*\`) cannot be checked; name the role or user with an ARN the template spells out (iam.Role.fromRoleArn with a literal ARN, or a role of the app)`);
  }

  private snapshot(): () => void {
    const admins = new Map(this.admins);
    const users = new Map(this.users);
    const usage = new Map([...this.usage].map(([k, e]) => [k, { ...e, atoms: [...e.atoms], actions: new Set(e.actions) }]));
    const grants = new Map(this.grantsForAwsResources);
    const services = this.serviceStatements.map(s => ({ ...s, atoms: [...s.atoms] }));
    const extra = [...this.extraStatements];
    const accountGrants = new Set(this.accountGrantServices);
    return () => {
      replaceMap(this.admins, admins);
      replaceMap(this.users, users);
      replaceMap(this.usage, usage);
      replaceMap(this.grantsForAwsResources, grants);
      this.serviceStatements.splice(0, this.serviceStatements.length, ...services);
      this.extraStatements.splice(0, this.extraStatements.length, ...extra);
      this.accountGrantServices.clear();
      accountGrants.forEach(x => this.accountGrantServices.add(x));
    };
  }

  private error(prop: string, message: string): Error {
    if (this.caller !== undefined && this.caller.owner !== this.options.owner) {
      return invalidProp(this.caller.owner, this.caller.kind, prop, `${message} (key '${this.options.owner.node.path}')`);
    }
    return invalidProp(this.options.owner, this.options.kind, prop, message);
  }
}

function replaceMap<K, V>(target: Map<K, V>, source: Map<K, V>): void {
  target.clear();
  source.forEach((v, k) => target.set(k, v));
}

/** What to do about each kind of forbidden cell. */
const HINTS: Record<ForbiddenCell['invariant'], string> = {
  'separation': 'Allowed: administrators get administrative actions only, users cryptographic actions only, each named once',
  'account-use': 'Allowed: cryptographic actions only for named roles and users; the account and `Principal: "*"` scoped to it get none',
  'account-admin': 'Allowed: administration for named administrators and the account root (through IAM), never for every principal of the account',
  'other-account-admin': 'Allowed: administration only for principals of the key\'s account; principals of other accounts only as users, with the actions KMS honours across accounts',
  'other-account-use': 'Allowed: use by a principal of another account only when it is named; `Principal: "*"` needs a positive condition with literal values (aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceAccount), without IfExists, ForAllValues or a policy variable the caller controls',
  'service-confused-deputy': 'Allowed: a service principal only with a positive condition binding it to this account or a resource of it (aws:SourceAccount, aws:SourceArn, aws:SourceOrgID with literal values, or an encryption-context condition naming such a resource)',
  'user-admin-through-iam': 'Allowed: every named user is also named in the Deny of administration; add it as a user (`users`, `grant*`) rather than through a condition',
  'grants-outside-aws-resources': 'Allowed: kms:CreateGrant only with kms:GrantIsForAWSResource true',
};

function describe(principal: iam.IPrincipal, value: string, resolved: string): string {
  const path = (principal as any).node?.path ?? (principal as any).role?.node?.path;
  if (path) return `'${path}'`;
  if (!Token.isUnresolved(value)) return `'${value}'`;
  // A token that resolves to a plain string (service principal names) reads better unquoted.
  return resolved.startsWith('"') ? `'${JSON.parse(resolved)}'` : resolved;
}

function rootLabel(value: string, account: string): string {
  return Token.isUnresolved(value) ? `the account root (${labelOf(account)})` : `the account root ('${value}')`;
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
    const i = ACTION_ORDER.indexOf(a);
    return i < 0 ? ACTION_ORDER.length : i;
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
