/**
 * A picture as nodes, edges and clusters, written as Graphviz DOT. Everything is emitted in the
 * order it was added and nothing depends on time or on the machine, so the same assembly gives
 * byte-identical DOT, and the same Graphviz gives byte-identical SVG.
 */

/** What a node is, which decides its colours (one palette for every picture). */
export type NodeKind = 'key' | 'data' | 'iam' | 'service' | 'alarm';
/** What an edge says, which decides its colour and line. */
export type EdgeKind = 'encrypts' | 'administers' | 'uses' | 'access' | 'deny' | 'flow';

export interface NodeSpec {
  readonly title: string;
  /** The CloudFormation type or what the node stands for, in small print. */
  readonly type?: string;
  /** Settings worth reading, one short line each. */
  readonly details?: readonly string[];
  readonly kind: NodeKind;
  /** Not created by the construct the picture shows (drawn dashed, outside its cluster). */
  readonly context?: boolean;
  readonly cluster?: string;
}

const NODE_STYLE: Record<NodeKind, { fill: string; line: string; shape: string }> = {
  key: { fill: '#fff4cc', line: '#9a7d0a', shape: 'box' },
  data: { fill: '#dcebfa', line: '#2e6da4', shape: 'box' },
  iam: { fill: '#efe4f6', line: '#6c3483', shape: 'box' },
  service: { fill: '#f2f3f4', line: '#566573', shape: 'box' },
  alarm: { fill: '#fde2e1', line: '#a93226', shape: 'box' },
};

const EDGE_STYLE: Record<EdgeKind, { color: string; style: string }> = {
  encrypts: { color: '#9a7d0a', style: 'bold' },
  administers: { color: '#6c3483', style: 'solid' },
  uses: { color: '#1e8449', style: 'solid' },
  access: { color: '#2e6da4', style: 'solid' },
  deny: { color: '#a93226', style: 'dashed' },
  flow: { color: '#34495e', style: 'solid' },
};

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly labels: string[];
  /** Clip the edge at this cluster's border (one edge standing for the same edge to every node in it). */
  readonly lhead?: string;
  /** The same, for the cluster the edge leaves. */
  readonly ltail?: string;
}

export class Diagram {
  private readonly clusters: Array<{ id: string; label: string; parent?: string }> = [];
  private readonly nodes = new Map<string, NodeSpec>();
  private readonly edges: Edge[] = [];
  private readonly ranks: string[][] = [];
  private readonly first: string[] = [];

  constructor(private readonly name: string, private readonly title: string, private readonly rankdir: 'LR' | 'TB' = 'LR') {}

  /** Adds a cluster, or replaces the label of the cluster of that id. */
  public cluster(id: string, label: string, parent?: string): string {
    const existing = this.clusters.findIndex(c => c.id === id);
    if (existing >= 0) {this.clusters[existing] = { ...this.clusters[existing], label };} else {this.clusters.push({ id, label, parent });}
    return id;
  }

  public clusterLabel(id: string): string | undefined {
    return this.clusters.find(c => c.id === id)?.label;
  }

  public hasNode(id: string): boolean {
    return this.nodes.has(id);
  }

  public spec(id: string): NodeSpec | undefined {
    return this.nodes.get(id);
  }

  /** Adds a node, or replaces the spec of the node of that id where it was first added. */
  public node(id: string, spec: NodeSpec): string {
    this.nodes.set(id, spec);
    return id;
  }

  public hasEdge(from: string, to: string): boolean {
    return this.edges.some(e => e.from === from && e.to === to);
  }

  /**
   * Adds an edge, or one more label line to the edge between the same nodes (one arrow per pair
   * and direction, whatever it carries; a Deny stays an arrow of its own).
   */
  public edge(from: string, to: string, kind: EdgeKind, label?: string, lhead?: string): void {
    for (const end of [from, to]) {
      if (!this.nodes.has(end)) {throw new Error(`${this.name}: edge ${from} -> ${to} names no node '${end}'`);}
    }
    const existing = this.edges.find(e => e.from === from && e.to === to && (e.kind === 'deny') === (kind === 'deny') && e.lhead === lhead && !e.ltail);
    if (existing) {
      if (label && !existing.labels.includes(label)) {existing.labels.push(label);}
      return;
    }
    this.edges.push({ from, to, kind, labels: label ? [label] : [], lhead });
  }

  /** Draws nodes side by side (same rank), where the arrows alone would stack them. */
  public sameRank(ids: readonly string[]): void {
    this.ranks.push([...ids]);
  }

  /** Draws nodes in the first rank (leftmost, or topmost): the principals. */
  public firstRank(id: string): void {
    if (!this.first.includes(id)) {this.first.push(id);}
  }

  /**
   * Replaces the arrows that several nodes of one cluster send to the same node with the same
   * words by one arrow that leaves the cluster, naming them.
   */
  public mergeFromCluster(cluster: string, clusterOf: (id: string) => string | undefined): void {
    for (const to of [...new Set(this.edges.map(e => e.to))].filter(id => clusterOf(id) !== cluster)) {
      const groups = new Map<string, Edge[]>();
      for (const e of this.edges.filter(x => x.to === to && clusterOf(x.from) === cluster && !x.lhead && !x.ltail)) {
        const key = `${e.kind}|${e.labels.join('\n')}`;
        groups.set(key, [...groups.get(key) ?? [], e]);
      }
      for (const alike of groups.values()) {
        if (alike.length < 2) {continue;}
        const names = alike.map(e => this.nodes.get(e.from)!.title).join(', ');
        const merged: Edge = { ...alike[0], labels: [...alike[0].labels, `(${names})`], ltail: cluster };
        this.edges.splice(0, this.edges.length, ...this.edges.filter(e => !alike.includes(e)), merged);
      }
    }
  }

  /** What a node's arrows say (the other end, the direction, the words): alike nodes have the same. */
  public signature(id: string): string {
    return JSON.stringify(this.edges.filter(e => e.from === id || e.to === id)
      .map(e => [e.from === id ? `->${e.to}` : `<-${e.from}`, e.kind, e.labels]));
  }

  /** Replaces alike nodes by one (in the place of the first), with their arrows. */
  public collapse(ids: readonly string[], spec: NodeSpec): void {
    const into = ids[0];
    this.nodes.set(into, spec);
    for (const id of ids.slice(1)) {this.nodes.delete(id);}
    const kept: Edge[] = [];
    for (const e of this.edges) {
      const moved = { ...e, from: ids.includes(e.from) ? into : e.from, to: ids.includes(e.to) ? into : e.to };
      if (!kept.some(k => k.from === moved.from && k.to === moved.to && k.kind === moved.kind)) {kept.push(moved);}
    }
    this.edges.splice(0, this.edges.length, ...kept);
  }

  public toDot(): string {
    const out = [
      '// Generated by projenrc/diagrams from the example app\'s cloud assembly: do not edit. npx projen docs:diagrams',
      `digraph ${quote(this.name)} {`,
      `  graph [rankdir=${this.rankdir}, newrank=true, compound=true, fontname="Helvetica", fontsize=13, labelloc=t, labeljust=l,`,
      `         nodesep=0.25, ranksep=0.45, pad=0.25, bgcolor="white", label=${html(`<B>${esc(this.title)}</B>`)}];`,
      '  node [fontname="Helvetica", fontsize=11, style="rounded,filled", penwidth=1.2, margin="0.15,0.06"];',
      '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7, penwidth=1.1];',
    ];
    const emitCluster = (parent: string | undefined, indent: string) => {
      for (const c of this.clusters.filter(x => x.parent === parent)) {
        out.push(`${indent}subgraph ${quote(`cluster_${c.id}`)} {`);
        out.push(`${indent}  label=${html(c.label)}; style="rounded"; color="#7f8c8d"; fontsize=11; margin=12;`);
        emitCluster(c.id, `${indent}  `);
        this.emitNodes(c.id, `${indent}  `, out);
        out.push(`${indent}}`);
      }
    };
    emitCluster(undefined, '  ');
    this.emitNodes(undefined, '  ', out);
    for (const rank of this.ranks) {out.push(`  { rank=same; ${rank.map(quote).join('; ')}; }`);}
    if (this.first.length) {out.push(`  { rank=min; ${this.first.map(quote).join('; ')}; }`);}
    for (const e of this.edges) {
      const style = EDGE_STYLE[e.kind];
      const attrs = [`color="${style.color}"`, `fontcolor="${style.color}"`, `style=${style.style}`];
      if (e.labels.length) {attrs.push(`label=${quote(e.labels.join('\n'))}`);}
      if (e.lhead) {attrs.push(`lhead=${quote(`cluster_${e.lhead}`)}`);}
      if (e.ltail) {attrs.push(`ltail=${quote(`cluster_${e.ltail}`)}`);}
      out.push(`  ${quote(e.from)} -> ${quote(e.to)} [${attrs.join(', ')}];`);
    }
    out.push('}', '');
    return out.join('\n');
  }

  private emitNodes(cluster: string | undefined, indent: string, out: string[]): void {
    for (const [id, n] of this.nodes) {
      if (n.cluster !== cluster) {continue;}
      const style = NODE_STYLE[n.kind];
      const lines = [`<B>${esc(n.title)}</B>`];
      if (n.type) {lines.push(`<FONT POINT-SIZE="9" COLOR="#555555">${esc(n.type)}</FONT>`);}
      for (const d of n.details ?? []) {lines.push(`<FONT POINT-SIZE="9">${esc(d)}</FONT>`);}
      const attrs = [
        `label=${html(lines.join('<BR/>'))}`,
        `shape=${style.shape}`,
        `fillcolor="${n.context ? '#ffffff' : style.fill}"`,
        `color="${style.line}"`,
      ];
      if (n.context) {attrs.push('style="rounded,filled,dashed"');}
      out.push(`${indent}${quote(id)} [${attrs.join(', ')}];`);
    }
  }
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function html(s: string): string {
  return `<${s}>`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
