import { keyPolicyFindings } from '../../private/key-policy';
import { ruleFor } from '../../private/values';

/**
 * No principal of another account, named or not, may administer a KMS key or replica key: change
 * its policy, state, rotation, aliases, tags or grants, decided by evaluating the policy.
 */
export const KMSCrossAccountAdministrator = ruleFor('KMSCrossAccountAdministrator', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) =>
  [...keyPolicyFindings(index, resource).get('KMS19') ?? []]);
