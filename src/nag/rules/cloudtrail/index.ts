export * from './CloudTrailDataEventsCovered';
export * from './CloudTrailKMSManagementEvents';
