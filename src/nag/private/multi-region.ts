import { AppIndex, IndexedResource } from './app-index';
import { unresolved } from './values';

/**
 * The primary key of a replica key, when it is an AWS::KMS::Key of the app (found through
 * references, exports and CDK's cross-Region references); `undefined` for a primary outside the
 * app. Throws when `PrimaryKeyArn` cannot be read at all.
 */
export function primaryOf(index: AppIndex, replica: IndexedResource): IndexedResource | undefined {
  const value = replica.properties().PrimaryKeyArn;
  const rendered = index.render(replica.scope, value);
  if (rendered === undefined) throw unresolved(replica, 'PrimaryKeyArn', value);
  return index.referencedResources(rendered).find((r) => r.type === 'AWS::KMS::Key');
}

/** The replica keys of the app, by the uid of their primary key. Computed once per run. */
export function replicasByPrimary(index: AppIndex): ReadonlyMap<number, readonly IndexedResource[]> {
  return index.derive('replicasByPrimary', () => {
    const out = new Map<number, IndexedResource[]>();
    for (const replica of index.resourcesOfType('AWS::KMS::ReplicaKey')) {
      let primary: IndexedResource | undefined;
      try {
        primary = primaryOf(index, replica);
      } catch {
        continue; // a replica whose primary cannot be read is in no set we can prove
      }
      if (primary) out.set(primary.uid, [...(out.get(primary.uid) ?? []), replica]);
    }
    return out;
  });
}

/** A construct path as messages show it: without the trailing `/Resource` of an L2's L1. */
export function resourceLabel(resource: IndexedResource): string {
  return resource.path.replace(/\/Resource$/, '');
}
