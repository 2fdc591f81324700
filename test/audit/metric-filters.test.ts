import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { matchesFilterPattern } from './filter-pattern';
import * as records from './fixtures/cloudtrail-records';
import { KeyAuditTrail } from '../../src/audit';

const app = new App();
const stack = new Stack(app, 'Stack', { env: { account: '111122223333', region: 'us-west-2' } });
new KeyAuditTrail(stack, 'Audit', { trailName: 'audit' });
const template = Template.fromStack(stack);

/** The pattern of the metric filter behind the alarm named `<trail>-<suffix>`, read from the template. */
function patternOfAlarm(suffix: string): string {
  const alarms = template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: `audit-${suffix}` } });
  const alarm = Object.values(alarms)[0] as any;
  expect(alarm).toBeDefined();
  const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')) as any[];
  const filter = filters.find(f => f.Properties.MetricTransformations[0].MetricName === alarm.Properties.MetricName
    && f.Properties.MetricTransformations[0].MetricNamespace === alarm.Properties.Namespace);
  expect(filter).toBeDefined();
  return filter.Properties.FilterPattern;
}

describe('alarm on keys disabled or scheduled for deletion', () => {
  const pattern = patternOfAlarm('kms-key-disabled-or-deletion-scheduled');

  test.each([
    ['DisableKey', records.DISABLE_KEY],
    ['ScheduleKeyDeletion', records.SCHEDULE_KEY_DELETION],
    ['ScheduleKeyDeletion of a multi-Region key with replicas', records.SCHEDULE_MULTI_REGION_KEY_DELETION],
  ])('matches %s', (_name, record) => {
    expect(matchesFilterPattern(pattern, JSON.stringify(record))).toBe(true);
  });

  test.each([
    ['EnableKey', records.ENABLE_KEY],
    ['CancelKeyDeletion', records.CANCEL_KEY_DELETION],
    ['DeleteKey (the deletion itself, by KMS)', records.DELETE_KEY],
    ['PutKeyPolicy', records.PUT_KEY_POLICY],
    ['GenerateDataKey', records.GENERATE_DATA_KEY],
    ['CreateKey', records.CREATE_KEY],
    ['DisableKey of another service', records.NOT_KMS_DISABLE_KEY],
    ['an S3 data event', records.S3_GET_OBJECT],
  ])('does not match %s', (_name, record) => {
    expect(matchesFilterPattern(pattern, JSON.stringify(record))).toBe(false);
  });
});

describe('alarm on key policy changes', () => {
  const pattern = patternOfAlarm('kms-key-policy-changed');

  test.each([
    ['PutKeyPolicy', records.PUT_KEY_POLICY],
    ['a denied PutKeyPolicy attempt', records.PUT_KEY_POLICY_DENIED],
    ['ReplicateKey', records.REPLICATE_KEY],
  ])('matches %s', (_name, record) => {
    expect(matchesFilterPattern(pattern, JSON.stringify(record))).toBe(true);
  });

  test.each([
    ['GetKeyPolicy', records.GET_KEY_POLICY],
    ['DisableKey', records.DISABLE_KEY],
    ['ScheduleKeyDeletion', records.SCHEDULE_KEY_DELETION],
    ['CreateKey', records.CREATE_KEY],
    ['GenerateDataKey', records.GENERATE_DATA_KEY],
    ['PutKeyPolicy of another service', records.NOT_KMS_PUT_KEY_POLICY],
  ])('does not match %s', (_name, record) => {
    expect(matchesFilterPattern(pattern, JSON.stringify(record))).toBe(false);
  });
});

test('each alarm counts its filter\'s matches and fires on the first one', () => {
  for (const suffix of ['kms-key-disabled-or-deletion-scheduled', 'kms-key-policy-changed']) {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `audit-${suffix}`,
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  }
  template.resourcePropertiesCountIs('AWS::Logs::MetricFilter', { MetricTransformations: [{ MetricValue: '1' }] }, 2);
});
