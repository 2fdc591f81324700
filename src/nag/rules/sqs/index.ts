export * from './SQSCustomerManagedKey';
