import { keyPolicyFindings } from '../../private/key-policy';
import { ruleFor } from '../../private/values';

/**
 * No user named in a KMS key or replica key policy may also administer the key through the IAM
 * policies of its account: when the account root administers, each user needs a Deny of
 * administration that names it.
 */
export const KMSUserAdministersThroughIAM = ruleFor('KMSUserAdministersThroughIAM', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) =>
  [...keyPolicyFindings(index, resource).get('KMS14') ?? []]);
