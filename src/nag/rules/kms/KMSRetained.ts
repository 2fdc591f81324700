import { compliantIf, ruleFor } from '../../private/values';

/**
 * KMS keys and replica keys survive both their removal from the stack and a replacement:
 * DeletionPolicy Retain (or RetainExceptOnCreate: a key from a failed creation holds no data)
 * and UpdateReplacePolicy Retain.
 */
export const KMSRetained = ruleFor('KMSRetained', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource) => {
  const { DeletionPolicy, UpdateReplacePolicy } = resource.template();
  return compliantIf((DeletionPolicy === 'Retain' || DeletionPolicy === 'RetainExceptOnCreate') && UpdateReplacePolicy === 'Retain');
});
