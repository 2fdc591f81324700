export * from './kms-guardrails-checks';
export * as rules from './rules';
