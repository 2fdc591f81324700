import { NagRuleCompliance } from 'cdk-nag';
import { environmentOf, logsKmsManagementEvents, sameEnvironment, trailModels } from '../../private/trails';
import { ruleFor, unresolved } from '../../private/values';

/**
 * In each account and Region of the app that has trails, some trail of the app logs, and does not
 * filter out, the KMS management events: key policy changes, scheduled deletions, disabled keys and
 * every Decrypt call. A trail that logs only data events is fine when another trail covers its
 * account and Region; when none does, the first such trail of the environment reports it, once.
 */
export const CloudTrailKMSManagementEvents = ruleFor('CloudTrailKMSManagementEvents', ['AWS::CloudTrail::Trail'], (resource, index) => {
  const trails = trailModels(index);
  const trail = trails.find((t) => t.resource === resource)!;
  if (trail.error) throw trail.error;
  if (trail.unknownValues) throw unresolved(resource, 'EventSelectors or AdvancedEventSelectors', 'a value known only at deployment');
  if (logsKmsManagementEvents(trail)) return NagRuleCompliance.COMPLIANT;
  const readable = trails.filter((t) => !t.error && !t.unknownValues);
  if (readable.some((t) => t !== trail && logsKmsManagementEvents(t) && sameEnvironment(t, resource))) return NagRuleCompliance.COMPLIANT;
  // One finding for the environment, on its first trail that does not log them.
  const environment = environmentOf(resource);
  const gaps = readable.filter((t) => !logsKmsManagementEvents(t) && environmentOf(t.resource) === environment);
  if (gaps[0] !== trail) return NagRuleCompliance.COMPLIANT;
  const others = gaps.length > 1 ? ` (nor do ${gaps.slice(1).map((t) => t.resource.path).join(', ')})` : '';
  return [`no trail of the app logs every KMS management event in ${environment}: this trail does not${others}.`];
});
