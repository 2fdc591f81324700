export * from './key-audit-trail';
