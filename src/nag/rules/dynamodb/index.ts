export * from './DynamoDBCustomerManagedKey';
export * from './DynamoDBGlobalTableDeletionProtection';
export * from './DynamoDBGlobalTablePITR';
