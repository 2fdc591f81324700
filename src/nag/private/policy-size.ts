import { AppIndex, IndexedResource } from './app-index';
import { keyPolicyDocument } from './key-policy';
import { isIntrinsic, PLACEHOLDER } from '../../template/render';

/** The KMS limit on a key policy document. */
export const KEY_POLICY_LIMIT = 32_768;
/** 90% of the KMS limit: 29,491 bytes. */
export const KEY_POLICY_HEADROOM = Math.floor(KEY_POLICY_LIMIT * 0.9);

/**
 * Shortest and longest length of what a placeholder becomes at deployment. Resource names are
 * taken at the length CloudFormation-generated names reach in practice, not at the ARN maximum.
 */
function placeholderLength(kind: string, name: string): [number, number] {
  if (kind === 'P') {
    const pseudo: Record<string, [number, number]> = { Partition: [3, 10], Region: [9, 14], AccountId: [12, 12], URLSuffix: [13, 16] };
    return pseudo[name] ?? [1, 128];
  }
  if (kind === 'R' && name.endsWith('.KeyId')) return [36, 36];
  if (kind === 'R' && name.endsWith('.Arn')) return [20, 160];
  return [1, 128];
}

export interface SizeRange {
  readonly min: number;
  readonly max: number;
}

/**
 * The size in bytes of the key policy once CloudFormation has resolved it, as the range over every
 * account, Region and generated name; `undefined` when the template sets no policy.
 */
export function keyPolicySize(index: AppIndex, resource: IndexedResource): SizeRange | undefined {
  if (resource.memo.has('keyPolicySize')) return resource.memo.get('keyPolicySize') as SizeRange | undefined;
  const document = keyPolicyDocument(resource);
  let size: SizeRange | undefined;
  if (document !== undefined) {
    let min = 0;
    let max = 0;
    const flatten = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(flatten);
      if (value === null || typeof value !== 'object') return value;
      if (isIntrinsic(value)) {
        const rendered = index.render(resource.scope, value);
        // What cannot be rendered is counted as written, which is usually longer than its value.
        if (rendered === undefined) return value;
        return rendered.replace(PLACEHOLDER, (_whole, kind: string, name: string) => {
          const [low, high] = placeholderLength(kind, name);
          min += low;
          max += high;
          return '';
        });
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, flatten(v)]));
    };
    const bytes = Buffer.byteLength(JSON.stringify(flatten(document)));
    size = { min: bytes + min, max: bytes + max };
  }
  resource.memo.set('keyPolicySize', size);
  return size;
}
