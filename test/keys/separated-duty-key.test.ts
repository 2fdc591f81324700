import { App, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { KeyMaterialOrigin, SeparatedDutyKey, SeparatedDutyKeyProps } from '../../src';

function setup() {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
  const role = (id: string) => new iam.Role(stack, id, { assumedBy: new iam.AccountRootPrincipal() });
  return { app, stack, admin: role('Admin'), user: role('User'), other: role('Other') };
}

function keyPolicy(stack: Stack): any {
  const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
  return Object.values(keys)[0].Properties.KeyPolicy;
}

function statement(stack: Stack, sid: string): any {
  return keyPolicy(stack).Statement.find((s: any) => s.Sid === sid);
}

const arnOf = (logicalIdPrefix: string) => Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp(`^${logicalIdPrefix}`), 'Arn'] });

describe('defaults', () => {
  test('a symmetric encryption key with rotation every 365 days, a 30-day window, retained, with its alias', () => {
    const { stack } = setup();
    new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        EnableKeyRotation: true,
        RotationPeriodInDays: 365,
        PendingWindowInDays: 30,
        Enabled: true,
        MultiRegion: false,
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/orders',
      TargetKeyId: arnOf('Orders'),
    });
  });

  test('the account root gets the explicit administrative list only: no wildcard, no cryptographic action, no CreateGrant', () => {
    const { stack } = setup();
    new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    const root = statement(stack, 'AccountAdministration');
    expect(root.Effect).toBe('Allow');
    expect(JSON.stringify(root.Principal)).toContain(':root');
    expect(root.Action).toEqual(expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DescribeKey']));
    expect(root.Action.filter((a: string) => a.includes('*'))).toEqual([]);
    for (const forbidden of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:CreateGrant', 'kms:ReEncryptFrom']) {
      expect(root.Action).not.toContain(forbidden);
    }
    expect(keyPolicy(stack).Statement.map((st: any) => st.Sid)).toEqual(['AccountAdministration', 'DenyGrantsOutsideAwsResources']);
  });

  test('asymmetric and HMAC keys get no rotation by default', () => {
    const { stack } = setup();
    new SeparatedDutyKey(stack, 'Mac', { alias: 'mac', keySpec: kms.KeySpec.HMAC_256 });
    new SeparatedDutyKey(stack, 'Sign', { alias: 'sign', keySpec: kms.KeySpec.ECC_NIST_P256, keyUsage: kms.KeyUsage.SIGN_VERIFY });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', EnableKeyRotation: false, RotationPeriodInDays: Match.absent() });
    template.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', EnableKeyRotation: false });
  });

  test('the key is a kms.IKey that CDK resources accept', () => {
    const { stack } = setup();
    const key = new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    new sqs.Queue(stack, 'Queue', { encryptionMasterKey: key });
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: arnOf('Orders') });
    expect(SeparatedDutyKey.isSeparatedDutyKey(key)).toBe(true);
    expect(SeparatedDutyKey.isSeparatedDutyKey(new kms.Key(stack, 'Plain'))).toBe(false);
  });
});

describe('overrides', () => {
  test('rotation period, deletion window, removal policy, description, enabled', () => {
    const { stack } = setup();
    new SeparatedDutyKey(stack, 'Orders', {
      alias: 'alias/orders',
      rotationPeriod: Duration.days(90),
      pendingWindow: Duration.days(7),
      removalPolicy: RemovalPolicy.DESTROY,
      description: 'Orders data',
      enabled: false,
    });
    Template.fromStack(stack).hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ RotationPeriodInDays: 90, PendingWindowInDays: 7, Description: 'Orders data', Enabled: false }),
      DeletionPolicy: 'Delete',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/orders' });
  });

  test('rotation can be turned off explicitly', () => {
    const { stack } = setup();
    new SeparatedDutyKey(stack, 'Orders', { alias: 'orders', enableKeyRotation: false });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: false, RotationPeriodInDays: Match.absent() });
  });

  test('without account administration, only the named administrators manage the key', () => {
    const { stack, admin } = setup();
    new SeparatedDutyKey(stack, 'Orders', { alias: 'orders', accountAdministration: false, administrators: [admin] });
    expect(statement(stack, 'AccountAdministration')).toBeUndefined();
    expect(statement(stack, 'KeyAdministration').Principal.AWS).toEqual(expect.objectContaining({ 'Fn::GetAtt': [expect.stringMatching(/^Admin/), 'Arn'] }));
  });

  test('multi-Region keys give administrators ReplicateKey and UpdatePrimaryRegion; imported material the import actions', () => {
    const { stack, admin } = setup();
    new SeparatedDutyKey(stack, 'Orders', { alias: 'orders', multiRegion: true, administrators: [admin] });
    expect(statement(stack, 'KeyAdministration').Action).toEqual(expect.arrayContaining(['kms:ReplicateKey', 'kms:UpdatePrimaryRegion']));
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', { MultiRegion: true });

    const other = setup();
    new SeparatedDutyKey(other.stack, 'Imported', { alias: 'imported', origin: KeyMaterialOrigin.EXTERNAL, administrators: [other.admin] });
    expect(statement(other.stack, 'KeyAdministration').Action).toEqual(expect.arrayContaining(['kms:ImportKeyMaterial', 'kms:DeleteImportedKeyMaterial', 'kms:GetParametersForImport']));
    expect(statement(other.stack, 'KeyAdministration').Action).not.toContain('kms:ReplicateKey');
    Template.fromStack(other.stack).hasResourceProperties('AWS::KMS::Key', { Origin: 'EXTERNAL', EnableKeyRotation: false });
  });

  test('addAlias adds another alias', () => {
    const { stack } = setup();
    const key = new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    key.addAlias('orders-legacy');
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Alias', 2);
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/orders-legacy' });
  });
});

describe('roles in the key policy', () => {
  test('nobody creates a grant that is not for an AWS resource, unless an AWS service asks (CT.KMS.PR.3)', () => {
    const { stack } = setup();
    new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    expect(statement(stack, 'DenyGrantsOutsideAwsResources')).toEqual({
      Sid: 'DenyGrantsOutsideAwsResources',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
  });

  test('administrators get explicit admin actions and an explicit Deny of every cryptographic action', () => {
    const { stack, admin } = setup();
    new SeparatedDutyKey(stack, 'Orders', { alias: 'orders', administrators: [admin] });
    const admins = statement(stack, 'KeyAdministration');
    expect(admins.Action).not.toContain('kms:CreateGrant');
    expect(admins.Action.some((a: string) => a.includes('*'))).toBe(false);
    const deny = statement(stack, 'DenyCryptographyToAdministrators');
    expect(deny.Effect).toBe('Deny');
    expect(deny.Principal.AWS['Fn::GetAtt'][0]).toMatch(/^Admin/);
    expect(deny.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:Sign', 'kms:GenerateMac', 'kms:CreateGrant']));
  });

  test('users get the usage actions, grants only for AWS resources, and an explicit Deny of mutating admin actions', () => {
    const { stack, user } = setup();
    new SeparatedDutyKey(stack, 'Orders', { alias: 'orders', users: [user] });
    const usage = statement(stack, 'KeyUsage');
    expect(usage.Action).toEqual(expect.arrayContaining(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey']));
    expect(usage.Action).not.toContain('kms:CreateGrant');
    expect(usage.Condition).toBeUndefined();
    const grants = statement(stack, 'GrantsForAwsResources');
    expect(grants.Action).toEqual(['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant']);
    expect(grants.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
    const deny = statement(stack, 'DenyAdministrationToUsers');
    expect(deny.Action).toEqual(expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:CreateAlias']));
    expect(deny.Action).not.toContain('kms:RevokeGrant');
  });

  test('signing and MAC keys give users the actions of their usage only', () => {
    const { stack, user } = setup();
    new SeparatedDutyKey(stack, 'Sign', { alias: 'sign', keySpec: kms.KeySpec.RSA_3072, keyUsage: kms.KeyUsage.SIGN_VERIFY, users: [user] });
    expect(statement(stack, 'KeyUsage').Action).toEqual(['kms:DescribeKey', 'kms:Sign', 'kms:Verify', 'kms:GetPublicKey']);
    const mac = setup();
    new SeparatedDutyKey(mac.stack, 'Mac', { alias: 'mac', keySpec: kms.KeySpec.HMAC_512, users: [mac.user] });
    expect(statement(mac.stack, 'KeyUsage').Action).toEqual(['kms:DescribeKey', 'kms:GenerateMac', 'kms:VerifyMac']);
  });

  test('principals with the same needs share one statement; one principal granted twice gets one statement', () => {
    const { stack, user, other } = setup();
    const key = new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    key.grantDecrypt(user);
    key.grantDecrypt(other);
    key.grantEncrypt(other);
    key.grantEncrypt(user);
    const usage = keyPolicy(stack).Statement.filter((s: any) => s.Sid.startsWith('KeyUsage'));
    expect(usage).toHaveLength(1);
    expect(usage[0].Principal.AWS).toHaveLength(2);
  });
});

describe('grants land in the key policy, never in IAM', () => {
  test.each([
    ['grantDecrypt', (k: SeparatedDutyKey, g: iam.IGrantable) => k.grantDecrypt(g), ['kms:Decrypt']],
    ['grantEncrypt', (k: SeparatedDutyKey, g: iam.IGrantable) => k.grantEncrypt(g), ['kms:Encrypt', 'kms:GenerateDataKey']],
    ['grantEncryptDecrypt', (k: SeparatedDutyKey, g: iam.IGrantable) => k.grantEncryptDecrypt(g), ['kms:Encrypt', 'kms:Decrypt']],
    ['grant', (k: SeparatedDutyKey, g: iam.IGrantable) => k.grant(g, 'kms:Decrypt', 'kms:GenerateDataKey*'), ['kms:Decrypt', 'kms:GenerateDataKeyWithoutPlaintext']],
    ['grants.decrypt', (k: SeparatedDutyKey, g: iam.IGrantable) => k.grants.decrypt(g), ['kms:Decrypt']],
    ['grants.encryptDecrypt', (k: SeparatedDutyKey, g: iam.IGrantable) => k.grants.encryptDecrypt(g), ['kms:Encrypt', 'kms:Decrypt']],
  ])('%s', (_name, grantFn, expected) => {
    const { stack, user } = setup();
    const key = new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    const grant = grantFn(key, user);
    expect(grant.success).toBe(true);
    const usage = statement(stack, 'KeyUsage');
    expect(usage.Principal.AWS['Fn::GetAtt'][0]).toMatch(/^User/);
    expect(usage.Action).toEqual(expect.arrayContaining(expected));
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test.each([
    ['grantSign', (k: SeparatedDutyKey, g: iam.IGrantable) => k.grantSign(g), 'kms:Sign'],
    ['grantVerify', (k: SeparatedDutyKey, g: iam.IGrantable) => k.grantVerify(g), 'kms:Verify'],
    ['grantSignVerify', (k: SeparatedDutyKey, g: iam.IGrantable) => k.grantSignVerify(g), 'kms:Sign'],
    ['grants.sign', (k: SeparatedDutyKey, g: iam.IGrantable) => k.grants.sign(g), 'kms:Sign'],
  ])('%s on a signing key', (_name, grantFn, expected) => {
    const { stack, user } = setup();
    const key = new SeparatedDutyKey(stack, 'Sign', { alias: 'sign', keySpec: kms.KeySpec.ECC_NIST_P384, keyUsage: kms.KeyUsage.SIGN_VERIFY });
    grantFn(key, user);
    expect(statement(stack, 'KeyUsage').Action).toContain(expected);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test.each([
    ['grantGenerateMac', (k: SeparatedDutyKey, g: iam.IGrantable) => k.grantGenerateMac(g), 'kms:GenerateMac'],
    ['grantVerifyMac', (k: SeparatedDutyKey, g: iam.IGrantable) => k.grantVerifyMac(g), 'kms:VerifyMac'],
    ['grants.verifyMac', (k: SeparatedDutyKey, g: iam.IGrantable) => k.grants.verifyMac(g), 'kms:VerifyMac'],
  ])('%s on an HMAC key', (_name, grantFn, expected) => {
    const { stack, user } = setup();
    const key = new SeparatedDutyKey(stack, 'Mac', { alias: 'mac', keySpec: kms.KeySpec.HMAC_256 });
    grantFn(key, user);
    expect(statement(stack, 'KeyUsage').Action).toContain(expected);
  });

  test('grantAdmin and grants.admin add administrators', () => {
    const { stack, admin, other } = setup();
    const key = new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    key.grantAdmin(admin);
    key.grants.admin(other);
    expect(statement(stack, 'KeyAdministration').Principal.AWS).toHaveLength(2);
    expect(statement(stack, 'DenyCryptographyToAdministrators').Principal.AWS).toHaveLength(2);
  });

  test('grantViaService scopes use to one service of the key Region, called from the account', () => {
    const { stack, user } = setup();
    const key = new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    key.grantViaService(user, 'sqs', 'kms:Decrypt');
    const via = statement(stack, 'KeyUsageViaSqs');
    expect(via.Action).toEqual(['kms:Decrypt']);
    expect(stack.resolve(via.Condition)).toEqual({
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['sqs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
        'kms:CallerAccount': { Ref: 'AWS::AccountId' },
      },
    });
  });

  test('a CDK bucket that grants read through the key puts the key grant in the key policy', () => {
    const { stack, user } = setup();
    const key = new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    new s3.Bucket(stack, 'Bucket', { encryptionKey: key }).grantRead(user);
    expect(statement(stack, 'KeyUsage').Action).toContain('kms:Decrypt');
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    expect(JSON.stringify(policies)).not.toContain('kms:');
  });

  test('the L1 grant path (KeyGrants.fromKey on the CfnKey) also lands in the checked key policy', () => {
    const { stack, user, admin } = setup();
    const key = new SeparatedDutyKey(stack, 'Orders', { alias: 'orders', administrators: [admin] });
    kms.KeyGrants.fromKey(key.cfnKey).decrypt(user);
    const statements = keyPolicy(stack).Statement.filter((st: any) => JSON.stringify(st.Principal).includes('User') && st.Effect === 'Allow');
    expect(statements.map((st: any) => st.Action)).toEqual(['kms:Decrypt']);
    expect(statement(stack, 'DenyAdministrationToUsers').Principal.AWS['Fn::GetAtt'][0]).toMatch(/^User/);
    // and its checks apply: an administrator cannot be given use that way either
    expect(() => kms.KeyGrants.fromKey(key.cfnKey).decrypt(admin)).toThrow("SeparatedDutyKey at 'Stack/Orders': `addToResourcePolicy()` cannot make 'Stack/Admin' a user of the key");
  });

  test('grant to a service principal is scoped to the account with aws:SourceAccount', () => {
    const { stack } = setup();
    const key = new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    key.grantEncryptDecrypt(new iam.ServicePrincipal('logging.s3.amazonaws.com'));
    const service = statement(stack, 'ServiceUsage');
    expect(service.Principal).toEqual({ Service: 'logging.s3.amazonaws.com' });
    expect(stack.resolve(service.Condition)).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
  });

  test('a grant makes dependent resources wait for the key policy', () => {
    const { stack, user } = setup();
    const key = new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    const grant = key.grantDecrypt(user);
    const queue = new sqs.Queue(stack, 'Queue');
    grant.applyBefore(queue);
    Template.fromStack(stack).hasResource('AWS::SQS::Queue', { DependsOn: [Match.stringLikeRegexp('^Orders')] });
  });
});

describe('addToResourcePolicy', () => {
  test('accepts a service principal statement scoped to its source', () => {
    const { stack } = setup();
    const key = new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    const result = key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111111111111:orders' } },
    }));
    expect(result.statementAdded).toBe(true);
    expect(keyPolicy(stack).Statement).toContainEqual(expect.objectContaining({
      Principal: { Service: 'sns.amazonaws.com' },
      Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111111111111:orders' } },
    }));
  });

  test('accepts Deny statements and Principal "*" scoped to the organization', () => {
    const { stack } = setup();
    const key = new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    key.addToResourcePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['kms:*'], resources: ['*'], conditions: { Bool: { 'aws:SecureTransport': 'false' } } }));
    key.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['kms:DescribeKey'], resources: ['*'], conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }));
    expect(keyPolicy(stack).Statement.filter((s: any) => !s.Sid && (s.Principal === '*' || s.Principal?.AWS === '*'))).toHaveLength(2);
  });

  test('statements read from JSON: a single principal value and Principal "*" are read as written', () => {
    const { stack } = setup();
    const key = new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    key.addToResourcePolicy(iam.PolicyStatement.fromJson({
      Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/reader' }, Action: 'kms:Decrypt', Resource: '*',
    }));
    expect(statement(stack, 'DenyAdministrationToUsers').Principal.AWS).toEqual('arn:aws:iam::111111111111:role/reader');
    expect(() => key.addToResourcePolicy(iam.PolicyStatement.fromJson({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' })))
      .toThrow(/`addToResourcePolicy\(\)` would open the key: a principal of another AWS account can use the key/);
  });

  // A Lazy caches its first value: checking the statement must not produce it before the app is done.
  test('a Lazy value in a statement is not frozen by the check: it takes what the app adds later', () => {
    const { stack } = setup();
    const key = new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    const topics: string[] = ['arn:aws:sns:us-east-1:111111111111:first'];
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { ArnEquals: { 'aws:SourceArn': Lazy.list({ produce: () => [...topics] }) } },
    }));
    topics.push('arn:aws:sns:us-east-1:111111111111:second');
    const delivery = keyPolicy(stack).Statement.find((x: any) => x.Principal?.Service === 'sns.amazonaws.com');
    expect(delivery.Condition.ArnEquals['aws:SourceArn']).toEqual(topics);
  });

  test('a Lazy value that opens the key is decided at synth, naming the method', () => {
    const { app, stack } = setup();
    const key = new SeparatedDutyKey(stack, 'Orders', { alias: 'orders' });
    const accounts: string[] = [];
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringLike: { 'aws:PrincipalAccount': Lazy.list({ produce: () => accounts }) } },
    }));
    accounts.push('*');
    expect(() => app.synth()).toThrow(/SeparatedDutyKey at 'Stack\/Orders': `addToResourcePolicy\(\)` would open the key: a principal of another AWS account can use the key/);
  });
});

describe('fails if', () => {
  const path = "SeparatedDutyKey at 'Stack/Key'";
  function make(props: Partial<SeparatedDutyKeyProps>, extra?: (key: SeparatedDutyKey, roles: ReturnType<typeof setup>) => void) {
    const roles = setup();
    const key = new SeparatedDutyKey(roles.stack, 'Key', { alias: 'key', ...props });
    extra?.(key, roles);
  }

  test.each([
    ['the deletion window is below 7 days', { pendingWindow: Duration.days(5) }, '`pendingWindow` must be between 7 and 30 days, got 5'],
    ['the deletion window is above 30 days', { pendingWindow: Duration.days(31) }, '`pendingWindow` must be between 7 and 30 days, got 31'],
    ['the deletion window is not whole days', { pendingWindow: Duration.hours(200) }, '`pendingWindow` must be a whole number of days between 7 and 30, got 8 days 8 hours'],
    ['the rotation period is below 90 days', { rotationPeriod: Duration.days(89) }, '`rotationPeriod` must be between 90 and 2560 days, got 89'],
    ['the rotation period is above 2560 days', { rotationPeriod: Duration.days(2561) }, '`rotationPeriod` must be between 90 and 2560 days, got 2561'],
    ['a rotation period is set with rotation off', { enableKeyRotation: false, rotationPeriod: Duration.days(180) }, '`rotationPeriod` is set (Duration.days(180)) but `enableKeyRotation` is false'],
    ['rotation is asked for on an asymmetric key', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT, enableKeyRotation: true }, '`enableKeyRotation` asks for rotation, but a RSA_2048 key with usage ENCRYPT_DECRYPT cannot rotate'],
    ['rotation is asked for on an HMAC key', { keySpec: kms.KeySpec.HMAC_256, rotationPeriod: Duration.days(365) }, '`rotationPeriod` asks for rotation, but a HMAC_256 key with usage GENERATE_VERIFY_MAC cannot rotate'],
    ['rotation is asked for on imported key material', { origin: KeyMaterialOrigin.EXTERNAL, enableKeyRotation: true }, '`enableKeyRotation` asks for rotation, but keys with imported key material cannot rotate automatically'],
    ['the spec and usage do not go together', { keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT }, '`keyUsage` ENCRYPT_DECRYPT is not valid with key spec HMAC_256; allowed: GENERATE_VERIFY_MAC'],
    ['a symmetric key is asked to sign', { keyUsage: kms.KeyUsage.SIGN_VERIFY }, '`keyUsage` SIGN_VERIFY is not valid with key spec SYMMETRIC_DEFAULT; allowed: ENCRYPT_DECRYPT'],
    ['an ECC key gets the default usage', { keySpec: kms.KeySpec.ECC_NIST_P256 }, '`keyUsage` ENCRYPT_DECRYPT is not valid with key spec ECC_NIST_P256; allowed: SIGN_VERIFY, KEY_AGREEMENT'],
    ['the alias is empty', { alias: '' }, "`alias` must name the alias, got ''"],
    ['the alias is only the prefix', { alias: 'alias/' }, "`alias` must name the alias, got 'alias/'"],
    ['the alias is reserved', { alias: 'alias/aws/s3' }, "`alias` must not start with 'alias/aws/', which is reserved for AWS managed keys, got 'alias/aws/s3'"],
    ['the alias is too long', { alias: 'a'.repeat(251) }, "`alias` must be at most 256 characters including 'alias/', got 257"],
    ['the alias has characters KMS rejects', { alias: 'orders key!' }, "`alias` may contain only letters, digits, '/', '_', '-' and ':', got 'orders key!'"],
    ['account administration is off and nobody administers', { accountAdministration: false }, '`accountAdministration` is false but no `administrators` are named'],
  ])('%s', (_name, props, message) => {
    expect(() => make(props as Partial<SeparatedDutyKeyProps>)).toThrow(`${path}: ${message}`);
  });

  test('the same principal is administrator and user', () => {
    const roles = setup();
    expect(() => new SeparatedDutyKey(roles.stack, 'Key', { alias: 'key', administrators: [roles.admin], users: [roles.admin] }))
      .toThrow(`${path}: \`users\` cannot make 'Stack/Admin' a user of the key: it is an administrator of the key, and no principal may both administer and use it`);
  });

  test('an administrator is granted use later', () => {
    expect(() => make({}, (key, r) => { key.grantAdmin(r.admin); key.grantDecrypt(r.admin); }))
      .toThrow(`${path}: \`grantDecrypt()\` cannot make 'Stack/Admin' a user of the key: it is an administrator`);
    expect(() => make({}, (key, r) => { key.grantAdmin(r.admin); key.grantViaService(r.admin, 's3'); }))
      .toThrow(`${path}: \`grantViaService()\` cannot make 'Stack/Admin' a user of the key`);
  });

  test('a user is made administrator later', () => {
    expect(() => make({}, (key, r) => { key.grantEncrypt(r.user); key.grantAdmin(r.user); }))
      .toThrow(`${path}: \`grantAdmin()\` cannot name 'Stack/User' as an administrator: it is already a user of the key`);
  });

  test.each([
    ['the account root', new iam.AccountRootPrincipal(), 'the account root'],
    ['an account principal', new iam.AccountPrincipal('111111111111'), 'the account root'],
    ['a root ARN', new iam.ArnPrincipal('arn:aws:iam::111111111111:root'), 'the account root'],
    ['any principal', new iam.AnyPrincipal(), 'any principal (`*`)'],
  ])('%s is made a user', (_name, principal, label) => {
    const roles = setup();
    expect(() => new SeparatedDutyKey(roles.stack, 'Key', { alias: 'key', users: [principal] }))
      .toThrow(`${path}: \`users\` cannot make ${label}`);
    expect(() => make({}, key => key.grantDecrypt(principal))).toThrow(`${path}: \`grantDecrypt()\` cannot make ${label}`);
  });

  test('a principal is an IAM group or a federated principal, which KMS cannot name', () => {
    const roles = setup();
    const group = new iam.Group(roles.stack, 'Operators');
    expect(() => new SeparatedDutyKey(roles.stack, 'Key', { alias: 'key', users: [group] }))
      .toThrow(`${path}: \`users\` cannot name the IAM group 'Stack/Operators': groups cannot be principals in a key policy`);
    expect(() => make({}, key => key.grantAdmin(new iam.ArnPrincipal('arn:aws:iam::111111111111:group/ops'))))
      .toThrow(`${path}: \`grantAdmin()\` cannot name the IAM group 'arn:aws:iam::111111111111:group/ops'`);
    expect(() => make({}, key => key.grantDecrypt(new iam.FederatedPrincipal('cognito-identity.amazonaws.com', {}))))
      .toThrow(`${path}: \`grantDecrypt()\` cannot name 'cognito-identity.amazonaws.com' (a Federated principal)`);
  });

  test('an administrator is in another account', () => {
    const roles = setup();
    expect(() => new SeparatedDutyKey(roles.stack, 'Key', { alias: 'key', administrators: [new iam.ArnPrincipal('arn:aws:iam::222222222222:role/ops')] }))
      .toThrow(`${path}: \`administrators\` cannot name 'arn:aws:iam::222222222222:role/ops' as an administrator: it is in another account`);
  });

  test('a cross-account user is given actions that do not work across accounts', () => {
    const partner = new iam.ArnPrincipal('arn:aws:iam::222222222222:role/partner');
    expect(() => make({}, key => key.grant(partner, 'kms:Decrypt', 'kms:GetKeyPolicy')))
      .toThrow(`${path}: \`grant()\` cannot give kms:GetKeyPolicy to 'arn:aws:iam::222222222222:role/partner': it is in another account`);
    // The same actions work for a user of the key's own account.
    expect(() => make({}, (key, r) => key.grant(r.user, 'kms:Decrypt', 'kms:GetKeyPolicy'))).not.toThrow();
    // And a cross-account user can be given use.
    expect(() => make({}, key => key.grantDecrypt(partner))).not.toThrow();
  });

  test('grant() asks for administrative actions or wildcards that include them', () => {
    expect(() => make({}, (key, r) => key.grant(r.user, 'kms:PutKeyPolicy')))
      .toThrow(`${path}: \`grant()\` got 'kms:PutKeyPolicy', which includes administrative actions (kms:PutKeyPolicy): use grantAdmin()`);
    expect(() => make({}, (key, r) => key.grant(r.user, 'kms:*'))).toThrow(`${path}: \`grant()\` got 'kms:*', which includes administrative actions`);
    expect(() => make({}, (key, r) => key.grant(r.user, 's3:GetObject'))).toThrow(`${path}: \`grant()\` got 's3:GetObject', which is not a KMS action on keys`);
  });

  test('a grant asks for actions the key usage does not support', () => {
    expect(() => make({ keySpec: kms.KeySpec.HMAC_256 }, (key, r) => key.grantEncrypt(r.user)))
      .toThrow(`${path}: \`grantEncrypt()\` is not supported by a HMAC_256 key with usage GENERATE_VERIFY_MAC; it supports kms:GenerateMac, kms:VerifyMac, kms:DescribeKey`);
    expect(() => make({}, (key, r) => key.grant(r.user, 'kms:Sign'))).toThrow(`${path}: \`grant()\` got 'kms:Sign', which a SYMMETRIC_DEFAULT key with usage ENCRYPT_DECRYPT does not support`);
  });

  test('grantViaService gets something that is not a service prefix', () => {
    expect(() => make({}, (key, r) => key.grantViaService(r.user, 's3.amazonaws.com')))
      .toThrow(`${path}: \`grantViaService()\` needs a service endpoint prefix such as 's3', 'sqs' or 'dynamodb', got 's3.amazonaws.com'`);
  });

  test.each([
    ['gives the account root cryptographic actions', () => new iam.PolicyStatement({ principals: [new iam.AccountRootPrincipal()], actions: ['kms:Decrypt'], resources: ['*'] }), 'rejects cryptographic actions (kms:Decrypt) for the account root'],
    ['gives kms:* to anyone', () => new iam.PolicyStatement({ principals: [new iam.AccountRootPrincipal()], actions: ['kms:*'], resources: ['*'] }), 'rejects a statement that gives the account root (111111111111) both administrative'],
    ['opens the key to Principal "*" without a condition', () => new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'] }), 'would open the key: a principal of another AWS account can use the key (kms:Decrypt): Statement[1] allows it'],
    ['gives a service principal use without a source condition', () => new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('events.amazonaws.com')], actions: ['kms:GenerateDataKey'], resources: ['*'] }), 'would open the key: events.amazonaws.com acting for a resource of another account can use the key (kms:GenerateDataKey): Statement[1] allows it'],
    ['gives a service principal administration', () => new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('events.amazonaws.com')], actions: ['kms:PutKeyPolicy'], resources: ['*'], conditions: { StringEquals: { 'aws:SourceAccount': '111111111111' } } }), 'rejects administrative actions (kms:PutKeyPolicy)'],
    ['uses NotAction', () => new iam.PolicyStatement({ principals: [new iam.ArnPrincipal('arn:aws:iam::111111111111:role/app')], notActions: ['kms:Decrypt'], resources: ['*'] }), 'rejects an Allow statement with NotAction or NotPrincipal'],
    ['grants a non-KMS action', () => new iam.PolicyStatement({ principals: [new iam.ArnPrincipal('arn:aws:iam::111111111111:role/app')], actions: ['s3:GetObject'], resources: ['*'] }), "rejects the action 's3:GetObject'"],
  ])('addToResourcePolicy %s', (_name, build, message) => {
    expect(() => make({}, key => key.addToResourcePolicy(build()))).toThrow(`${path}: \`addToResourcePolicy()\` ${message}`);
  });

  test('addToResourcePolicy makes an administrator a user', () => {
    expect(() => make({}, (key, r) => {
      key.grantAdmin(r.admin);
      key.addToResourcePolicy(new iam.PolicyStatement({ principals: [r.admin], actions: ['kms:Decrypt'], resources: ['*'] }));
    })).toThrow(`${path}: \`addToResourcePolicy()\` cannot make 'Stack/Admin' a user of the key`);
  });

  test('the key policy grows past the KMS limit, at synth', () => {
    const roles = setup();
    const key = new SeparatedDutyKey(roles.stack, 'Key', { alias: 'key' });
    for (let i = 0; i < 400; i++) {
      key.grantDecrypt(new iam.ArnPrincipal(`arn:aws:iam::111111111111:role/application-role-with-a-long-name-${i}`));
    }
    expect(() => roles.app.synth()).toThrow(/SeparatedDutyKey at 'Stack\/Key': the key policy is \d+ bytes in 4 statements \(counted exactly: .*\), over the KMS limit of 32768 bytes/);
  });
});

test('a large but valid policy synthesizes', () => {
  const roles = setup();
  const key = new SeparatedDutyKey(roles.stack, 'Key', { alias: 'key' });
  for (let i = 0; i < 100; i++) key.grantDecrypt(new iam.ArnPrincipal(`arn:aws:iam::111111111111:role/app-${i}`));
  expect(() => roles.app.synth()).not.toThrow();
});
