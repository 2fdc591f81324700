import { keyPolicyFindings } from '../../private/key-policy';
import { ruleFor } from '../../private/values';

/**
 * No principal named in a KMS key or replica key policy may create grants that are not for an AWS
 * resource (`kms:GrantIsForAWSResource` true), decided by evaluating the policy, Deny statements
 * included.
 */
export const KMSCreateGrantForAWSResource = ruleFor('KMSCreateGrantForAWSResource', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) =>
  [...keyPolicyFindings(index, resource).get('KMS4') ?? []]);
