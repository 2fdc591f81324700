import { NagRuleCompliance } from 'cdk-nag';
import { bucketEncryption, bucketName, queueUsesCustomerManagedKey, tableUsesCustomerManagedKey } from '../../private/encryption';
import { DataTarget, logsDataEvents, trailModels } from '../../private/trails';
import { compliantIf, ruleFor } from '../../private/values';

/**
 * Every S3 bucket, SQS queue and DynamoDB table or global table encrypted with a customer managed
 * key has its read and write data events selected by a logging trail of the app (same account and
 * Region, or an organization or multi-Region trail). Resources not under a customer managed key are
 * the encryption rules' findings, and a trail's own log bucket is exempt: logging data events of
 * the bucket a trail writes to records the trail's own deliveries.
 */
export const CloudTrailDataEventsCovered = ruleFor(
  'CloudTrailDataEventsCovered',
  ['AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  (resource, index) => {
    const trails = trailModels(index);
    let type: DataTarget['type'];
    let encrypted: boolean;
    try {
      switch (resource.type) {
        case 'AWS::S3::Bucket': {
          const name = bucketName(index, resource);
          if (trails.some((t) => t.bucketName !== undefined && t.bucketName === name)) return NagRuleCompliance.NOT_APPLICABLE;
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
      return NagRuleCompliance.NOT_APPLICABLE; // the encryption rule reports what cannot be resolved
    }
    if (!encrypted) return NagRuleCompliance.NOT_APPLICABLE;
    const arn = index.render(resource.scope, { 'Fn::GetAtt': [resource.logicalId, 'Arn'] })!;
    return compliantIf(trails.some((trail) => logsDataEvents(trail, { resource, type, arn })));
  });
