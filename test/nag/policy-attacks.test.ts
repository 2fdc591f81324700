import { App, aws_iam as iam, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ADMIN_ACTIONS, CRYPTO_ACTIONS, keyWithStatements } from './fixtures';
import { newStack } from './nag-test-util';
import { KmsGuardrailsChecks } from '../../src/nag';
import { evaluateKeyAccess, KeyAccessDecision, resolveKey } from '../helpers/iam-eval';

/**
 * Issue 9, "Why", pack side: raw key policies nobody on the team wrote, judged by
 * KmsGuardrailsChecks. The pack must decide by what a policy allows, not by which condition keys
 * are present or how a principal is spelled. The last block confirms each fact with the IAM
 * evaluation engine (it documents the cases and passes whatever the pack does).
 */

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
const ENV = { account: ACCOUNT, region: 'us-east-1' };
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const KEY_PATH = 'Stack/Key';

const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/admin`;
const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;
const OWN_ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const OTHER_ROLE = `arn:aws:iam::${OTHER_ACCOUNT}:role/anything`;

/** Every action that uses key material (the administrative list is the fixtures' ADMIN_ACTIONS, from DESIGN.md). */
const EVERY_CRYPTOGRAPHIC_ACTION = [
  'kms:Decrypt', 'kms:DeriveSharedSecret', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateMac',
  'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:Sign', 'kms:Verify', 'kms:VerifyMac',
];

/** Rules about key settings and policy size, not about who may do what: never evidence here. */
const SETTINGS_RULES = new Set(['KMS5', 'KMS6', 'KMS7', 'KMS8', 'KMS9', 'KMS10', 'KMS11', 'KMS12'].map((r) => `KMSG-${r}`));

interface Reported {
  /** The rule ID without a finding suffix, e.g. `KMSG-KMS2` for `KMSG-KMS2[root]`. */
  readonly rule: string;
  /** The reported name, with a finding suffix if the rule gave one. */
  readonly name: string;
  readonly path: string;
  /** The rule's one-line description, or the error a rule threw. */
  readonly message: string;
}

/** Synthesizes the app and reports the pack's findings with their messages. */
function report(app: App): Reported[] {
  app.synth();
  // Not verbose: the description is the rule's info line. Verbose: a thrown rule's own message.
  const plain = new KmsGuardrailsChecks().validateScope(app).violations;
  const verbose = new KmsGuardrailsChecks(undefined, { verbose: true }).validateScope(app).violations;
  return plain.flatMap((v) => {
    const threw = v.description.startsWith('Rule threw an error');
    const message = threw ? verbose.find((w) => w.ruleName === v.ruleName)?.description ?? v.description : v.description;
    return v.violatingResources.map((r) => ({ rule: v.ruleName.replace(/\[.*$/, ''), name: v.ruleName, path: r.constructPath ?? '', message }));
  });
}

/** The findings on a raw CfnKey ('Stack/Key') whose policy is these statements. */
function keyFindings(statements: (stack: Stack) => unknown[], env?: typeof ENV): Reported[] {
  const { app, stack } = newStack(env ? { env } : undefined);
  keyWithStatements(stack, statements(stack));
  return report(app).filter((f) => f.path === KEY_PATH);
}

const rulesOf = (findings: Reported[]) => [...new Set(findings.map((f) => f.rule))].sort();
/** Findings about who may do what with the key (KMS1–KMS4 and any new key-policy rule). */
const policyFindings = (findings: Reported[]) => findings.filter((f) => /^KMSG-KMS\d+$/.test(f.rule) && !SETTINGS_RULES.has(f.rule));

const allow = (Principal: unknown, Action: unknown, Condition?: unknown) =>
  ({ Effect: 'Allow', Principal, Action, Resource: '*', ...(Condition ? { Condition } : {}) });
const deny = (Principal: unknown, Action: unknown) => ({ Effect: 'Deny', Principal, Action, Resource: '*' });

// ---------------------------------------------------------------------------------------------
// The conditions of the issue, shared by the pack tests and the engine confirmations.
// ---------------------------------------------------------------------------------------------

/** `${aws:PrincipalAccount}` is whoever asks: these bind nothing. */
const PRINCIPAL_ACCOUNT_VARIABLE = {
  StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:role/*' },
  StringEquals: { 'kms:CallerAccount': '${aws:PrincipalAccount}' },
};

/** Each looks like a binding to an account or organization; with it, a role of another account decrypts (context: what that role's request carries). */
const ALMOST_RIGHT: Array<[string, Record<string, unknown>, Record<string, string | string[]>]> = [
  ['StringEqualsIfExists aws:SourceAccount <own>', { StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } }, {}],
  ['StringNotEquals aws:PrincipalAccount <own>', { StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT } }, {}],
  ['StringLike aws:PrincipalAccount "*"', { StringLike: { 'aws:PrincipalAccount': '*' } }, {}],
  ['Null aws:PrincipalOrgID false', { Null: { 'aws:PrincipalOrgID': 'false' } }, { 'aws:PrincipalOrgID': 'o-stranger' }],
  ['StringLike aws:PrincipalOrgID "o-*"', { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }, { 'aws:PrincipalOrgID': 'o-stranger' }],
  ['ForAllValues:StringLike aws:PrincipalOrgPaths "o-abc/*"', { 'ForAllValues:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc/*' } }, {}],
  ['ForAnyValue:StringLike aws:PrincipalAccount ["1*", "2*"]', { 'ForAnyValue:StringLike': { 'aws:PrincipalAccount': ['1*', '2*'] } }, {}],
];

/** A policy variable in aws:PrincipalArn: the account field is the caller's own. */
const VARIABLE_IN_PRINCIPAL_ARN = { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:role/*' } };
/** The `*` spans the empty Region field, the colon and the account: any account's ci-deployer. */
const WILDCARD_SPANNING_ACCOUNT = { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam:*:role/ci-deployer' } };
/** Every role of the own account, administrators included. */
const EVERY_OWN_ROLE: Array<[string, Record<string, unknown>]> = [
  ['ArnLike', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/*` } }],
  ['StringLike', { StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/*` } }],
];
const SNS_SECURE_TRANSPORT_ONLY = { Bool: { 'aws:SecureTransport': 'true' } };
const OWN_TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:topic`;

// The policies themselves (literal, as they reach KMS).
const policy = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const rootAdministers = allow({ AWS: OWN_ROOT }, ADMIN_ACTIONS);
const adminAdministers = allow({ AWS: ADMIN_ROLE }, ADMIN_ACTIONS);
const appUses = allow({ AWS: APP_ROLE }, [...CRYPTO_ACTIONS, 'kms:DescribeKey']);
const adminKmsStarWithDeny = [allow({ AWS: ADMIN_ROLE }, 'kms:*'), deny({ AWS: ADMIN_ROLE }, [...EVERY_CRYPTOGRAPHIC_ACTION, 'kms:CreateGrant'])];
const sourceArnScoped = (withAccount: boolean) => allow('*', ['kms:Decrypt', 'kms:GenerateDataKey'], {
  ArnLike: { 'aws:SourceArn': OWN_TOPIC },
  ...(withAccount ? { StringEquals: { 'aws:SourceAccount': ACCOUNT } } : {}),
});

describe('Principal "*" that lets other accounts in is flagged (KMSG-KMS3)', () => {
  test('${aws:PrincipalAccount} in aws:PrincipalArn and kms:CallerAccount', () => {
    expect(rulesOf(keyFindings(() => [rootAdministers, allow('*', 'kms:Decrypt', PRINCIPAL_ACCOUNT_VARIABLE)]))).toContain('KMSG-KMS3');
  });

  test.each(ALMOST_RIGHT)('%s', (_name, condition) => {
    expect(rulesOf(keyFindings(() => [rootAdministers, allow('*', 'kms:Decrypt', condition)]))).toContain('KMSG-KMS3');
  });

  test.each([
    ['a policy variable in aws:PrincipalArn (StringLike)', VARIABLE_IN_PRINCIPAL_ARN],
    ['a policy variable in aws:PrincipalArn (ArnLike)', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:role/*' } }],
    ['StringLike aws:PrincipalArn arn:aws:iam:*:role/ci-deployer (the wildcard spans the account)', WILDCARD_SPANNING_ACCOUNT],
  ])('%s', (_name, condition) => {
    expect(rulesOf(keyFindings(() => [rootAdministers, allow('*', 'kms:Decrypt', condition)]))).toContain('KMSG-KMS3');
  });
});

describe('Principal "*" scoped to the own account: every principal of the account uses the key', () => {
  // No administrator is named, so a separation-of-duties finding cannot stand in for this one.
  test.each(['kms:Decrypt', 'kms:PutKeyPolicy'])('%s is flagged', (action) => {
    const findings = keyFindings(() => [allow('*', action, { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } })], ENV);
    expect(rulesOf(policyFindings(findings))).not.toEqual([]);
  });
});

describe('one principal administers and uses the key, whatever the spelling (KMSG-KMS1)', () => {
  test('the same role as Fn::GetAtt (administration) and as a literal ARN (Decrypt)', () => {
    const findings = keyFindings((stack) => {
      const role = new iam.CfnRole(stack, 'App', {
        roleName: 'app',
        assumeRolePolicyDocument: policy(allow({ AWS: OWN_ROOT }, 'sts:AssumeRole')),
      });
      return [allow({ AWS: role.attrArn }, ADMIN_ACTIONS), allow({ AWS: APP_ROLE }, 'kms:Decrypt')];
    }, ENV);
    expect(rulesOf(findings)).toContain('KMSG-KMS1');
  });

  // Two facts, one root cause: every role of the account decrypts, and the named administrator is
  // one of them. The one statement behind both is reported once, under the wider of the two
  // (KMS3: principals the policy does not name), not again under KMS1.
  test.each(EVERY_OWN_ROLE)('a role/* %s aws:PrincipalArn pattern on Principal "*" Decrypt covers a named administrator', (_name, condition) => {
    const findings = keyFindings(() => [adminAdministers, allow('*', 'kms:Decrypt', condition)], ENV);
    const rules = rulesOf(findings);
    expect(rules).toContain('KMSG-KMS3');
    expect(rules).not.toContain('KMSG-KMS1');
  });
});

describe('service principals without a binding source condition are flagged', () => {
  test('sns.amazonaws.com with kms:Decrypt and only Bool aws:SecureTransport true', () => {
    const findings = keyFindings(() => [rootAdministers, allow({ Service: 'sns.amazonaws.com' }, 'kms:Decrypt', SNS_SECURE_TRANSPORT_ONLY)], ENV);
    expect(rulesOf(policyFindings(findings))).not.toEqual([]);
  });
});

describe('a named user who can administer through IAM is reported', () => {
  test('the account root administers and no Deny of administration names the user', () => {
    const findings = keyFindings(() => [rootAdministers, appUses], ENV);
    expect(rulesOf(policyFindings(findings))).not.toEqual([]);
  });
});

describe('no false positives', () => {
  test('kms:* for an administrator with an explicit Deny of every cryptographic action and kms:CreateGrant is no separation-of-duties finding', () => {
    const rules = rulesOf(keyFindings(() => adminKmsStarWithDeny, ENV));
    expect(rules).not.toContain('KMSG-KMS1');
    // CreateGrant is denied outright: nothing to say about grants either.
    expect(rules).not.toContain('KMSG-KMS4');
  });

  test.each([
    ['aws:SourceArn of an own topic', false],
    ['aws:SourceArn of an own topic and aws:SourceAccount', true],
  ])('Principal "*" scoped by %s (only a service acting for that resource sends it) is not a wildcard-principal finding', (_name, withAccount) => {
    expect(rulesOf(keyFindings(() => [rootAdministers, sourceArnScoped(withAccount)], ENV))).not.toContain('KMSG-KMS3');
  });

  // The same statement next to the account root's administration: no IAM principal can use the
  // key through it (see "engine confirms"), so nobody both administers and uses.
  test.each([
    ['aws:SourceArn of an own topic', false],
    ['aws:SourceArn of an own topic and aws:SourceAccount', true],
  ])('Principal "*" scoped by %s beside the account root\'s administration is not a separation-of-duties finding', (_name, withAccount) => {
    expect(rulesOf(keyFindings(() => [rootAdministers, sourceArnScoped(withAccount)], ENV))).not.toContain('KMSG-KMS1');
  });
});

describe('findings say the right thing, once', () => {
  test('a role ARN passed as a CfnParameter is not reported as an account root', () => {
    const findings = keyFindings((stack) => {
      const roleArn = new CfnParameter(stack, 'AppRoleArn', { type: 'String' }).valueAsString;
      return [allow({ AWS: roleArn }, 'kms:Decrypt')];
    });
    for (const f of findings) expect(`${f.name}: ${f.message}`).not.toMatch(/account root/i);
  });

  test("the account root's explicit kms:* is one finding across KMS1, KMS2 and KMS4", () => {
    const findings = keyFindings(() => [allow({ AWS: OWN_ROOT }, 'kms:*')], ENV);
    expect(findings.filter((f) => ['KMSG-KMS1', 'KMSG-KMS2', 'KMSG-KMS4'].includes(f.rule)).map((f) => f.name)).toHaveLength(1);
  });
});

describe('engine confirms', () => {
  /** The principal's own IAM policy, when it has one: everything in KMS. */
  const KMS_STAR = policy({ Effect: 'Allow', Action: 'kms:*', Resource: '*' });

  /** `iam`: the principal's own IAM policy allows kms:* (roles only); `context`: what the request carries. */
  interface Ask { readonly iam?: boolean; readonly context?: Record<string, string | string[]> }

  const ask = (keyPolicy: object, principalArn: string, action: string, opts: Ask = {}): Promise<KeyAccessDecision> =>
    evaluateKeyAccess({
      keyPolicy,
      keyArn: KEY_ARN,
      principalArn,
      action,
      identityPolicies: opts.iam && !principalArn.endsWith(':root') && !principalArn.endsWith('.amazonaws.com') ? [KMS_STAR] : undefined,
      context: opts.context,
    });

  describe('other accounts get through Principal "*"', () => {
    test('${aws:PrincipalAccount} conditions: a role of another account whose IAM policy allows kms:* decrypts', async () => {
      const p = policy(rootAdministers, allow('*', 'kms:Decrypt', PRINCIPAL_ACCOUNT_VARIABLE));
      expect(await ask(p, OTHER_ROLE, 'kms:Decrypt', { iam: true })).toBe('Allowed');
    });

    test.each(ALMOST_RIGHT)('%s: a role of another account whose IAM policy allows kms:* decrypts', async (_name, condition, context) => {
      const p = policy(rootAdministers, allow('*', 'kms:Decrypt', condition));
      expect(await ask(p, OTHER_ROLE, 'kms:Decrypt', { iam: true, context })).toBe('Allowed');
    });

    // StringLike only: the engine does not substitute policy variables inside Arn* operators
    // (AWS does), so an ArnLike form would be judged wrongly by the engine.
    test('a policy variable in aws:PrincipalArn (StringLike): a role of another account decrypts', async () => {
      const p = policy(rootAdministers, allow('*', 'kms:Decrypt', VARIABLE_IN_PRINCIPAL_ARN));
      expect(await ask(p, OTHER_ROLE, 'kms:Decrypt', { iam: true })).toBe('Allowed');
    });

    test("arn:aws:iam:*:role/ci-deployer: another account's ci-deployer decrypts", async () => {
      const p = policy(rootAdministers, allow('*', 'kms:Decrypt', WILDCARD_SPANNING_ACCOUNT));
      expect(await ask(p, `arn:aws:iam::${OTHER_ACCOUNT}:role/ci-deployer`, 'kms:Decrypt', { iam: true })).toBe('Allowed');
    });
  });

  describe('Principal "*" scoped to the own account', () => {
    test.each(['kms:Decrypt', 'kms:PutKeyPolicy'])('any role of the account, with no IAM policy at all, is allowed %s', async (action) => {
      const p = policy(rootAdministers, allow('*', action, { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } }));
      expect(await ask(p, `arn:aws:iam::${ACCOUNT}:role/nobody-in-particular`, action)).toBe('Allowed');
    });
  });

  describe('one principal administers and uses', () => {
    test('the same role as Fn::GetAtt and as a literal ARN is one principal: it administers and decrypts', async () => {
      const { app, stack } = newStack({ env: ENV });
      const role = new iam.CfnRole(stack, 'App', { roleName: 'app', assumeRolePolicyDocument: policy(allow({ AWS: OWN_ROOT }, 'sts:AssumeRole')) });
      const key = keyWithStatements(stack, [allow({ AWS: role.attrArn }, ADMIN_ACTIONS), allow({ AWS: APP_ROLE }, 'kms:Decrypt')]);
      app.synth();
      const resolved = resolveKey(Template.fromStack(stack).toJSON(), stack.getLogicalId(key));
      for (const action of ['kms:PutKeyPolicy', 'kms:Decrypt']) {
        expect(await evaluateKeyAccess({ keyPolicy: resolved.keyPolicy, keyArn: KEY_ARN, principalArn: APP_ROLE, action })).toBe('Allowed');
      }
    });

    test.each(EVERY_OWN_ROLE)('a role/* %s pattern lets the named administrator decrypt (and it still administers)', async (_name, condition) => {
      // No policy variable here, so the engine judges the ArnLike form correctly too.
      const p = policy(adminAdministers, allow('*', 'kms:Decrypt', condition));
      expect(await ask(p, ADMIN_ROLE, 'kms:Decrypt')).toBe('Allowed');
      expect(await ask(p, ADMIN_ROLE, 'kms:PutKeyPolicy')).toBe('Allowed');
    });

    test('the account root administers and the named user has no Deny: with an IAM policy the user administers', async () => {
      const p = policy(rootAdministers, appUses);
      expect(await ask(p, APP_ROLE, 'kms:Decrypt')).toBe('Allowed');
      expect(await ask(p, APP_ROLE, 'kms:PutKeyPolicy', { iam: true })).toBe('Allowed');
    });

    test('a user named by a role session, denied administration by that session only: another session of the role administers', async () => {
      const session = (name: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/app/${name}`;
      const p = policy(rootAdministers, allow({ AWS: session('worker') }, CRYPTO_ACTIONS), deny({ AWS: session('worker') }, ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion']));
      expect(await ask(p, session('worker'), 'kms:PutKeyPolicy', { iam: true })).toBe('ExplicitlyDenied');
      expect(await ask(p, session('another'), 'kms:PutKeyPolicy', { iam: true })).toBe('Allowed');
      // A Deny naming the role covers every session.
      const byRole = policy(rootAdministers, allow({ AWS: session('worker') }, CRYPTO_ACTIONS), deny({ AWS: APP_ROLE }, ['kms:PutKeyPolicy']));
      expect(await ask(byRole, session('another'), 'kms:PutKeyPolicy', { iam: true })).toBe('ExplicitlyDenied');
    });

    test('the same role as administrator and user in two spellings fails closed: it cannot decrypt', async () => {
      const p = policy(allow({ AWS: APP_ROLE }, ADMIN_ACTIONS), deny({ AWS: APP_ROLE }, [...EVERY_CRYPTOGRAPHIC_ACTION, 'kms:CreateGrant']),
        allow({ AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/app/s1` }, CRYPTO_ACTIONS));
      expect(await ask(p, `arn:aws:sts::${ACCOUNT}:assumed-role/app/s1`, 'kms:Decrypt', { iam: true })).toBe('ExplicitlyDenied');
    });
  });

  describe('the account root', () => {
    test("another account's root as a user: that account's IAM decides who decrypts", async () => {
      const p = policy(rootAdministers, allow({ AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, 'kms:Decrypt'));
      expect(await ask(p, OTHER_ROLE, 'kms:Decrypt', { iam: true })).toBe('Allowed');
    });

    test("the root's kms:* lets any IAM-authorized role use the key, create grants and administer it", async () => {
      const p = policy(allow({ AWS: OWN_ROOT }, 'kms:*'));
      const role = `arn:aws:iam::${ACCOUNT}:role/any`;
      for (const action of ['kms:Decrypt', 'kms:CreateGrant', 'kms:PutKeyPolicy']) {
        expect(await ask(p, role, action, { iam: true })).toBe('Allowed');
      }
    });

    test('a role ARN passed as a parameter names that role only, not the account: another role with kms:* is not let in', async () => {
      const p = policy(allow({ AWS: APP_ROLE }, 'kms:Decrypt')); // the parameter's value at deployment
      expect(await ask(p, APP_ROLE, 'kms:Decrypt')).toBe('Allowed');
      expect(await ask(p, `arn:aws:iam::${ACCOUNT}:role/other`, 'kms:Decrypt', { iam: true })).toBe('ImplicitlyDenied');
    });
  });

  describe('service principals', () => {
    test('SNS acting for another account\'s topic decrypts when the only condition is aws:SecureTransport (confused deputy)', async () => {
      const p = policy(rootAdministers, allow({ Service: 'sns.amazonaws.com' }, 'kms:Decrypt', SNS_SECURE_TRANSPORT_ONLY));
      const context = { 'aws:SourceArn': `arn:aws:sns:us-east-1:${OTHER_ACCOUNT}:topic`, 'aws:SourceAccount': OTHER_ACCOUNT };
      expect(await ask(p, 'sns.amazonaws.com', 'kms:Decrypt', { context })).toBe('Allowed');
    });

    test('with StringEquals aws:SourceAccount <own>, SNS for another account\'s topic is refused', async () => {
      const p = policy(rootAdministers, allow({ Service: 'sns.amazonaws.com' }, 'kms:Decrypt', { StringEquals: { 'aws:SourceAccount': ACCOUNT } }));
      const context = { 'aws:SourceArn': `arn:aws:sns:us-east-1:${OTHER_ACCOUNT}:topic`, 'aws:SourceAccount': OTHER_ACCOUNT };
      expect(await ask(p, 'sns.amazonaws.com', 'kms:Decrypt', { context })).toBe('ImplicitlyDenied');
    });
  });

  describe('what the pack must not flag', () => {
    test('kms:* with a Deny of every cryptographic action and CreateGrant: the administrator administers and never uses', async () => {
      const p = policy(...adminKmsStarWithDeny);
      expect(await ask(p, ADMIN_ROLE, 'kms:PutKeyPolicy', { iam: true })).toBe('Allowed');
      for (const action of [...EVERY_CRYPTOGRAPHIC_ACTION, 'kms:CreateGrant']) {
        expect(await ask(p, ADMIN_ROLE, action, { iam: true })).toBe('ExplicitlyDenied');
      }
      // and nobody else is let in
      expect(await ask(p, `arn:aws:iam::${ACCOUNT}:role/other`, 'kms:Decrypt', { iam: true })).toBe('ImplicitlyDenied');
    });

    test.each([false, true])('Principal "*" scoped by the own topic\'s aws:SourceArn (with aws:SourceAccount: %s): only SNS for that topic gets in', async (withAccount) => {
      const p = policy(rootAdministers, sourceArnScoped(withAccount));
      expect(await ask(p, OTHER_ROLE, 'kms:Decrypt', { iam: true })).toBe('ImplicitlyDenied');
      expect(await ask(p, `arn:aws:iam::${ACCOUNT}:role/other`, 'kms:Decrypt', { iam: true })).toBe('ImplicitlyDenied');
      expect(await ask(p, 'sns.amazonaws.com', 'kms:Decrypt', { context: { 'aws:SourceArn': OWN_TOPIC, 'aws:SourceAccount': ACCOUNT } })).toBe('Allowed');
      const otherTopic = `arn:aws:sns:us-east-1:${OTHER_ACCOUNT}:topic`;
      expect(await ask(p, 'sns.amazonaws.com', 'kms:Decrypt', { context: { 'aws:SourceArn': otherTopic, 'aws:SourceAccount': OTHER_ACCOUNT } })).toBe('ImplicitlyDenied');
    });
  });
});
