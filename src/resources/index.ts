export * from './encrypted-bucket';
export * from './encrypted-queue';
export * from './encrypted-table';
