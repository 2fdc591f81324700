import { everyReplica } from '../../private/replicas';
import { compliantIf, ruleFor } from '../../private/values';

/** Every replica of a DynamoDB global table has deletion protection enabled. */
export const DynamoDBGlobalTableDeletionProtection = ruleFor('DynamoDBGlobalTableDeletionProtection', ['AWS::DynamoDB::GlobalTable'], (resource, index) =>
  compliantIf(everyReplica(index, resource, 'DeletionProtectionEnabled')));
