/**
 * Speed for the differential test, without changing what the engine decides.
 *
 * Most of the time of one engine request (~80 % on key policies with long action lists) goes to
 * `mostSpecificMatchingResourceTypePatterns` of @cloud-copilot/iam-utils: for every action of
 * the key policy the helper (checkKeyPolicyShape) and the engine match the key ARN against the
 * action's resource-type patterns, again on every request. The function is pure (two strings in,
 * a list out), so a memoized copy decides exactly as the original. Install it with
 * `jest.mock('@cloud-copilot/iam-utils', () => withMemoizedResourceTypes(jest.requireActual('@cloud-copilot/iam-utils')))`.
 */
export function withMemoizedResourceTypes<T extends Record<string, any>>(actual: T): T {
  const original = actual.mostSpecificMatchingResourceTypePatterns as (resource: string, patterns: string[]) => string[];
  const cache = new Map<string, string[]>();
  const memoized = (resource: string, patterns: string[]): string[] => {
    const key = `${resource}\u0001${patterns.join('\u0001')}`;
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = original(resource, patterns);
      cache.set(key, hit);
    }
    return [...hit];
  };
  return { ...actual, mostSpecificMatchingResourceTypePatterns: memoized };
}

/**
 * `allowedContextKeysForRequest` of @cloud-copilot/iam-simulate, memoized: the helper asks it for
 * every action of the key policy on every request. It reads static service data only.
 */
export function withMemoizedContextKeys<T extends Record<string, any>>(actual: T): T {
  const original = actual.allowedContextKeysForRequest as (...args: any[]) => Promise<string[]>;
  const cache = new Map<string, Promise<string[]>>();
  const memoized = async (...args: any[]): Promise<string[]> => {
    if (args[4] !== undefined) return original(...args);
    const key = JSON.stringify(args.slice(0, 4));
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = original(...args);
      cache.set(key, hit);
    }
    return [...(await hit)];
  };
  return { ...actual, allowedContextKeysForRequest: memoized };
}
