import { tableUsesCustomerManagedKey } from '../../private/encryption';
import { compliantIf, ruleFor } from '../../private/values';

/**
 * DynamoDB tables and every replica of a global table encrypt with a customer managed key: not the
 * AWS owned key (the default), not alias/aws/dynamodb.
 */
export const DynamoDBCustomerManagedKey = ruleFor('DynamoDBCustomerManagedKey', ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'], (resource, index) =>
  compliantIf(tableUsesCustomerManagedKey(index, resource)));
