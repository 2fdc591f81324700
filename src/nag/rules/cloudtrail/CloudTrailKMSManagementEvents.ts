import { logsKmsManagementEvents, trailModels } from '../../private/trails';
import { compliantIf, ruleFor, unresolved } from '../../private/values';

/**
 * CloudTrail trails log, and do not filter out, the KMS management events: key policy changes,
 * scheduled deletions, disabled keys and every Decrypt call.
 */
export const CloudTrailKMSManagementEvents = ruleFor('CloudTrailKMSManagementEvents', ['AWS::CloudTrail::Trail'], (resource, index) => {
  const trail = trailModels(index).find((t) => t.resource === resource)!;
  if (trail.error) throw trail.error;
  if (trail.unknownValues) throw unresolved(resource, 'EventSelectors or AdvancedEventSelectors', 'a value known only at deployment');
  return compliantIf(logsKmsManagementEvents(trail));
});
