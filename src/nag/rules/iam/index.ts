export * from './IAMNoUnscopedKeyUse';
