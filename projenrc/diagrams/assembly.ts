/**
 * A synthesized cloud assembly as the diagrams read it: the stacks of `manifest.json`, their
 * resources with construct paths (`aws:cdk:path`), the references between them (`Ref`,
 * `Fn::GetAtt`, `Fn::ImportValue`, CDK's cross-Region exports) and the statements of their
 * policies. Nothing here deploys or evaluates: it reads what the templates say.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface StackInfo {
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly template: Template;
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
}

interface Template {
  readonly Resources?: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
}

export interface Resource {
  readonly stack: StackInfo;
  readonly logicalId: string;
  readonly type: string;
  /** The construct path, without the trailing `/Resource` or `/Default` of an L1 child. */
  readonly path: string;
  readonly props: Record<string, unknown>;
  readonly deletionPolicy?: string;
}

/** One `Ref` or `Fn::GetAtt` of a resource's properties, resolved to the resource it names. */
export interface Reference {
  readonly from: Resource;
  readonly to: Resource;
  /** Where in `from`'s properties, dot-separated (`LoggingConfiguration.DestinationBucketName`). */
  readonly property: string;
}

export type Principal =
  | { readonly kind: 'resource'; readonly resource: Resource }
  | { readonly kind: 'account'; readonly account: string }
  | { readonly kind: 'arn'; readonly arn: string }
  | { readonly kind: 'service'; readonly service: string }
  | { readonly kind: 'anyone' };

export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly sid?: string;
  readonly principals: readonly Principal[];
  readonly actions: readonly string[];
  readonly conditions: Record<string, Record<string, unknown>>;
}

const PSEUDO: Record<string, (s: StackInfo) => string> = {
  'AWS::Partition': () => 'aws',
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::AccountId': s => s.account,
  'AWS::Region': s => s.region,
};

/** The prefix of the parameter names CDK's cross-Region export writer and reader share. */
const CROSS_REGION_EXPORTS = '/cdk/exports/';

/** Resource policies stored as resources of their own, and the property that names their resource. */
const POLICY_TARGET: Record<string, string> = { 'AWS::S3::BucketPolicy': 'Bucket', 'AWS::SQS::QueuePolicy': 'Queues', 'AWS::SNS::TopicPolicy': 'Topics' };

/** Resource types whose name appears in the ARNs that policies scope services to. */
const NAMED: Array<{ type: string; prop: string; arn: RegExp }> = [
  { type: 'AWS::CloudTrail::Trail', prop: 'TrailName', arn: /^trail\/(.+)$/ },
  { type: 'AWS::Logs::LogGroup', prop: 'LogGroupName', arn: /^log-group:([^:]+)/ },
  { type: 'AWS::Events::Rule', prop: 'Name', arn: /^rule\/(.+)$/ },
  { type: 'AWS::CloudWatch::Alarm', prop: 'AlarmName', arn: /^alarm:(.+)$/ },
];

export class Assembly {
  /** Reads `manifest.json` and the template of every stack of a cloud assembly directory. */
  public static read(dir: string): Assembly {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const stacks: StackInfo[] = [];
    for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
      if (artifact.type !== 'aws:cloudformation:stack') {continue;}
      const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment) ?? [];
      const template = JSON.parse(fs.readFileSync(path.join(dir, artifact.properties.templateFile), 'utf8'));
      stacks.push({ id, account, region, template });
    }
    return new Assembly(stacks.sort((a, b) => a.id.localeCompare(b.id)));
  }

  public readonly resources: readonly Resource[];
  private readonly byStack = new Map<string, Map<string, Resource>>();
  private everyReference?: Reference[];

  private constructor(public readonly stacks: readonly StackInfo[]) {
    const all: Resource[] = [];
    for (const stack of stacks) {
      const own = new Map<string, Resource>();
      for (const [logicalId, r] of Object.entries(stack.template.Resources ?? {})) {
        const cdkPath = String(r.Metadata?.['aws:cdk:path'] ?? `${stack.id}/${logicalId}`).replace(/\/(Resource|Default)$/, '');
        const resource = { stack, logicalId, type: r.Type, path: cdkPath, props: r.Properties ?? {}, deletionPolicy: r.DeletionPolicy };
        own.set(logicalId, resource);
        all.push(resource);
      }
      this.byStack.set(stack.id, own);
    }
    this.resources = all;
  }

  /** The resources at or under a construct path (`Stack/Construct`), in template order. */
  public under(constructPath: string): Resource[] {
    return this.resources.filter(r => r.path === constructPath || r.path.startsWith(`${constructPath}/`));
  }

  /** The one resource at a construct path; fails, naming the path, when there is none. */
  public at(constructPath: string): Resource {
    const found = this.resources.find(r => r.path === constructPath);
    if (!found) {throw new Error(`No resource at construct path '${constructPath}' in the assembly`);}
    return found;
  }

  /** Every reference from a resource's properties (optionally under one property) to another resource. */
  public referencesFrom(from: Resource, under?: string): Reference[] {
    const out: Reference[] = [];
    this.walk(from.stack, under === undefined ? from.props : dig(from.props, under), under ?? '', (to, property) => out.push({ from, to, property }));
    return out;
  }

  /** Every reference of the assembly that names `to`. */
  public referencesTo(to: Resource): Reference[] {
    this.everyReference ??= this.resources.flatMap(r => this.referencesFrom(r));
    return this.everyReference.filter(ref => ref.to === to);
  }

  /**
   * The resources of a stack a rendered ARN names: a reference (`<LogicalId.Arn>`), or a name
   * (trail, log group, rule, alarm; `*` matches any part).
   */
  public byArn(stack: StackInfo, arn: string): Resource[] {
    const inStack = [...this.byStack.get(stack.id)?.values() ?? []];
    const reference = /^<(\w+)(\.Arn)?>$/.exec(arn);
    if (reference) {return inStack.filter(r => r.logicalId === reference[1]);}
    const resourcePart = arn.split(':').slice(5).join(':');
    const found: Resource[] = [];
    for (const named of NAMED) {
      const name = named.arn.exec(resourcePart)?.[1];
      if (!name) {continue;}
      const glob = new RegExp(`^${name.split('*').map(escapeRegExp).join('.*')}$`);
      found.push(...inStack.filter(r => r.type === named.type && glob.test(String(r.props[named.prop]))));
    }
    return found;
  }

  /** The statements of a resource's own policy: its bucket, queue or topic policy, or a table's resource policy. */
  public resourcePolicy(r: Resource): Statement[] {
    const out: Statement[] = [];
    for (const policy of this.byStack.get(r.stack.id)?.values() ?? []) {
      const target = POLICY_TARGET[policy.type];
      if (target && this.referencesFrom(policy, target).some(ref => ref.to === r)) {
        out.push(...this.statements(r.stack, policy.props.PolicyDocument));
      }
    }
    if (r.type === 'AWS::DynamoDB::GlobalTable') {
      const seen = new Set<string>();
      for (const replica of asArray(r.props.Replicas) as Array<{ ResourcePolicy?: { PolicyDocument?: unknown } }>) {
        const document = replica.ResourcePolicy?.PolicyDocument;
        if (document && !seen.has(JSON.stringify(document))) {
          seen.add(JSON.stringify(document));
          out.push(...this.statements(r.stack, document));
        }
      }
    }
    return out;
  }

  /** A value rendered as a string: pseudo parameters of the stack filled in, references as `<LogicalId>`. */
  public render(stack: StackInfo, value: unknown): string {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {return String(value);}
    const v = value as Record<string, any>;
    if (v && typeof v === 'object') {
      if ('Ref' in v) {return PSEUDO[v.Ref]?.(stack) ?? `<${v.Ref}>`;}
      if ('Fn::GetAtt' in v) {return `<${v['Fn::GetAtt'][0]}.${v['Fn::GetAtt'][1]}>`;}
      if ('Fn::Join' in v) {return (v['Fn::Join'][1] as unknown[]).map(p => this.render(stack, p)).join(v['Fn::Join'][0]);}
      if ('Fn::ImportValue' in v) {return `<import ${this.render(stack, v['Fn::ImportValue'])}>`;}
    }
    return JSON.stringify(value);
  }

  /** The statements of a policy document (a key policy, a bucket policy, a role's policy). */
  public statements(stack: StackInfo, document: unknown): Statement[] {
    const raw = (document as { Statement?: unknown })?.Statement;
    return asArray(raw).map((s: any) => ({
      effect: s.Effect,
      sid: s.Sid,
      principals: this.principals(stack, s.Principal),
      actions: asArray(s.Action).map(String),
      conditions: s.Condition ?? {},
    }));
  }

  private principals(stack: StackInfo, principal: unknown): Principal[] {
    if (principal === undefined) {return [];}
    if (principal === '*') {return [{ kind: 'anyone' }];}
    const out: Principal[] = [];
    for (const [type, values] of Object.entries(principal as Record<string, unknown>)) {
      for (const value of asArray(values)) {
        if (type === 'Service') {out.push({ kind: 'service', service: this.render(stack, value) });} else if (value === '*') {out.push({ kind: 'anyone' });} else {
          const getAtt = (value as any)?.['Fn::GetAtt'];
          const resource = getAtt ? this.byStack.get(stack.id)?.get(getAtt[0]) : undefined;
          if (resource) {out.push({ kind: 'resource', resource });} else {
            const arn = this.render(stack, value);
            const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(arn) ?? /^(\d{12})$/.exec(arn);
            out.push(root ? { kind: 'account', account: root[1] } : { kind: 'arn', arn });
          }
        }
      }
    }
    return out;
  }

  private walk(stack: StackInfo, value: unknown, at: string, found: (to: Resource, property: string) => void): void {
    if (Array.isArray(value)) {
      value.forEach((v, i) => this.walk(stack, v, join(at, String(i)), found));
      return;
    }
    if (!value || typeof value !== 'object') {return;}
    const v = value as Record<string, any>;
    const local = (id: unknown) => this.byStack.get(stack.id)?.get(String(id));
    if ('Ref' in v) {
      const to = local(v.Ref);
      if (to) {found(to, at);}
      return;
    }
    if ('Fn::GetAtt' in v) {
      const [id, attribute] = v['Fn::GetAtt'];
      const to = local(id);
      if (to?.type === 'Custom::CrossRegionExportReader' && String(attribute).startsWith(CROSS_REGION_EXPORTS)) {
        this.crossRegionExport(String(attribute), p => found(p, at));
      } else if (to) {found(to, at);}
      return;
    }
    if ('Fn::ImportValue' in v) {
      this.importValue(this.render(stack, v['Fn::ImportValue']), p => found(p, at));
      return;
    }
    for (const [key, child] of Object.entries(v)) {this.walk(stack, child, join(at, key), found);}
  }

  /** A value CDK passes to another Region: the writer in the producing stack holds what it is. */
  private crossRegionExport(name: string, found: (to: Resource) => void): void {
    for (const r of this.resources) {
      const exports = (r.props.WriterProps as { exports?: Record<string, unknown> } | undefined)?.exports;
      if (r.type === 'Custom::CrossRegionExportWriter' && exports && name in exports) {
        this.walk(r.stack, exports[name], '', found);
      }
    }
  }

  private importValue(name: string, found: (to: Resource) => void): void {
    for (const stack of this.stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output.Export?.Name === name) {this.walk(stack, output.Value, '', found);}
      }
    }
  }
}

export function asArray(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function join(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function dig(value: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<any>((v, k) => v?.[k], value);
}
