// The rule functions of KmsGuardrailsChecks, for TypeScript users composing their own packs.
export * as cloudtrail from './cloudtrail';
export * as dynamodb from './dynamodb';
export * as iam from './iam';
export * as kms from './kms';
export * as s3 from './s3';
export * as sqs from './sqs';
