import { Aws, CfnElement, Duration, Fn, Lazy, RemovalPolicy, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ISeparatedDutyKey } from './key-interface';
import { KeyPolicyBuilder } from './key-policy';
import { usageActions } from './key-usage';
import { SeparatedDutyKey } from './separated-duty-key';
import { IKeySetMembership, SeparatedDutyKeyBase } from './separated-duty-key-base';
import {
  MULTI_REGION_ADMIN_ACTIONS,
  MUTATING_ADMIN_ACTIONS,
  READ_ADMIN_ACTIONS,
  REVOKE_GRANT,
} from '../policy/actions';
import { invalidProp } from '../private/errors';
import { acknowledgeShortPendingWindow } from '../private/nag-ids';
import { claimAlias, normalizeAlias, validateDays, validateDescription } from '../private/validation';

const KIND = 'MultiRegionKeySet';

/**
 * Properties of a MultiRegionKeySet.
 */
export interface MultiRegionKeySetProps {
  /**
   * One stack per replica Region. Each must have an explicit Region and account, the account of
   * the primary's stack, a Region other than the primary's, and `crossRegionReferences: true`
   * (the primary key ARN reaches it through CDK's cross-Region references).
   */
  readonly replicaStacks: Stack[];

  /**
   * The alias of the key in every Region, with or without the `alias/` prefix.
   */
  readonly alias: string;

  /**
   * Principals that administer the keys, in every Region.
   *
   * @default - no named administrators; the keys are administered through the account
   */
  readonly administrators?: iam.IPrincipal[];

  /**
   * Principals that use the keys, in every Region.
   *
   * @default - no users; add them later with the set's `grant*` methods
   */
  readonly users?: iam.IPrincipal[];

  /**
   * Whether the account root gets the explicit administrative actions, in every Region.
   *
   * @default true
   */
  readonly accountAdministration?: boolean;

  /**
   * A description of the keys.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * How often KMS rotates the key material, between 90 and 2560 days. Rotation is set on the
   * primary key; replicas share its key material and so its rotation.
   *
   * @default Duration.days(365)
   */
  readonly rotationPeriod?: Duration;

  /**
   * How long KMS waits before deleting a key scheduled for deletion, between 7 and 30 days, for
   * the primary and every replica. A primary with replicas waits until its replicas are deleted.
   * A window shorter than 30 days, set here, is taken as a deliberate choice: each key carries an
   * acknowledgement of KmsGuardrailsChecks' KMSG-KMS7 with the value as the reason.
   *
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;

  /**
   * What happens to the keys when they leave their stacks.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * One multi-Region primary key and a replica in each replica stack, with the same separation of
 * duties in every Region.
 *
 * Multi-Region keys share key ID and key material across Regions, so data encrypted in one
 * Region can be decrypted in another (DynamoDB global tables, S3 replication, disaster
 * recovery). What they do not share is built here once and applied everywhere: the key policy
 * (same roles, same guard rails), the alias name, the deletion window and the retention.
 *
 * @exampleMetadata fixture=app
 * @example
 * import { Stack } from 'aws-cdk-lib';
 * import * as iam from 'aws-cdk-lib/aws-iam';
 * import { EncryptedBucket, MultiRegionKeySet } from 'cdk-kms-guardrails';
 *
 * // Replica stacks receive the primary key's ARN through CDK's cross-Region references.
 * const primaryStack = new Stack(app, 'OrdersUsEast1', {
 *   env: { account: '111111111111', region: 'us-east-1' },
 *   crossRegionReferences: true,
 * });
 * const euStack = new Stack(app, 'OrdersEuWest1', {
 *   env: { account: '111111111111', region: 'eu-west-1' },
 *   crossRegionReferences: true,
 * });
 *
 * const keys = new MultiRegionKeySet(primaryStack, 'Orders', {
 *   alias: 'orders',
 *   replicaStacks: [euStack],
 *   administrators: [new iam.ArnPrincipal('arn:aws:iam::111111111111:role/security-admins')],
 * });
 * // A grant applies to the key of every Region.
 * keys.grantEncryptDecrypt(new iam.ArnPrincipal('arn:aws:iam::111111111111:role/orders'));
 * new EncryptedBucket(euStack, 'Orders', { encryptionKey: keys.replicaKey('eu-west-1') });
 */
export class MultiRegionKeySet extends Construct {
  /** The multi-Region primary key, in the stack of the set. */
  public readonly primaryKey: SeparatedDutyKey;
  /** Every Region of the set, the primary's first. */
  public readonly regions: string[];
  private readonly replicas = new Map<string, ReplicaKey>();

  constructor(scope: Construct, id: string, props: MultiRegionKeySetProps) {
    super(scope, id);
    const primaryStack = Stack.of(this);
    this.validateStacks(primaryStack, props.replicaStacks);
    const pendingWindow = validateDays(this, KIND, 'pendingWindow', props.pendingWindow, 7, 30);
    validateDescription(this, KIND, props.description);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.primaryKey = new SeparatedDutyKey(this, 'Primary', {
      alias: props.alias,
      multiRegion: true,
      administrators: props.administrators,
      users: props.users,
      accountAdministration: props.accountAdministration,
      description: props.description,
      rotationPeriod: props.rotationPeriod,
      pendingWindow: props.pendingWindow,
      removalPolicy,
    });

    for (const stack of props.replicaStacks) {
      const replica = new ReplicaKey(stack, `${pascalPath(this.node.path)}Replica`, {
        set: this,
        primaryKeyArn: this.primaryKey.keyArn,
        alias: normalizeAlias(this, KIND, 'alias', props.alias),
        administrators: props.administrators ?? [],
        users: props.users ?? [],
        accountAdministration: props.accountAdministration ?? true,
        description: props.description,
        pendingWindow: pendingWindow ?? 30,
        removalPolicy,
      });
      // The replica is created from the primary: its stack deploys after the primary's.
      stack.addStackDependency(primaryStack, `the replica key of ${this.node.path} needs its primary key`);
      this.replicas.set(stack.region, replica);
    }
    this.regions = [primaryStack.region, ...props.replicaStacks.map(s => s.region)];

    // One register of roles for the whole set, whichever key a grant goes through.
    const keys: SeparatedDutyKeyBase[] = [this.primaryKey, ...this.replicas.values()];
    for (const key of keys) key._policy.linkPeers(keys.map(k => k._policy));
    const membership: IKeySetMembership = { addToEveryKey: (statement, from) => this.addToEveryKey(keys, statement, from) };
    keys.forEach(key => key._keySet = membership);
  }

  /** A statement given to one key: to every key of the set, all or none; see `addToResourcePolicy`. */
  private addToEveryKey(keys: SeparatedDutyKeyBase[], statement: iam.PolicyStatement, from: SeparatedDutyKeyBase): void {
    const method = 'addToResourcePolicy()';
    const references = resourceReferences(Stack.of(from), statement);
    if (references.length > 0) {
      const servicesOnly = statement.principals.length > 0 && statement.principals.every(p =>
        Object.keys(p.policyFragment.principalJson).every(t => t === 'Service'));
      if (servicesOnly) {
        // An AWS service bound to a resource of this Region (aws:SourceArn of a topic or rule):
        // the statement means something only for this Region's key.
        from._policy.addStatement(statement, method);
        return;
      }
      throw invalidProp(from, `${KIND} key`, method,
        `adds the statement to every key of the set '${this.node.path}' (they share key material, so they share their roles), but it references ${references.join(', ')}, which exists only in stack '${Stack.of(from).node.path}'. Allowed: principals and values that read the same in every Region (literal ARNs such as iam.Role.fromRoleArn(this, 'Reader', 'arn:aws:iam::111111111111:role/reader')), or the set's grant methods`);
    }
    const restore = keys.map(k => k._policy.savepoint());
    try {
      for (const key of keys) key._policy.addStatement(statement, method);
    } catch (e) {
      restore.forEach(r => r());
      throw e;
    }
  }

  /**
   * The key of the set in a Region: the primary in its Region, the replica elsewhere. Use it in
   * that Region's stacks, e.g. as the `encryptionKey` of an EncryptedBucket there.
   */
  public replicaKey(region: string): ISeparatedDutyKey {
    if (region === Stack.of(this).region) return this.primaryKey;
    const replica = this.replicas.get(region);
    if (!replica) {
      throw invalidProp(this, KIND, 'replicaKey()', `got Region '${region}', which is not in the set; its Regions are ${this.regions.join(', ')}`);
    }
    return replica;
  }

  /**
   * The ARN of the key in a Region, derived from the primary's key ID (multi-Region keys share
   * it): `arn:<partition>:kms:<region>:<account>:key/<mrk-id>`. Usable in the primary's stack
   * without a cross-Region reference, e.g. for DynamoDB `replicaKeyArns`.
   */
  public keyArnIn(region: string): string {
    if (!this.regions.includes(region)) {
      throw invalidProp(this, KIND, 'keyArnIn()', `got Region '${region}', which is not in the set; its Regions are ${this.regions.join(', ')}`);
    }
    return Fn.join('', ['arn:', Aws.PARTITION, ':kms:', region, ':', Stack.of(this).account, ':key/', this.primaryKey.keyId]);
  }

  /** The ARNs of the replica keys, derived from the primary's key ID, in the order of `replicaStacks`. */
  public get replicaKeyArns(): string[] {
    return this.regions.slice(1).map(r => this.keyArnIn(r));
  }

  /** Grants the given usage actions in every Region. */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.everywhere(k => k.grant(grantee, ...actions));
  }

  /** Grants decryption in every Region. */
  public grantDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.everywhere(k => k.grantDecrypt(grantee));
  }

  /** Grants encryption in every Region. */
  public grantEncrypt(grantee: iam.IGrantable): iam.Grant {
    return this.everywhere(k => k.grantEncrypt(grantee));
  }

  /** Grants encryption and decryption in every Region. */
  public grantEncryptDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.everywhere(k => k.grantEncryptDecrypt(grantee));
  }

  /** Grants use only through one AWS service (in each key's own Region), in every Region. */
  public grantViaService(grantee: iam.IGrantable, service: string, ...actions: string[]): iam.Grant {
    return this.everywhere(k => k.grantViaService(grantee, service, ...actions));
  }

  /** Makes a principal an administrator in every Region. */
  public grantAdmin(grantee: iam.IGrantable): iam.Grant {
    return this.everywhere(k => k.grantAdmin(grantee));
  }

  private everywhere(grant: (key: ISeparatedDutyKey) => iam.Grant): iam.Grant {
    const primary = grant(this.primaryKey);
    for (const replica of this.replicas.values()) grant(replica);
    return primary;
  }

  private validateStacks(primary: Stack, stacks: Stack[]): void {
    if (Token.isUnresolved(primary.region) || Token.isUnresolved(primary.account)) {
      throw invalidProp(this, KIND, 'scope', `must be in a stack with an explicit account and Region, got stack '${primary.node.path}' (account ${primary.account}, Region ${primary.region})`);
    }
    if (stacks.length === 0) {
      throw invalidProp(this, KIND, 'replicaStacks', 'must name at least one stack in another Region; for a key in one Region use SeparatedDutyKey');
    }
    const seen = new Set<string>();
    for (const stack of stacks) {
      const name = `stack '${stack.node.path}'`;
      if (Token.isUnresolved(stack.region) || Token.isUnresolved(stack.account)) {
        throw invalidProp(this, KIND, 'replicaStacks', `${name} is environment-agnostic: give it an explicit account and Region`);
      }
      if (stack.region === primary.region) {
        throw invalidProp(this, KIND, 'replicaStacks', `${name} is in ${stack.region}, the primary's Region: replicas must be in other Regions`);
      }
      if (Token.compareStrings(stack.account, primary.account) === TokenComparison.DIFFERENT) {
        throw invalidProp(this, KIND, 'replicaStacks', `${name} is in account ${stack.account}, not the primary's account ${primary.account}: replicas of a multi-Region key are in the same account`);
      }
      if (seen.has(stack.region)) {
        throw invalidProp(this, KIND, 'replicaStacks', `${name} is in ${stack.region}, which another replica stack already covers: one replica per Region`);
      }
      if ((stack as any)._crossRegionReferences !== true) {
        throw invalidProp(this, KIND, 'replicaStacks', `${name} must be created with \`crossRegionReferences: true\`: the primary key ARN reaches the replica through CDK's cross-Region references`);
      }
      seen.add(stack.region);
    }
  }
}

interface ReplicaKeyProps {
  readonly set: MultiRegionKeySet;
  readonly primaryKeyArn: string;
  readonly alias: string;
  readonly administrators: iam.IPrincipal[];
  readonly users: iam.IPrincipal[];
  readonly accountAdministration: boolean;
  readonly description?: string;
  readonly pendingWindow: number;
  readonly removalPolicy: RemovalPolicy;
}

/** A replica of the primary key in another Region's stack, with a key policy built the same way. */
class ReplicaKey extends SeparatedDutyKeyBase {
  public readonly keyArn: string;
  public readonly keyId: string;
  public readonly keySpec = kms.KeySpec.SYMMETRIC_DEFAULT;
  public readonly keyUsage = kms.KeyUsage.ENCRYPT_DECRYPT;
  /** @internal */
  public readonly _policy: KeyPolicyBuilder;
  /** @internal */
  protected readonly _policyResource: kms.CfnReplicaKey;
  /** @internal */
  protected readonly _kind = `${KIND} replica`;

  constructor(scope: Construct, id: string, props: ReplicaKeyProps) {
    super(scope, id);
    this._policy = new KeyPolicyBuilder({
      owner: this,
      kind: this._kind,
      accountAdministration: props.accountAdministration,
      adminActions: [...MUTATING_ADMIN_ACTIONS, ...READ_ADMIN_ACTIONS, REVOKE_GRANT, ...MULTI_REGION_ADMIN_ACTIONS],
    });
    for (const admin of props.administrators) this._policy.addAdministrator(admin, 'administrators');
    for (const user of props.users) this._policy.addUser(user, usageActions(this.keySpec, this.keyUsage), 'users', true);

    this._policyResource = new kms.CfnReplicaKey(this, 'Resource', {
      primaryKeyArn: props.primaryKeyArn,
      description: props.description,
      enabled: true,
      pendingWindowInDays: props.pendingWindow,
      keyPolicy: Lazy.any({ produce: () => this._policy.render() }),
    });
    this._policyResource.applyRemovalPolicy(props.removalPolicy);
    acknowledgeShortPendingWindow(this._policyResource, 'pendingWindow', props.pendingWindow);
    this.node.defaultChild = this._policyResource;
    this.node.addValidation({ validate: () => this._policy.validate() });
    this.keyArn = this._policyResource.attrArn;
    this.keyId = this._policyResource.attrKeyId;
    claimAlias(this, KIND, 'alias', props.alias);
    new kms.Alias(this, 'Alias', { aliasName: props.alias, targetKey: this });
  }
}

/** The resources of a stack a statement references (by construct path), pseudo parameters aside. */
function resourceReferences(stack: Stack, statement: iam.PolicyStatement): string[] {
  const found = new Set<string>();
  const visit = (value: any): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string' && !v.startsWith('AWS::')) found.add(pathOf(stack, v));
      else if (k === 'Fn::GetAtt') found.add(pathOf(stack, Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]));
      else if (k === 'Fn::ImportValue' || k === 'Fn::GetStackOutput') found.add(`a value of another stack (${JSON.stringify(v)})`);
      else visit(v);
    }
  };
  visit(stack.resolve(statement.toStatementJson()));
  return [...found];
}

function pathOf(stack: Stack, logicalId: string): string {
  const element = stack.node.findAll().find(c => CfnElement.isCfnElement(c) && stack.resolve((c as CfnElement).logicalId) === logicalId);
  return `'${element?.node.path ?? logicalId}'`;
}

function pascalPath(path: string): string {
  return path.split(/[^A-Za-z0-9]/).filter(Boolean).map(p => p[0].toUpperCase() + p.slice(1)).join('');
}
