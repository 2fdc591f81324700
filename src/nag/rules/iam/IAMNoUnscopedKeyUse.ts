import { NagRuleCompliance } from 'cdk-nag';
import { readPolicy } from '../../../policy/document';
import { unscopedKeyUse } from '../../../policy/identity-use';
import { labelOf } from '../../../policy/invariants';
import { identityPolicyDocuments, IDENTITY_POLICY_TYPES } from '../../private/identity-policies';
import { ruleFor, unresolved } from '../../private/values';

/**
 * IAM identity policies of the app (policies, managed policies, inline policies of roles, users
 * and groups) do not let their principals use KMS keys they do not name: every cryptographic
 * action, and `kms:CreateGrant` for anything but an AWS resource, is limited to key ARNs or to
 * requests through named services (`kms:ViaService`). One finding per policy document.
 */
export const IAMNoUnscopedKeyUse = ruleFor('IAMNoUnscopedKeyUse', IDENTITY_POLICY_TYPES, (resource, index) => {
  const documents = identityPolicyDocuments(index, resource);
  if (documents.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  let unknown: { property: string; value: string } | undefined;
  for (const { label, property, document } of documents) {
    const policy = readPolicy(document, (value) => index.render(resource.scope, value));
    const use = unscopedKeyUse(policy);
    if (!use) continue;
    if (use.decision === 'depends' && policy.unresolved.length + countUnknown(policy.statements) > 0) {
      unknown ??= { property, value: policy.unresolved[0] ?? 'a parameter in an Action, Resource or Condition' };
      continue;
    }
    const how = use.decision === 'allowed' ? 'lets its principals' : 'may let its principals';
    findings.push(
      `${label} ${how} call ${use.actions.map(labelOf).join(', ')} on any KMS key it does not name, directly or through any AWS service ` +
      `(${use.statements.join('; ')}): every key whose key policy lets the account's IAM policies decide (the KMS default key policy does) is open to them. ` +
      'Name the keys by ARN in Resource, or add a condition kms:ViaService naming the services that use them.',
    );
  }
  if (findings.length === 0 && unknown) throw unresolved(resource, unknown.property, unknown.value);
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
});

function countUnknown(statements: ReadonlyArray<{ actions: readonly string[]; resources: readonly string[] }>): number {
  return statements.filter((s) => [...s.actions, ...s.resources].some((v) => v.includes('\u0000X'))).length;
}
