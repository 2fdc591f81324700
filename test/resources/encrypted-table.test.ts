import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SeparatedDutyKey } from '../../src';
import { EncryptedTable } from '../../src/resources/encrypted-table';

const PK = { name: 'pk', type: dynamodb.AttributeType.STRING };
const PREFIX = "EncryptedTable at 'S/T': ";
const stackOf = () => new Stack(new App(), 'S', { env: { account: '111111111111', region: 'us-east-1' } });
const keyStatements = (stack: Stack): any[] =>
  Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key')).flatMap((k: any) => k.Properties.KeyPolicy.Statement);

describe('defaults', () => {
  test('customer managed key, on-demand, PITR, deletion protection', () => {
    const stack = stackOf();
    new EncryptedTable(stack, 'T', { partitionKey: PK });
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [Match.objectLike({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TKey'), 'Arn'] } },
      })],
    });
  });
  test('retained', () => {
    const stack = stackOf();
    new EncryptedTable(stack, 'T', { partitionKey: PK });
    Template.fromStack(stack).hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
  });
  test('the account may create grants only through DynamoDB, for AWS resources', () => {
    const stack = stackOf();
    new EncryptedTable(stack, 'T', { partitionKey: PK });
    expect(keyStatements(stack).find(s => s.Sid === 'AccountGrantsViaDynamodb')).toEqual({
      Sid: 'AccountGrantsViaDynamodb',
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
      Action: ['kms:CreateGrant', 'kms:DescribeKey'],
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] }, 'kms:CallerAccount': { Ref: 'AWS::AccountId' } },
        Bool: { 'kms:GrantIsForAWSResource': 'true' },
      },
    });
  });
});

describe('grants', () => {
  test.each([
    ['grantReadData', ['kms:Decrypt', 'kms:DescribeKey']],
    ['grantWriteData', ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey']],
  ])('%s: key only through DynamoDB', (method, actions) => {
    const stack = stackOf();
    const t = new EncryptedTable(stack, 'T', { partitionKey: PK });
    (t as any)[method](new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }));
    const s = keyStatements(stack).find(x => x.Sid === 'KeyUsageViaDynamodb');
    expect([...s.Action].sort()).toEqual([...actions].sort());
    expect(s.Condition.StringEquals['kms:ViaService']).toEqual({ 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] });
    expect(keyStatements(stack).some(x => x.Sid === 'KeyUsage')).toBe(false);
  });
});

describe('bad input', () => {
  test('fails if DESTROY is not acknowledged', () => {
    expect(() => new EncryptedTable(stackOf(), 'T', { partitionKey: PK, removalPolicy: RemovalPolicy.DESTROY })).toThrow(
      `${PREFIX}\`removalPolicy\` is destroy, which deletes the data when the resource leaves the stack; set \`acknowledgeDataLoss: true\` to confirm, or keep RETAIN (the default)`);
  });
  test('fails if DESTROY keeps deletion protection', () => {
    expect(() => new EncryptedTable(stackOf(), 'T', { partitionKey: PK, removalPolicy: RemovalPolicy.DESTROY, acknowledgeDataLoss: true })).toThrow(
      `${PREFIX}\`deletionProtection\` is on, so CloudFormation could not delete the table that \`removalPolicy: DESTROY\` asks it to delete; set \`deletionProtection: false\` as well`);
  });
  test('fails if deletionProtection is off without acknowledgeDataLoss', () => {
    expect(() => new EncryptedTable(stackOf(), 'T', { partitionKey: PK, deletionProtection: false })).toThrow(
      `${PREFIX}\`deletionProtection\` is false, which lets anyone allowed dynamodb:DeleteTable delete the data; set \`acknowledgeDataLoss: true\` to confirm, or keep it on (the default)`);
  });
  test('fails in a region-agnostic stack', () => {
    expect(() => new EncryptedTable(new Stack(new App(), 'S'), 'T', { partitionKey: PK })).toThrow(`${PREFIX}\`encryptionKey\` needs a stack bound to a Region`);
  });
});

describe('grants to roles use a managed policy per access level, never an inline policy', () => {
  test.each([
    ['grantReadData', 'dynamodb:GetItem', 'dynamodb:PutItem'],
    ['grantWriteData', 'dynamodb:PutItem', 'dynamodb:GetItem'],
    ['grantReadWriteData', 'dynamodb:GetItem', undefined],
  ])('%s', (method, included, excluded) => {
    const stack = stackOf();
    const t = new EncryptedTable(stack, 'T', { partitionKey: PK, dataEvents: false });
    const a = new iam.Role(stack, 'A', { assumedBy: new iam.AccountRootPrincipal() });
    const b = new iam.Role(stack, 'B', { assumedBy: new iam.AccountRootPrincipal() });
    (t as any)[method](a);
    (t as any)[method](b);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const policies = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.Roles).toHaveLength(2);
    const actions = policies[0].Properties.PolicyDocument.Statement[0].Action;
    expect(actions).toContain(included);
    if (excluded) expect(actions).not.toContain(excluded);
    expect(JSON.stringify(policies[0])).not.toContain('kms:');
  });

  test('an imported principal is granted in the table\'s resource policy, never an inline policy', () => {
    const stack = stackOf();
    const t = new EncryptedTable(stack, 'T', { partitionKey: PK, dataEvents: false });
    t.grantReadData(iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/reader', { mutable: true }));
    Template.fromStack(stack).resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable'))).toContain('arn:aws:iam::111111111111:role/reader');
  });
});

describe('overrides', () => {
  test('sort key, global secondary index, TTL, stream and table name', () => {
    const stack = stackOf();
    new EncryptedTable(stack, 'T', {
      partitionKey: PK,
      sortKey: { name: 'sk', type: dynamodb.AttributeType.NUMBER },
      globalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } }],
      timeToLiveAttribute: 'expiresAt',
      dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      tableName: 'orders',
      dataEvents: false,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'orders',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'byStatus' })],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  test('grants cover the indexes of a table that has them', () => {
    const stack = stackOf();
    const t = new EncryptedTable(stack, 'T', {
      partitionKey: PK,
      globalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } }],
      dataEvents: false,
    });
    t.grantReadData(new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }));
    const policy = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))[0];
    expect(JSON.stringify(policy.Properties.PolicyDocument.Statement[0].Resource)).toContain('/index/*');
  });

  test('a given symmetric key encrypts the table and no key is created', () => {
    const stack = stackOf();
    const key = new SeparatedDutyKey(stack, 'Shared', { alias: 'shared' });
    const t = new EncryptedTable(stack, 'T', { partitionKey: PK, encryptionKey: key, dataEvents: false });
    expect(t.encryptionKey).toBe(key);
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 1);
    expect(keyStatements(stack).map(s => s.Sid)).toContain('AccountGrantsViaDynamodb');
  });

  test('DESTROY with deletion protection off and the data loss acknowledged', () => {
    const stack = stackOf();
    new EncryptedTable(stack, 'T', { partitionKey: PK, removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false, acknowledgeDataLoss: true, dataEvents: false });
    Template.fromStack(stack).hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::GlobalTable', { Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] });
  });

  test('the L2 table.grantReadData also reaches the key only through DynamoDB', () => {
    const stack = stackOf();
    const t = new EncryptedTable(stack, 'T', { partitionKey: PK, dataEvents: false });
    t.table.grantReadData(new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }));
    const usage = keyStatements(stack).filter(s => (s.Sid ?? '').startsWith('KeyUsage'));
    expect(usage.map(s => s.Sid)).toEqual(['KeyUsageViaDynamodb']);
  });

  test('fails if the given key is not a symmetric encryption key', () => {
    const stack = stackOf();
    const key = new SeparatedDutyKey(stack, 'Mac', { alias: 'mac', keySpec: kms.KeySpec.HMAC_256 });
    expect(() => new EncryptedTable(stack, 'T', { partitionKey: PK, encryptionKey: key }))
      .toThrow(`${PREFIX}\`encryptionKey\` must be a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT), got HMAC_256/GENERATE_VERIFY_MAC`);
  });
});
