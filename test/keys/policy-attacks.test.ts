import { App, Aws, CfnParameter, Environment, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SeparatedDutyKey } from '../../src';
import { evaluateKeyAccess, resolveKey } from '../helpers/iam-eval';

/**
 * Issue 9, "Why": statements and principals nobody on the team wrote, offered to the builder of a
 * SeparatedDutyKey with named administrators and users. Each case is written from the issue's
 * description of what the key must (not) allow; the builder must reject every change that would
 * open a forbidden cell, with a message naming the construct path, the prop or method called, and
 * the reason in plain words.
 */

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
const ENV_BOUND: Environment = { account: ACCOUNT, region: 'us-east-1' };

/** The construct path of the key, as every rejection must name it. */
const PATH = /Stack\/Key/;

/** One regex that holds when every part matches somewhere in the message (case-insensitive). */
function allOf(...parts: RegExp[]): RegExp {
  return new RegExp(parts.map((p) => `(?=[\\s\\S]*?(?:${p.source}))`).join(''), 'i');
}

/** Asserts that `change` throws an error naming the key's path, the method or prop, and the reason. */
function expectRejected(change: () => unknown, method: RegExp, ...reason: RegExp[]): void {
  expect(change).toThrow(allOf(PATH, method, ...reason));
}

// Method and prop names as a user calls them.
const ADD_TO_RESOURCE_POLICY = /addToResourcePolicy/;
const USERS_PROP = /\busers\b/;
const GRANT = /\bgrant\(\)|`grant`/;
const GRANT_DECRYPT = /grantDecrypt/;
const GRANT_VIA_SERVICE = /grantViaService/;

// Reasons, loose: a plain-words message passes, an unrelated error does not.
const OTHER_ACCOUNTS = /account|organi[sz]ation/;
const EVERY_PRINCIPAL_OF_THE_ACCOUNT = /(every|any|all)\b[^.]{0,60}\b(principals?|roles?|users?|identit(y|ies))\b|account root|IAM polic/;
const NOT_LITERAL = /token|literal|unresolved|resolved|deploy/;
const NOT_BOUND_TO_SOURCE = /source|confused deputy|(other|another|any|every)\b[^.]{0,40}\baccounts?\b/;
const ACCOUNT_ROOT = /account('s)? root|root (user|of)/;
const CANNOT_RESOLVE = /resolv|not known|unknown|only known|deploy/;
const HOW_TO_NAME = /(name|use|pass|give|spell)\b[^.]{0,80}\b(literal|role|construct|ARN)/;
const ADMINISTER = /administ/;
const USE = /\bus(e|es|er|ing)\b/;
const NO_ACTION = /(no|empty|without|at least one|none)\b[^.]{0,40}\bactions?\b|\bactions?\b[^.]{0,40}\b(empty|none|missing)\b/;
const PRINCIPAL = /principal/;

/** A fresh app and stack, with named administrator and user roles. */
function setup(env?: Environment) {
  const app = new App();
  const stack = new Stack(app, 'Stack', env ? { env } : undefined);
  const role = (id: string) => new iam.Role(stack, id, { assumedBy: new iam.AccountRootPrincipal() });
  return { app, stack, admin: role('Admin'), user: role('User'), other: role('Other') };
}

/** A SeparatedDutyKey at 'Stack/Key' with a named administrator and a named user. */
function keyWithRoles(env?: Environment) {
  const roles = setup(env);
  const key = new SeparatedDutyKey(roles.stack, 'Key', { alias: 'key', administrators: [roles.admin], users: [roles.user] });
  return { ...roles, key };
}

/** The stack's own account, spelled as the stack knows it: the pseudo parameter, or the literal when env-bound. */
const ownAccount = (env?: Environment) => (env ? ACCOUNT : Aws.ACCOUNT_ID);

const ENVS: Array<[string, Environment | undefined]> = [['env-agnostic', undefined], ['env-bound', ENV_BOUND]];

const anyoneMay = (actions: string[], conditions: Record<string, unknown>) =>
  new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions, resources: ['*'], conditions });

describe('Principal "*" that other accounts get through', () => {
  test.each(ENVS)('${aws:PrincipalAccount} in aws:PrincipalArn and kms:CallerAccount (%s): every role of every account could decrypt', (_name, env) => {
    const { key } = keyWithRoles(env);
    expectRejected(() => key.addToResourcePolicy(anyoneMay(['kms:Decrypt'], {
      StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:role/*' },
      StringEquals: { 'kms:CallerAccount': '${aws:PrincipalAccount}' },
    })), ADD_TO_RESOURCE_POLICY, OTHER_ACCOUNTS);
  });

  // Each looks like a binding to an account or organization, and none is: another account decrypts.
  test.each([
    ['StringEqualsIfExists aws:SourceAccount (absent on direct calls)', { StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } }],
    ['StringNotEquals aws:PrincipalAccount (every other account)', { StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT } }],
    ['StringLike aws:PrincipalAccount "*"', { StringLike: { 'aws:PrincipalAccount': '*' } }],
    ['Null aws:PrincipalOrgID false (any organization)', { Null: { 'aws:PrincipalOrgID': 'false' } }],
    ['StringLike aws:PrincipalOrgID "o-*" (any organization)', { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }],
    ['ForAllValues:StringLike aws:PrincipalOrgPaths (true when the key is absent)', { 'ForAllValues:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc/*' } }],
    ['ForAnyValue:StringLike aws:PrincipalAccount ["1*", "2*"]', { 'ForAnyValue:StringLike': { 'aws:PrincipalAccount': ['1*', '2*'] } }],
  ])('%s is rejected', (_name, conditions) => {
    const { key } = keyWithRoles(ENV_BOUND);
    expectRejected(() => key.addToResourcePolicy(anyoneMay(['kms:Decrypt'], conditions)), ADD_TO_RESOURCE_POLICY, OTHER_ACCOUNTS);
  });
});

describe('Principal "*" scoped to the own account: every principal of the account, even without an IAM policy', () => {
  test.each(ENVS.flatMap(([name, env]) => [
    [name, 'kms:Decrypt', env],
    [name, 'kms:PutKeyPolicy', env],
  ] as Array<[string, string, Environment | undefined]>))('%s: %s is rejected', (_name, action, env) => {
    const { key } = keyWithRoles(env);
    expectRejected(() => key.addToResourcePolicy(anyoneMay([action], { StringEquals: { 'aws:PrincipalAccount': ownAccount(env) } })),
      ADD_TO_RESOURCE_POLICY, EVERY_PRINCIPAL_OF_THE_ACCOUNT);
  });
});

describe('actions given as tokens (grant() already rejects them; addToResourcePolicy must agree)', () => {
  test.each([
    ['a Lazy string', (_stack: Stack) => Lazy.string({ produce: () => 'kms:*' })],
    ['a CfnParameter', (stack: Stack) => new CfnParameter(stack, 'Action', { type: 'String', default: 'kms:*' }).valueAsString],
  ])('an action from %s for the account root is rejected', (_name, action) => {
    const { key, stack } = keyWithRoles();
    expectRejected(() => key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AccountRootPrincipal()],
      actions: [action(stack)],
      resources: ['*'],
    })), ADD_TO_RESOURCE_POLICY, NOT_LITERAL);
  });
});

describe('service principals need a condition that binds them to this account or a resource of it', () => {
  const sns = (conditions: Record<string, unknown>) =>
    new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('sns.amazonaws.com')], actions: ['kms:Decrypt'], resources: ['*'], conditions });

  test.each(ENVS)('SNS with only Bool aws:SecureTransport true is rejected (%s): confused deputy', (_name, env) => {
    const { key } = keyWithRoles(env);
    expectRejected(() => key.addToResourcePolicy(sns({ Bool: { 'aws:SecureTransport': 'true' } })), ADD_TO_RESOURCE_POLICY, NOT_BOUND_TO_SOURCE);
  });

  test.each(ENVS)('SNS with StringEquals aws:SourceAccount <own account> is accepted (%s)', (_name, env) => {
    const { key } = keyWithRoles(env);
    expect(() => key.addToResourcePolicy(sns({ StringEquals: { 'aws:SourceAccount': ownAccount(env) } }))).not.toThrow();
  });
});

describe('a user named by a role session', () => {
  // Acceptable: rejected at construction, or accepted with a guard rail that keeps every session
  // of the role (not only the named one) from administering the key. Decided by the IAM engine on
  // the synthesized policy, with the role's IAM policy allowing kms:* (the account root
  // administers, so only an explicit Deny stops IAM from handing out administration).
  test('is rejected, or every session of its role is denied administration', async () => {
    const { stack, admin } = setup(ENV_BOUND);
    const session = new iam.ArnPrincipal(`arn:aws:sts::${ACCOUNT}:assumed-role/app/worker`);
    let key: SeparatedDutyKey;
    try {
      key = new SeparatedDutyKey(stack, 'Key', { alias: 'key', administrators: [admin], users: [session] });
    } catch (error) {
      expect((error as Error).message).toMatch(allOf(PATH, USERS_PROP, /session|assumed-role|role/));
      return;
    }
    const template = Template.fromStack(stack).toJSON();
    const resolved = resolveKey(template, stack.getLogicalId(key.cfnKey));
    const kmsStar = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
    for (const name of ['worker', 'another-session']) {
      const decision = await evaluateKeyAccess({
        keyPolicy: resolved.keyPolicy,
        keyArn: resolved.keyArn,
        principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/${name}`,
        action: 'kms:PutKeyPolicy',
        identityPolicies: [kmsStar],
      });
      expect({ session: name, decision }).toEqual({ session: name, decision: 'ExplicitlyDenied' });
    }
  });
});

describe('the account root in every spelling is refused as a user', () => {
  const spellings: Array<[string, (stack: Stack) => iam.IPrincipal, RegExp[]]> = [
    ['ArnPrincipal(Aws.ACCOUNT_ID)', () => new iam.ArnPrincipal(Aws.ACCOUNT_ID), [ACCOUNT_ROOT]],
    ['Fn.join(":", ["arn", partition, "iam", "", account, "root"])',
      () => new iam.ArnPrincipal(Fn.join(':', ['arn', Aws.PARTITION, 'iam', '', Aws.ACCOUNT_ID, 'root'])), [ACCOUNT_ROOT]],
    ['Fn.sub("arn:${AWS::Partition}:iam::${P}:root", { P: <another account> })',
      () => new iam.ArnPrincipal(Fn.sub('arn:${AWS::Partition}:iam::${P}:root', { P: OTHER_ACCOUNT })), [ACCOUNT_ROOT]],
    ['a CfnParameter holding an ARN (cannot be resolved)',
      (stack) => new iam.ArnPrincipal(new CfnParameter(stack, 'PrincipalArn', { type: 'String' }).valueAsString), [CANNOT_RESOLVE, HOW_TO_NAME]],
  ];

  test.each(spellings)('%s in `users`', (_name, principal, reason) => {
    const { stack, admin } = setup();
    expectRejected(() => new SeparatedDutyKey(stack, 'Key', { alias: 'key', administrators: [admin], users: [principal(stack)] }), USERS_PROP, ...reason);
  });

  test.each(spellings)('%s through grantDecrypt()', (_name, principal, reason) => {
    const { key, stack } = keyWithRoles();
    expectRejected(() => key.grantDecrypt(principal(stack)), GRANT_DECRYPT, ...reason);
  });
});

describe('the same role as administrator and user, spelled twice, is an error at construction', () => {
  test('the role construct as administrator, ArnPrincipal(role.roleArn) as user', () => {
    const { stack, admin } = setup();
    expectRejected(() => new SeparatedDutyKey(stack, 'Key', { alias: 'key', administrators: [admin], users: [new iam.ArnPrincipal(admin.roleArn)] }),
      /\b(users|administrators)\b/, ADMINISTER, USE);
  });

  test('a role construct with a literal name as administrator, its ARN string as user', () => {
    const { stack } = setup(ENV_BOUND);
    const app = new iam.Role(stack, 'App', { roleName: 'app', assumedBy: new iam.AccountRootPrincipal() });
    expectRejected(() => new SeparatedDutyKey(stack, 'Key', {
      alias: 'key', administrators: [app], users: [new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/app`)],
    }), /\b(users|administrators)\b/, ADMINISTER, USE);
  });

  test('Role.fromRoleName as administrator, its ARN string as user', () => {
    const { stack } = setup(ENV_BOUND);
    expectRejected(() => new SeparatedDutyKey(stack, 'Key', {
      alias: 'key',
      administrators: [iam.Role.fromRoleName(stack, 'X', 'app')],
      users: [new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/app`)],
    }), /\b(users|administrators)\b/, ADMINISTER, USE);
  });

  test('a role ARN as administrator, a session of that role as user', () => {
    const { stack } = setup(ENV_BOUND);
    expectRejected(() => new SeparatedDutyKey(stack, 'Key', {
      alias: 'key',
      administrators: [new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/app`)],
      users: [new iam.ArnPrincipal(`arn:aws:sts::${ACCOUNT}:assumed-role/app/s1`)],
      // A session is never a principal of its own: the message names the role to use instead,
      // which is the administrator already.
    }), /`users`/, /session/, /role\/app/);
  });
});

describe('statements that say nothing: no action, no principal', () => {
  test('grant(role) without an action', () => {
    const { key, other } = keyWithRoles();
    expectRejected(() => key.grant(other), GRANT, NO_ACTION);
  });

  test("grantViaService(role, 's3', 'kms:CreateGrant') leaves no usage action", () => {
    const { key, other } = keyWithRoles();
    expectRejected(() => key.grantViaService(other, 's3', 'kms:CreateGrant'), GRANT_VIA_SERVICE, /CreateGrant|(no|empty|without|at least one|none)\b[^.]{0,40}\bactions?\b/);
  });

  test('an Allow statement without a principal', () => {
    const { key } = keyWithRoles();
    expectRejected(() => key.addToResourcePolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] })),
      ADD_TO_RESOURCE_POLICY, PRINCIPAL);
  });

  test('an Allow statement with an empty action list', () => {
    const { key, other } = keyWithRoles();
    expectRejected(() => key.addToResourcePolicy(new iam.PolicyStatement({ principals: [other], actions: [], resources: ['*'] })),
      ADD_TO_RESOURCE_POLICY, NO_ACTION);
  });
});

/**
 * Found by an attack from outside the team: each was accepted, although the engine lets a
 * principal in that the key must not admit (or, for the last one, rejected although nothing opens).
 */
describe('attacks from outside the team', () => {
  test.each(['ec2.*', 's3.*.amazonaws.com', 'secretsmanager.us-east-?.amazonaws.com', '*3.us-east-1.amazonaws.com'])(
    'Principal "*" through any service a kms:ViaService pattern (%s) admits is rejected', (pattern) => {
      const { key } = keyWithRoles(ENV_BOUND);
      expectRejected(() => key.addToResourcePolicy(anyoneMay(['kms:Decrypt'], { StringLike: { 'kms:ViaService': pattern } })),
        ADD_TO_RESOURCE_POLICY, OTHER_ACCOUNTS);
    });

  test('an organization pattern with a wildcard in the middle (o-*1) binds no organization', () => {
    const { key } = keyWithRoles(ENV_BOUND);
    expectRejected(() => key.addToResourcePolicy(anyoneMay(['kms:Decrypt'], {
      StringLike: { 'aws:PrincipalOrgID': 'o-*1' }, StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT },
    })), ADD_TO_RESOURCE_POLICY, OTHER_ACCOUNTS);
  });

  test('a Deny that covers no resource (NotResource "*") takes nothing away from an Allow', () => {
    const { key } = keyWithRoles(ENV_BOUND);
    key.addToResourcePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['kms:*'], notResources: ['*'] }));
    expectRejected(() => key.addToResourcePolicy(anyoneMay(['kms:*'], {})), ADD_TO_RESOURCE_POLICY, OTHER_ACCOUNTS);
  });

  test('a federated user, which any IAM user of the account can become, is rejected', () => {
    const { key } = keyWithRoles(ENV_BOUND);
    expectRejected(() => key.grantDecrypt(new iam.ArnPrincipal(`arn:aws:sts::${ACCOUNT}:federated-user/bob`)), GRANT_DECRYPT, /federated user/, /GetFederationToken/);
  });

  test('a condition value too long to match exactly is judged conservatively, not a crash', () => {
    const { key } = keyWithRoles(ENV_BOUND);
    expectRejected(() => key.addToResourcePolicy(anyoneMay(['kms:Decrypt'], { StringLike: { 'aws:PrincipalArn': 'a*'.repeat(3000) } })),
      ADD_TO_RESOURCE_POLICY, OTHER_ACCOUNTS);
  });

  test('Principal "*" bound by aws:PrincipalAccount to another account is rejected like that account\'s root', () => {
    const { key } = keyWithRoles(ENV_BOUND);
    expectRejected(() => key.addToResourcePolicy(anyoneMay(['kms:Decrypt'], { StringEquals: { 'aws:PrincipalAccount': OTHER_ACCOUNT } })),
      ADD_TO_RESOURCE_POLICY, OTHER_ACCOUNTS);
  });

  test('an uncached Lazy that widens after the call is caught at synth', () => {
    const { app, key } = keyWithRoles(ENV_BOUND);
    let org = 'o-abcdefghij';
    key.addToResourcePolicy(anyoneMay(['kms:DescribeKey'], {}));
    key.addToResourcePolicy(anyoneMay(['kms:Decrypt'], {
      StringLike: { 'aws:PrincipalOrgID': Lazy.uncachedString({ produce: () => org }) },
      StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT },
    }));
    org = 'o-*';
    expect(() => app.synth()).toThrow(allOf(PATH, ADD_TO_RESOURCE_POLICY, OTHER_ACCOUNTS));
  });

  test('Principal "*" bound by ArnEquals aws:PrincipalArn to one role, without account administration, is accepted', () => {
    const { stack } = setup(ENV_BOUND);
    const admin = iam.Role.fromRoleArn(stack, 'Ops', `arn:aws:iam::${ACCOUNT}:role/ops`, { mutable: false });
    const key = new SeparatedDutyKey(stack, 'Key', { alias: 'key', accountAdministration: false, administrators: [admin] });
    expect(() => key.addToResourcePolicy(anyoneMay(['kms:Decrypt'], { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app` } }))).not.toThrow();
  });
});

describe('administrators of another account (DESIGN invariant 4)', () => {
  function keyStack(): Stack {
    return new Stack(new App(), 'Stack', { env: ENV_BOUND });
  }

  test('a role of another account named as an administrator is rejected, naming the construct', () => {
    const stack = keyStack();
    expect(() => new SeparatedDutyKey(stack, 'Key', {
      alias: 'key', administrators: [new iam.ArnPrincipal(`arn:aws:iam::${OTHER_ACCOUNT}:role/ops`)],
    })).toThrow(/Stack\/Key[\s\S]*another account/);
  });

  test('a statement giving another account\'s root kms:RevokeGrant is rejected and leaves the policy as it was', () => {
    const stack = keyStack();
    const key = new SeparatedDutyKey(stack, 'Key', { alias: 'key' });
    const before = JSON.stringify(stack.resolve(key.cfnKey.keyPolicy));
    expect(() => key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal(OTHER_ACCOUNT)], actions: ['kms:RevokeGrant'], resources: ['*'],
    }))).toThrow(/addToResourcePolicy\(\)` would open the key: the root user of account 222222222222 can administer the key \(kms:RevokeGrant\)/);
    expect(JSON.stringify(stack.resolve(key.cfnKey.keyPolicy))).toBe(before);
  });

  test('a role of another account as a user is accepted: cross-account use is allowed when named', () => {
    const stack = keyStack();
    expect(() => new SeparatedDutyKey(stack, 'Key', {
      alias: 'key', users: [new iam.ArnPrincipal(`arn:aws:iam::${OTHER_ACCOUNT}:role/reader`)],
    })).not.toThrow();
  });
});
