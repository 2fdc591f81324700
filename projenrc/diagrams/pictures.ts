/**
 * The picture of each construct: which instance of the example app (examples/app.ts) it shows,
 * and how that instance is laid out. Construct ids are public API, so these paths stay put; when
 * one moves or changes class, drawing fails and names it.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Assembly, Resource } from './assembly';
import { Scene } from './scene';

export interface Picture {
  /** The file name under docs/images (kebab-case of the construct). */
  readonly name: string;
  readonly construct: string;
  /** The construct path of the instance shown. */
  readonly instance: string;
  readonly draw: (asm: Assembly, picture: Picture) => string;
}

/** One construct instance in one cluster, in one stack. */
function single(options: { denyToAnyone?: boolean; rankdir?: 'LR' | 'TB'; sameRank?: readonly string[] } = {}) {
  return (asm: Assembly, p: Picture): string => {
    const scene = new Scene(asm, p.name, title(p), options.rankdir);
    const own = asm.under(p.instance);
    if (!own.length) {throw new Error(`${p.construct}: no resource under '${p.instance}' in the assembly`);}
    scene.diagram.cluster('construct', `<B>${p.construct}</B> ${p.instance}`);
    scene.add(own, 'construct', p.instance);
    return scene.draw({ ...options, sameRank: options.sameRank?.map(relative => `${p.instance.split('/')[0]}/${relative}`) }).toDot();
  };
}

/** The set's primary and its replicas, one cluster per Region (stack) inside the set's cluster. */
function multiRegion(asm: Assembly, p: Picture): string {
  // Top to bottom: the Regions side by side keep the picture narrow.
  const scene = new Scene(asm, p.name, title(p), 'TB');
  const set = scene.diagram.cluster('construct', `<B>${p.construct}</B> ${p.instance}`);
  const primaries = asm.under(p.instance).filter(r => r.type === 'AWS::KMS::Key');
  if (!primaries.length) {throw new Error(`${p.construct}: no primary key under '${p.instance}' in the assembly`);}
  const byStack = new Map<string, Resource[]>();
  for (const r of asm.under(p.instance)) {byStack.set(r.stack.id, [...byStack.get(r.stack.id) ?? [], r]);}
  // Replicas live in the replica stacks, at paths of their own: they are found by the primary they name.
  const replicas = asm.resources.filter(r => r.type === 'AWS::KMS::ReplicaKey' &&
    asm.referencesFrom(r, 'PrimaryKeyArn').some(ref => primaries.includes(ref.to)));
  for (const replica of replicas) {byStack.set(replica.stack.id, [...byStack.get(replica.stack.id) ?? [], ...asm.under(replica.path)]);}
  for (const [stackId, resources] of byStack) {
    const stack = asm.stacks.find(s => s.id === stackId)!;
    const cluster = scene.diagram.cluster(stackId, `<B>${stack.region}</B> stack ${stackId}`, set);
    const replica = replicas.find(r => r.stack.id === stackId);
    scene.add(resources, cluster, replica?.path ?? p.instance, replica ? 'Replica' : undefined);
  }
  return scene.draw({ samePolicyCluster: set }).toDot();
}

function title(p: Picture): string {
  return `${p.construct}: what it creates (example app, ${p.instance})`;
}

export const PICTURES: readonly Picture[] = [
  // The stack's own key: administrators, a user, and a grantDecrypt.
  { name: 'separated-duty-key', construct: 'SeparatedDutyKey', instance: 'KmsGuardrailsKeys/OrdersKey', draw: single({ denyToAnyone: true }) },
  // The three-Region set the global table of CustomerTables uses.
  { name: 'multi-region-key-set', construct: 'MultiRegionKeySet', instance: 'CustomerKeysUsEast1/CustomerKeys', draw: multiRegion },
  // The only bucket: grants to a role of the app, an auditor and a partner account.
  { name: 'encrypted-bucket', construct: 'EncryptedBucket', instance: 'KmsGuardrailsData/OrderDocuments', draw: single({ sameRank: ['OrderDocuments/Bucket', 'AccessLogs', 'KeyAuditTrail'] }) },
  // The queue SNS and EventBridge deliver to, with its dead-letter queue and consumers.
  { name: 'encrypted-queue', construct: 'EncryptedQueue', instance: 'KmsGuardrailsData/OrderEvents', draw: single({ sameRank: ['OrderEvents/Queue', 'OrderEvents/DeadLetterQueue', 'KeyAuditTrail'] }) },
  // The single-Region table with its own key (CustomerTables/Customers is the key-set variant).
  { name: 'encrypted-table', construct: 'EncryptedTable', instance: 'KmsGuardrailsData/Orders', draw: single({ sameRank: ['Orders/Table', 'KeyAuditTrail'] }) },
  // The default trail the data resources of KmsGuardrailsData registered with.
  { name: 'key-audit-trail', construct: 'KeyAuditTrail', instance: 'KmsGuardrailsData/KeyAuditTrail', draw: single({ rankdir: 'TB', sameRank: ['KeyAuditTrail/Key', 'KeyAuditTrail'] }) },
];

/** The DOT source of every picture, by name, from a cloud assembly directory. */
export function renderPictures(assemblyDir: string): Map<string, string> {
  checkInstances(assemblyDir);
  const asm = Assembly.read(assemblyDir);
  return new Map(PICTURES.map(p => [p.name, p.draw(asm, p)]));
}

/**
 * The instance of each picture is of its construct, where the tree says (the cdk CLI's synth of
 * the compiled package names jsii classes; an in-process synth of the sources does not).
 */
function checkInstances(assemblyDir: string): void {
  const treeFile = path.join(assemblyDir, 'tree.json');
  if (!fs.existsSync(treeFile)) {return;}
  const classes = new Map<string, string>();
  const visit = (node: any) => {
    if (node?.constructInfo?.fqn) {classes.set(node.path, node.constructInfo.fqn);}
    Object.values(node?.children ?? {}).forEach(visit);
  };
  visit(JSON.parse(fs.readFileSync(treeFile, 'utf8')).tree);
  if (![...classes.values()].some(fqn => fqn.startsWith('cdk-kms-guardrails.'))) {return;}
  for (const p of PICTURES) {
    const fqn = classes.get(p.instance);
    if (fqn !== `cdk-kms-guardrails.${p.construct}`) {
      throw new Error(`${p.name}: '${p.instance}' is ${fqn ?? 'not in the app'}, expected cdk-kms-guardrails.${p.construct}: ` +
        'name another instance of the example app in projenrc/diagrams/pictures.ts');
    }
  }
}

/** Where the pictures live, relative to the project root. */
export const IMAGES_DIR = 'docs/images';

/** The digest of a picture's DOT, which its SVG carries (a test without Graphviz can tell a stale SVG). */
export function sourceDigest(dot: string): string {
  return createHash('sha256').update(dot).digest('hex');
}

/** The comment `dot` writes into the SVG: where its source is, and its digest. */
export function sourceComment(name: string, dot: string): string {
  return `source ${IMAGES_DIR}/${name}.dot sha256 ${sourceDigest(dot)}`;
}
