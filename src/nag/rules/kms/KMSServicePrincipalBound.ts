import { keyPolicyFindings } from '../../private/key-policy';
import { ruleFor } from '../../private/values';

/**
 * No AWS service principal may use a KMS key or replica key when acting for a resource of another
 * account: a statement for a service needs a condition that binds it to this account or a
 * resource of it (the confused deputy).
 */
export const KMSServicePrincipalBound = ruleFor('KMSServicePrincipalBound', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) =>
  [...keyPolicyFindings(index, resource).get('KMS13') ?? []]);
