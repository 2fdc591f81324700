import { placeholder, render, Rendered, RenderHost, RenderScope, renderString } from './render';

/** The CloudFormation view of one resource: what the template holds. */
export interface ResourceTemplate {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: unknown;
  readonly UpdateReplacePolicy?: unknown;
  readonly Metadata?: Record<string, unknown>;
}

/** An output as the template holds it. */
export interface OutputTemplate {
  readonly Value?: unknown;
  readonly Export?: { readonly Name?: unknown };
}

/** One stack's template, as written to a cloud assembly or as CDK renders it. */
export interface StackTemplateSource {
  /** Unique among the stacks of the app: the artifact id, or `${parent id}/${logical id}` for a nested stack. */
  readonly id: string;
  /** The CloudFormation stack name (what `Fn::GetStackOutput` names). */
  readonly stackName: string;
  /** The stack's account, when the stack is bound to a literal one. */
  readonly account?: string;
  /** The stack's Region, when the stack is bound to a literal one. */
  readonly region?: string;
  /** The parsed template. */
  readonly template: unknown;
  /** For a nested stack: the parent stack's id and the logical id of its `AWS::CloudFormation::Stack`. */
  readonly parent?: { readonly id: string; readonly logicalId: string };
}

/**
 * A stack's content, read lazily: the pack renders resources of the construct tree only when a
 * rule reads them, while a written template is simply parsed.
 */
export interface StackContent {
  readonly id: string;
  readonly stackName: string;
  readonly account?: string;
  readonly region?: string;
  readonly parent?: { readonly id: string; readonly logicalId: string };
  readonly resources: ReadonlyArray<StackContentResource>;
  readonly parameters: readonly string[];
  readonly outputs: () => Record<string, OutputTemplate>;
}

/** One resource of a stack's content: its template is read on first use. */
export interface StackContentResource {
  readonly logicalId: string;
  readonly type: string;
  readonly path?: string;
  readonly template: () => ResourceTemplate;
}

/** Reads a parsed template into a stack's content. */
export function contentOf(source: StackTemplateSource): StackContent {
  const template = (source.template ?? {}) as {
    Resources?: Record<string, ResourceTemplate>;
    Parameters?: Record<string, unknown>;
    Outputs?: Record<string, OutputTemplate>;
  };
  return {
    id: source.id,
    stackName: source.stackName,
    account: source.account,
    region: source.region,
    parent: source.parent,
    resources: Object.entries(template.Resources ?? {}).map(([logicalId, resource]) => ({
      logicalId,
      type: String(resource?.Type),
      path: typeof resource?.Metadata?.['aws:cdk:path'] === 'string' ? resource.Metadata['aws:cdk:path'] as string : undefined,
      template: () => resource,
    })),
    parameters: Object.keys(template.Parameters ?? {}),
    outputs: () => template.Outputs ?? {},
  };
}

/** One stack (or nested stack) of the app. */
export class TemplateStack implements RenderScope {
  public readonly resources = new Map<string, TemplateResource>();
  public readonly parameters: ReadonlySet<string>;
  public readonly account?: string;
  public readonly region?: string;
  /** The parent stack and its `AWS::CloudFormation::Stack` resource, for a nested stack. */
  public parent?: { readonly stack: TemplateStack; readonly resource: TemplateResource };
  private outputTemplates?: Record<string, OutputTemplate>;

  constructor(public readonly uid: number, public readonly content: StackContent) {
    this.account = content.account;
    this.region = content.region;
    this.parameters = new Set(content.parameters);
  }

  public get id(): string {
    return this.content.id;
  }

  /** The top-level stack this stack is nested in (itself when it is not nested). */
  public get root(): TemplateStack {
    return this.parent ? this.parent.stack.root : this;
  }

  public outputs(): Record<string, OutputTemplate> {
    if (!this.outputTemplates) {
      try {
        this.outputTemplates = this.content.outputs();
      } catch {
        this.outputTemplates = {};
      }
    }
    return this.outputTemplates;
  }
}

/** A resource of the indexed app, read on first use. */
export class TemplateResource {
  /** Per-resource results shared by the readers of one index (a parsed key policy, ...). */
  public readonly memo = new Map<string, unknown>();
  private read?: { template?: ResourceTemplate; error?: string };

  constructor(
    public readonly uid: number,
    public readonly scope: TemplateStack,
    public readonly logicalId: string,
    public readonly type: string,
    /** The construct path (`aws:cdk:path`), or the stack id and logical id when the template has none. */
    public readonly path: string,
    private readonly load: () => ResourceTemplate,
  ) {}

  /** Throws when the resource cannot be read (e.g. CDK cannot resolve a construct's value). */
  public template(): ResourceTemplate {
    if (!this.read) {
      try {
        this.read = { template: this.load() ?? { Type: this.type } };
      } catch (e) {
        this.read = { error: `cannot resolve ${this.path}: ${(e as Error).message}` };
      }
    }
    if (this.read.error !== undefined) throw new Error(this.read.error);
    return this.read.template!;
  }

  public properties(): Record<string, unknown> {
    return this.template().Properties ?? {};
  }
}

/**
 * Every resource, parameter and output of the stacks of an app, so that readers that look across
 * resources (aliases, trails, references, key policies) stay linear in the size of the app.
 * References are followed within a stack, into and out of nested stacks, across stacks through
 * exports (`Fn::ImportValue`), weak references (`Fn::GetStackOutput`) and CDK's cross-Region
 * references (SSM parameters written by `Custom::CrossRegionExportWriter`).
 */
export class TemplateIndex implements RenderHost<TemplateStack> {
  public readonly stacks: readonly TemplateStack[];
  private readonly byUid: TemplateResource[] = [];
  private readonly byType = new Map<string, TemplateResource[]>();
  private readonly derived = new Map<string, unknown>();
  private exportsByName?: Map<string, { scope: TemplateStack; value: unknown }>;
  private crossRegionExports?: Map<string, { scope: TemplateStack; value: unknown }>;

  constructor(contents: ReadonlyArray<StackContent | StackTemplateSource>) {
    const stacks: TemplateStack[] = [];
    const byId = new Map<string, TemplateStack>();
    for (const item of contents) {
      const content = 'resources' in item ? item : contentOf(item);
      const stack = new TemplateStack(stacks.length, content);
      stacks.push(stack);
      byId.set(content.id, stack);
      for (const r of content.resources) {
        const resource = new TemplateResource(this.byUid.length, stack, r.logicalId, r.type, r.path ?? `${content.id}/${r.logicalId}`, r.template);
        this.byUid.push(resource);
        stack.resources.set(r.logicalId, resource);
        const ofType = this.byType.get(r.type);
        if (ofType) ofType.push(resource); else this.byType.set(r.type, [resource]);
      }
    }
    for (const stack of stacks) {
      const link = stack.content.parent;
      const parent = link && byId.get(link.id);
      const resource = link && parent?.resources.get(link.logicalId);
      if (parent && resource) stack.parent = { stack: parent, resource };
    }
    this.stacks = stacks;
  }

  public resourcesOfType(type: string): readonly TemplateResource[] {
    return this.byType.get(type) ?? [];
  }

  public resourceByUid(uid: number): TemplateResource | undefined {
    return this.byUid[uid];
  }

  /** A fact about the whole app, computed once per index. */
  public derive<T>(key: string, compute: () => T): T {
    if (!this.derived.has(key)) this.derived.set(key, compute());
    return this.derived.get(key) as T;
  }

  /** `value` as a canonical string in the context of `scope` (see render.ts). */
  public render(scope: TemplateStack, value: unknown): string | undefined {
    return renderString(this, scope, value);
  }

  /** The resources whose placeholders appear in a rendered string. */
  public referencedResources(rendered: string): TemplateResource[] {
    const out: TemplateResource[] = [];
    for (const match of rendered.matchAll(/\u0000R(\d+)\./g)) {
      const resource = this.byUid[Number(match[1])];
      if (resource) out.push(resource);
    }
    return out;
  }

  public reference(scope: TemplateStack, logicalId: string, attribute: string | undefined, depth: number): Rendered {
    const resource = scope.resources.get(logicalId);
    if (resource) return this.attribute(resource, attribute ?? 'Ref', depth);
    if (attribute === undefined && scope.parameters.has(logicalId)) {
      // CloudFormation passes a nested stack's parameters from the parent's stack resource.
      let passed: Record<string, unknown> | undefined;
      try {
        passed = scope.parent?.resource.properties().Parameters as Record<string, unknown> | undefined;
      } catch {
        passed = undefined;
      }
      if (scope.parent && passed && logicalId in passed) return render(this, scope.parent.stack, passed[logicalId], depth);
      return placeholder.parameter(scope.uid, logicalId);
    }
    return undefined;
  }

  public importValue(_scope: TemplateStack, exportName: string, depth: number): Rendered {
    const exported = this.exports().get(exportName);
    return exported ? render(this, exported.scope, exported.value, depth) : undefined;
  }

  /** `Fn::GetStackOutput`: the weak cross-stack references that new apps write (`defaultCrossStackReferences: weak`). */
  public stackOutput(_scope: TemplateStack, stackName: string, outputName: string, depth: number): Rendered {
    for (const scope of this.stacks) {
      if (scope.content.stackName !== stackName || scope.parent) continue;
      const output = scope.outputs()[outputName];
      return output ? render(this, scope, output.Value, depth) : undefined;
    }
    return undefined;
  }

  /**
   * ARNs and names of the resource types the readers compare are spelled out, so that a `GetAtt Arn`
   * and an ARN built with `Fn::Join` or `Fn::Sub` from the name render the same.
   */
  private attribute(resource: TemplateResource, attribute: string, depth: number): Rendered {
    const { scope, uid } = resource;
    const region = scope.region ?? placeholder.pseudo('Region');
    const account = scope.account ?? placeholder.pseudo('AccountId');
    const own = (name: string) => placeholder.attribute(uid, name);
    const named = (property: string, fallback: string) => {
      let value: unknown;
      try {
        value = resource.properties()[property];
      } catch {
        return own(fallback);
      }
      const rendered = value === undefined ? undefined : render(this, scope, value, depth + 1);
      return typeof rendered === 'string' ? rendered : own(fallback);
    };
    switch (resource.type) {
      case 'AWS::KMS::Key':
      case 'AWS::KMS::ReplicaKey':
        if (attribute === 'Arn') return `arn:aws:kms:${region}:${account}:key/${own('KeyId')}`;
        return attribute === 'Ref' || attribute === 'KeyId' ? own('KeyId') : own(attribute);
      case 'AWS::KMS::Alias':
        return attribute === 'Ref' ? named('AliasName', 'Ref') : own(attribute);
      case 'AWS::S3::Bucket':
        if (attribute === 'Arn') return `arn:aws:s3:::${named('BucketName', 'Ref')}`;
        return attribute === 'Ref' ? named('BucketName', 'Ref') : own(attribute);
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        if (attribute === 'Arn') return `arn:aws:dynamodb:${region}:${account}:table/${named('TableName', 'Ref')}`;
        return attribute === 'Ref' ? named('TableName', 'Ref') : own(attribute);
      case 'AWS::SQS::Queue':
        if (attribute === 'Arn') return `arn:aws:sqs:${region}:${account}:${named('QueueName', 'QueueName')}`;
        return attribute === 'QueueName' ? named('QueueName', 'QueueName') : own(attribute);
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User': {
        // Spelled out so that a role referenced by GetAtt and written as an ARN compare equal.
        if (attribute !== 'Arn') return own(attribute);
        const role = resource.type === 'AWS::IAM::Role';
        let path = '/';
        try {
          const rendered = render(this, scope, resource.properties().Path, depth + 1);
          if (typeof rendered === 'string' && !rendered.includes('\u0000')) path = rendered;
        } catch {
          // a path only known at deployment: the name alone identifies the role
        }
        return `arn:aws:iam::${account}:${role ? 'role' : 'user'}${path}${named(role ? 'RoleName' : 'UserName', 'Name')}`;
      }
      case 'AWS::SNS::Topic':
        // A topic's Ref is its ARN; aws:SourceArn and the SNS encryption context carry it.
        if (attribute === 'Ref' || attribute === 'TopicArn') return `arn:aws:sns:${region}:${account}:${named('TopicName', 'TopicName')}`;
        return attribute === 'TopicName' ? named('TopicName', 'TopicName') : own(attribute);
      case 'AWS::CloudFormation::Stack':
        return attribute.startsWith('Outputs.') ? this.nestedOutput(resource, attribute.slice('Outputs.'.length), depth) : own(attribute);
      case 'Custom::CrossRegionExportReader': {
        // CDK's cross-Region references: the reader returns, by name, the SSM parameter that the
        // producing stack's writer stores.
        const exported = this.crossRegion().get(attribute);
        return exported ? render(this, exported.scope, exported.value, depth) : own(attribute);
      }
      default: {
        // Any other ARN has its service, Region and account in place, so that it can equal the
        // ARN a service sends for it (aws:SourceArn): only the resource part is unknown.
        const service = attribute === 'Arn' ? arnService(resource.type) : undefined;
        return service ? `arn:aws:${service}:${region}:${account}:${own('ArnResource')}` : own(attribute);
      }
    }
  }

  private nestedOutput(stackResource: TemplateResource, name: string, depth: number): Rendered {
    for (const scope of this.stacks) {
      const output = scope.parent?.resource === stackResource ? scope.outputs()[name] : undefined;
      if (output) return render(this, scope, output.Value, depth);
    }
    return placeholder.attribute(stackResource.uid, `Outputs.${name}`);
  }

  private exports(): Map<string, { scope: TemplateStack; value: unknown }> {
    if (!this.exportsByName) {
      this.exportsByName = new Map();
      for (const scope of this.stacks) {
        for (const output of Object.values(scope.outputs())) {
          const name = output?.Export?.Name === undefined ? undefined : this.render(scope, output.Export.Name);
          if (name !== undefined) this.exportsByName.set(name, { scope, value: output.Value });
        }
      }
    }
    return this.exportsByName;
  }

  private crossRegion(): Map<string, { scope: TemplateStack; value: unknown }> {
    if (!this.crossRegionExports) {
      this.crossRegionExports = new Map();
      for (const writer of this.resourcesOfType('Custom::CrossRegionExportWriter')) {
        let exports: unknown;
        try {
          exports = (writer.properties().WriterProps as Record<string, unknown> | undefined)?.exports;
        } catch {
          continue;
        }
        if (exports === null || typeof exports !== 'object' || Array.isArray(exports)) continue;
        for (const [name, value] of Object.entries(exports)) this.crossRegionExports.set(name, { scope: writer.scope, value });
      }
    }
    return this.crossRegionExports;
  }
}

/** ARN service names that differ from the CloudFormation namespace. */
const ARN_SERVICES: Readonly<Record<string, string>> = {
  elasticloadbalancingv2: 'elasticloadbalancing',
  stepfunctions: 'states',
  kinesisfirehose: 'firehose',
  certificatemanager: 'acm',
  cognito: 'cognito-idp',
};

/** Namespaces whose ARNs carry no Region (or no account): their `Arn` stays opaque. */
const GLOBAL_SERVICES = new Set(['cloudfront', 'route53', 'iam', 's3', 'organizations', 'wafv2', 'globalaccelerator']);

/** The service of a regional resource's ARN, from its type (`AWS::Events::Rule` → `events`). */
function arnService(type: string): string | undefined {
  const namespace = /^AWS::([A-Za-z0-9]+)::/.exec(type)?.[1].toLowerCase();
  if (!namespace || GLOBAL_SERVICES.has(namespace)) return undefined;
  return ARN_SERVICES[namespace] ?? namespace;
}
