import { NagRuleCompliance } from 'cdk-nag';
import { readPolicy } from '../../../policy/document';
import { ineffectiveParts } from '../../../policy/ineffective';
import { labelOf } from '../../../policy/invariants';
import { keyPolicyDocument } from '../../private/key-policy';
import { ruleFor, unresolved } from '../../private/values';

/**
 * Every action of a KMS key or replica key policy is a KMS key action, and every condition key
 * applies to the actions of its statement: a misspelled action or key makes a Deny guard rail fail
 * open and an Allow wider or narrower than written. A key without `KeyPolicy` is not applicable.
 */
export const KMSKeyPolicyStatementsEffective = ruleFor('KMSKeyPolicyStatementsEffective', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) => {
  const document = keyPolicyDocument(resource);
  if (document === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const { parts, unresolved: unknown } = ineffectiveParts(readPolicy(document, (value) => index.render(resource.scope, value)));
  if (parts.length > 0) return parts.map(labelOf);
  if (unknown.length > 0) throw unresolved(resource, 'KeyPolicy', labelOf(unknown[0]));
  return NagRuleCompliance.COMPLIANT;
});
