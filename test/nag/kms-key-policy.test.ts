import { aws_iam as iam, aws_kms as kms, CfnParameter, Stack } from 'aws-cdk-lib';
import { compliantKey, keyWithStatements } from './fixtures';
import { newStack, pathsFor, rulesAt } from './nag-test-util';
import { SeparatedDutyKey } from '../../src';
import { KmsGuardrailsChecks } from '../../src/nag';

const ROOT_JOIN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] };
const ROOT_SUB = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' };
const KEY_POLICY_RULES = ['KMSG-KMS1', 'KMSG-KMS2', 'KMSG-KMS3', 'KMSG-KMS4', 'KMSG-KMS13', 'KMSG-KMS14', 'KMSG-KMS19'];

function role(stack: Stack, id: string): iam.Role {
  return new iam.Role(stack, id, { assumedBy: new iam.AccountRootPrincipal() });
}

/** The key-policy rules reported for a key made of these statements (given a stack to reference roles). */
function policyRules(build: (stack: Stack) => unknown[], env?: { account: string; region: string }): string[] {
  const { app, stack } = newStack({ env });
  keyWithStatements(stack, build(stack));
  return rulesAt(app, 'Stack/Key').filter((r) => KEY_POLICY_RULES.includes(r));
}

const allow = (Principal: unknown, Action: unknown, Condition?: unknown) => ({ Effect: 'Allow', Principal, Action, Resource: '*', Condition });
const arnOf = (r: iam.Role) => ({ 'Fn::GetAtt': [Stack.of(r).getLogicalId(r.node.defaultChild as iam.CfnRole), 'Arn'] });

describe('a key policy shaped like DESIGN.md passes every key-policy rule', () => {
  test('L2 kms.Key with the design policy', () => {
    const { app, stack } = newStack();
    compliantKey(stack);
    expect(rulesAt(app, 'Stack/Key/Resource')).toEqual([]);
  });
});

describe('KMSG-KMS1: one principal administers and uses the key', () => {
  test('the aws-cdk-lib default policy (root kms:*) is one finding, under KMS2: the root is the account, not a named principal', () => {
    const { app, stack } = newStack();
    new kms.Key(stack, 'Key');
    expect(rulesAt(app, 'Stack/Key/Resource').filter((r) => KEY_POLICY_RULES.includes(r))).toEqual(['KMSG-KMS2']);
  });

  test.each([
    ['admin and crypto in one array', (s: Stack) => [allow({ AWS: arnOf(role(s, 'R')) }, ['kms:Decrypt', 'kms:PutKeyPolicy'])]],
    ['split over two statements', (s: Stack) => {
      const r = role(s, 'R');
      return [allow({ AWS: arnOf(r) }, 'kms:ScheduleKeyDeletion'), allow({ AWS: [arnOf(r)] }, 'kms:Encrypt')];
    }],
    ['kms:Re* (ReplicateKey, RotateKeyOnDemand and ReEncrypt*)', (s: Stack) => [allow({ AWS: arnOf(role(s, 'R')) }, 'kms:Re*')]],
    ['Action "*"', (s: Stack) => [allow({ AWS: arnOf(role(s, 'R')) }, '*')]],
    ['NotAction in an Allow statement', (s: Stack) => [{ Effect: 'Allow', Principal: { AWS: arnOf(role(s, 'R')) }, NotAction: ['kms:Decrypt'], Resource: '*' }]],
    ['action names in another case', (s: Stack) => [allow({ AWS: arnOf(role(s, 'R')) }, ['KMS:decrypt', 'kms:putkeypolicy'])]],
    ['an administrator who may create grants', (s: Stack) => [allow({ AWS: arnOf(role(s, 'R')) }, ['kms:PutKeyPolicy', 'kms:CreateGrant'])]],
    ['everyone in the account administers, a role uses', (s: Stack) => [
      allow('*', 'kms:PutKeyPolicy', { StringEquals: { 'kms:CallerAccount': { Ref: 'AWS::AccountId' } } }),
      allow({ AWS: arnOf(role(s, 'R')) }, 'kms:Decrypt'),
    ]],
    ['Principal "*" narrowed by aws:PrincipalArn to the role that also uses', (s: Stack) => {
      const r = role(s, 'R');
      return [allow('*', 'kms:PutKeyPolicy', { ArnEquals: { 'aws:PrincipalArn': arnOf(r) } }), allow({ AWS: arnOf(r) }, 'kms:Decrypt')];
    }],
  ])('%s is reported', (_name, build) => {
    expect(policyRules(build)).toContain('KMSG-KMS1');
  });

  // One statement opens both cells below; it is reported once, by the rule about its principal.
  test('a role administers, everyone in the account uses via S3: the everyone statement is the one finding (KMS3)', () => {
    expect(policyRules((s) => [
      allow({ AWS: arnOf(role(s, 'R')) }, 'kms:DisableKey'),
      allow({ AWS: '*' }, 'kms:Decrypt', { StringEquals: { 'kms:CallerAccount': '111122223333', 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }),
    ])).toEqual(['KMSG-KMS3']);
  });

  test('the account root through Fn::Join (admin) and Fn::Sub (crypto) is the account using the key (KMS2)', () => {
    expect(policyRules(() => [allow({ AWS: ROOT_JOIN }, 'kms:PutKeyPolicy'), allow({ AWS: ROOT_SUB }, 'kms:Decrypt')])).toEqual(['KMSG-KMS2']);
  });

  test('the account root by ARN and by bare account ID is one principal (KMS2)', () => {
    const rules = policyRules(() => [allow({ AWS: ROOT_SUB }, 'kms:PutKeyPolicy'), allow({ AWS: '111122223333' }, 'kms:Decrypt')],
      { account: '111122223333', region: 'us-east-1' });
    expect(rules).toEqual(['KMSG-KMS2']);
  });

  test.each([
    ['admin and user are different roles', (s: Stack) => [allow({ AWS: arnOf(role(s, 'A')) }, 'kms:PutKeyPolicy'), allow({ AWS: arnOf(role(s, 'U')) }, 'kms:Decrypt')]],
    ['Deny statements never grant', (s: Stack) => [
      allow({ AWS: arnOf(role(s, 'A')) }, 'kms:PutKeyPolicy'),
      { Effect: 'Deny', Principal: { AWS: arnOf(role(s, 'B')) }, Action: 'kms:*', Resource: '*' },
    ]],
    ['Principal "*" narrowed by aws:PrincipalArn to another role', (s: Stack) => [
      allow('*', 'kms:PutKeyPolicy', { ArnEquals: { 'aws:PrincipalArn': arnOf(role(s, 'A')) } }),
      allow({ AWS: arnOf(role(s, 'U')) }, 'kms:Decrypt'),
    ]],
    ['read-only actions with crypto (kms:Describe*, kms:List*, kms:Get*)', (s: Stack) => [
      allow({ AWS: arnOf(role(s, 'U')) }, ['kms:Decrypt', 'kms:Describe*', 'kms:List*', 'kms:Get*']),
    ]],
  ])('%s is compliant', (_name, build) => {
    expect(policyRules(build)).not.toContain('KMSG-KMS1');
  });

  test('a key policy given as a JSON string (as templates may hold it) is read', () => {
    const { app, stack } = newStack();
    new kms.CfnKey(stack, 'Key', {}).addPropertyOverride('KeyPolicy',
      JSON.stringify({ Statement: [allow({ AWS: 'arn:aws:iam::111122223333:role/Ops' }, 'kms:*')] }));
    expect(pathsFor(app, 'KMSG-KMS1')).toEqual(['Stack/Key']);
  });

  test('replica keys are checked too', () => {
    const { app, stack } = newStack();
    new kms.CfnReplicaKey(stack, 'Replica', {
      primaryKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab',
      keyPolicy: { Statement: [allow({ AWS: 'arn:aws:iam::111122223333:role/Ops' }, 'kms:*')] },
    });
    expect(pathsFor(app, 'KMSG-KMS1')).toEqual(['Stack/Replica']);
  });
});

describe('KMSG-KMS2: the account root gets cryptographic actions', () => {
  test.each([
    ['Fn::Join ARN', { AWS: ROOT_JOIN }, 'kms:Decrypt'],
    ['Fn::Sub ARN', { AWS: ROOT_SUB }, ['kms:Encrypt']],
    ['literal ARN in a list', { AWS: ['arn:aws:iam::111122223333:role/App', 'arn:aws:iam::111122223333:root'] }, 'kms:Decrypt'],
    ['bare account ID', { AWS: '111122223333' }, 'kms:Decrypt'],
    ['Ref AWS::AccountId', { AWS: { Ref: 'AWS::AccountId' } }, 'kms:GenerateDataKey*'],
    ['kms:CreateGrant alone', { AWS: ROOT_JOIN }, 'kms:CreateGrant'],
    ['kms:*', { AWS: ROOT_SUB }, 'kms:*'],
  ])('%s is reported', (_name, principal, action) => {
    expect(policyRules(() => [allow(principal, action)])).toContain('KMSG-KMS2');
  });

  test('a key without a key policy gets the KMS default (root kms:*)', () => {
    const { app, stack } = newStack();
    new kms.CfnKey(stack, 'Key', { enableKeyRotation: true });
    expect(pathsFor(app, 'KMSG-KMS2')).toEqual(['Stack/Key']);
  });

  test.each([
    ['explicit administrative actions', ['kms:PutKeyPolicy', 'kms:DescribeKey', 'kms:ScheduleKeyDeletion']],
    ['read-only wildcards', ['kms:Describe*', 'kms:Get*', 'kms:List*']],
  ])('the root with %s is compliant', (_name, actions) => {
    expect(policyRules(() => [allow({ AWS: ROOT_JOIN }, actions)])).not.toContain('KMSG-KMS2');
  });

  test('crypto for a principal known only at deployment is reported, not guessed (it may be anyone: KMS3)', () => {
    expect(policyRules((s) => [allow({ AWS: new CfnParameter(s, 'Who').valueAsString }, 'kms:Decrypt')])).toEqual(['KMSG-KMS3']);
  });
});

describe('kms:CreateGrant for AWS resources through a named service is resource creation, not use (KMS1, KMS2)', () => {
  const ADMIN = ['kms:PutKeyPolicy', 'kms:DescribeKey'];
  const VIA = { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] };
  const creation = (conditions: unknown, actions: unknown = ['kms:CreateGrant', 'kms:DescribeKey']) =>
    () => [allow({ AWS: ROOT_JOIN }, ADMIN), allow({ AWS: ROOT_JOIN }, actions, conditions)];

  test('the account may create grants only for AWS resources, only through DynamoDB', () => {
    expect(policyRules(creation({ StringEquals: { 'kms:ViaService': VIA }, Bool: { 'kms:GrantIsForAWSResource': 'true' } }))).toEqual([]);
  });

  test.each([
    ['without kms:GrantIsForAWSResource', { StringEquals: { 'kms:ViaService': VIA } }],
    ['through any service (wildcard)', { StringLike: { 'kms:ViaService': '*.amazonaws.com' }, Bool: { 'kms:GrantIsForAWSResource': 'true' } }],
    ['with the service only if present (IfExists)', { StringEqualsIfExists: { 'kms:ViaService': VIA }, Bool: { 'kms:GrantIsForAWSResource': 'true' } }],
  ])('is reported %s: the account uses the key (KMS2, once)', (_name, conditions) => {
    expect(policyRules(creation(conditions))).toEqual(['KMSG-KMS2']);
  });

  // kms:GrantIsForAWSResource is only in the request of a grant operation: a Decrypt under
  // `Bool kms:GrantIsForAWSResource true` never matches, so the statement gives no use.
  test('a cryptographic action under the grant condition is never allowed: nothing to report', () => {
    const conditions = { StringEquals: { 'kms:ViaService': VIA }, Bool: { 'kms:GrantIsForAWSResource': 'true' } };
    expect(policyRules(creation(conditions, ['kms:CreateGrant', 'kms:Decrypt']))).toEqual([]);
  });

  test('is reported when a cryptographic action comes without the grant condition', () => {
    expect(policyRules(creation({ StringEquals: { 'kms:ViaService': VIA } }, ['kms:CreateGrant', 'kms:Decrypt']))).toEqual(['KMSG-KMS2']);
  });
});

describe('KMSG-KMS3: Principal "*" without an account or organization condition', () => {
  test.each([
    ['Principal "*"', '*', undefined],
    ['{"AWS": "*"}', { AWS: '*' }, undefined],
    ['{"AWS": ["*"]}', { AWS: ['*'] }, undefined],
    ['a kms:ViaService condition only', { AWS: '*' }, { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }],
    ['StringEqualsIfExists aws:PrincipalAccount', '*', { StringEqualsIfExists: { 'aws:PrincipalAccount': '111122223333' } }],
    ['ForAllValues:StringEquals aws:PrincipalOrgID', '*', { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-abc123' } }],
    ['StringLike aws:PrincipalAccount "*"', '*', { StringLike: { 'aws:PrincipalAccount': '*' } }],
    ['StringNotEquals aws:PrincipalAccount', '*', { StringNotEquals: { 'aws:PrincipalAccount': '111122223333' } }],
    ['aws:PrincipalArn with a wildcard account', '*', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/App' } }],
  ])('%s is reported', (_name, principal, condition) => {
    expect(policyRules(() => [allow(principal, 'kms:Decrypt', condition)])).toContain('KMSG-KMS3');
  });

  test('NotPrincipal in an Allow statement addresses everyone else', () => {
    expect(policyRules(() => [{ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/X' }, Action: 'kms:Decrypt', Resource: '*' }]))
      .toContain('KMSG-KMS3');
  });

  // These bind other accounts out, but every principal of the key's account (or of the
  // organization) that matches still decrypts without being named, with no IAM policy at all:
  // DESIGN.md invariant 2. test/policy/invariants.test.ts shows which cells each one opens.
  test.each([
    ['kms:CallerAccount', { StringEquals: { 'kms:CallerAccount': { Ref: 'AWS::AccountId' } } }],
    ['aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }],
    ['ForAnyValue:StringLike aws:PrincipalOrgPaths', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-abc123/r-ab12/*'] } }],
    ['aws:PrincipalArn naming an account', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/App*' } }],
  ])('a %s condition still lets unnamed principals of the account decrypt: reported', (_name, condition) => {
    expect(policyRules(() => [allow({ AWS: '*' }, 'kms:Decrypt', condition)])).toEqual(['KMSG-KMS3']);
  });

  test('an aws:SourceAccount condition lets no IAM principal in (the key is absent from their requests): compliant', () => {
    expect(policyRules(() => [allow({ AWS: '*' }, 'kms:Decrypt', { StringEquals: { 'aws:SourceAccount': '111122223333' } })])).toEqual([]);
  });

  test('a statement chosen at deployment (Fn::If) may be anything: reported', () => {
    expect(policyRules(() => [{ 'Fn::If': ['IsProd', allow('*', 'kms:*'), { Ref: 'AWS::NoValue' }] }])).toEqual(['KMSG-KMS3']);
  });

  test('a Deny for everyone is compliant', () => {
    expect(policyRules(() => [{ Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' }])).not.toContain('KMSG-KMS3');
  });
});

describe('KMSG-KMS4: kms:CreateGrant without kms:GrantIsForAWSResource', () => {
  const principal = { AWS: 'arn:aws:iam::111122223333:role/App' };
  test.each([
    ['kms:CreateGrant', 'kms:CreateGrant', undefined],
    ['BoolIfExists', 'kms:CreateGrant', { BoolIfExists: { 'kms:GrantIsForAWSResource': true } }],
    ['the condition false', 'kms:CreateGrant', { Bool: { 'kms:GrantIsForAWSResource': false } }],
  ])('%s is reported', (_name, action, condition) => {
    expect(policyRules(() => [allow(principal, action, condition)])).toContain('KMSG-KMS4');
  });

  // Where the statement also gives administration, the one finding is KMS1 (its grants included).
  test.each([
    ['kms:*', 'kms:*'],
    ['kms:Create* (CreateAlias and CreateGrant)', ['kms:Create*']],
  ])('%s is one finding, KMS1', (_name, action) => {
    expect(policyRules(() => [allow(principal, action)])).toEqual(['KMSG-KMS1']);
  });

  test('NotAction that leaves kms:CreateGrant is one finding, KMS1', () => {
    expect(policyRules(() => [{ Effect: 'Allow', Principal: principal, NotAction: 'kms:Decrypt', Resource: '*' }])).toEqual(['KMSG-KMS1']);
  });

  test.each([
    ['Bool true', { Bool: { 'kms:GrantIsForAWSResource': true } }],
    ['Bool "true"', { Bool: { 'kms:GrantIsForAWSResource': 'true' } }],
  ])('the condition as %s is compliant', (_name, condition) => {
    expect(policyRules(() => [allow(principal, ['kms:CreateGrant', 'kms:ListGrants'], condition)])).not.toContain('KMSG-KMS4');
  });

  test('a Deny of kms:CreateGrant is compliant', () => {
    expect(policyRules(() => [{ Effect: 'Deny', Principal: principal, Action: 'kms:CreateGrant', Resource: '*' }])).not.toContain('KMSG-KMS4');
  });
});

describe('KMSG-KMS13: a service principal acting for another account', () => {
  const ACCOUNT = { account: '111111111111', region: 'us-east-1' };
  const sns = (Condition?: unknown) => allow({ Service: 'sns.amazonaws.com' }, ['kms:Decrypt', 'kms:GenerateDataKey'], Condition);
  const serviceRules = (build: (s: Stack) => unknown[]) => {
    const { app, stack } = newStack({ env: ACCOUNT });
    keyWithStatements(stack, build(stack));
    return rulesAt(app, 'Stack/Key');
  };

  test.each([
    ['no condition', undefined],
    ['a condition that binds nothing (aws:SecureTransport)', { Bool: { 'aws:SecureTransport': 'true' } }],
    ['aws:SourceAccount with IfExists', { StringEqualsIfExists: { 'aws:SourceAccount': '111111111111' } }],
    ['aws:SourceAccount negated', { StringNotEquals: { 'aws:SourceAccount': '222222222222' } }],
  ])('L1: %s is reported', (_name, condition) => {
    expect(serviceRules(() => [sns(condition)])).toContain('KMSG-KMS13');
  });

  test.each([
    ['aws:SourceAccount of this account', { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }],
    ['aws:SourceArn of a topic of this account', { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111111111111:orders' } }],
  ])('L1: %s is not', (_name, condition) => {
    expect(serviceRules(() => [sns(condition)])).not.toContain('KMSG-KMS13');
  });

  // CloudTrail's documented key-policy statement: the trail ARN in the encryption context, any
  // Region. A trail name holds no `:`, so the `*` cannot reach another account's trail.
  const cloudTrail = (arnPattern: string) => allow({ Service: 'cloudtrail.amazonaws.com' }, 'kms:GenerateDataKey*',
    { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': [arnPattern] } });

  test('L1: CloudTrail bound to the trails of this account in any Region is not reported', () => {
    expect(serviceRules(() => [cloudTrail('arn:aws:cloudtrail:*:111111111111:trail/*')])).not.toContain('KMSG-KMS13');
  });

  test.each([
    ['any account', 'arn:aws:cloudtrail:*:*:trail/*'],
    ['an account prefix', 'arn:aws:cloudtrail:*:1111*:trail/*'],
    ['any resource of any service', 'arn:aws:*'],
  ])('L1: CloudTrail bound by a pattern that spans %s is reported', (_name, pattern) => {
    expect(serviceRules(() => [cloudTrail(pattern)])).toContain('KMSG-KMS13');
  });

  test('L1: SNS bound to the topics of this account in any Region (aws:SourceArn) is not reported', () => {
    expect(serviceRules(() => [sns({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:111111111111:*' } })])).not.toContain('KMSG-KMS13');
  });

  test('L2: kms.Key.grantDecrypt to a service principal without a condition is reported', () => {
    const { app, stack } = newStack({ env: ACCOUNT });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    key.grantDecrypt(new iam.ServicePrincipal('sns.amazonaws.com'));
    expect(rulesAt(app, 'Stack/Key/Resource')).toContain('KMSG-KMS13');
  });
});

describe('KMSG-KMS14: a user who can administer through IAM', () => {
  const ACCOUNT = { account: '111111111111', region: 'us-east-1' };
  const rootAdministers = allow({ AWS: 'arn:aws:iam::111111111111:root' }, ['kms:PutKeyPolicy', 'kms:DisableKey', 'kms:DescribeKey']);

  test('L1: the root administers and the user has no Deny of administration', () => {
    const { app, stack } = newStack({ env: ACCOUNT });
    keyWithStatements(stack, [rootAdministers, allow({ AWS: arnOf(role(stack, 'App')) }, 'kms:Decrypt')]);
    expect(rulesAt(app, 'Stack/Key')).toContain('KMSG-KMS14');
  });

  test('L1: with a Deny of administration naming the user it is not reported', () => {
    const { app, stack } = newStack({ env: ACCOUNT });
    const user = role(stack, 'App');
    keyWithStatements(stack, [
      rootAdministers,
      allow({ AWS: arnOf(user) }, 'kms:Decrypt'),
      {
        Effect: 'Deny',
        Principal: { AWS: arnOf(user) },
        Action: ['kms:PutKeyPolicy', 'kms:DisableKey', 'kms:Create*', 'kms:Delete*', 'kms:Update*', 'kms:Enable*',
          'kms:Disable*', 'kms:Tag*', 'kms:Untag*', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand', 'kms:ReplicateKey',
          'kms:ImportKeyMaterial', 'kms:DeleteImportedKeyMaterial', 'kms:GetParametersForImport'],
        Resource: '*',
      },
    ]);
    expect(rulesAt(app, 'Stack/Key')).not.toContain('KMSG-KMS14');
  });

  test('L2: SeparatedDutyKey users are never reported', () => {
    const { app, stack } = newStack({ env: ACCOUNT });
    new SeparatedDutyKey(stack, 'Key', { alias: 'k', users: [role(stack, 'App')] });
    expect(rulesAt(app, 'Stack/Key/Resource')).toEqual([]);
  });
});

describe('KMSG-KMS19: a principal of another account administers the key', () => {
  const env = { account: '111111111111', region: 'us-east-1' };
  const partner = 'arn:aws:iam::222222222222:role/partner-ops';

  test.each([
    ['a role of another account with PutKeyPolicy', [allow({ AWS: partner }, ['kms:PutKeyPolicy'])]],
    ['a role of another account with kms:Revoke* (RevokeGrant works across accounts)', [allow({ AWS: partner }, 'kms:Revoke*')]],
    ['the root of another account with DisableKey', [allow({ AWS: 'arn:aws:iam::222222222222:root' }, 'kms:DisableKey')]],
    ['NotAction that leaves administration to another account', [allow({ AWS: partner }, undefined), { Effect: 'Allow', Principal: { AWS: partner }, NotAction: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*' }].slice(1)],
  ])('L1: %s is reported', (_name, statements) => {
    expect(policyRules(() => [allow({ AWS: ROOT_SUB }, ['kms:PutKeyPolicy', 'kms:DescribeKey']), ...statements], env)).toEqual(['KMSG-KMS19']);
  });

  test('L1: a named role of another account that only decrypts is a cross-account user, not reported', () => {
    expect(policyRules(() => [allow({ AWS: ROOT_SUB }, ['kms:PutKeyPolicy', 'kms:DescribeKey']), allow({ AWS: partner }, ['kms:Decrypt', 'kms:DescribeKey'])], env)).toEqual([]);
  });

  test('L2: kms.Key with grantAdmin to a role of another account is reported', () => {
    const { app, stack } = newStack({ env });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true, alias: 'alias/k' });
    key.grantAdmin(iam.Role.fromRoleArn(stack, 'Partner', partner));
    expect(pathsFor(app, 'KMSG-KMS19')).toEqual(['Stack/Key/Resource']);
  });

  test('the root kms:* of another account is one finding (its use), not two', () => {
    expect(policyRules(() => [allow({ AWS: ROOT_SUB }, ['kms:PutKeyPolicy', 'kms:DescribeKey']), allow({ AWS: 'arn:aws:iam::222222222222:root' }, 'kms:*')], env))
      .toEqual(['KMSG-KMS2']);
  });
});

describe('a principal passed as a parameter', () => {
  test('is reported as a principal the policy cannot name at synth (KMS3, "may"), never as an account root', () => {
    const { app, stack } = newStack({ env: { account: '111111111111', region: 'us-east-1' } });
    const roleArn = new CfnParameter(stack, 'RoleArn').valueAsString;
    keyWithStatements(stack, [allow({ AWS: ROOT_SUB }, ['kms:PutKeyPolicy', 'kms:DescribeKey']), allow({ AWS: roleArn }, ['kms:Decrypt'])]);
    app.synth();
    const violations = new KmsGuardrailsChecks().validateScope(app).violations.filter((v) => KEY_POLICY_RULES.includes(v.ruleName));
    expect(violations.map((v) => v.ruleName)).toEqual(['KMSG-KMS3']);
    expect(violations[0].description).toMatch(/may, depending on IAM policies or values known only at deployment, use the key \(kms:Decrypt\): Statement\[1\] may allow it/);
    expect(violations[0].description).not.toMatch(/root/);
  });
});
