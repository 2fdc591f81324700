/**
 * Test helper: "who can do what" on a synthesized KMS key policy, answered by a real IAM
 * evaluation engine (@cloud-copilot/iam-simulate, AGPL-3.0, dev/test only — never import this
 * file from src/).
 *
 * Two halves:
 *  1. A CloudFormation intrinsic resolver that turns a synthesized template's `KeyPolicy` into a
 *     concrete policy document for a fixed environment (account 111111111111, us-east-1, aws).
 *     It throws on anything it cannot resolve; it never guesses.
 *  2. An evaluation function that fills the request context the way AWS does for a KMS call and
 *     runs the engine, including the KMS rule that IAM policies count only when the key policy
 *     trusts the account.
 */
import { createHash } from 'crypto';
import {
  allowedContextKeysForRequest,
  isConditionKeyArray,
  runSimulation,
  runUnsafeSimulation,
  typeForContextKey,
  type RequestAnalysis,
  type Simulation,
} from '@cloud-copilot/iam-simulate';

// ---------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------

/** Values supplied for a resource the resolver does not model (e.g. a custom resource). */
export interface ResourceValues {
  /** What `Ref` returns. */
  readonly ref?: string;
  /** What `Fn::GetAtt [logicalId, <name>]` returns, by attribute name. */
  readonly attributes?: Record<string, string>;
}

/** The fixed environment intrinsics are resolved against. */
export interface IamEvalEnv {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
  /** Value of `AWS::StackName`; unresolvable when absent. */
  readonly stackName?: string;
  /** Values for template `Parameters`, by name. Defaults are never used (SSM parameter types carry the parameter name as default, not its value). */
  readonly parameters?: Record<string, string | string[]>;
  /** Values for `Fn::ImportValue`, by export name. */
  readonly importValues?: Record<string, string>;
  /** Called for an export missing from `importValues`; without it a missing export is an error. */
  readonly importPlaceholder?: (exportName: string) => string;
  /** Values for `Ref` / `Fn::GetAtt` of resources, by logical id; checked before the built-in types. */
  readonly resourceValues?: Record<string, ResourceValues>;
}

export const TEST_ACCOUNT = '111111111111';
export const OTHER_ACCOUNT = '222222222222';

export const DEFAULT_ENV: IamEvalEnv = {
  account: TEST_ACCOUNT,
  region: 'us-east-1',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
};

/** The full environment: `DEFAULT_ENV` with the given fields replaced (urlSuffix follows the partition unless given). */
export function makeEnv(overrides: Partial<IamEvalEnv> = {}): IamEvalEnv {
  const partition = overrides.partition ?? DEFAULT_ENV.partition;
  const urlSuffix = overrides.urlSuffix ?? (partition === 'aws-cn' ? 'amazonaws.com.cn' : DEFAULT_ENV.urlSuffix);
  return { ...DEFAULT_ENV, ...overrides, partition, urlSuffix };
}

// ---------------------------------------------------------------------------------------------
// Template resolution
// ---------------------------------------------------------------------------------------------

/** A synthesized CloudFormation template, as returned by `Template.fromStack(s).toJSON()`. */
export type CfnTemplate = { readonly [key: string]: any };

interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** Thrown for any value the resolver or evaluator cannot handle. */
export class IamEvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IamEvalError';
  }
}

const NO_VALUE = Symbol('AWS::NoValue');

/** Types whose `Ref` / `Fn::GetAtt` the resolver models. */
export const SUPPORTED_RESOURCE_TYPES = [
  'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::SNS::Topic', 'AWS::SQS::Queue', 'AWS::S3::Bucket',
  'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::CloudTrail::Trail', 'AWS::Events::Rule',
  'AWS::Logs::LogGroup', 'AWS::KMS::Key', 'AWS::KMS::ReplicaKey', 'AWS::KMS::Alias',
] as const;

class Resolver {
  constructor(private readonly template: CfnTemplate, private readonly env: IamEvalEnv) {}

  public value(v: unknown, path: string): unknown {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      return v.map((x, i) => this.value(x, `${path}[${i}]`)).filter(x => x !== NO_VALUE);
    }
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      return this.intrinsic(keys[0], obj[keys[0]], `${path}.${keys[0]}`);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const r = this.value(obj[k], `${path}.${k}`);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  public string(v: unknown, path: string): string {
    const r = this.value(v, path);
    if (typeof r !== 'string') {
      throw new IamEvalError(`${path}: expected a string after resolution, got ${describe(r)}`);
    }
    return r;
  }

  public ref(name: string, path: string): string | typeof NO_VALUE | string[] {
    switch (name) {
      case 'AWS::AccountId': return this.env.account;
      case 'AWS::Region': return this.env.region;
      case 'AWS::Partition': return this.env.partition;
      case 'AWS::URLSuffix': return this.env.urlSuffix;
      case 'AWS::NoValue': return NO_VALUE;
      case 'AWS::StackName':
        if (this.env.stackName !== undefined) return this.env.stackName;
        throw new IamEvalError(`${path}: Ref AWS::StackName needs env.stackName`);
      default:
    }
    if (name.startsWith('AWS::')) {
      throw new IamEvalError(`${path}: unsupported pseudo parameter Ref ${name}`);
    }
    if (this.template.Parameters && name in this.template.Parameters) {
      const p = this.env.parameters?.[name];
      if (p === undefined) {
        throw new IamEvalError(`${path}: Ref to template parameter '${name}' needs a value in env.parameters (defaults are not used)`);
      }
      return p;
    }
    return this.resourceValue(name, undefined, path);
  }

  public getAtt(logicalId: string, attribute: string, path: string): string {
    return this.resourceValue(logicalId, attribute, path);
  }

  /** `attribute` undefined means `Ref`. */
  public resourceValue(logicalId: string, attribute: string | undefined, path: string): string {
    const what = attribute === undefined ? `Ref ${logicalId}` : `Fn::GetAtt ${logicalId}.${attribute}`;
    const override = this.env.resourceValues?.[logicalId];
    if (override) {
      const v = attribute === undefined ? override.ref : override.attributes?.[attribute];
      if (v !== undefined) return v;
    }
    const res = this.resource(logicalId, path, what);
    const props = res.Properties ?? {};
    const { account, region, partition } = this.env;
    const name = (prop: string, transform: (s: string) => string = s => s) =>
      props[prop] !== undefined ? this.string(props[prop], `${logicalId}.Properties.${prop}`) : transform(logicalId);
    const fail = (): never => {
      throw new IamEvalError(
        `${path}: cannot resolve ${what} (type ${res.Type}): this attribute is not modelled; supply it in env.resourceValues['${logicalId}']`);
    };
    const pick = (table: Record<string, () => string>): string => {
      const key = attribute === undefined ? 'Ref' : attribute;
      const f = table[key];
      return f ? f() : fail();
    };

    switch (res.Type) {
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User': {
        const isRole = res.Type === 'AWS::IAM::Role';
        const n = name(isRole ? 'RoleName' : 'UserName');
        const p = props.Path !== undefined ? this.string(props.Path, `${logicalId}.Properties.Path`) : '/';
        const arn = `arn:${partition}:iam::${account}:${isRole ? 'role' : 'user'}${p}${n}`;
        return pick({ Ref: () => n, Arn: () => arn });
      }
      case 'AWS::SNS::Topic': {
        const n = name('TopicName', s => (isTrue(props.FifoTopic) ? `${s}.fifo` : s));
        const arn = `arn:${partition}:sns:${region}:${account}:${n}`;
        return pick({ Ref: () => arn, TopicArn: () => arn, TopicName: () => n });
      }
      case 'AWS::SQS::Queue': {
        const n = name('QueueName', s => (isTrue(props.FifoQueue) ? `${s}.fifo` : s));
        const url = `https://sqs.${region}.${this.env.urlSuffix}/${account}/${n}`;
        return pick({ Ref: () => url, QueueUrl: () => url, QueueName: () => n, Arn: () => `arn:${partition}:sqs:${region}:${account}:${n}` });
      }
      case 'AWS::S3::Bucket': {
        const n = name('BucketName', s => s.toLowerCase());
        return pick({ Ref: () => n, Arn: () => `arn:${partition}:s3:::${n}` });
      }
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable': {
        const n = name('TableName');
        return pick({ Ref: () => n, Arn: () => `arn:${partition}:dynamodb:${region}:${account}:table/${n}` });
      }
      case 'AWS::CloudTrail::Trail': {
        const n = name('TrailName');
        return pick({ Ref: () => n, Arn: () => `arn:${partition}:cloudtrail:${region}:${account}:trail/${n}` });
      }
      case 'AWS::Events::Rule': {
        // Ref of a rule is not modelled (its form differs for custom event buses).
        const n = name('Name');
        let bus = props.EventBusName !== undefined ? this.string(props.EventBusName, `${logicalId}.Properties.EventBusName`) : 'default';
        if (bus.startsWith('arn:')) bus = bus.slice(bus.indexOf(':event-bus/') + ':event-bus/'.length);
        const rulePath = bus === 'default' ? n : `${bus}/${n}`;
        return pick({ Arn: () => `arn:${partition}:events:${region}:${account}:rule/${rulePath}` });
      }
      case 'AWS::Logs::LogGroup': {
        const n = name('LogGroupName');
        return pick({ Ref: () => n, Arn: () => `arn:${partition}:logs:${region}:${account}:log-group:${n}:*` });
      }
      case 'AWS::KMS::Key':
      case 'AWS::KMS::ReplicaKey': {
        const id = this.keyId(logicalId, res);
        return pick({ Ref: () => id, KeyId: () => id, Arn: () => `arn:${partition}:kms:${region}:${account}:key/${id}` });
      }
      case 'AWS::KMS::Alias':
        return pick({ Ref: () => this.string(props.AliasName, `${logicalId}.Properties.AliasName`) });
      default:
        throw new IamEvalError(
          `${path}: cannot resolve ${what}: resource type ${res.Type} is not modelled (supported: ${SUPPORTED_RESOURCE_TYPES.join(', ')}); ` +
          `supply it in env.resourceValues['${logicalId}']`);
    }
  }

  /** A deterministic stand-in key id; a replica takes its primary's multi-Region key id. */
  public keyId(logicalId: string, res: CfnResourceJson): string {
    if (res.Type === 'AWS::KMS::ReplicaKey') {
      const primary = this.string(res.Properties?.PrimaryKeyArn, `${logicalId}.Properties.PrimaryKeyArn`);
      const m = /:key\/(mrk-[0-9a-f]{32})$/.exec(primary);
      if (!m) {
        throw new IamEvalError(`${logicalId}.Properties.PrimaryKeyArn: expected a multi-Region key ARN (…:key/mrk-<32 hex>), got '${primary}'`);
      }
      return m[1];
    }
    const hex = createHash('sha256').update(`${this.env.account}/${this.env.region}/${logicalId}`).digest('hex');
    if (isTrue(res.Properties?.MultiRegion)) return `mrk-${hex.slice(0, 32)}`;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  }

  public resource(logicalId: string, path: string, what: string): CfnResourceJson {
    const res = this.template.Resources?.[logicalId] as CfnResourceJson | undefined;
    if (!res) {
      throw new IamEvalError(`${path}: cannot resolve ${what}: no resource or parameter '${logicalId}' in the template`);
    }
    return res;
  }

  private intrinsic(fn: string, arg: unknown, path: string): unknown {
    switch (fn) {
      case 'Ref':
        if (typeof arg !== 'string') throw new IamEvalError(`${path}: Ref takes a string, got ${describe(arg)}`);
        return this.ref(arg, path);
      case 'Fn::GetAtt': {
        let parts: unknown[];
        if (typeof arg === 'string') {
          const dot = arg.indexOf('.');
          parts = dot < 0 ? [arg] : [arg.slice(0, dot), arg.slice(dot + 1)];
        } else {
          parts = Array.isArray(arg) ? arg : [];
        }
        if (parts.length !== 2 || typeof parts[0] !== 'string') {
          throw new IamEvalError(`${path}: Fn::GetAtt takes [logicalId, attribute], got ${describe(arg)}`);
        }
        return this.getAtt(parts[0], this.string(parts[1], `${path}[1]`), path);
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') {
          throw new IamEvalError(`${path}: Fn::Join takes [delimiter, list], got ${describe(arg)}`);
        }
        const list = this.value(arg[1], `${path}[1]`);
        if (!Array.isArray(list)) throw new IamEvalError(`${path}: Fn::Join list resolved to ${describe(list)}, not a list`);
        return list.map((x, i) => {
          if (typeof x !== 'string') throw new IamEvalError(`${path}[1][${i}]: Fn::Join element resolved to ${describe(x)}, not a string`);
          return x;
        }).join(arg[0]);
      }
      case 'Fn::Sub': {
        let template: unknown = arg;
        let vars: Record<string, unknown> = {};
        if (Array.isArray(arg)) {
          if (arg.length !== 2 || typeof arg[1] !== 'object' || arg[1] === null) {
            throw new IamEvalError(`${path}: Fn::Sub takes a string or [string, variables], got ${describe(arg)}`);
          }
          template = arg[0];
          vars = arg[1] as Record<string, unknown>;
        }
        if (typeof template !== 'string') throw new IamEvalError(`${path}: Fn::Sub template must be a string, got ${describe(template)}`);
        return this.sub(template, vars, path);
      }
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new IamEvalError(`${path}: Fn::Select takes [index, list], got ${describe(arg)}`);
        const idxRaw = this.value(arg[0], `${path}[0]`);
        const idx = typeof idxRaw === 'number' ? idxRaw : typeof idxRaw === 'string' && /^\d+$/.test(idxRaw) ? Number(idxRaw) : NaN;
        if (!Number.isInteger(idx)) throw new IamEvalError(`${path}: Fn::Select index resolved to ${describe(idxRaw)}, not an integer`);
        const list = this.value(arg[1], `${path}[1]`);
        if (!Array.isArray(list)) throw new IamEvalError(`${path}: Fn::Select list resolved to ${describe(list)}, not a list`);
        if (idx < 0 || idx >= list.length) throw new IamEvalError(`${path}: Fn::Select index ${idx} out of range for a list of ${list.length}`);
        return list[idx];
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') {
          throw new IamEvalError(`${path}: Fn::Split takes [delimiter, string], got ${describe(arg)}`);
        }
        return this.string(arg[1], `${path}[1]`).split(arg[0]);
      }
      case 'Fn::ImportValue': {
        const exportName = this.string(arg, path);
        const v = this.env.importValues?.[exportName];
        if (v !== undefined) return v;
        if (this.env.importPlaceholder) return this.env.importPlaceholder(exportName);
        throw new IamEvalError(`${path}: Fn::ImportValue '${exportName}' needs a value in env.importValues (or an env.importPlaceholder)`);
      }
      default:
        throw new IamEvalError(`${path}: unsupported intrinsic ${fn}`);
    }
  }

  private sub(template: string, vars: Record<string, unknown>, path: string): string {
    return template.replace(/\$\{([^}]*)\}/g, (_m, expr: string) => {
      if (expr.startsWith('!')) return `\${${expr.slice(1)}}`;
      const name = expr.trim();
      if (name in vars) {
        const v = this.value(vars[name], `${path}[1].${name}`);
        if (typeof v !== 'string') throw new IamEvalError(`${path}: Fn::Sub variable ${name} resolved to ${describe(v)}, not a string`);
        return v;
      }
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) return this.getAtt(name.slice(0, dot), name.slice(dot + 1), `${path}(\${${name}})`);
      const r = this.ref(name, `${path}(\${${name}})`);
      if (typeof r !== 'string') throw new IamEvalError(`${path}: Fn::Sub \${${name}} resolved to ${describe(r)}, not a string`);
      return r;
    });
  }
}

function isTrue(v: unknown): boolean {
  return v === true || v === 'true';
}

function describe(v: unknown): string {
  if (v === NO_VALUE) return 'AWS::NoValue';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/** Resolves every CloudFormation intrinsic in `value` against `env`; throws IamEvalError on anything unresolvable. */
export function resolveIntrinsics(template: CfnTemplate, value: unknown, env: Partial<IamEvalEnv> = {}): any {
  const r = new Resolver(template, makeEnv(env)).value(value, '$');
  if (r === NO_VALUE) throw new IamEvalError('$: the value resolved to AWS::NoValue');
  return r;
}

/** ARN of the AWS::IAM::Role `logicalId`: arn:<partition>:iam::<account>:role<Path><RoleName or logical id>. */
export function roleArn(template: CfnTemplate, logicalId: string, env: Partial<IamEvalEnv> = {}): string {
  const resolver = new Resolver(template, makeEnv(env));
  const res = resolver.resource(logicalId, logicalId, 'roleArn');
  if (res.Type !== 'AWS::IAM::Role') throw new IamEvalError(`roleArn: '${logicalId}' is a ${res.Type}, not an AWS::IAM::Role`);
  return resolver.getAtt(logicalId, 'Arn', logicalId);
}

/** A KMS key of a template, with its key policy resolved. */
export interface ResolvedKey {
  readonly logicalId: string;
  readonly type: 'AWS::KMS::Key' | 'AWS::KMS::ReplicaKey';
  readonly keyId: string;
  readonly keyArn: string;
  readonly keyPolicy: PolicyDocument;
}

/** A resolved IAM policy document. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: any[];
  readonly [key: string]: unknown;
}

/** Resolves the AWS::KMS::Key / AWS::KMS::ReplicaKey `logicalId`: its stand-in key id, ARN and fully resolved KeyPolicy. */
export function resolveKey(template: CfnTemplate, logicalId: string, env: Partial<IamEvalEnv> = {}): ResolvedKey {
  const e = makeEnv(env);
  const resolver = new Resolver(template, e);
  const res = resolver.resource(logicalId, logicalId, 'resolveKey');
  if (res.Type !== 'AWS::KMS::Key' && res.Type !== 'AWS::KMS::ReplicaKey') {
    throw new IamEvalError(`resolveKey: '${logicalId}' is a ${res.Type}, not an AWS::KMS::Key or AWS::KMS::ReplicaKey`);
  }
  const raw = res.Properties?.KeyPolicy;
  if (raw === undefined) {
    throw new IamEvalError(`resolveKey: '${logicalId}' has no KeyPolicy (KMS would apply its default policy; this helper does not assume it)`);
  }
  const keyPolicy = resolver.value(typeof raw === 'string' ? JSON.parse(raw) : raw, `${logicalId}.Properties.KeyPolicy`) as PolicyDocument;
  if (typeof keyPolicy !== 'object' || keyPolicy === null || !('Statement' in keyPolicy)) {
    throw new IamEvalError(`resolveKey: '${logicalId}' KeyPolicy has no Statement: ${describe(keyPolicy)}`);
  }
  const keyId = resolver.keyId(logicalId, res);
  return { logicalId, type: res.Type, keyId, keyArn: `arn:${e.partition}:kms:${e.region}:${e.account}:key/${keyId}`, keyPolicy };
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

export type KeyAccessDecision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

export interface KeyAccessRequest {
  /** The resolved key policy (e.g. `resolveKey(...).keyPolicy`). */
  readonly keyPolicy: object;
  /** arn:<partition>:kms:<region>:<account>:key/<id>; its account is the key's account. */
  readonly keyArn: string;
  /** Role, user, root or assumed-role session ARN, or a service principal such as `sns.amazonaws.com`. */
  readonly principalArn: string;
  /** A single KMS action, e.g. `kms:Decrypt`. */
  readonly action: string;
  /** The principal's IAM identity policy documents (not for service principals, nor for the account root user, which gets an implicit Allow *). */
  readonly identityPolicies?: object[];
  /** Request context supplied by the caller/service: kms:ViaService, kms:GrantIsForAWSResource, aws:SourceArn, kms:EncryptionContext:<k>, … */
  readonly context?: Record<string, string | string[]>;
  /** Asserts whether `principalArn` is a service principal; inferred from its form when omitted. */
  readonly principalIsService?: boolean;
  /** Drop (and report) context keys that do not apply to the action instead of throwing. Default false. */
  readonly ignoreInapplicableContext?: boolean;
}

export interface KeyAccessExplanation {
  readonly decision: KeyAccessDecision;
  /** What the engine returned before the helper's cross-account action rule. */
  readonly engineDecision: KeyAccessDecision;
  readonly principalAccount?: string;
  readonly keyAccount: string;
  readonly crossAccount: boolean;
  /** True when the engine allowed a cross-account call that KMS does not accept across accounts. */
  readonly crossAccountActionUnsupported: boolean;
  /** The request context given to the engine (auto-filled keys merged with the request's). */
  readonly context: Record<string, string | string[]>;
  /** Request keys that do not apply to the action and were dropped (only with ignoreInapplicableContext). */
  readonly droppedContextKeys: string[];
  /** `runUnsafeSimulation` is used (after validation) only when kms:EncryptionContext:<key> keys are present; see explainKeyAccess. */
  readonly engineEntryPoint: 'runSimulation' | 'runUnsafeSimulation';
  /** The engine's detailed analysis (runSimulation path only). */
  readonly analysis?: RequestAnalysis;
}

/**
 * KMS operations whose key-policy permissions are effective across accounts (AWS KMS developer guide,
 * "Allowing users in other accounts to use a KMS key"). Any other operation fails cross-account.
 */
export const CROSS_ACCOUNT_ACTIONS: readonly string[] = [
  'kms:Decrypt', 'kms:DeriveSharedSecret', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateMac',
  'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:Sign', 'kms:Verify', 'kms:VerifyMac',
  'kms:CreateGrant', 'kms:DescribeKey', 'kms:GetKeyRotationStatus', 'kms:GetPublicKey', 'kms:ListGrants',
  'kms:RetireGrant', 'kms:RevokeGrant',
];
const CROSS_ACCOUNT_LOWER = new Set(CROSS_ACCOUNT_ACTIONS.map(a => a.toLowerCase()));

const KEY_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):kms:([a-z0-9-]+):(\d{12}):key\/([A-Za-z0-9-]+)$/;
const IAM_PRINCIPAL = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):(?:iam::(\d{12}):(root|role\/.+|user\/.+)|sts::(\d{12}):(assumed-role\/[^/]+\/.+))$/;

interface IamPrincipal {
  readonly partition: string;
  readonly account: string;
  /** root, role/..., user/... or assumed-role/<role>/<session> */
  readonly resource: string;
}

function parseIamPrincipal(arn: string): IamPrincipal | undefined {
  const m = IAM_PRINCIPAL.exec(arn);
  if (!m) return undefined;
  return { partition: m[1], account: m[2] ?? m[4], resource: m[3] ?? m[5] };
}
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;

/** Auto-filled keys a request may override (lower-case); every other auto-filled key may only be restated. */
const TIME_KEYS = new Set(['aws:currenttime', 'aws:epochtime']);
const ENCRYPTION_CONTEXT_PREFIX = 'kms:encryptioncontext:';
const ENCRYPTION_CONTEXT_TEMPLATE = 'kms:encryptioncontext:${encryptioncontextkey}';

/**
 * The context AWS puts on a KMS request, from the principal alone. The engine fills none of these
 * itself (verified: a condition on aws:PrincipalAccount or kms:CallerAccount does not match unless
 * the key is passed in).
 */
function awsFilledContext(principal: string, isService: boolean, keyAccount: string, keyRegion: string,
  request: Record<string, string | string[]>): Record<string, string> {
  const now = new Date();
  const ctx: Record<string, string> = {
    'aws:SecureTransport': 'true', // KMS endpoints accept only TLS
    'aws:RequestedRegion': keyRegion,
    'aws:ResourceAccount': keyAccount,
    'aws:CurrentTime': now.toISOString(),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
  };
  if (isService) {
    ctx['aws:PrincipalIsAWSService'] = 'true';
    ctx['aws:PrincipalServiceName'] = principal;
    // A service acting for a resource sends aws:SourceArn and aws:SourceAccount together.
    const srcArn = lookup(request, 'aws:SourceArn');
    if (typeof srcArn === 'string' && lookup(request, 'aws:SourceAccount') === undefined) {
      const acct = srcArn.split(':')[4];
      if (acct && /^\d{12}$/.test(acct)) ctx['aws:SourceAccount'] = acct;
    }
    return ctx;
  }
  const { partition, account, resource: rest } = parseIamPrincipal(principal)!;
  let principalArn = principal;
  let type = 'AssumedRole';
  if (rest === 'root') {
    type = 'Account';
  } else if (rest.startsWith('user/')) {
    type = 'User';
  } else if (rest.startsWith('assumed-role/')) {
    principalArn = `arn:${partition}:iam::${account}:role/${rest.split('/')[1]}`;
  }
  ctx['aws:PrincipalArn'] = principalArn;
  ctx['aws:PrincipalAccount'] = account;
  ctx['aws:PrincipalType'] = type;
  ctx['aws:PrincipalIsAWSService'] = 'false';
  ctx['kms:CallerAccount'] = account;
  ctx['aws:ViaAWSService'] = lookup(request, 'kms:ViaService') !== undefined ? 'true' : 'false';
  return ctx;
}

function lookup(ctx: Record<string, string | string[]>, key: string): string | string[] | undefined {
  const k = Object.keys(ctx).find(x => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : ctx[k];
}

/** Engine normalization, replicated for the unsafe path: array-typed keys become arrays, single-valued keys a string. */
async function normalizeContext(ctx: Record<string, string | string[]>): Promise<Record<string, string | string[]>> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(ctx)) {
    const type = await typeForContextKey(k.toLowerCase());
    if (isConditionKeyArray(type)) {
      out[k] = [v].flat();
    } else if (Array.isArray(v)) {
      if (v.length !== 1) throw new IamEvalError(`context key ${k} is single-valued (${type}); got ${v.length} values`);
      out[k] = v[0];
    } else {
      out[k] = v;
    }
  }
  return out;
}

const CONDITION_OPERATOR = new RegExp(
  '^(ForAllValues:|ForAnyValue:)?(' +
  'String(Not)?Equals(IgnoreCase)?|String(Not)?Like|Numeric(Not)?Equals|Numeric(LessThan|GreaterThan)(Equals)?|' +
  'Date(Not)?Equals|Date(LessThan|GreaterThan)(Equals)?|Bool|BinaryEquals|(Not)?IpAddress|Arn(Not)?(Equals|Like)' +
  ')(IfExists)?$|^Null$');

/**
 * What the engine does not check but KMS does (verified: the engine accepts a statement without
 * Resource as matching everything, a statement without Principal as matching nothing, and treats
 * a misspelled action or condition operator as not matching). A malformed key policy is an error
 * here, not a silent "denied".
 */
async function checkKeyPolicyShape(keyPolicy: object, keyArn: string): Promise<void> {
  const statements = (keyPolicy as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : statements && typeof statements === 'object' ? [statements] : undefined;
  if (!list) throw new IamEvalError(`key policy has no Statement: ${describe(keyPolicy)}`);
  for (const [i, st] of list.entries()) {
    const where = `key policy Statement[${i}]${st && typeof st === 'object' && 'Sid' in st ? ` (${String((st as { Sid: unknown }).Sid)})` : ''}`;
    if (!st || typeof st !== 'object') throw new IamEvalError(`${where} is not an object`);
    const has = (k: string) => k in st;
    if (!has('Principal') && !has('NotPrincipal')) throw new IamEvalError(`${where} has no Principal (required in a key policy)`);
    if (!has('Action') && !has('NotAction')) throw new IamEvalError(`${where} has no Action`);
    if (!has('Resource') && !has('NotResource')) throw new IamEvalError(`${where} has no Resource (KMS rejects it)`);
    const actions = [(st as Record<string, unknown>).Action ?? (st as Record<string, unknown>).NotAction].flat();
    for (const a of actions) {
      if (typeof a !== 'string') throw new IamEvalError(`${where}: action ${describe(a)} is not a string`);
      const m = /^kms:([A-Za-z]+)$/i.exec(a);
      if (!m) continue; // wildcards and other services are left to the engine
      try {
        await allowedContextKeysForRequest('kms', m[1], keyArn, false, undefined);
      } catch {
        throw new IamEvalError(`${where}: unknown action ${a}`);
      }
    }
    const cond = (st as Record<string, unknown>).Condition;
    if (cond !== undefined) {
      if (typeof cond !== 'object' || cond === null) throw new IamEvalError(`${where}: Condition is not an object`);
      for (const op of Object.keys(cond)) {
        if (!CONDITION_OPERATOR.test(op)) throw new IamEvalError(`${where}: unknown condition operator ${op}`);
      }
    }
  }
}

/** Evaluates one KMS request against a key policy (and the principal's identity policies) with the real engine; returns the decision. */
export async function evaluateKeyAccess(req: KeyAccessRequest): Promise<KeyAccessDecision> {
  return (await explainKeyAccess(req)).decision;
}

/** Like evaluateKeyAccess, with the context used, the engine's raw decision and analysis, and the cross-account rule applied. */
export async function explainKeyAccess(req: KeyAccessRequest): Promise<KeyAccessExplanation> {
  const keyMatch = KEY_ARN.exec(req.keyArn);
  if (!keyMatch) throw new IamEvalError(`keyArn must be a concrete KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>), got '${req.keyArn}'`);
  const [, , keyRegion, keyAccount] = keyMatch;

  const looksService = SERVICE_PRINCIPAL.test(req.principalArn);
  const iamPrincipal = parseIamPrincipal(req.principalArn);
  const looksIam = iamPrincipal !== undefined;
  if (!looksService && !looksIam) {
    throw new IamEvalError(`principalArn must be an IAM role/user/root/assumed-role ARN or a service principal, got '${req.principalArn}'`);
  }
  if (req.principalIsService !== undefined && req.principalIsService !== looksService) {
    throw new IamEvalError(`principalIsService is ${req.principalIsService} but '${req.principalArn}' is ${looksService ? '' : 'not '}a service principal`);
  }
  const isService = looksService;
  if (isService && req.identityPolicies && req.identityPolicies.length > 0) {
    throw new IamEvalError(`identityPolicies given for service principal ${req.principalArn}: service principals have no identity policies`);
  }
  // The account root user has every IAM permission in its account (only SCPs limit it) and cannot
  // have policies attached: model it as one implicit Allow *.
  const isRootUser = iamPrincipal?.resource === 'root';
  if (isRootUser && req.identityPolicies !== undefined) {
    throw new IamEvalError(`identityPolicies given for the account root user ${req.principalArn}: it has implicit full IAM permissions`);
  }
  const identityPolicies = isRootUser ? [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }] : req.identityPolicies ?? [];
  if (!/^kms:[A-Za-z]+$/.test(req.action)) throw new IamEvalError(`action must be one KMS action without wildcards, got '${req.action}'`);

  await checkKeyPolicyShape(req.keyPolicy, req.keyArn);

  const requestCtx = req.context ?? {};
  const filled = awsFilledContext(req.principalArn, isService, keyAccount, keyRegion, requestCtx);
  const context: Record<string, string | string[]> = { ...filled };
  const userKeys = new Set<string>();
  for (const [k, v] of Object.entries(requestCtx)) {
    const existing = Object.keys(filled).find(x => x.toLowerCase() === k.toLowerCase());
    if (existing !== undefined) {
      if (TIME_KEYS.has(k.toLowerCase())) {
        delete context[existing];
      } else if (JSON.stringify(filled[existing]) !== JSON.stringify(v)) {
        throw new IamEvalError(`context ${k}=${JSON.stringify(v)} contradicts the value AWS sets for this request (${JSON.stringify(filled[existing])})`);
      } else {
        continue;
      }
    }
    context[k] = v;
    userKeys.add(k);
  }

  const principalAccount = iamPrincipal?.account;
  const simulation: Simulation = {
    request: {
      principal: req.principalArn,
      action: req.action,
      resource: { resource: req.keyArn, accountId: keyAccount },
      contextVariables: context,
    },
    identityPolicies: identityPolicies.map((policy, i) => ({ name: isRootUser ? 'root-user-implicit' : `identity-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: req.keyPolicy,
  };
  const result = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (result.resultType === 'error') {
    throw new IamEvalError(`iam-simulate rejected the simulation: ${JSON.stringify(result.errors)}`);
  }
  if (result.resultType !== 'single') {
    throw new IamEvalError(`iam-simulate ran a ${result.resultType} simulation; expected a single key`);
  }

  // The engine drops context keys that do not apply to the action. kms:EncryptionContext:<key>
  // applies to encryption actions but is dropped too (its variable-key matching only handles
  // '/'-separated keys such as aws:PrincipalTag/x), so a condition on it could never match.
  const ignored = result.result.ignoredContextKeys ?? [];
  let supportsEc: boolean | undefined;
  const encryptionContextKeys: string[] = [];
  const dropped: string[] = [];
  for (const k of ignored) {
    if (!userKeys.has(k)) continue; // auto-filled keys that do not apply are simply not sent
    if (k.toLowerCase().startsWith(ENCRYPTION_CONTEXT_PREFIX)) {
      if (supportsEc === undefined) {
        const [service, action] = req.action.split(':');
        supportsEc = (await allowedContextKeysForRequest(service, action, req.keyArn, false, undefined)).includes(ENCRYPTION_CONTEXT_TEMPLATE);
      }
      if (supportsEc) {
        encryptionContextKeys.push(k);
        continue;
      }
    }
    dropped.push(k);
  }
  if (dropped.length > 0 && !req.ignoreInapplicableContext) {
    throw new IamEvalError(`context keys ${dropped.join(', ')} do not apply to ${req.action} (the engine would ignore them); ` +
      'remove them or set ignoreInapplicableContext');
  }

  let engineDecision: KeyAccessDecision = result.overallResult;
  let analysis: RequestAnalysis | undefined = result.result.analysis;
  let entry: KeyAccessExplanation['engineEntryPoint'] = 'runSimulation';
  if (encryptionContextKeys.length > 0) {
    // Policies, action and resource were validated by runSimulation above; re-run the same
    // request with the encryption-context keys kept, through the engine's unvalidated entry point.
    const ignoredSet = new Set(ignored.filter(k => !encryptionContextKeys.includes(k)));
    const kept = Object.fromEntries(Object.entries(context).filter(([k]) => !ignoredSet.has(k)));
    // runUnsafeSimulation loads the resource policy without a name and then reads it; passing it
    // in iam-policy's public ValidatedPolicy shape (already validated above) supplies the name.
    const validatedKeyPolicy = { __validated: true, policyDocument: req.keyPolicy, metadata: { name: 'KeyPolicy' }, errors: [] };
    engineDecision = runUnsafeSimulation({
      ...simulation,
      resourcePolicy: validatedKeyPolicy,
      request: { ...simulation.request, contextVariables: await normalizeContext(kept) },
    }, { simulationMode: 'Strict' });
    analysis = undefined;
    entry = 'runUnsafeSimulation';
  }

  const crossAccount = principalAccount !== undefined && principalAccount !== keyAccount;
  const crossAccountActionUnsupported = crossAccount && engineDecision === 'Allowed' && !CROSS_ACCOUNT_LOWER.has(req.action.toLowerCase());
  return {
    decision: crossAccountActionUnsupported ? 'ImplicitlyDenied' : engineDecision,
    engineDecision,
    principalAccount,
    keyAccount,
    crossAccount,
    crossAccountActionUnsupported,
    context,
    droppedContextKeys: dropped,
    engineEntryPoint: entry,
    analysis,
  };
}

/** Options for evaluating a key straight from a template. */
export interface TemplateKeyAccessRequest extends Omit<KeyAccessRequest, 'keyPolicy' | 'keyArn'> {
  readonly env?: Partial<IamEvalEnv>;
}

/** Resolves the key `keyLogicalId` of `template` and evaluates the request against its key policy. */
export async function evaluateTemplateKeyAccess(
  template: CfnTemplate, keyLogicalId: string, req: TemplateKeyAccessRequest,
): Promise<KeyAccessDecision> {
  const { env, ...rest } = req;
  const key = resolveKey(template, keyLogicalId, env);
  return evaluateKeyAccess({ ...rest, keyPolicy: key.keyPolicy, keyArn: key.keyArn });
}
