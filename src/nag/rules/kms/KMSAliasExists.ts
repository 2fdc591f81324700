import { AppIndex } from '../../private/app-index';
import { compliantIf, ruleFor } from '../../private/values';

/** The keys some AWS::KMS::Alias of the app targets, in any stack (cross-stack imports followed). */
function aliasedKeys(index: AppIndex): ReadonlySet<number> {
  return index.derive('aliasedKeys', () => {
    const keys = new Set<number>();
    for (const alias of index.resourcesOfType('AWS::KMS::Alias')) {
      let target: string | undefined;
      try {
        target = index.render(alias.scope, alias.properties().TargetKeyId);
      } catch {
        continue; // an alias that cannot be read names no key we can prove
      }
      for (const key of index.referencedResources(target ?? '')) keys.add(key.uid);
    }
    return keys;
  });
}

/** Every KMS key and replica key has an alias in the app. */
export const KMSAliasExists = ruleFor('KMSAliasExists', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) =>
  compliantIf(aliasedKeys(index).has(resource.uid)));
