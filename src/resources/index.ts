export * from './encrypted-resource-props';
export * from './encrypted-bucket';
export * from './encrypted-queue';
export * from './encrypted-table';
