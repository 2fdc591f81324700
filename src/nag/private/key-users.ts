import { AppIndex, IndexedResource } from './app-index';
import { replicasByPrimary } from './multi-region';
import { asList, asObject } from './values';

/** A resource of the app that encrypts its data under a key of the app. */
export interface KeyUse {
  readonly user: IndexedResource;
  /** The property that names the key. */
  readonly property: string;
}

const KEY_TYPES = new Set(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey']);

/**
 * The buckets, queues, tables and global-table replicas of the app by the key they encrypt
 * under, resolved through references, aliases of the app and the replica keys of a multi-Region
 * set. A key reference that names no key of the app (a literal key ARN, a parameter) is left out.
 * Computed once per run.
 */
export function keyUses(index: AppIndex): ReadonlyMap<number, readonly KeyUse[]> {
  return index.derive('keyUses', () => {
    const out = new Map<number, KeyUse[]>();
    const add = (user: IndexedResource, property: string, value: unknown, region?: string) => {
      for (const key of keysNamedBy(index, user, value, region)) {
        const uses = out.get(key.uid) ?? [];
        if (!uses.some((u) => u.user === user && u.property === property)) uses.push({ user, property });
        out.set(key.uid, uses);
      }
    };
    const each = (type: string, read: (user: IndexedResource, props: Record<string, unknown>) => void) => {
      for (const user of index.resourcesOfType(type)) {
        try {
          read(user, user.properties());
        } catch {
          // a resource that cannot be read names no key we can prove
        }
      }
    };
    each('AWS::S3::Bucket', (user, props) => asList(asObject(props.BucketEncryption)?.ServerSideEncryptionConfiguration).forEach((rule, i) =>
      add(user, `BucketEncryption.ServerSideEncryptionConfiguration[${i}].ServerSideEncryptionByDefault.KMSMasterKeyID`,
        asObject(asObject(rule)?.ServerSideEncryptionByDefault)?.KMSMasterKeyID)));
    each('AWS::SQS::Queue', (user, props) => add(user, 'KmsMasterKeyId', props.KmsMasterKeyId));
    each('AWS::DynamoDB::Table', (user, props) => add(user, 'SSESpecification.KMSMasterKeyId', asObject(props.SSESpecification)?.KMSMasterKeyId));
    each('AWS::DynamoDB::GlobalTable', (user, props) => asList(props.Replicas).forEach((raw, i) => {
      const replica = asObject(raw);
      const region = index.render(user.scope, replica?.Region);
      add(user, `Replicas[${i}].SSESpecification.KMSMasterKeyId`, asObject(replica?.SSESpecification)?.KMSMasterKeyId, region);
    }));
    return out;
  });
}

/** The keys of the app a key reference names: a key, an alias of the app, or a key ARN in a replica's Region. */
function keysNamedBy(index: AppIndex, user: IndexedResource, value: unknown, region: string | undefined): IndexedResource[] {
  if (value === undefined) return [];
  const rendered = index.render(user.scope, value);
  if (rendered === undefined) return [];
  const referenced = index.referencedResources(rendered);
  const keys = referenced.filter((r) => KEY_TYPES.has(r.type));
  if (keys.length > 0) {
    // A primary key's ARN spelled in another Region names that Region's replica key.
    const arnRegion = /^arn:[^:]*:kms:([^:\u0000]+):/.exec(rendered)?.[1] ?? region;
    return keys.map((key) => inRegion(index, key, arnRegion)).filter((k): k is IndexedResource => k !== undefined);
  }
  const aliases = referenced.filter((r) => r.type === 'AWS::KMS::Alias');
  const name = /(?:^|:)(alias\/[^\u0000]+)$/.exec(rendered)?.[1];
  if (aliases.length === 0 && name !== undefined) {
    // Alias names are unique per account and Region: the same name may name a key in each Region.
    const wanted = region ?? user.scope.region;
    const sameRegion = (a: IndexedResource) => a.scope.region === undefined || wanted === undefined || a.scope.region === wanted;
    aliases.push(...(aliasesNamed(index).get(name) ?? []).filter(sameRegion));
  }
  return aliases.flatMap((alias) => {
    const target = index.render(alias.scope, alias.properties().TargetKeyId);
    return target === undefined ? [] : index.referencedResources(target).filter((r) => KEY_TYPES.has(r.type));
  });
}

function inRegion(index: AppIndex, key: IndexedResource, region: string | undefined): IndexedResource | undefined {
  if (region === undefined || region.includes('\u0000') || key.scope.region === undefined || key.scope.region === region) return key;
  if (key.type !== 'AWS::KMS::Key') return undefined;
  return (replicasByPrimary(index).get(key.uid) ?? []).find((replica) => replica.scope.region === region);
}

function aliasesNamed(index: AppIndex): ReadonlyMap<string, IndexedResource[]> {
  return index.derive('aliasesByName', () => {
    const out = new Map<string, IndexedResource[]>();
    for (const alias of index.resourcesOfType('AWS::KMS::Alias')) {
      try {
        const name = index.render(alias.scope, alias.properties().AliasName);
        if (name !== undefined && !name.includes('\u0000')) out.set(name, [...(out.get(name) ?? []), alias]);
      } catch {
        // an alias that cannot be read names no key
      }
    }
    return out;
  });
}
