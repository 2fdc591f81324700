import { KeyPolicyStatement, PolicyCondition, restricting, keyPolicyStatements } from '../../private/key-policy';
import { compliantIf, ruleFor, unresolved } from '../../private/values';

const ACCOUNT_KEYS = new Set([
  'aws:principalaccount', 'kms:calleraccount', 'aws:principalorgid', 'aws:principalorgpaths',
  'aws:sourceaccount', 'aws:sourceorgid', 'aws:sourceorgpaths',
]);

/** A wildcard in StringLike lets any account or organization through, except after an org ID in a path. */
function fixed(condition: PolicyCondition, value: string | undefined): boolean {
  if (value === undefined || !condition.operator.includes('like')) return true;
  if (condition.key.endsWith('orgpaths')) return /^o-[a-z0-9]+\//.test(value);
  if (condition.key === 'aws:principalarn') return !/[*?]/.test(value.split(':')[4] ?? '*');
  return !/[*?]/.test(value);
}

function scoped(statement: KeyPolicyStatement): boolean {
  return statement.conditions.some((c) => c.values.length > 0 && c.values.every((v) => fixed(c, v)) && (
    (ACCOUNT_KEYS.has(c.key) && restricting(c, ['stringequals', 'stringequalsignorecase', 'stringlike'])) ||
    (c.key === 'aws:principalarn' && restricting(c, ['arnequals', 'arnlike', 'stringequals', 'stringlike']))));
}

/**
 * Every Allow statement of a KMS key or replica key policy that addresses everyone
 * (`Principal: "*"`, `{"AWS": "*"}`, NotPrincipal) is narrowed to an account or organization by a
 * condition that holds only when its key is present (no IfExists, no ForAllValues).
 */
export const KMSWildcardPrincipalScoped = ruleFor('KMSWildcardPrincipalScoped', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) => {
  let open = false;
  for (const statement of keyPolicyStatements(index, resource)) {
    if (!statement.allow || scoped(statement)) continue;
    const unknown = statement.principals.find((p) => p.kind === 'unknown');
    if (unknown) throw unresolved(resource, 'KeyPolicy principal', unknown.key);
    open ||= statement.everyone;
  }
  return compliantIf(!open);
});
