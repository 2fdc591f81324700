export * from './S3BucketKeyEnabled';
export * from './S3CustomerManagedKey';
