import { NagRuleCompliance } from 'cdk-nag';
import { canRotate, rotationEnabled } from '../../private/rotation';
import { compliantIf, readNumber, ruleFor } from '../../private/values';

/** KMS keys that rotate do so at least every 365 days (the KMS default when unset). */
export const KMSRotationPeriod = ruleFor('KMSRotationPeriod', ['AWS::KMS::Key'], (resource, index) => {
  if (!canRotate(index, resource) || !rotationEnabled(index, resource)) return NagRuleCompliance.NOT_APPLICABLE;
  const days = readNumber(index, resource, 'RotationPeriodInDays', resource.properties().RotationPeriodInDays) ?? 365;
  return compliantIf(days <= 365);
});
