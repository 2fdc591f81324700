export * from './S3AccessLogTargetNotKMS';
export * from './S3BucketKeyEnabled';
export * from './S3CustomerManagedKey';
