import { keyPolicyFindings } from '../../private/key-policy';
import { ruleFor } from '../../private/values';

/**
 * No principal named in a KMS key or replica key policy may both administer the key (change its
 * policy, state, rotation, aliases, tags, material or Regions) and use it (cryptographic actions,
 * grants not for AWS resources), decided by evaluating the policy: Deny statements subtract,
 * wildcards and NotAction count, a role session counts as its role.
 */
export const KMSSeparationOfDuties = ruleFor('KMSSeparationOfDuties', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) =>
  [...keyPolicyFindings(index, resource).get('KMS1') ?? []]);
