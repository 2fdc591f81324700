import { evaluateKeyAccess, KeyAccessDecision, PolicyDocument } from './iam-eval';

/**
 * The answers a SeparatedDutyKey's policy must give, shared by every suite that proves a key
 * (single-Region, primary and replicas of a multi-Region set).
 */
export const A = 'Allowed';
export const I = 'ImplicitlyDenied';
export const X = 'ExplicitlyDenied';

export const ALL_KMS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
export const PARTNER_ROLE = 'arn:aws:iam::222222222222:role/partner-reader';
export const STRANGER_ROLE = 'arn:aws:iam::222222222222:role/stranger';

export interface Action {
  readonly action: string;
  readonly context?: Record<string, string>;
}
export const actions: Record<string, Action> = {
  'Encrypt': { action: 'kms:Encrypt' },
  'Decrypt': { action: 'kms:Decrypt' },
  'GenerateDataKey': { action: 'kms:GenerateDataKey' },
  'ReEncryptFrom': { action: 'kms:ReEncryptFrom' },
  'CreateGrant for an AWS resource': { action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': 'true' } },
  'CreateGrant for anyone': { action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': 'false' } },
  'PutKeyPolicy': { action: 'kms:PutKeyPolicy' },
  'ScheduleKeyDeletion': { action: 'kms:ScheduleKeyDeletion' },
  'DisableKey': { action: 'kms:DisableKey' },
  'EnableKeyRotation': { action: 'kms:EnableKeyRotation' },
  'RotateKeyOnDemand': { action: 'kms:RotateKeyOnDemand' },
};

/**
 * The expected answer for each principal (whose IAM policy allows kms:*) and action. Columns
 * in the order of `actions`; the invariants of DESIGN.md read straight off it:
 * administrators never use (explicit Deny), users never administer (explicit Deny), the
 * account's IAM administrators administer but never use, other accounts get only what they
 * were granted, and nobody creates a grant that is not for an AWS resource (explicit Deny).
 */
export const expected: Record<string, KeyAccessDecision[]> = {
  //        Enc Dec GDK ReE CGaws CGany Put Sched Dis Rot RotNow
  admin: [X, X, X, X, X, X, A, A, A, A, A],
  user: [A, A, A, A, A, X, X, X, X, X, X],
  later: [A, A, A, A, I, X, X, X, X, X, X],
  iamAdmin: [I, I, I, I, I, X, A, A, A, A, A],
  partner: [I, A, I, I, I, X, X, X, X, X, X],
  stranger: [I, I, I, I, I, X, I, I, I, I, I],
  root: [I, I, I, I, I, X, A, A, A, A, A],
};


/** The principal kinds of the matrix. */
export type PrincipalKind = keyof typeof expected;

/** Every (principal, action, expected decision) case, for `test.each`. */
/** (principal name, action name, principal kind, action, expected decision) */
export type MatrixCase = [string, string, string, Action, KeyAccessDecision];

export function matrixCases(names: Record<string, string>): MatrixCase[] {
  return Object.entries(expected).flatMap(([who, decisions]) =>
    Object.entries(actions).map(([actionName, action], i): MatrixCase => [names[who], actionName, who, action, decisions[i]]));
}

/** Evaluates one case: the principal's IAM policy allows kms:* (the root user has no IAM policy). */
export async function decide(
  key: { keyPolicy: PolicyDocument; keyArn: string }, who: string, principalArn: string, action: Action,
): Promise<KeyAccessDecision> {
  return evaluateKeyAccess({
    keyPolicy: key.keyPolicy,
    keyArn: key.keyArn,
    principalArn,
    action: action.action,
    context: action.context,
    identityPolicies: who === 'root' ? undefined : [ALL_KMS],
  });
}
