import { keyPolicyFindings } from '../../private/key-policy';
import { ruleFor } from '../../private/values';

/**
 * Neither the account root user nor an IAM principal of the key's account that the policy does
 * not name may use a KMS key or replica key: the policy must not hand use to the account's IAM
 * policies. A key without a policy gets the KMS default, which gives the account root `kms:*`.
 */
export const KMSRootNoCryptographicAccess = ruleFor('KMSRootNoCryptographicAccess', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) =>
  [...keyPolicyFindings(index, resource).get('KMS2') ?? []]);
