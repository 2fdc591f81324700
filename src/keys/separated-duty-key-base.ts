import { Resource, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { ISeparatedDutyKey } from './key-interface';
import { KeyPolicyBuilder, PolicyCaller } from './key-policy';
import { GRANT_METHOD_ACTIONS, usageActions } from './key-usage';
import { SeparatedDutyKeyGrants } from './separated-duty-key-grants';
import {
  expandActionPattern,
  GRANT_ACTIONS,
  IMPORT_ADMIN_ACTIONS,
  MULTI_REGION_ADMIN_ACTIONS,
  MUTATING_ADMIN_ACTIONS,
  READ_ADMIN_ACTIONS,
  RETIRE_GRANT,
} from '../policy/actions';
import { invalidProp } from '../private/errors';
import { reportedGrant } from '../private/grants';
import { claimAlias, normalizeAlias } from '../private/validation';

const IS_SEPARATED_DUTY_KEY = Symbol.for('cdk-kms-guardrails.SeparatedDutyKey');

/** Whether `x` is a key whose policy this library builds (works across copies of the library). */
export function isSeparatedDutyKey(x: any): x is ISeparatedDutyKey {
  return x !== null && typeof x === 'object' && IS_SEPARATED_DUTY_KEY in x;
}

/**
 * `key.grantViaService` on behalf of the construct whose method the user called: its errors name
 * that construct and method (`EncryptedBucket at '…': \`grantRead()\``), not the key's
 * internal call. A key of another copy of this library has only the public method.
 */
export function grantViaServiceFor(
  key: ISeparatedDutyKey, grantee: iam.IGrantable, service: string, actions: string[], method: string, caller: PolicyCaller,
): iam.Grant {
  const internal = (key as any)._grantViaService;
  if (typeof internal === 'function') return internal.call(key, grantee, service, actions, method, caller);
  return key.grantViaService(grantee, service, ...actions);
}

/**
 * The multi-Region key set a key belongs to, as the key sees it.
 *
 * @internal
 */
export interface IKeySetMembership {
  /** Adds a statement given to one key of the set to every key of the set, or rejects it. */
  addToEveryKey(statement: iam.PolicyStatement, from: SeparatedDutyKeyBase): void;
}

/**
 * What a SeparatedDutyKey and a replica key share: the policy builder behind every grant.
 *
 * @internal a hidden base class: its members appear on the exported classes.
 */
export abstract class SeparatedDutyKeyBase extends Resource implements ISeparatedDutyKey {
  public abstract readonly keyArn: string;
  public abstract readonly keyId: string;
  public abstract readonly keySpec: kms.KeySpec;
  public abstract readonly keyUsage: kms.KeyUsage;
  /** @internal */
  public abstract readonly _policy: KeyPolicyBuilder;
  /**
   * The L1 resource whose policy the grants change: resources using a grant deploy after it.
   *
   * @internal
   */
  protected abstract readonly _policyResource: IConstruct;
  /**
   * How errors name this kind of key.
   *
   * @internal
   */
  protected abstract readonly _kind: string;
  /**
   * The multi-Region key set of the key, when it belongs to one.
   *
   * @internal
   */
  public _keySet?: IKeySetMembership;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    Object.defineProperty(this, IS_SEPARATED_DUTY_KEY, { value: true });
  }

  /**
   * Lets IAM principals of the account create grants on the key, for AWS resources only and only
   * through one service, in the key's Region. Services that work by grants need it from whoever
   * creates a resource under the key (DynamoDB: the role that deploys a table). The statement has
   * `kms:CreateGrant` and `kms:DescribeKey` only, so it gives no use of the key outside the
   * service; the service's grant is for the service itself.
   *
   * @param service the service's endpoint prefix, e.g. `dynamodb`
   */
  public allowResourceCreationThroughService(service: string): void {
    if (!Token.isUnresolved(service) && !/^[a-z0-9-]+$/.test(service)) {
      throw invalidProp(this, this._kind, 'allowResourceCreationThroughService()', `needs a service endpoint prefix such as 'dynamodb', got '${service}'`);
    }
    this._policy.allowAccountGrantsViaService(service);
  }

  /** A reference to this key for L1 properties. */
  public get keyRef(): kms.KeyReference {
    return { keyArn: this.keyArn, keyId: this.keyId };
  }

  /**
   * The grant methods, as in `kms.Key.grants`: every grant lands in the key policy.
   */
  public get grants(): SeparatedDutyKeyGrants {
    return SeparatedDutyKeyGrants._of(this);
  }

  /**
   * Adds another alias to the key (KMS allows 50 per key).
   */
  public addAlias(aliasName: string): kms.Alias {
    const name = normalizeAlias(this, this._kind, 'addAlias()', aliasName);
    claimAlias(this, this._kind, 'addAlias()', name);
    const id = Token.isUnresolved(name) ? `Alias${this.node.children.length}` : `Alias${name.replace(/[^A-Za-z0-9]/g, '')}`;
    return new kms.Alias(this, id, { aliasName: name, targetKey: this });
  }

  /**
   * Adds a statement to the key policy, after checking it against the invariants: no principal
   * both administers and uses the key, the account root gets no cryptographic action,
   * `Principal: "*"` needs an account or organization condition, service principals need a
   * source condition and `kms:CreateGrant` needs `kms:GrantIsForAWSResource`. A statement that
   * breaks one is an error. Deny statements are always accepted.
   *
   * On a key of a MultiRegionKeySet the statement is added to every key of the set (they share
   * key material), unless it only names AWS services bound to a resource of this key's stack (an
   * SNS topic, an EventBridge rule of this Region), which stays on this key. A statement that
   * names a resource of one stack for any other principal is an error: use literal ARNs.
   *
   * @param statement the statement to add
   * @param allowNoOp ignored: the statement is always added, or the call fails
   */
  public addToResourcePolicy(statement: iam.PolicyStatement, allowNoOp?: boolean): iam.AddToResourcePolicyResult {
    // Named as in `kms.IKey`, so that the bindings accept the same keyword argument.
    void allowNoOp;
    if (this._keySet !== undefined) {
      this._keySet.addToEveryKey(statement, this);
      return { statementAdded: true, policyDependable: this._policyResource };
    }
    this._policy.addStatement(statement, 'addToResourcePolicy()');
    return { statementAdded: true, policyDependable: this._policyResource };
  }

  /**
   * Grants the given actions to a principal, in the key policy. Only usage actions (cryptographic
   * actions the key supports, `kms:DescribeKey`, `kms:GetPublicKey`, read-only configuration
   * actions, and grant management, which is limited to AWS resources); administrative actions
   * go through `grantAdmin`. Wildcards such as `kms:GenerateDataKey*` expand to the actions the
   * key supports.
   */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.grantUsage(grantee, actions, 'grant()', false);
  }

  /** Grants decryption (`kms:Decrypt`) in the key policy. */
  public grantDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.grantUsage(grantee, GRANT_METHOD_ACTIONS.grantDecrypt, 'grantDecrypt()', true);
  }

  /** Grants encryption (`kms:Encrypt`, `kms:ReEncrypt*`, `kms:GenerateDataKey*` as supported) in the key policy. */
  public grantEncrypt(grantee: iam.IGrantable): iam.Grant {
    return this.grantUsage(grantee, GRANT_METHOD_ACTIONS.grantEncrypt, 'grantEncrypt()', true);
  }

  /** Grants encryption and decryption in the key policy. */
  public grantEncryptDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.grantUsage(grantee, GRANT_METHOD_ACTIONS.grantEncryptDecrypt, 'grantEncryptDecrypt()', true);
  }

  /** Grants `kms:Sign` in the key policy. */
  public grantSign(grantee: iam.IGrantable): iam.Grant {
    return this.grantUsage(grantee, GRANT_METHOD_ACTIONS.grantSign, 'grantSign()', true);
  }

  /** Grants `kms:Verify` in the key policy. */
  public grantVerify(grantee: iam.IGrantable): iam.Grant {
    return this.grantUsage(grantee, GRANT_METHOD_ACTIONS.grantVerify, 'grantVerify()', true);
  }

  /** Grants `kms:Sign` and `kms:Verify` in the key policy. */
  public grantSignVerify(grantee: iam.IGrantable): iam.Grant {
    return this.grantUsage(grantee, GRANT_METHOD_ACTIONS.grantSignVerify, 'grantSignVerify()', true);
  }

  /** Grants `kms:GenerateMac` in the key policy. */
  public grantGenerateMac(grantee: iam.IGrantable): iam.Grant {
    return this.grantUsage(grantee, GRANT_METHOD_ACTIONS.grantGenerateMac, 'grantGenerateMac()', true);
  }

  /** Grants `kms:VerifyMac` in the key policy. */
  public grantVerifyMac(grantee: iam.IGrantable): iam.Grant {
    return this.grantUsage(grantee, GRANT_METHOD_ACTIONS.grantVerifyMac, 'grantVerifyMac()', true);
  }

  /**
   * Makes a principal an administrator of the key: explicit administrative actions, and an
   * explicit Deny of every cryptographic action. A principal that already uses the key is an error.
   */
  public grantAdmin(grantee: iam.IGrantable): iam.Grant {
    this._policy.addAdministrator(grantee.grantPrincipal, 'grantAdmin()');
    return this.grantResult(grantee, ['kms:DescribeKey', ...MUTATING_ADMIN_ACTIONS]);
  }

  /**
   * Grants use of the key only through one AWS service, called from this account:
   * `kms:ViaService: <service>.<region>.amazonaws.com` and `kms:CallerAccount`. A principal
   * granted this way cannot call KMS directly, nor through another service.
   *
   * @param grantee the principal
   * @param service the service's endpoint prefix, e.g. `s3`, `sqs`, `dynamodb`
   * @param actions the actions; when empty, every cryptographic action the key supports
   */
  public grantViaService(grantee: iam.IGrantable, service: string, ...actions: string[]): iam.Grant {
    return this._grantViaService(grantee, service, actions, 'grantViaService()');
  }

  /**
   * `grantViaService` on behalf of a resource construct: errors name the method the user called
   * (`grantRead()`) and the construct it was called on.
   *
   * @internal
   */
  public _grantViaService(grantee: iam.IGrantable, service: string, actions: string[], method: string, caller?: PolicyCaller): iam.Grant {
    if (!Token.isUnresolved(service) && !/^[a-z0-9-]+$/.test(service)) {
      throw invalidProp(this, this._kind, method, `needs a service endpoint prefix such as 's3', 'sqs' or 'dynamodb', got '${service}'`);
    }
    const resolved = actions.length > 0
      ? this.usageActionsFor(actions, method)
      : usageActions(this.keySpec, this.keyUsage);
    const usage = resolved.filter(a => !GRANT_ACTIONS.includes(a));
    this._policy.addViaService(grantee.grantPrincipal, service, usage, method, caller);
    return this.grantResult(grantee, usage);
  }

  private grantUsage(grantee: iam.IGrantable, actions: string[], method: string, fromMethod: boolean): iam.Grant {
    const resolved = fromMethod ? this.methodActions(actions, method) : this.usageActionsFor(actions, method);
    const grantActions = resolved.filter(a => GRANT_ACTIONS.includes(a));
    const usage = resolved.filter(a => !GRANT_ACTIONS.includes(a));
    if (usage.length > 0 || grantActions.length === 0) {
      this._policy.addUser(grantee.grantPrincipal, usage, method, grantActions.length > 0);
    } else {
      this._policy.addUser(grantee.grantPrincipal, ['kms:DescribeKey'], method, true);
    }
    return this.grantResult(grantee, resolved);
  }

  /** A `grant*` method's actions, limited to what the key supports; none supported is an error. */
  private methodActions(actions: string[], method: string): string[] {
    const supported = new Set(usageActions(this.keySpec, this.keyUsage));
    const kept = actions.filter(a => supported.has(a));
    if (kept.length === 0) {
      throw invalidProp(this, this._kind, method, `is not supported by a ${this.keySpec} key with usage ${this.keyUsage}; it supports ${[...supported].join(', ')}`);
    }
    return kept;
  }

  private usageActionsFor(patterns: string[], method: string): string[] {
    const supported = new Set([
      ...usageActions(this.keySpec, this.keyUsage),
      ...READ_ADMIN_ACTIONS,
      ...GRANT_ACTIONS,
      RETIRE_GRANT,
    ]);
    const out = new Set<string>();
    for (const pattern of patterns) {
      if (Token.isUnresolved(pattern)) {
        throw invalidProp(this, this._kind, method, 'needs literal action names, got a token');
      }
      const expanded = expandActionPattern(pattern);
      if (expanded.length === 0) {
        throw invalidProp(this, this._kind, method, `got '${pattern}', which is not a KMS action on keys`);
      }
      const admin = expanded.filter(a => !supported.has(a) && !isCryptographicFor(a));
      if (admin.length > 0) {
        throw invalidProp(this, this._kind, method, `got '${pattern}', which includes administrative actions (${admin.join(', ')}): use grantAdmin() or \`administrators\` for those, never together with use`);
      }
      const kept = expanded.filter(a => supported.has(a));
      if (kept.length === 0) {
        throw invalidProp(this, this._kind, method, `got '${pattern}', which a ${this.keySpec} key with usage ${this.keyUsage} does not support; it supports ${usageActions(this.keySpec, this.keyUsage).join(', ')}`);
      }
      const isWildcard = pattern.includes('*') || pattern.includes('?');
      if (!isWildcard && kept.length !== expanded.length) {
        throw invalidProp(this, this._kind, method, `got '${pattern}', which a ${this.keySpec} key with usage ${this.keyUsage} does not support`);
      }
      kept.forEach(a => out.add(a));
    }
    return [...out];
  }

  private grantResult(grantee: iam.IGrantable, actions: string[]): iam.Grant {
    // The statement is already in the key policy.
    return reportedGrant(grantee, actions, [this.keyArn], this._policyResource);
  }


}

function isCryptographicFor(action: string): boolean {
  return action !== 'kms:DescribeKey' && !MUTATING_ADMIN_ACTIONS.includes(action)
    && !MULTI_REGION_ADMIN_ACTIONS.includes(action) && !IMPORT_ADMIN_ACTIONS.includes(action);
}
