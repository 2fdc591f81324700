import { compliantIf, ruleFor, unresolved } from '../../private/values';

/**
 * KMS keys and replica keys survive both their removal from the stack and a replacement:
 * DeletionPolicy Retain (or RetainExceptOnCreate: a key from a failed creation holds no data)
 * and UpdateReplacePolicy Retain. A policy chosen by a condition (`Fn::If`) is known only at
 * deployment and is reported as such, not judged.
 */
export const KMSRetained = ruleFor('KMSRetained', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource) => {
  const { DeletionPolicy, UpdateReplacePolicy } = resource.template();
  for (const [name, value] of [['DeletionPolicy', DeletionPolicy], ['UpdateReplacePolicy', UpdateReplacePolicy]] as const) {
    if (value !== undefined && typeof value !== 'string') throw unresolved(resource, name, value);
  }
  return compliantIf((DeletionPolicy === 'Retain' || DeletionPolicy === 'RetainExceptOnCreate') && UpdateReplacePolicy === 'Retain');
});
