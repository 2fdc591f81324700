import { everyReplica } from '../../private/replicas';
import { compliantIf, ruleFor } from '../../private/values';

/** Every replica of a DynamoDB global table has point-in-time recovery enabled. */
export const DynamoDBGlobalTablePITR = ruleFor('DynamoDBGlobalTablePITR', ['AWS::DynamoDB::GlobalTable'], (resource, index) =>
  compliantIf(everyReplica(index, resource, 'PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled')));
