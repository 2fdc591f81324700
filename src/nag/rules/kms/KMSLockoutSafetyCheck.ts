import { compliantIf, readBoolean, ruleFor } from '../../private/values';

/** No KMS key bypasses the key policy lockout safety check. */
export const KMSLockoutSafetyCheck = ruleFor('KMSLockoutSafetyCheck', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) => {
  const bypass = readBoolean(index, resource, 'BypassPolicyLockoutSafetyCheck', resource.properties().BypassPolicyLockoutSafetyCheck);
  return compliantIf(bypass !== true);
});
