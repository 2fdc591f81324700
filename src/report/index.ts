export * from './key-access-report';
