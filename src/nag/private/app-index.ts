import { CfnOutput, CfnParameter, CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { placeholder, render, Rendered, RenderHost, renderString } from '../../template/render';

/** One stack (or nested stack) of the app. */
export interface StackInfo {
  readonly uid: number;
  readonly stack: Stack;
  readonly account?: string;
  readonly region?: string;
  readonly resources: Map<string, IndexedResource>;
  readonly parameters: Set<string>;
  readonly outputs: Map<string, CfnOutput>;
  parent?: { readonly scope: StackInfo; readonly resource: IndexedResource };
}

/** The CloudFormation view of one resource: what the template will hold, tokens resolved. */
export interface ResourceTemplate {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: unknown;
  readonly UpdateReplacePolicy?: unknown;
}

/** A resource of the indexed app, rendered on first use. */
export class IndexedResource {
  /** Rules that already read this resource from this index: seeing one again means a new run. */
  public readonly visitedBy = new Set<string>();
  /** Per-resource results shared by the rules of one run (a parsed key policy, ...). */
  public readonly memo = new Map<string, unknown>();
  private rendered?: { template?: ResourceTemplate; error?: string };

  constructor(
    public readonly uid: number,
    public readonly node: CfnResource,
    public readonly scope: StackInfo,
    public readonly logicalId: string,
  ) {}

  public get type(): string {
    return this.node.cfnResourceType;
  }

  /** Throws when CDK cannot resolve the resource (e.g. a cross-stack reference before synth). */
  public template(): ResourceTemplate {
    if (!this.rendered) {
      try {
        const cfn = this.scope.stack.resolve(this.node._toCloudFormation()) as { Resources?: Record<string, ResourceTemplate> };
        this.rendered = { template: cfn.Resources?.[this.logicalId] ?? { Type: this.type } };
      } catch (e) {
        this.rendered = { error: `cannot resolve ${this.node.node.path}: ${(e as Error).message}` };
      }
    }
    if (this.rendered.error !== undefined) throw new Error(this.rendered.error);
    return this.rendered.template!;
  }

  public properties(): Record<string, unknown> {
    return this.template().Properties ?? {};
  }
}

let currentRun = 0;
const indexes = new WeakMap<IConstruct, AppIndex>();

/**
 * Every resource, parameter and output of an app, indexed once per validation run so that rules
 * that look across resources (aliases, trails, references) stay linear in the size of the app.
 */
export class AppIndex implements RenderHost<StackInfo> {
  /** Called by the pack when a validation run starts: indexes built before are stale. */
  public static beginRun(): void {
    currentRun++;
  }

  /**
   * The index of the app that holds `node`, for `rule`. Outside our pack nobody calls beginRun,
   * so a rule meeting a resource it has already read, or a resource the index does not know,
   * is taken as the start of a new run.
   */
  public static of(node: CfnResource, rule: string): AppIndex {
    const root = node.node.root;
    let index = indexes.get(root);
    let resource = index?.byNode.get(node);
    if (!index || !resource || index.run !== currentRun || resource.visitedBy.has(rule)) {
      index = new AppIndex(root, currentRun);
      indexes.set(root, index);
      resource = index.byNode.get(node);
      if (!resource) throw new Error(`${node.node.path} is not in a stack`);
    }
    resource.visitedBy.add(rule);
    return index;
  }

  private readonly byNode = new Map<CfnResource, IndexedResource>();
  private readonly byUid: IndexedResource[] = [];
  private readonly byType = new Map<string, IndexedResource[]>();
  private readonly stacks = new Map<Stack, StackInfo>();
  private readonly derived = new Map<string, unknown>();
  private exportsByName?: Map<string, { scope: StackInfo; value: unknown }>;

  private constructor(root: IConstruct, private readonly run: number) {
    this.collect(root);
  }

  public resource(node: CfnResource): IndexedResource {
    return this.byNode.get(node)!;
  }

  public resourcesOfType(type: string): readonly IndexedResource[] {
    return this.byType.get(type) ?? [];
  }

  public resourceByUid(uid: number): IndexedResource | undefined {
    return this.byUid[uid];
  }

  /** A fact about the whole app, computed once per run. */
  public derive<T>(key: string, compute: () => T): T {
    if (!this.derived.has(key)) this.derived.set(key, compute());
    return this.derived.get(key) as T;
  }

  /** `value` as a canonical string in the context of `scope` (see render.ts). */
  public render(scope: StackInfo, value: unknown): string | undefined {
    return renderString(this, scope, value);
  }

  /** The resources whose placeholders appear in a rendered string. */
  public referencedResources(rendered: string): IndexedResource[] {
    const out: IndexedResource[] = [];
    for (const match of rendered.matchAll(/\u0000R(\d+)\./g)) {
      const resource = this.byUid[Number(match[1])];
      if (resource) out.push(resource);
    }
    return out;
  }

  public reference(scope: StackInfo, logicalId: string, attribute: string | undefined, depth: number): Rendered {
    const resource = scope.resources.get(logicalId);
    if (resource) return this.attribute(resource, attribute ?? 'Ref', depth);
    if (attribute === undefined && scope.parameters.has(logicalId)) {
      // CloudFormation passes a nested stack's parameters from the parent's stack resource.
      const passed = scope.parent?.resource.properties().Parameters as Record<string, unknown> | undefined;
      if (scope.parent && passed && logicalId in passed) return render(this, scope.parent.scope, passed[logicalId], depth);
      return placeholder.parameter(scope.uid, logicalId);
    }
    return undefined;
  }

  public importValue(_scope: StackInfo, exportName: string, depth: number): Rendered {
    const exported = this.exports().get(exportName);
    return exported ? render(this, exported.scope, exported.value, depth) : undefined;
  }

  /** `Fn::GetStackOutput`: the weak cross-stack references that new apps write (`defaultCrossStackReferences: weak`). */
  public stackOutput(_scope: StackInfo, stackName: string, outputName: string, depth: number): Rendered {
    for (const scope of this.stacks.values()) {
      if (scope.stack.stackName !== stackName) continue;
      const output = scope.outputs.get(outputName);
      return output ? render(this, scope, outputTemplate(scope, output)?.Value, depth) : undefined;
    }
    return undefined;
  }

  /**
   * ARNs and names of the resource types the rules compare are spelled out, so that a `GetAtt Arn`
   * and an ARN built with `Fn::Join` or `Fn::Sub` from the name render the same.
   */
  private attribute(resource: IndexedResource, attribute: string, depth: number): Rendered {
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
      case 'AWS::CloudFormation::Stack':
        return attribute.startsWith('Outputs.') ? this.nestedOutput(resource, attribute.slice('Outputs.'.length), depth) : own(attribute);
      default:
        return own(attribute);
    }
  }

  private nestedOutput(stackResource: IndexedResource, name: string, depth: number): Rendered {
    for (const scope of this.stacks.values()) {
      const output = scope.parent?.resource === stackResource ? scope.outputs.get(name) : undefined;
      if (output) return render(this, scope, outputTemplate(scope, output)?.Value, depth);
    }
    return placeholder.attribute(stackResource.uid, `Outputs.${name}`);
  }

  private exports(): Map<string, { scope: StackInfo; value: unknown }> {
    if (!this.exportsByName) {
      this.exportsByName = new Map();
      for (const scope of this.stacks.values()) {
        for (const output of scope.outputs.values()) {
          const rendered = outputTemplate(scope, output);
          const name = rendered?.Export?.Name === undefined ? undefined : this.render(scope, rendered.Export.Name);
          if (name !== undefined) this.exportsByName.set(name, { scope, value: rendered!.Value });
        }
      }
    }
    return this.exportsByName;
  }

  private collect(root: IConstruct): void {
    const pending: Array<[IConstruct, StackInfo | undefined]> = [[root, undefined]];
    while (pending.length > 0) {
      const [construct, enclosing] = pending.pop()!;
      let scope = enclosing;
      if (Stack.isStack(construct)) {
        scope = this.addStack(construct);
      } else if (scope && CfnResource.isCfnResource(construct)) {
        const resource = new IndexedResource(this.byUid.length, construct, scope, scope.stack.resolve(construct.logicalId));
        this.byUid.push(resource);
        this.byNode.set(construct, resource);
        scope.resources.set(resource.logicalId, resource);
        const ofType = this.byType.get(resource.type);
        if (ofType) ofType.push(resource); else this.byType.set(resource.type, [resource]);
      } else if (scope && construct instanceof CfnParameter) {
        scope.parameters.add(scope.stack.resolve(construct.logicalId));
      } else if (scope && construct instanceof CfnOutput) {
        scope.outputs.set(scope.stack.resolve(construct.logicalId), construct);
      }
      for (const child of construct.node.children) pending.push([child, scope]);
    }
    for (const scope of this.stacks.values()) {
      const { nestedStackParent, nestedStackResource } = scope.stack;
      const parentScope = nestedStackParent && this.stacks.get(nestedStackParent);
      const parentResource = nestedStackResource && this.byNode.get(nestedStackResource);
      if (parentScope && parentResource) scope.parent = { scope: parentScope, resource: parentResource };
    }
  }

  private addStack(stack: Stack): StackInfo {
    const literal = (value: string) => (Token.isUnresolved(value) ? undefined : value);
    const scope: StackInfo = {
      uid: this.stacks.size,
      stack,
      account: literal(stack.account),
      region: literal(stack.region),
      resources: new Map(),
      parameters: new Set(),
      outputs: new Map(),
    };
    this.stacks.set(stack, scope);
    return scope;
  }
}

interface OutputTemplate {
  readonly Value?: unknown;
  readonly Export?: { readonly Name?: unknown };
}

function outputTemplate(scope: StackInfo, output: CfnOutput): OutputTemplate | undefined {
  try {
    const cfn = scope.stack.resolve(output._toCloudFormation()) as { Outputs?: Record<string, OutputTemplate> };
    return Object.values(cfn.Outputs ?? {})[0];
  } catch {
    return undefined;
  }
}
