import { App, Stack, aws_iam as iam, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  CfnTemplate,
  evaluateKeyAccess,
  evaluateTemplateKeyAccess,
  explainKeyAccess,
  IamEvalError,
  KeyAccessRequest,
  resolveIntrinsics,
  resolveKey,
  roleArn,
} from './iam-eval';

const ACCOUNT = '111111111111';
const OTHER = '222222222222';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/IamAdmin`;
const APP = `arn:aws:iam::${ACCOUNT}:role/App`;
const CROSS_ROLE = `arn:aws:iam::${OTHER}:role/Consumer`;

const ADMIN_ACTIONS = [
  'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias', 'kms:DescribeKey', 'kms:EnableKey', 'kms:DisableKey',
  'kms:EnableKeyRotation', 'kms:DisableKeyRotation', 'kms:RotateKeyOnDemand', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy',
  'kms:GetKeyRotationStatus', 'kms:ListKeyRotations', 'kms:ListAliases', 'kms:ListGrants', 'kms:ListKeyPolicies',
  'kms:ListResourceTags', 'kms:RevokeGrant', 'kms:TagResource', 'kms:UntagResource', 'kms:UpdateKeyDescription',
  'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion',
];

const policy = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const allowAllKms = policy({ Effect: 'Allow', Action: 'kms:*', Resource: '*' });

function req(keyPolicy: object, principalArn: string, action: string, extra: Partial<KeyAccessRequest> = {}): KeyAccessRequest {
  return { keyPolicy, keyArn: KEY_ARN, principalArn, action, ...extra };
}

describe('evaluateKeyAccess (engine semantics)', () => {
  // (a)
  test('root with kms:* lets an IAM admin with an identity policy kms:* decrypt', async () => {
    const kp = policy({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' });
    expect(await evaluateKeyAccess(req(kp, ADMIN, 'kms:Decrypt', { identityPolicies: [allowAllKms] }))).toBe('Allowed');
    // the key policy alone (no IAM policy) does not give the admin anything: root trust delegates to IAM
    expect(await evaluateKeyAccess(req(kp, ADMIN, 'kms:Decrypt'))).toBe('ImplicitlyDenied');
  });

  // (b)
  test('root with only administrative actions: the IAM admin can PutKeyPolicy but not Decrypt', async () => {
    const kp = policy({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: ADMIN_ACTIONS, Resource: '*' });
    const ids = { identityPolicies: [allowAllKms] };
    expect(await evaluateKeyAccess(req(kp, ADMIN, 'kms:Decrypt', ids))).toBe('ImplicitlyDenied');
    expect(await evaluateKeyAccess(req(kp, ADMIN, 'kms:CreateGrant', ids))).toBe('ImplicitlyDenied');
    expect(await evaluateKeyAccess(req(kp, ADMIN, 'kms:PutKeyPolicy', ids))).toBe('Allowed');
    // without an IAM policy the account-level trust alone grants nothing
    expect(await evaluateKeyAccess(req(kp, ADMIN, 'kms:PutKeyPolicy'))).toBe('ImplicitlyDenied');
  });

  // (c)
  test('an explicit Deny for a role on kms:Decrypt beats an Allow in the key policy and in IAM', async () => {
    const kp = policy(
      { Effect: 'Allow', Principal: { AWS: APP }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Deny', Principal: { AWS: APP }, Action: 'kms:Decrypt', Resource: '*' },
    );
    expect(await evaluateKeyAccess(req(kp, APP, 'kms:Decrypt', { identityPolicies: [allowAllKms] }))).toBe('ExplicitlyDenied');
    expect(await evaluateKeyAccess(req(kp, APP, 'kms:Encrypt'))).toBe('Allowed');
    // the deny also matches an assumed-role session of the role
    const session = `arn:aws:sts::${ACCOUNT}:assumed-role/App/session-1`;
    expect(await evaluateKeyAccess(req(kp, session, 'kms:Decrypt'))).toBe('ExplicitlyDenied');
  });

  // (d)
  test('kms:ViaService condition: Decrypt only through S3 in us-east-1', async () => {
    const kp = policy({
      Effect: 'Allow',
      Principal: { AWS: APP },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    });
    expect(await evaluateKeyAccess(req(kp, APP, 'kms:Decrypt'))).toBe('ImplicitlyDenied');
    expect(await evaluateKeyAccess(req(kp, APP, 'kms:Decrypt', { context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }))).toBe('Allowed');
    expect(await evaluateKeyAccess(req(kp, APP, 'kms:Decrypt', { context: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } }))).toBe('ImplicitlyDenied');
    expect(await evaluateKeyAccess(req(kp, APP, 'kms:Decrypt', { context: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } }))).toBe('ImplicitlyDenied');
  });

  // (e)
  test("CreateGrant with Bool kms:GrantIsForAWSResource is allowed only with the value 'true'", async () => {
    const kp = policy({
      Effect: 'Allow',
      Principal: { AWS: APP },
      Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    });
    expect(await evaluateKeyAccess(req(kp, APP, 'kms:CreateGrant'))).toBe('ImplicitlyDenied');
    expect(await evaluateKeyAccess(req(kp, APP, 'kms:CreateGrant', { context: { 'kms:GrantIsForAWSResource': 'false' } }))).toBe('ImplicitlyDenied');
    expect(await evaluateKeyAccess(req(kp, APP, 'kms:CreateGrant', { context: { 'kms:GrantIsForAWSResource': 'true' } }))).toBe('Allowed');
  });

  // (f)
  test('a cross-account principal needs the key policy and its own identity policy', async () => {
    const kp = policy(
      { Effect: 'Allow', Principal: { AWS: ROOT }, Action: ADMIN_ACTIONS, Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
    );
    const decrypt = req(kp, CROSS_ROLE, 'kms:Decrypt');
    expect(await evaluateKeyAccess(decrypt)).toBe('ImplicitlyDenied');
    expect(await evaluateKeyAccess({ ...decrypt, identityPolicies: [allowAllKms] })).toBe('Allowed');
    // an identity policy for another key does not help
    const otherKey = policy({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/other` });
    expect(await evaluateKeyAccess({ ...decrypt, identityPolicies: [otherKey] })).toBe('ImplicitlyDenied');
    // naming the role itself in the key policy still needs the identity policy across accounts
    const direct = policy({ Effect: 'Allow', Principal: { AWS: CROSS_ROLE }, Action: 'kms:Decrypt', Resource: '*' });
    expect(await evaluateKeyAccess(req(direct, CROSS_ROLE, 'kms:Decrypt'))).toBe('ImplicitlyDenied');
    expect(await evaluateKeyAccess(req(direct, CROSS_ROLE, 'kms:Decrypt', { identityPolicies: [allowAllKms] }))).toBe('Allowed');
    // the key policy grant is for account 222222222222 only
    const third = 'arn:aws:iam::333333333333:role/Consumer';
    expect(await evaluateKeyAccess(req(kp, third, 'kms:Decrypt', { identityPolicies: [allowAllKms] }))).toBe('ImplicitlyDenied');
  });

  test('same-account principal named in the key policy needs no identity policy', async () => {
    const kp = policy({ Effect: 'Allow', Principal: { AWS: APP }, Action: 'kms:Decrypt', Resource: '*' });
    expect(await evaluateKeyAccess(req(kp, APP, 'kms:Decrypt'))).toBe('Allowed');
    expect(await evaluateKeyAccess(req(kp, ADMIN, 'kms:Decrypt', { identityPolicies: [allowAllKms] }))).toBe('ImplicitlyDenied');
  });

  test('the account root user acts with implicit full IAM permissions, still bounded by the key policy', async () => {
    const kp = policy({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: ADMIN_ACTIONS, Resource: '*' });
    expect(await evaluateKeyAccess(req(kp, ROOT, 'kms:PutKeyPolicy'))).toBe('Allowed');
    expect(await evaluateKeyAccess(req(kp, ROOT, 'kms:Decrypt'))).toBe('ImplicitlyDenied');
    await expect(evaluateKeyAccess(req(kp, ROOT, 'kms:Decrypt', { identityPolicies: [] }))).rejects.toThrow(/root user/);
  });

  test('an IAM identity Deny beats a key-policy Allow', async () => {
    const kp = policy({ Effect: 'Allow', Principal: { AWS: APP }, Action: 'kms:Decrypt', Resource: '*' });
    const deny = policy({ Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' });
    expect(await evaluateKeyAccess(req(kp, APP, 'kms:Decrypt', { identityPolicies: [deny] }))).toBe('ExplicitlyDenied');
  });

  test('cross-account: operations KMS does not accept across accounts are denied even if both policies allow them', async () => {
    const kp = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'kms:*', Resource: '*' });
    const r = await explainKeyAccess(req(kp, CROSS_ROLE, 'kms:PutKeyPolicy', { identityPolicies: [allowAllKms] }));
    expect(r.engineDecision).toBe('Allowed'); // the engine itself does not model this KMS rule
    expect(r.crossAccountActionUnsupported).toBe(true);
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(await evaluateKeyAccess(req(kp, CROSS_ROLE, 'kms:ScheduleKeyDeletion', { identityPolicies: [allowAllKms] }))).toBe('ImplicitlyDenied');
    expect(await evaluateKeyAccess(req(kp, CROSS_ROLE, 'kms:CreateGrant', { identityPolicies: [allowAllKms] }))).toBe('Allowed');
  });

  test('the helper fills aws:PrincipalAccount, aws:PrincipalArn and kms:CallerAccount as AWS does', async () => {
    const byAccount = policy({
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'aws:PrincipalAccount': ACCOUNT } },
    });
    expect(await evaluateKeyAccess(req(byAccount, APP, 'kms:Decrypt'))).toBe('Allowed');
    expect(await evaluateKeyAccess(req(byAccount, CROSS_ROLE, 'kms:Decrypt', { identityPolicies: [allowAllKms] }))).toBe('ImplicitlyDenied');

    const byArn = policy({
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { ArnEquals: { 'aws:PrincipalArn': APP } },
    });
    // an assumed-role session carries the role ARN as aws:PrincipalArn
    expect(await evaluateKeyAccess(req(byArn, `arn:aws:sts::${ACCOUNT}:assumed-role/App/s`, 'kms:Decrypt'))).toBe('Allowed');
    expect(await evaluateKeyAccess(req(byArn, ADMIN, 'kms:Decrypt'))).toBe('ImplicitlyDenied');

    const r = await explainKeyAccess(req(byArn, APP, 'kms:Decrypt', { context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }));
    expect(r.context).toMatchObject({
      'aws:PrincipalArn': APP,
      'aws:PrincipalAccount': ACCOUNT,
      'kms:CallerAccount': ACCOUNT,
      'aws:PrincipalType': 'AssumedRole',
      'aws:PrincipalIsAWSService': 'false',
      'aws:ViaAWSService': 'true',
      'aws:SecureTransport': 'true',
      'aws:RequestedRegion': 'us-east-1',
    });
  });

  test('service principal with aws:SourceArn', async () => {
    const topic = `arn:aws:sns:us-east-1:${ACCOUNT}:Orders`;
    const kp = policy({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { ArnEquals: { 'aws:SourceArn': topic }, StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    });
    expect(await evaluateKeyAccess(req(kp, 'sns.amazonaws.com', 'kms:GenerateDataKey', { context: { 'aws:SourceArn': topic } }))).toBe('Allowed');
    expect(await evaluateKeyAccess(req(kp, 'sns.amazonaws.com', 'kms:GenerateDataKey'))).toBe('ImplicitlyDenied');
    expect(await evaluateKeyAccess(req(kp, 'sns.amazonaws.com', 'kms:Decrypt',
      { context: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:Other` } }))).toBe('ImplicitlyDenied');
    expect(await evaluateKeyAccess(req(kp, 'sqs.amazonaws.com', 'kms:Decrypt', { context: { 'aws:SourceArn': topic } }))).toBe('ImplicitlyDenied');
    expect(await evaluateKeyAccess(req(kp, 'sns.amazonaws.com', 'kms:Encrypt', { context: { 'aws:SourceArn': topic } }))).toBe('ImplicitlyDenied');
  });

  test('kms:EncryptionContext:<key> conditions are evaluated (engine drops the key; the helper re-runs with it)', async () => {
    const trail = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/Audit`;
    const kp = policy({
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceArn': trail },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
      },
    });
    const ok = await explainKeyAccess(req(kp, 'cloudtrail.amazonaws.com', 'kms:GenerateDataKey',
      { context: { 'aws:SourceArn': trail, 'kms:EncryptionContext:aws:cloudtrail:arn': trail } }));
    expect(ok.engineEntryPoint).toBe('runUnsafeSimulation');
    expect(ok.decision).toBe('Allowed');
    expect(await evaluateKeyAccess(req(kp, 'cloudtrail.amazonaws.com', 'kms:GenerateDataKey',
      { context: { 'aws:SourceArn': trail, 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:us-east-1:${OTHER}:trail/x` } })))
      .toBe('ImplicitlyDenied');
    expect(await evaluateKeyAccess(req(kp, 'cloudtrail.amazonaws.com', 'kms:GenerateDataKey', { context: { 'aws:SourceArn': trail } })))
      .toBe('ImplicitlyDenied');
  });

  test('bad requests throw instead of answering', async () => {
    const kp = policy({ Effect: 'Allow', Principal: { AWS: APP }, Action: 'kms:*', Resource: '*' });
    await expect(evaluateKeyAccess(req(kp, APP, 'kms:Decrypt', { context: { 'kms:CallerAccount': OTHER } }))).rejects.toThrow(/contradicts/);
    await expect(evaluateKeyAccess(req(kp, APP, 'kms:Decrypt', { context: { 'kms:GrantIsForAWSResource': 'true' } })))
      .rejects.toThrow(/do not apply to kms:Decrypt/);
    const dropped = await explainKeyAccess(req(kp, APP, 'kms:Decrypt', {
      context: { 'kms:GrantIsForAWSResource': 'true' }, ignoreInapplicableContext: true,
    }));
    expect(dropped.droppedContextKeys).toEqual(['kms:GrantIsForAWSResource']);
    await expect(evaluateKeyAccess(req(kp, APP, 'kms:Decrypt*'))).rejects.toThrow(/one KMS action/);
    await expect(evaluateKeyAccess(req(kp, APP, 'kms:Decryptt'))).rejects.toThrow(/invalid.action/);
    await expect(evaluateKeyAccess(req(kp, 'App', 'kms:Decrypt'))).rejects.toThrow(/principalArn/);
    await expect(evaluateKeyAccess(req(kp, APP, 'kms:Decrypt', { principalIsService: true }))).rejects.toThrow(/principalIsService/);
    await expect(evaluateKeyAccess(req(kp, 'sns.amazonaws.com', 'kms:Decrypt', { identityPolicies: [allowAllKms] }))).rejects.toThrow(/service principal/);
    await expect(evaluateKeyAccess({ ...req(kp, APP, 'kms:Decrypt'), keyArn: 'arn:aws:kms:us-east-1:111111111111:key/*' })).rejects.toThrow(/keyArn/);
    await expect(evaluateKeyAccess(req(policy({ Effect: 'Maybe', Principal: { AWS: APP }, Action: 'kms:Decrypt', Resource: '*' }), APP, 'kms:Decrypt')))
      .rejects.toThrow(/rejected the simulation/);
  });

  test('malformed key policies the engine would accept silently are errors', async () => {
    const st = { Effect: 'Allow', Principal: { AWS: APP }, Action: 'kms:Decrypt', Resource: '*' };
    const bad = async (patch: object, re: RegExp) => {
      const s: Record<string, unknown> = { ...st, ...patch };
      for (const k of Object.keys(s)) if (s[k] === undefined) delete s[k];
      await expect(evaluateKeyAccess(req(policy(s), APP, 'kms:Decrypt'))).rejects.toThrow(re);
    };
    await bad({ Resource: undefined }, /no Resource/);
    await bad({ Principal: undefined }, /no Principal/);
    await bad({ Action: ['kms:Decrpyt'] }, /unknown action kms:Decrpyt/);
    await bad({ Condition: { StringEqualz: { 'kms:ViaService': 'x' } } }, /unknown condition operator StringEqualz/);
    expect(await evaluateKeyAccess(req(policy({ ...st, Action: 'kms:Decrypt*', Condition: { StringEqualsIfExists: { 'kms:ViaService': 'x' } } }),
      APP, 'kms:Decrypt'))).toBe('Allowed');
  });
});

// A hand-written synthesized template: what CDK emits for a key policy that names a role and the root.
const handTemplate: CfnTemplate = {
  Resources: {
    AppRole1234: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    NamedRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: { 'Fn::Sub': 'ops-${AWS::Region}' }, Path: '/team/' } },
    Key5678: {
      Type: 'AWS::KMS::Key',
      Properties: {
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AccountAdministration',
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
              Action: ['kms:PutKeyPolicy', 'kms:DescribeKey'],
              Resource: '*',
            },
            {
              Sid: 'Users',
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::GetAtt': ['AppRole1234', 'Arn'] } },
              Action: ['kms:Decrypt', 'kms:Encrypt'],
              Resource: '*',
              Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Sub': 's3.${AWS::Region}.${AWS::URLSuffix}' } } },
            },
            {
              Sid: 'Ops',
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::GetAtt': 'NamedRole.Arn' } },
              Action: 'kms:DescribeKey',
              Resource: '*',
            },
          ],
        },
      },
    },
  },
};

describe('template resolution', () => {
  // (g)
  test('Fn::GetAtt role Arn and Fn::Join root ARN resolve, and the resolved policy evaluates', async () => {
    const key = resolveKey(handTemplate, 'Key5678');
    expect(key.keyArn).toMatch(/^arn:aws:kms:us-east-1:111111111111:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(key.keyPolicy.Statement[0].Principal).toEqual({ AWS: ROOT });
    expect(key.keyPolicy.Statement[1].Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:role/AppRole1234' });
    expect(key.keyPolicy.Statement[1].Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } });
    expect(key.keyPolicy.Statement[2].Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:role/team/ops-us-east-1' });
    expect(roleArn(handTemplate, 'AppRole1234')).toBe('arn:aws:iam::111111111111:role/AppRole1234');
    expect(JSON.stringify(key.keyPolicy)).not.toMatch(/Fn::|"Ref"/);

    const app = roleArn(handTemplate, 'AppRole1234');
    const via = { 'kms:ViaService': 's3.us-east-1.amazonaws.com' };
    expect(await evaluateTemplateKeyAccess(handTemplate, 'Key5678', { principalArn: app, action: 'kms:Decrypt', context: via })).toBe('Allowed');
    expect(await evaluateTemplateKeyAccess(handTemplate, 'Key5678', { principalArn: app, action: 'kms:Decrypt' })).toBe('ImplicitlyDenied');
    expect(await evaluateTemplateKeyAccess(handTemplate, 'Key5678', {
      principalArn: ADMIN, action: 'kms:PutKeyPolicy', identityPolicies: [allowAllKms],
    })).toBe('Allowed');
    expect(await evaluateTemplateKeyAccess(handTemplate, 'Key5678', {
      principalArn: ADMIN, action: 'kms:Decrypt', identityPolicies: [allowAllKms], context: via,
    })).toBe('ImplicitlyDenied');
  });

  test('region, partition and account are configurable', () => {
    const key = resolveKey(handTemplate, 'Key5678', { region: 'eu-west-1', account: '333333333333', partition: 'aws-cn' });
    expect(key.keyArn).toMatch(/^arn:aws-cn:kms:eu-west-1:333333333333:key\//);
    expect(key.keyPolicy.Statement[0].Principal).toEqual({ AWS: 'arn:aws-cn:iam::333333333333:root' });
    expect(key.keyPolicy.Statement[1].Condition.StringEquals['kms:ViaService']).toBe('s3.eu-west-1.amazonaws.com.cn');
  });

  test('intrinsics and resource types', () => {
    const t: CfnTemplate = {
      Parameters: { Env: { Type: 'String', Default: 'dev' } },
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
        Fifo: { Type: 'AWS::SNS::Topic', Properties: { FifoTopic: true } },
        Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q1' } },
        Bucket: { Type: 'AWS::S3::Bucket' },
        Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders' } },
        GTable: { Type: 'AWS::DynamoDB::GlobalTable', Properties: {} },
        Trail: { Type: 'AWS::CloudTrail::Trail', Properties: {} },
        Rule: { Type: 'AWS::Events::Rule', Properties: { Name: 'r', EventBusName: 'bus' } },
        Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/x' } },
        User: { Type: 'AWS::IAM::User', Properties: {} },
        Mrk: { Type: 'AWS::KMS::Key', Properties: { MultiRegion: true, KeyPolicy: { Statement: [] } } },
        Alias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/orders', TargetKeyId: { Ref: 'Mrk' } } },
        Custom: { Type: 'Custom::Thing' },
      },
    };
    const r = (v: unknown, env = {}) => resolveIntrinsics(t, v, env);
    expect(r({ Ref: 'Topic' })).toBe('arn:aws:sns:us-east-1:111111111111:Topic');
    expect(r({ 'Fn::GetAtt': ['Fifo', 'TopicName'] })).toBe('Fifo.fifo');
    expect(r({ Ref: 'Queue' })).toBe('https://sqs.us-east-1.amazonaws.com/111111111111/q1');
    expect(r({ 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe('arn:aws:sqs:us-east-1:111111111111:q1');
    expect(r({ 'Fn::GetAtt': ['Bucket', 'Arn'] })).toBe('arn:aws:s3:::bucket');
    expect(r({ 'Fn::GetAtt': ['Table', 'Arn'] })).toBe('arn:aws:dynamodb:us-east-1:111111111111:table/orders');
    expect(r({ 'Fn::GetAtt': ['GTable', 'Arn'] })).toBe('arn:aws:dynamodb:us-east-1:111111111111:table/GTable');
    expect(r({ 'Fn::GetAtt': ['Trail', 'Arn'] })).toBe('arn:aws:cloudtrail:us-east-1:111111111111:trail/Trail');
    expect(r({ 'Fn::GetAtt': ['Rule', 'Arn'] })).toBe('arn:aws:events:us-east-1:111111111111:rule/bus/r');
    expect(r({ 'Fn::GetAtt': ['Logs', 'Arn'] })).toBe('arn:aws:logs:us-east-1:111111111111:log-group:/aws/x:*');
    expect(r({ Ref: 'Logs' })).toBe('/aws/x');
    expect(r({ 'Fn::GetAtt': ['User', 'Arn'] })).toBe('arn:aws:iam::111111111111:user/User');
    expect(r({ Ref: 'Mrk' })).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(r({ 'Fn::GetAtt': ['Mrk', 'Arn'] })).toBe(`arn:aws:kms:us-east-1:111111111111:key/${r({ 'Fn::GetAtt': ['Mrk', 'KeyId'] })}`);
    expect(r({ Ref: 'Alias' })).toBe('alias/orders');
    expect(r({ 'Fn::Sub': 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${Topic.TopicName}-${!Literal}' }))
      .toBe('arn:aws:sns:us-east-1:111111111111:Topic-${Literal}');
    expect(r({ 'Fn::Sub': ['${A}/${B}', { A: { Ref: 'AWS::AccountId' }, B: 'x' }] })).toBe('111111111111/x');
    expect(r({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] })).toBe('b');
    expect(r({ 'Fn::Select': ['2', ['a', 'b', 'c']] })).toBe('c');
    expect(r({ 'Fn::ImportValue': 'Shared:RoleArn' }, { importValues: { 'Shared:RoleArn': 'arn:aws:iam::111111111111:role/Shared' } }))
      .toBe('arn:aws:iam::111111111111:role/Shared');
    expect(r({ 'Fn::ImportValue': { 'Fn::Sub': '${AWS::Region}-x' } }, { importPlaceholder: (n: string) => `imported(${n})` })).toBe('imported(us-east-1-x)');
    expect(r({ Ref: 'Env' }, { parameters: { Env: 'prod' } })).toBe('prod');
    expect(r({ Ref: 'Custom' }, { resourceValues: { Custom: { ref: 'c-1' } } })).toBe('c-1');
    expect(r(['a', { Ref: 'AWS::NoValue' }, 'b'])).toEqual(['a', 'b']);

    // never guess
    expect(() => r({ 'Fn::ImportValue': 'Missing' })).toThrow(/Fn::ImportValue 'Missing'/);
    expect(() => r({ Ref: 'Env' })).toThrow(/env.parameters/);
    expect(() => r({ Ref: 'Custom' })).toThrow(/Custom::Thing is not modelled/);
    expect(() => r({ Ref: 'Nope' })).toThrow(/no resource or parameter 'Nope'/);
    expect(() => r({ Ref: 'AWS::NotificationARNs' })).toThrow(/pseudo parameter/);
    expect(() => r({ Ref: 'AWS::StackName' })).toThrow(/env.stackName/);
    expect(() => r({ Ref: 'Rule' })).toThrow(/not modelled/);
    expect(() => r({ 'Fn::GetAtt': ['Table', 'StreamArn'] })).toThrow(/Fn::GetAtt Table.StreamArn/);
    expect(() => r({ 'Fn::If': ['C', 'a', 'b'] })).toThrow(/unsupported intrinsic Fn::If/);
    expect(() => r({ 'Fn::Select': [5, ['a']] })).toThrow(/out of range/);
    expect(() => r({ 'Fn::Join': ['', [{ 'Fn::Split': [',', 'a,b'] }]] })).toThrow(/not a string/);
    expect(() => roleArn(t, 'User')).toThrow(/not an AWS::IAM::Role/);
    expect(() => resolveKey(t, 'Topic')).toThrow(/not an AWS::KMS::Key/);
  });

  test('a replica key takes its primary multi-Region key id and the replica Region', () => {
    const t: CfnTemplate = {
      Resources: {
        Replica: {
          Type: 'AWS::KMS::ReplicaKey',
          Properties: {
            PrimaryKeyArn: { 'Fn::ImportValue': 'Primary:KeyArn' },
            KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:DescribeKey', Resource: '*' }] },
          },
        },
      },
    };
    const mrk = 'mrk-0123456789abcdef0123456789abcdef';
    const key = resolveKey(t, 'Replica', { region: 'eu-west-1', importValues: { 'Primary:KeyArn': `arn:aws:kms:us-east-1:111111111111:key/${mrk}` } });
    expect(key.keyArn).toBe(`arn:aws:kms:eu-west-1:111111111111:key/${mrk}`);
    expect(key.keyPolicy.Statement[0].Principal.AWS).toBe(ROOT);
    expect(() => resolveKey(t, 'Replica', { importValues: { 'Primary:KeyArn': KEY_ARN } })).toThrow(/multi-Region key ARN/);
  });

  test('real CDK synth output (L1 key, L2 role and topic) resolves and evaluates', async () => {
    const app = new App();
    const stack = new Stack(app, 'Probe', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    const topic = new sns.Topic(stack, 'Topic');
    new kms.CfnKey(stack, 'Key', {
      keyPolicy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: stack.formatArn({ service: 'iam', region: '', resource: 'root' }) }, Action: 'kms:DescribeKey', Resource: '*' },
          { Effect: 'Allow', Principal: { AWS: role.roleArn }, Action: 'kms:Decrypt', Resource: '*' },
          {
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Action: 'kms:GenerateDataKey*',
            Resource: '*',
            Condition: { ArnEquals: { 'aws:SourceArn': topic.topicArn } },
          },
        ],
      },
    });
    const template = app.synth().getStackByName('Probe').template;
    const keyId = Object.keys(template.Resources).find(id => template.Resources[id].Type === 'AWS::KMS::Key')!;
    const roleId = Object.keys(template.Resources).find(id => template.Resources[id].Type === 'AWS::IAM::Role')!;
    const topicId = Object.keys(template.Resources).find(id => template.Resources[id].Type === 'AWS::SNS::Topic')!;
    const reader = roleArn(template, roleId);
    expect(reader).toBe(`arn:aws:iam::${ACCOUNT}:role/${roleId}`);
    expect(await evaluateTemplateKeyAccess(template, keyId, { principalArn: reader, action: 'kms:Decrypt' })).toBe('Allowed');
    expect(await evaluateTemplateKeyAccess(template, keyId, { principalArn: reader, action: 'kms:Encrypt' })).toBe('ImplicitlyDenied');
    const topicArn = resolveIntrinsics(template, { Ref: topicId });
    expect(await evaluateTemplateKeyAccess(template, keyId, {
      principalArn: 'sns.amazonaws.com', action: 'kms:GenerateDataKey', context: { 'aws:SourceArn': topicArn },
    })).toBe('Allowed');
    // Template.fromStack(...).toJSON() gives the same object shape
    expect(resolveKey(Template.fromStack(stack).toJSON(), keyId).keyPolicy).toEqual(resolveKey(template, keyId).keyPolicy);
  });

  test('errors name the path of the unresolvable value', () => {
    const t: CfnTemplate = {
      Resources: {
        K: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [{ Principal: { AWS: { 'Fn::GetAtt': ['Ghost', 'Arn'] } } }] } } },
        NoPolicy: { Type: 'AWS::KMS::Key', Properties: {} },
      },
    };
    expect(() => resolveKey(t, 'K')).toThrow(IamEvalError);
    expect(() => resolveKey(t, 'K')).toThrow(/K\.Properties\.KeyPolicy\.Statement\[0\]\.Principal\.AWS\.Fn::GetAtt: .*'Ghost'/);
    expect(() => resolveKey(t, 'NoPolicy')).toThrow(/has no KeyPolicy/);
  });
});
