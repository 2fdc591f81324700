/**
 * The arrows the policies of a picture draw: who may administer or use each key (and what a Deny
 * takes away), who a bucket, queue, topic or table policy lets in, and what a customer managed
 * policy allows on which resource. A service scoped to one resource of its own kind (SNS to a
 * topic, CloudTrail to a trail) is drawn from that resource.
 */
import { Principal, Resource, Statement } from './assembly';
import { conditionValues, dataSummary, denyToAnyone, kmsSummary, wrap } from './describe';
import { EdgeKind } from './dot';
import { Scene } from './scene';

interface Arrow {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label: string;
}

/**
 * The key policies of `keys`. With `samePolicyCluster`, keys whose policies draw the same arrows
 * (the keys of a multi-Region set) get them once, to that cluster.
 */
export function keyPolicyArrows(scene: Scene, keys: readonly Resource[], options: { denyToAnyone?: boolean; samePolicyCluster?: string }): void {
  const perKey = keys.map(key => keyPolicy(scene, key, options.denyToAnyone ?? false));
  const signature = (arrows: Arrow[]) => JSON.stringify(arrows.map(e => [e.from, e.kind, e.label]));
  const set = options.samePolicyCluster;
  const same = set !== undefined && perKey.length > 1 && perKey.every(arrows => signature(arrows) === signature(perKey[0]));
  if (same) {
    scene.diagram.cluster(set, `${scene.diagram.clusterLabel(set)}<BR ALIGN="LEFT"/><FONT POINT-SIZE="9">the same key policy in every Region</FONT><BR ALIGN="LEFT"/>`);
  }
  for (const arrows of same ? perKey.slice(0, 1) : perKey) {
    for (const a of arrows) {scene.diagram.edge(a.from, a.to, a.kind, a.label, same ? set : undefined);}
  }
}

/** One arrow per principal, one line per kind of access, and one line for what a Deny takes away. */
function keyPolicy(scene: Scene, key: Resource, withDenyToAnyone: boolean): Arrow[] {
  const statements = scene.asm.statements(key.stack, key.props.KeyPolicy);
  const keyNode = scene.node(key);
  const arrows = new Map<string, { principal?: Principal; lines: Map<string, Set<string>>; foldInto?: string }>();
  for (const s of statements.filter(x => x.effect === 'Allow')) {
    const via = conditionValues(s, /^kms:ViaService$/).map(v => scene.asm.render(key.stack, v).split('.')[0]);
    const forAwsResources = conditionValues(s, /^kms:GrantIsForAWSResource$/).some(v => String(v) === 'true');
    for (const p of s.principals) {
      const target = p.kind === 'service' ? scopedTarget(scene, key, s, p.service) : undefined;
      const from = target ? scene.node(target) : scene.principalNode(p, key);
      const condition = [
        forAwsResources ? 'for AWS resources' : '',
        via.length ? `through ${via.join(', ')}` : '',
        p.kind === 'service' ? (target ? `as ${p.service}` : scopeText(scene, key, s)) : '',
      ].filter(Boolean).join(' ');
      // A service scoped to a resource this key encrypts: said on the arrow that says so.
      const foldInto = target && scene.diagram.hasEdge(keyNode, from) ? from : undefined;
      const arrow = arrows.get(from) ?? { principal: p.kind === 'service' ? undefined : p, lines: new Map(), foldInto };
      const actions = arrow.lines.get(condition) ?? new Set<string>();
      s.actions.forEach(a => actions.add(a));
      arrow.lines.set(condition, actions);
      arrows.set(from, arrow);
    }
  }
  const denied = (p: Principal, what: RegExp) => statements.some(s => s.effect === 'Deny' &&
    s.principals.some(q => samePrincipal(q, p)) && s.actions.some(a => what.test(a)));
  const out: Arrow[] = [];
  for (const [from, arrow] of arrows) {
    const summaries = [...arrow.lines].map(([condition, actions]) => ({ condition, ...kmsSummary([...actions]) }));
    const admin = summaries.some(x => x.admin);
    const deny = arrow.principal && (admin
      ? denied(arrow.principal, /^kms:(Decrypt|Encrypt|Sign|GenerateMac)$/) && '(use denied)'
      : denied(arrow.principal, /^kms:PutKeyPolicy$/) && '(administration denied)');
    const label = [...summaries.map(x => wrap([x.text, x.condition].filter(Boolean).join(' '))), deny].filter(Boolean).join('\n');
    out.push(arrow.foldInto
      ? { from: keyNode, to: arrow.foldInto, kind: 'encrypts', label }
      : { from, to: keyNode, kind: admin ? 'administers' : 'uses', label });
  }
  if (withDenyToAnyone) {
    for (const s of statements.filter(x => x.effect === 'Deny' && x.principals.some(p => p.kind === 'anyone'))) {
      out.push({ from: scene.principalNode({ kind: 'anyone' }, key), to: keyNode, kind: 'deny', label: wrap(denyToAnyone(s)) });
    }
  }
  return out;
}

/** The Allows of a resource's own policy (bucket, queue, topic, table), from the principals it names. */
export function resourcePolicyArrows(scene: Scene, r: Resource): void {
  const groups = new Map<string, { from: string; actions: Set<string>; suffix: string }>();
  for (const s of scene.asm.resourcePolicy(r).filter(x => x.effect === 'Allow')) {
    for (const p of s.principals.filter(x => x.kind !== 'anyone')) {
      const target = p.kind === 'service' ? scopedTarget(scene, r, s, p.service) : undefined;
      const from = target ? scene.node(target) : scene.principalNode(p, r);
      const suffix = p.kind === 'service' && !target ? scopeText(scene, r, s) : '';
      const group = groups.get(`${from}|${suffix}`) ?? { from, actions: new Set<string>(), suffix };
      s.actions.forEach(a => group.actions.add(a));
      groups.set(`${from}|${suffix}`, group);
    }
  }
  for (const g of groups.values()) {
    scene.diagram.edge(g.from, scene.node(r), 'access', [dataSummary([...g.actions]), wrap(g.suffix)].filter(Boolean).join('\n'));
  }
}

/** What a customer managed policy allows, on which resource (its roles are drawn by its `Roles` references). */
export function managedPolicyArrows(scene: Scene, policy: Resource): void {
  const document = policy.props.PolicyDocument as { Statement?: Array<{ Resource?: unknown }> };
  scene.asm.statements(policy.stack, document).forEach((s, i) => {
    if (s.effect !== 'Allow') {return;}
    const targets = new Set(scene.asm.referencesFrom(policy, `PolicyDocument.Statement.${i}.Resource`).map(ref => ref.to));
    const raw = document.Statement?.[i]?.Resource;
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      scene.asm.byArn(policy.stack, scene.asm.render(policy.stack, value)).forEach(t => targets.add(t));
    }
    for (const t of targets) {scene.diagram.edge(scene.node(policy), scene.node(t), 'access', dataSummary(s.actions));}
  });
}

/** The one resource of the service's own kind a statement scopes a service principal to, if any. */
function scopedTarget(scene: Scene, at: Resource, s: Statement, service: string): Resource | undefined {
  const namespace = service.split('.')[0];
  const scoped = scopedTo(scene, at, s).filter(r => r.type.split('::')[1].toLowerCase() === namespace);
  return scoped.length === 1 ? scoped[0] : undefined;
}

function scopedTo(scene: Scene, at: Resource, s: Statement): Resource[] {
  const arns = conditionValues(s, /(SourceArn|:arn)$/).map(v => scene.asm.render(at.stack, v));
  return [...new Set(arns.flatMap(arn => scene.asm.byArn(at.stack, arn)))];
}

/** What a statement scopes a service principal to, in words. */
function scopeText(scene: Scene, at: Resource, s: Statement): string {
  const scoped = scopedTo(scene, at, s);
  if (scoped.length === 1) {return `only for ${scoped[0].path.split('/').slice(1).join('/')}`;}
  if (scoped.length > 1) {return `only for the ${scoped.length} ${scoped[0].type.split('::')[2].toLowerCase()}s`;}
  const arns = conditionValues(s, /(SourceArn|:arn)$/).map(v => scene.asm.render(at.stack, v));
  if (arns.length) {return `only for ${arns.map(a => a.split(':').slice(5).join(':')).join(', ')}`;}
  const accounts = conditionValues(s, /SourceAccount$/).map(v => scene.asm.render(at.stack, v));
  return accounts.length ? `only from account ${accounts.join(', ')}` : 'no source condition';
}

function samePrincipal(a: Principal, b: Principal): boolean {
  const key = (p: Principal) => JSON.stringify(p.kind === 'resource' ? [p.resource.stack.id, p.resource.logicalId] : p);
  return key(a) === key(b);
}
