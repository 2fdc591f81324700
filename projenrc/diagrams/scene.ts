/**
 * One picture of one construct instance: the resources it creates (inside its cluster), what they
 * reference and what references them (outside, dashed, one box per top-level construct), and the
 * principals their policies name (policy-arrows.ts).
 */
import { Assembly, Principal, Reference, Resource } from './assembly';
import { facts, wrap } from './describe';
import { Diagram, EdgeKind, NodeSpec } from './dot';
import { keyPolicyArrows, managedPolicyArrows, resourcePolicyArrows } from './policy-arrows';

/** Never drawn: CDK's bookkeeping and the Lambda-backed machinery of cross-Region references. */
const NOISE = /^(AWS::CDK::Metadata|Custom::CrossRegionExport(Reader|Writer)|AWS::Lambda::Function)$/;
/** Drawn as part of another box or arrow: aliases, resource policies, metric filters, subscriptions. */
const FOLDED = /^(AWS::KMS::Alias|AWS::S3::BucketPolicy|AWS::SQS::QueuePolicy|AWS::SNS::TopicPolicy|AWS::Logs::MetricFilter|AWS::SNS::Subscription)$/;
const KEY_TYPES = ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'];

export interface DrawOptions {
  /** Also draw the key policies' Deny to everyone. */
  readonly denyToAnyone?: boolean;
  /** Draw key policies that are the same for every key once, to this cluster. */
  readonly samePolicyCluster?: string;
  /** Put the resources at these construct paths side by side. */
  readonly sameRank?: readonly string[];
}

export class Scene {
  public readonly diagram: Diagram;
  private readonly own = new Map<Resource, { cluster: string; base: string; title?: string }>();
  /** Customer managed policies the construct attaches only to a role it creates: drawn as part of the role. */
  private readonly policyOfRole = new Map<Resource, Resource>();
  private readonly contextMembers = new Map<string, Resource[]>();

  constructor(public readonly asm: Assembly, name: string, title: string, rankdir?: 'LR' | 'TB') {
    this.diagram = new Diagram(name, title, rankdir);
  }

  /**
   * Resources the construct creates, drawn in `cluster` and named relative to `base` (a construct
   * path); `title` names the resource at `base` itself (default: the last part of the path).
   */
  public add(resources: readonly Resource[], cluster: string, base: string, title?: string): void {
    for (const r of resources) {this.own.set(r, { cluster, base, title });}
  }

  /** Draws everything: call once, after `add`. */
  public draw(options: DrawOptions = {}): Diagram {
    const own = [...this.own.keys()].filter(r => this.drawn(r));
    for (const policy of own.filter(r => r.type === 'AWS::IAM::ManagedPolicy')) {
      const roles = this.asm.referencesFrom(policy, 'Roles').map(ref => ref.to);
      if (roles.length === 1 && this.own.has(roles[0])) {this.policyOfRole.set(policy, roles[0]);}
    }
    for (const r of own) {this.node(r);}
    for (const r of own) {this.references(r);}
    this.subscriptions();
    this.alarms(own);
    keyPolicyArrows(this, own.filter(r => KEY_TYPES.includes(r.type)), options);
    for (const r of own) {resourcePolicyArrows(this, r);}
    for (const r of own.filter(x => x.type === 'AWS::IAM::ManagedPolicy')) {managedPolicyArrows(this, r);}
    this.collapseAlike();
    for (const cluster of new Set([...this.own.values()].map(o => o.cluster))) {
      this.diagram.mergeFromCluster(cluster, id => this.diagram.spec(id)?.cluster);
    }
    if (options.sameRank) {this.diagram.sameRank(options.sameRank.map(p => this.node(this.asm.at(p))));}
    return this.diagram;
  }

  /** The node of a resource: its own box when the construct created it, else its top-level construct's box. */
  public node(r: Resource): string {
    const role = this.policyOfRole.get(r);
    if (role) {return this.node(role);}
    const mine = this.own.get(r);
    if (mine) {
      const attached = [...this.policyOfRole].filter(([, of]) => of === r).map(([policy]) => `+ ${this.ownTitle(policy)} (managed policy)`);
      const details = [...facts(this.asm, r, this.asm.resourcePolicy(r)), ...attached];
      return this.diagram.node(idOf(r), { title: this.ownTitle(r), type: r.type, details, kind: kindOf(r), cluster: mine.cluster });
    }
    const top = r.path.split('/').slice(0, 2).join('/');
    const id = `context:${top}`;
    const members = this.contextMembers.get(id) ?? [];
    if (!members.includes(r)) {members.push(r);}
    this.contextMembers.set(id, members);
    const type = [...new Set(members.map(m => m.type))].map(t => {
      const n = members.filter(m => m.type === t).length;
      return n > 1 ? `${t} ×${n}` : t;
    }).join(', ');
    const details = members.length === 1 ? facts(this.asm, r, this.asm.resourcePolicy(r)) : [];
    return this.diagram.node(id, { title: top.split('/').pop()!, type, details, kind: kindOf(members[0]), context: true });
  }

  /** The node of a principal a policy names; principals are drawn first (left, or top). */
  public principalNode(p: Principal, at: Resource): string {
    if (p.kind === 'resource') {
      const node = this.node(p.resource);
      if (!this.own.has(p.resource)) {this.diagram.firstRank(node);}
      return node;
    }
    const id = p.kind === 'account' ? `account:${p.account}` : p.kind === 'arn' ? `arn:${p.arn}`
      : p.kind === 'service' ? `service:${p.service}` : `anyone:${at.stack.id}`;
    this.diagram.firstRank(id);
    if (this.diagram.hasNode(id)) {return id;}
    const account = (a: string) => a === at.stack.account ? `account ${a}` : `another account: ${a}`;
    const spec: NodeSpec =
      p.kind === 'account' ? { title: `Account ${p.account}`, type: 'account principal (root)', details: [p.account === at.stack.account ? 'IAM policies of the account decide' : 'another account'], kind: 'iam', context: true }
        : p.kind === 'arn' ? { title: p.arn.split(':').slice(5).join(':'), type: 'IAM principal, by ARN', details: [account(p.arn.split(':')[4] ?? '')], kind: 'iam', context: true }
          : p.kind === 'service' ? { title: p.service, type: 'AWS service principal', kind: 'service', context: true }
            : { title: 'Anyone (*)', type: 'every principal', kind: 'service', context: true };
    return this.diagram.node(id, spec);
  }

  private drawn(r: Resource): boolean {
    return !NOISE.test(r.type) && !FOLDED.test(r.type) && !r.path.includes('CustomResourceProvider');
  }

  private ownTitle(r: Resource): string {
    const { base, title } = this.own.get(r)!;
    return r.path.startsWith(`${base}/`) ? r.path.slice(base.length + 1) : title ?? r.path.split('/').pop()!;
  }

  /** The resource's references to others, and other resources' references to it, as arrows. */
  private references(r: Resource): void {
    const inbound = this.asm.referencesTo(r).filter(ref => !this.own.has(ref.from));
    for (const ref of [...this.asm.referencesFrom(r), ...inbound]) {
      const arrow = describeReference(this.asm, ref);
      if (!arrow || NOISE.test(arrow.from.type) || NOISE.test(arrow.to.type)) {continue;}
      let from = arrow.from;
      // A global table's replica in another Region names the multi-Region key by the primary's
      // key ID in that Region's ARN: the key it uses is the replica key there.
      const replica = /^Replicas\.(\d+)\./.exec(ref.property);
      if (replica && arrow.kind === 'encrypts') {
        const region = (ref.from.props.Replicas as Array<{ Region: string }>)[Number(replica[1])].Region;
        from = from.stack.region === region ? from
          : this.asm.referencesTo(from).find(x => x.property === 'PrimaryKeyArn' && x.from.stack.region === region)?.from ?? from;
      }
      const [a, b] = [this.node(from), this.node(arrow.to)];
      if (a !== b) {this.diagram.edge(a, b, arrow.kind, arrow.label);}
    }
  }

  /** An SNS subscription is an arrow from its topic to its endpoint. */
  private subscriptions(): void {
    for (const sub of this.asm.resources.filter(r => r.type === 'AWS::SNS::Subscription')) {
      const [topic, endpoint, dlq] = ['TopicArn', 'Endpoint', 'RedrivePolicy'].map(p => this.asm.referencesFrom(sub, p)[0]?.to);
      if (!topic || !endpoint || ![topic, endpoint].some(x => this.own.has(x))) {continue;}
      const label = `subscription${dlq ? `\n(failed deliveries: ${dlq.path.split('/').slice(1).join('/')})` : ''}`;
      this.diagram.edge(this.node(topic), this.node(endpoint), 'flow', label);
    }
  }

  /** A metric filter and its alarm are one box: the events it counts, and the log group it reads. */
  private alarms(own: readonly Resource[]): void {
    for (const alarm of own.filter(r => r.type === 'AWS::CloudWatch::Alarm')) {
      const a = alarm.props as { MetricName?: string; Namespace?: string };
      const filter = this.asm.resources.find(f => f.type === 'AWS::Logs::MetricFilter' && f.stack === alarm.stack &&
        (f.props.MetricTransformations as any[] ?? []).some(t => t.MetricName === a.MetricName && t.MetricNamespace === a.Namespace));
      if (!filter) {continue;}
      const events = [...String(filter.props.FilterPattern).matchAll(/eventName\s*=\s*"?(\w+)/g)].map(m => m[1]);
      this.diagram.node(idOf(alarm), { ...this.diagram.spec(idOf(alarm))!, type: `${alarm.type} + metric filter`, details: [wrap(`on ${events.join(', ')}`, 40)] });
      const logGroup = this.asm.referencesFrom(filter, 'LogGroupName')[0]?.to;
      if (logGroup) {this.diagram.edge(this.node(logGroup), idOf(alarm), 'flow', 'metric filter');}
    }
  }

  /**
   * Context boxes that say the same thing (three or more with the same arrows, say the resources
   * registered with a trail) become one box that lists them.
   */
  private collapseAlike(): void {
    const groups = new Map<string, string[]>();
    for (const id of this.contextMembers.keys()) {
      if (this.diagram.spec(id)?.kind !== 'data') {continue;}
      const signature = this.diagram.signature(id);
      groups.set(signature, [...groups.get(signature) ?? [], id]);
    }
    for (const ids of groups.values()) {
      if (ids.length < 3) {continue;}
      const lines = ids.map(id => `${this.diagram.spec(id)!.title}: ${this.diagram.spec(id)!.type}`);
      this.diagram.collapse(ids, { title: `${ids.length} constructs of ${ids[0].split(/[:/]/)[1]}`, details: lines, kind: 'data', context: true });
    }
  }
}

/** What a reference means, as an arrow (which way, what kind, what words), or nothing to draw. */
function describeReference(asm: Assembly, ref: Reference): { from: Resource; to: Resource; kind: EdgeKind; label: string } | undefined {
  const property = ref.property.replace(/\.\d+(?=\.|$)/g, '');
  const props = ref.from.props as Record<string, any>;
  const forward = (label: string) => ({ from: ref.from, to: ref.to, kind: 'flow' as EdgeKind, label });
  const backward = (label: string) => ({ from: ref.to, to: ref.from, kind: 'flow' as EdgeKind, label });
  if (/(KMSMasterKeyI[dD]|KmsMasterKeyId|KMSKeyId|KmsKeyId)(\.Fn::Join.*)?$/.test(property)) {
    const replica = /^Replicas\.(\d+)\./.exec(ref.property);
    const label = replica && props.Replicas.length > 1 ? `encrypts its replica\nin ${props.Replicas[Number(replica[1])].Region}` : 'encrypts';
    return { from: ref.to, to: ref.from, kind: 'encrypts', label };
  }
  // Drawn elsewhere: policies (policy-arrows.ts), aliases, folded resources, custom resource plumbing.
  if (/^(KeyPolicy|PolicyDocument|AssumeRolePolicyDocument|TargetKeyId|Bucket|Queues|Topics|LogGroupName|ServiceToken|Role|Endpoint|TopicArn|CloudWatchLogsRoleArn)\b/.test(property) ||
    ref.from.type === 'AWS::SNS::Subscription') {
    return undefined;
  }
  switch (property) {
    case 'LoggingConfiguration.DestinationBucketName': return forward('server access logs');
    case 'RedrivePolicy.deadLetterTargetArn': {
      const receives = props.RedrivePolicy?.maxReceiveCount;
      return forward(receives ? `dead-letter after ${receives} receives` : 'dead-letter queue');
    }
    case 'S3BucketName': return forward('log files');
    case 'CloudWatchLogsLogGroupArn': {
      const role = asm.referencesFrom(ref.from, 'CloudWatchLogsRoleArn')[0]?.to;
      return forward(role ? `events, as ${role.path.split('/').pop()}` : 'events');
    }
    case 'AlarmActions': return forward('notifies');
    case 'Roles': return { ...backward('attached'), kind: 'access' };
    case 'PrimaryKeyArn': return backward('replicates\n(cross-Region reference)');
    case 'Targets.Arn': return forward('target');
    case 'Targets.DeadLetterConfig.Arn': return forward('failed deliveries');
  }
  if (property.startsWith('AdvancedEventSelectors')) {return backward('data events');}
  return forward(property);
}

function kindOf(r: Resource): NodeSpec['kind'] {
  if (KEY_TYPES.includes(r.type)) {return 'key';}
  if (r.type.startsWith('AWS::IAM::')) {return 'iam';}
  if (r.type === 'AWS::CloudWatch::Alarm') {return 'alarm';}
  if (r.type === 'AWS::Events::Rule') {return 'service';}
  return 'data';
}

function idOf(r: Resource): string {
  return `${r.stack.id}/${r.logicalId}`;
}
