import { keyPolicyStatements, principalArnScope, useActions } from '../../private/key-policy';
import { ADMINISTRATIVE_ACTIONS, USE_ACTIONS } from '../../private/kms-actions';
import { compliantIf, ruleFor } from '../../private/values';

interface Duties { admin: boolean; use: boolean }

const grants = (actions: ReadonlySet<string>, duty: ReadonlySet<string>) => [...actions].some((a) => duty.has(a));

/**
 * No principal of a KMS key or replica key policy may both administer the key (change its policy,
 * state, rotation, aliases, tags or material) and use it (cryptographic actions, CreateGrant).
 * Wildcards and NotAction are expanded; `Principal: "*"` overlaps every principal; Deny
 * statements never count as grants.
 */
export const KMSSeparationOfDuties = ruleFor('KMSSeparationOfDuties', ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'], (resource, index) => {
  const everyone: Duties = { admin: false, use: false };
  const principals = new Map<string, Duties>();
  const dutiesOf = (key: string) => {
    let duties = principals.get(key);
    if (!duties) principals.set(key, duties = { admin: false, use: false });
    return duties;
  };
  for (const statement of keyPolicyStatements(index, resource)) {
    if (!statement.allow) continue;
    const admin = grants(statement.actions, ADMINISTRATIVE_ACTIONS);
    const use = useActions(statement, USE_ACTIONS).length > 0;
    if (!admin && !use) continue;
    const audience = statement.everyone ? principalArnScope(statement) : statement.principals.map((p) => p.key);
    for (const duties of audience === undefined ? [everyone] : audience.map(dutiesOf)) {
      duties.admin ||= admin;
      duties.use ||= use;
    }
  }
  const all = [...principals.values()];
  const mixed = all.some((d) => d.admin && d.use) ||
    (everyone.admin && (everyone.use || all.some((d) => d.use))) ||
    (everyone.use && all.some((d) => d.admin));
  return compliantIf(!mixed);
});
