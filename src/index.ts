export * from './keys';
export * from './resources';
export * from './audit';
export * from './nag';
export * from './report';
