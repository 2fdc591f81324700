export * from './keys';
export * from './resources';
