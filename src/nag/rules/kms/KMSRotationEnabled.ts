import { NagRuleCompliance } from 'cdk-nag';
import { canRotate, rotationEnabled } from '../../private/rotation';
import { compliantIf, ruleFor } from '../../private/values';

/**
 * Symmetric KMS keys rotate automatically. Keys that cannot rotate are not applicable, and replica
 * keys follow their primary.
 */
export const KMSRotationEnabled = ruleFor('KMSRotationEnabled', ['AWS::KMS::Key'], (resource, index) => {
  if (!canRotate(index, resource)) return NagRuleCompliance.NOT_APPLICABLE;
  return compliantIf(rotationEnabled(index, resource));
});
