import { keyPolicyFindings } from '../../private/key-policy';
import { ruleFor } from '../../private/values';

/**
 * No principal that a KMS key or replica key policy does not name may use it: no principal of
 * another account, and no principal of the key's account without an IAM policy; nor may every
 * principal of the account administer it. Decided by evaluating the conditions as IAM does
 * (operators, IfExists, set operators, policy variables, absent keys).
 */
export const KMSWildcardPrincipalScoped = ruleFor('KMSWildcardPrincipalScoped', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) =>
  [...keyPolicyFindings(index, resource).get('KMS3') ?? []]);
