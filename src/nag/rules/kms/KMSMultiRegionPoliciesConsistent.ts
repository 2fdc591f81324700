import { NagRuleCompliance } from 'cdk-nag';
import { accessDifferences, KeyUnderPolicy } from '../../../policy/compare';
import { readPolicy } from '../../../policy/document';
import { placeholder } from '../../../template/render';
import { AppIndex, IndexedResource } from '../../private/app-index';
import { keyPolicyDocument } from '../../private/key-policy';
import { primaryOf, resourceLabel } from '../../private/multi-region';
import { ruleFor } from '../../private/values';

const WORD = { allowed: 'allowed', denied: 'denied', depends: 'depends on IAM policies or values known at deployment' };

/** A key's policy (the KMS default policy when the template sets none), with its account and Region. */
function underPolicy(index: AppIndex, key: IndexedResource): KeyUnderPolicy {
  const account = key.scope.account ?? placeholder.pseudo('AccountId');
  const document = keyPolicyDocument(key) ?? {
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
  };
  return { policy: readPolicy(document, (value) => index.render(key.scope, value)), env: { account, region: key.scope.region ?? placeholder.pseudo('Region') } };
}

/**
 * A replica key lets the same principals use and administer it as its primary key of the app:
 * the keys of a multi-Region set share their key material, so whoever may use one decrypts what
 * any of them encrypted. Compared by evaluating both policies, not by their text. Replicas of a
 * primary outside the app are not applicable.
 */
export const KMSMultiRegionPoliciesConsistent = ruleFor('KMSMultiRegionPoliciesConsistent', ['AWS::KMS::ReplicaKey'], (resource, index) => {
  const primary = primaryOf(index, resource);
  if (!primary) return NagRuleCompliance.NOT_APPLICABLE;
  const differences = accessDifferences(underPolicy(index, primary), underPolicy(index, resource));
  if (differences.length === 0) return NagRuleCompliance.COMPLIANT;
  const only = (actions: readonly string[], where: string) => (actions.length > 0 ? `; only ${where}: ${actions.join(', ')}` : '');
  return differences.map((d) =>
    `${d.who}: to ${d.what} the key is ${WORD[d.first]} by the primary key ${resourceLabel(primary)} and ${WORD[d.second]} by this replica key` +
    `${only(d.onlyFirst, 'on the primary')}${only(d.onlySecond, 'on this replica')}. Give every key of the set the same principals (MultiRegionKeySet does).`);
});
