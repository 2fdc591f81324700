import { NagRuleCompliance } from 'cdk-nag';
import { AppIndex, IndexedResource } from '../../private/app-index';
import { bucketEncryption, bucketName, queueUsesCustomerManagedKey, tableUsesCustomerManagedKey } from '../../private/encryption';
import { DataTarget, environmentOf, logsDataEvents, TrailModel, trailModels } from '../../private/trails';
import { ruleFor } from '../../private/values';

const TYPES = ['AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'];

/**
 * Every S3 bucket, SQS queue and DynamoDB table or global table encrypted with a customer managed
 * key has its read and write data events selected by a logging trail of the app (same account and
 * Region, or an organization or multi-Region trail). Resources not under a customer managed key are
 * the encryption rules' findings, and a trail's own log bucket is exempt: logging data events of
 * the bucket a trail writes to records the trail's own deliveries. In an account and Region where
 * no trail of the app logs data events of any of them (an organization trail outside the app may),
 * that is one finding for the environment, on its first resource, not one per resource.
 */
export const CloudTrailDataEventsCovered = ruleFor('CloudTrailDataEventsCovered', TYPES, (resource, index) => {
  const coverage = dataEventCoverage(index);
  const state = coverage.states.get(resource);
  if (state !== 'uncovered') return NagRuleCompliance.COMPLIANT;
  const environment = environmentOf(resource);
  const counts = coverage.byEnvironment.get(environment)!;
  if (counts.covered > 0) return ['no trail of the app selects its read and write data events.'];
  if (counts.uncovered[0] !== resource) return NagRuleCompliance.COMPLIANT;
  const listed = counts.uncovered.slice(0, 5).map((r) => r.path).join(', ');
  const more = counts.uncovered.length > 5 ? ` and ${counts.uncovered.length - 5} more` : '';
  return [
    `no trail of the app logs data events in ${environment}: ${counts.uncovered.length} resource(s) under customer managed keys ` +
    `are not covered (${listed}${more}). If a trail outside the app (an organization trail) logs them, acknowledge KMSG-CT2 once on the app or stack.`,
  ];
});

type State = 'not-applicable' | 'covered' | 'uncovered';

interface Coverage {
  readonly states: ReadonlyMap<IndexedResource, State>;
  readonly byEnvironment: ReadonlyMap<string, { covered: number; readonly uncovered: IndexedResource[] }>;
}

/** Which encrypted resources some trail covers, decided once for the app. */
function dataEventCoverage(index: AppIndex): Coverage {
  return index.derive('dataEventCoverage', () => {
    const trails = trailModels(index);
    const states = new Map<IndexedResource, State>();
    const byEnvironment = new Map<string, { covered: number; uncovered: IndexedResource[] }>();
    for (const type of TYPES) {
      for (const resource of index.resourcesOfType(type)) {
        const state = stateOf(index, trails, resource);
        states.set(resource, state);
        if (state === 'not-applicable') continue;
        const environment = environmentOf(resource);
        let counts = byEnvironment.get(environment);
        if (!counts) byEnvironment.set(environment, counts = { covered: 0, uncovered: [] });
        if (state === 'covered') counts.covered++; else counts.uncovered.push(resource);
      }
    }
    // The first resource of an environment is the first in the app's order.
    for (const counts of byEnvironment.values()) counts.uncovered.sort((a, b) => a.uid - b.uid);
    return { states, byEnvironment };
  });
}

function stateOf(index: AppIndex, trails: readonly TrailModel[], resource: IndexedResource): State {
  let type: DataTarget['type'];
  let encrypted: boolean;
  try {
    switch (resource.type) {
      case 'AWS::S3::Bucket': {
        const name = bucketName(index, resource);
        if (trails.some((t) => t.bucketName !== undefined && t.bucketName === name)) return 'not-applicable';
        type = 'AWS::S3::Object';
        const rules = bucketEncryption(index, resource);
        encrypted = rules.length > 0 && rules.every((rule) => rule.customerManagedKey);
        break;
      }
      case 'AWS::SQS::Queue':
        type = 'AWS::SQS::Queue';
        encrypted = queueUsesCustomerManagedKey(index, resource);
        break;
      default:
        type = 'AWS::DynamoDB::Table';
        encrypted = tableUsesCustomerManagedKey(index, resource);
    }
  } catch {
    return 'not-applicable'; // the encryption rule reports what cannot be resolved
  }
  if (!encrypted) return 'not-applicable';
  const arn = index.render(resource.scope, { 'Fn::GetAtt': [resource.logicalId, 'Arn'] })!;
  return trails.some((trail) => logsDataEvents(trail, { resource, type, arn })) ? 'covered' : 'uncovered';
}
