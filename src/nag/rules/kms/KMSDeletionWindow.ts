import { compliantIf, NagRuleFunction, readNumber, ruleFor } from '../../private/values';

/**
 * A rule that KMS keys and replica keys wait at least `minimumDays` before deletion
 * (`PendingWindowInDays`, 30 when unset).
 */
export function KMSDeletionWindow(minimumDays: number = 30): NagRuleFunction {
  return ruleFor('KMSDeletionWindow', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) => {
    const days = readNumber(index, resource, 'PendingWindowInDays', resource.properties().PendingWindowInDays) ?? 30;
    return compliantIf(days >= minimumDays);
  });
}
