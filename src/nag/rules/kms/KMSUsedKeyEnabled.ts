import { NagRuleCompliance } from 'cdk-nag';
import { keyUses } from '../../private/key-users';
import { resourceLabel } from '../../private/multi-region';
import { readBoolean, ruleFor } from '../../private/values';

const CONSEQUENCE: Record<string, string> = {
  'AWS::S3::Bucket': 'S3 can neither write nor read its objects',
  'AWS::SQS::Queue': 'SQS can neither accept nor deliver its messages',
  'AWS::DynamoDB::Table': 'DynamoDB cannot read or write the table, and archives it once its key has been inaccessible for seven days',
  'AWS::DynamoDB::GlobalTable': 'DynamoDB cannot read or write the replica, and archives it once its key has been inaccessible for seven days',
};

/**
 * A KMS key or replica key that a bucket, queue, table or global-table replica of the app
 * encrypts under is not disabled (`Enabled: false`). Keys no resource of the app uses are not
 * applicable.
 */
export const KMSUsedKeyEnabled = ruleFor('KMSUsedKeyEnabled', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) => {
  const uses = keyUses(index).get(resource.uid) ?? [];
  if (uses.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  if (readBoolean(index, resource, 'Enabled', resource.properties().Enabled) !== false) return NagRuleCompliance.COMPLIANT;
  return uses.map(({ user, property }) =>
    `${resourceLabel(user)} (${user.type}) encrypts under this disabled key (${property}): ${CONSEQUENCE[user.type] ?? 'its data is unreadable'}. ` +
    'Enable the key (`Enabled: true`, `enabled` on `kms.Key`) or encrypt the resource under an enabled key.');
});
