import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { EncryptedQueue } from '../../src/resources/encrypted-queue';
import { EncryptedTable } from '../../src/resources/encrypted-table';
import { findingsByPack, noFindings, registerBuiltInPacks } from '../helpers/nag';

const ENV = { account: '111111111111', region: 'us-east-1' };
const SNS_FLAG = '@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption';
function stackOf(context: Record<string, any> = {}) {
  const app = new App({ context });
  return new Stack(app, 'S', { env: ENV });
}
const PREFIX = "EncryptedQueue at 'S/Q': ";

function keyStatements(stack: Stack): any[] {
  const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
  return Object.values(keys).flatMap((k: any) => k.Properties.KeyPolicy.Statement);
}

describe('defaults', () => {
  test('SSE-KMS with the created key, data key reuse 300 s, retention 4 days', () => {
    const stack = stackOf();
    const q = new EncryptedQueue(stack, 'Q');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QKey'), 'Arn'] },
      KmsDataKeyReusePeriodSeconds: 300,
      MessageRetentionPeriod: 345600,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 3 },
    });
    expect(q.encryptionKey.node.path).toBe('S/Q/Key');
  });
  test('the dead-letter queue is under the same key and keeps messages 14 days', () => {
    const stack = stackOf();
    new EncryptedQueue(stack, 'Q');
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QKey'), 'Arn'] },
      MessageRetentionPeriod: 1209600,
      RedrivePolicy: Match.absent(),
    });
  });
  test('TLS only on both queues', () => {
    const stack = stackOf();
    new EncryptedQueue(stack, 'Q');
    Template.fromStack(stack).resourceCountIs('AWS::SQS::QueuePolicy', 2);
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
  test('queues are retained', () => {
    const stack = stackOf();
    new EncryptedQueue(stack, 'Q');
    const queues = Template.fromStack(stack).findResources('AWS::SQS::Queue');
    expect(Object.values(queues).map((q: any) => q.DeletionPolicy)).toEqual(['Retain', 'Retain']);
  });
});

describe('overrides', () => {
  test('FIFO queue gets a FIFO dead-letter queue', () => {
    const stack = stackOf();
    new EncryptedQueue(stack, 'Q', { fifo: true, contentBasedDeduplication: true });
    const queues = Object.values(Template.fromStack(stack).findResources('AWS::SQS::Queue')) as any[];
    expect(queues.map(q => q.Properties.FifoQueue)).toEqual([true, true]);
  });
  test('reuse, retention, visibility, maxReceiveCount, name', () => {
    const stack = stackOf();
    new EncryptedQueue(stack, 'Q', {
      dataKeyReuse: Duration.hours(1), retentionPeriod: Duration.days(14), visibilityTimeout: Duration.minutes(5), maxReceiveCount: 10, queueName: 'orders',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'orders',
      KmsDataKeyReusePeriodSeconds: 3600,
      MessageRetentionPeriod: 1209600,
      VisibilityTimeout: 300,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 10 }),
    });
  });
  test('a given key and dead-letter queue are used', () => {
    const stack = stackOf();
    const key = new kms.Key(stack, 'K');
    const dlq = new sqs.Queue(stack, 'D');
    const q = new EncryptedQueue(stack, 'Q', { encryptionKey: key, deadLetterQueue: dlq });
    expect(q.deadLetterQueue).toBe(dlq);
    expect(q.encryptionKey).toBe(key);
    Template.fromStack(stack).resourceCountIs('AWS::SQS::Queue', 2);
  });
  test('DESTROY with acknowledgeDataLoss', () => {
    const stack = stackOf();
    new EncryptedQueue(stack, 'Q', { removalPolicy: RemovalPolicy.DESTROY, acknowledgeDataLoss: true });
    const queues = Object.values(Template.fromStack(stack).findResources('AWS::SQS::Queue')) as any[];
    expect(queues.map(q => q.DeletionPolicy)).toEqual(['Delete', 'Delete']);
  });
});

describe('bad input', () => {
  test('fails if the key is not symmetric', () => {
    const stack = stackOf();
    const key = new kms.Key(stack, 'K', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.SIGN_VERIFY });
    expect(() => new EncryptedQueue(stack, 'Q', { encryptionKey: key })).toThrow(
      `${PREFIX}\`encryptionKey\` must be a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT), got RSA_2048/SIGN_VERIFY`);
  });
  test.each([[Duration.seconds(59), '59 seconds'], [Duration.seconds(86401), '1 day 1 second']])('fails if dataKeyReuse is %s', (d, human) => {
    expect(() => new EncryptedQueue(stackOf(), 'Q', { dataKeyReuse: d })).toThrow(
      `${PREFIX}\`dataKeyReuse\` must be a whole number of seconds between 60 and 86400 (1 minute to 24 hours), got ${human}`);
  });
  test('accepts dataKeyReuse at both bounds', () => {
    expect(() => new EncryptedQueue(stackOf(), 'Q', { dataKeyReuse: Duration.seconds(60) })).not.toThrow();
    expect(() => new EncryptedQueue(stackOf(), 'Q', { dataKeyReuse: Duration.hours(24) })).not.toThrow();
  });
  test.each([0, 1001, 2.5])('fails if maxReceiveCount is %s', n => {
    expect(() => new EncryptedQueue(stackOf(), 'Q', { maxReceiveCount: n })).toThrow(`${PREFIX}\`maxReceiveCount\` must be a whole number between 1 and 1000, got ${n}`);
  });
  test('fails if retentionPeriod is over 14 days', () => {
    expect(() => new EncryptedQueue(stackOf(), 'Q', { retentionPeriod: Duration.days(15) })).toThrow(
      `${PREFIX}\`retentionPeriod\` must be a whole number of seconds between 60 and 1209600 (1 minute to 14 days), got 15 days`);
  });
  test('fails if visibilityTimeout is over 12 hours', () => {
    expect(() => new EncryptedQueue(stackOf(), 'Q', { visibilityTimeout: Duration.hours(13) })).toThrow(
      `${PREFIX}\`visibilityTimeout\` must be a whole number of seconds between 0 and 43200 (0 seconds to 12 hours), got 13 hours`);
  });
  test('fails if a FIFO queue gets a standard dead-letter queue', () => {
    const stack = stackOf();
    const dlq = new sqs.Queue(stack, 'D');
    expect(() => new EncryptedQueue(stack, 'Q', { fifo: true, deadLetterQueue: dlq })).toThrow(
      `${PREFIX}\`deadLetterQueue\` must be a FIFO queue for a FIFO queue, got the standard queue 'S/D'`);
  });
  test('fails if a standard queue gets a FIFO dead-letter queue (read from the CfnQueue)', () => {
    const stack = stackOf();
    const dlq = sqs.Queue.fromQueueArn(stack, 'D', 'arn:aws:sqs:us-east-1:111111111111:x');
    new sqs.CfnQueue(dlq as any, 'Resource', { fifoQueue: true });
    (dlq.node as any)._defaultChild = undefined;
    expect(() => new EncryptedQueue(stack, 'Q', { deadLetterQueue: dlq })).toThrow(
      `${PREFIX}\`deadLetterQueue\` must be a standard queue for a standard queue, got the FIFO queue 'S/D'`);
  });
  test('fails if DESTROY is not acknowledged', () => {
    expect(() => new EncryptedQueue(stackOf(), 'Q', { removalPolicy: RemovalPolicy.DESTROY })).toThrow(
      `${PREFIX}\`removalPolicy\` is destroy, which deletes the data when the resource leaves the stack; set \`acknowledgeDataLoss: true\` to confirm, or keep RETAIN (the default)`);
  });
  test('fails if contentBasedDeduplication is set on a standard queue', () => {
    expect(() => new EncryptedQueue(stackOf(), 'Q', { contentBasedDeduplication: true })).toThrow(
      `${PREFIX}\`contentBasedDeduplication\` applies only to FIFO queues; set \`fifo: true\` or remove it`);
  });
});

describe('grants', () => {
  test.each([
    ['grantSendMessages', ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], ['kms:GenerateDataKey', 'kms:Decrypt']],
    ['grantConsumeMessages', ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], ['kms:Decrypt']],
  ])('%s: SQS actions in a managed policy attached to the role (no inline policy), key only through SQS', (method, sqsActions, kmsActions) => {
    const stack = stackOf();
    const q = new EncryptedQueue(stack, 'Q', { dataEvents: false });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    const other = new iam.Role(stack, 'Other', { assumedBy: new iam.AccountRootPrincipal() });
    (q as any)[method](role);
    (q as any)[method](other);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Action: sqsActions, Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QQueue'), 'Arn'] } }] },
      Roles: [{ Ref: Match.stringLikeRegexp('^R') }, { Ref: Match.stringLikeRegexp('^Other') }],
    });
    const s = keyStatements(stack).find(x => x.Sid === 'KeyUsageViaSqs');
    expect(s.Action).toEqual(expect.arrayContaining(kmsActions));
    expect(s.Action).toHaveLength(kmsActions.length + 0);
    expect(s.Condition.StringEquals['kms:ViaService']).toEqual({ 'Fn::Join': ['', ['sqs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] });
  });
  test('grantPurge gives no key use', () => {
    const stack = stackOf();
    const q = new EncryptedQueue(stack, 'Q');
    q.grantPurge(new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['sqs:PurgeQueue', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'] })] },
    });
    expect(keyStatements(stack).some(x => (x.Sid ?? '').startsWith('KeyUsage'))).toBe(false);
  });
  test('the L2 queue.grantSendMessages also goes through SQS only', () => {
    const stack = stackOf();
    const q = new EncryptedQueue(stack, 'Q');
    q.queue.grantSendMessages(new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }));
    const s = keyStatements(stack).filter(x => (x.Sid ?? '').startsWith('KeyUsage'));
    expect(s.map(x => x.Sid)).toEqual(['KeyUsageViaSqs']);
  });
});

describe('delivery from SNS and EventBridge', () => {
  test('SNS subscription: the key admits sns only for the topic (flag on)', () => {
    const stack = stackOf({ [SNS_FLAG]: true });
    const q = new EncryptedQueue(stack, 'Q');
    const topic = new sns.Topic(stack, 'T');
    topic.addSubscription(new subs.SqsSubscription(q.queue));
    const s = keyStatements(stack).filter(x => JSON.stringify(x.Principal ?? {}).includes('sns.amazonaws.com'));
    expect(s).toHaveLength(1);
    expect(s[0].Condition).toEqual({ ArnEquals: { 'aws:SourceArn': { Ref: expect.stringMatching(/^T/) } } });
    expect(s[0].Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });
  test('fails if the SNS flag is off', () => {
    const stack = stackOf({ [SNS_FLAG]: false });
    const q = new EncryptedQueue(stack, 'Q');
    const topic = new sns.Topic(stack, 'T');
    expect(() => topic.addSubscription(new subs.SqsSubscription(q.queue))).toThrow(
      /SeparatedDutyKey at 'S\/Q\/Key': `addToResourcePolicy\(\)` would open the key: sns.amazonaws.com acting for a resource of another account can use the key .*; for SNS subscriptions enable the feature flag @aws-cdk\/aws-sns-subscriptions:restrictSqsDescryption$/);
  });
  test('grantSnsDelivery adds queue and key statements for the topic', () => {
    const stack = stackOf();
    const q = new EncryptedQueue(stack, 'Q');
    q.grantSnsDelivery(new sns.Topic(stack, 'T'));
    const s = keyStatements(stack).find(x => JSON.stringify(x.Principal ?? {}).includes('sns.amazonaws.com'));
    expect(s.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': { Ref: expect.stringMatching(/^T/) } } });
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sqs:SendMessage', Principal: { Service: 'sns.amazonaws.com' } })]) },
    });
  });
  test('grantEventBridgeDelivery for a rule of another stack names its ARN; one of the same stack, its literal name', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    const other = new Stack(app, 'Rules', { env: { account: '111111111111', region: 'us-east-1' } });
    const q = new EncryptedQueue(stack, 'Q');
    q.grantEventBridgeDelivery(new events.Rule(other, 'Elsewhere', { schedule: events.Schedule.rate(Duration.hours(1)) }));
    q.grantEventBridgeDelivery(new events.Rule(stack, 'Named', { ruleName: 'orders-hourly', schedule: events.Schedule.rate(Duration.hours(1)) }));
    const s = keyStatements(stack).find(x => JSON.stringify(x.Principal ?? {}).includes('events.amazonaws.com'));
    const sources = JSON.stringify(s.Condition.ArnEquals['aws:SourceArn']);
    expect(sources).toContain('Fn::ImportValue');
    expect(sources).toContain(':rule/orders-hourly');
    expect(() => app.synth()).not.toThrow();
  });
  test('fails if grantEventBridgeDelivery gets a rule of the queue stack without a ruleName', () => {
    const stack = stackOf();
    const q = new EncryptedQueue(stack, 'Q');
    expect(() => q.grantEventBridgeDelivery(new events.Rule(stack, 'Unnamed', { schedule: events.Schedule.rate(Duration.hours(1)) })))
      .toThrow("EncryptedQueue at 'S/Q': `grantEventBridgeDelivery()` got rule 'S/Unnamed' of the queue's own stack without a literal `ruleName`: the key policy cannot reference it without a cycle");
  });
  test('EventBridge target: the key admits events only for the rule', () => {
    const stack = stackOf();
    const q = new EncryptedQueue(stack, 'Q');
    const rule = new events.Rule(stack, 'Rule', { ruleName: 'hourly', schedule: events.Schedule.rate(Duration.hours(1)) });
    rule.addTarget(new targets.SqsQueue(q.queue));
    const s = keyStatements(stack).filter(x => JSON.stringify(x.Principal ?? {}).includes('events.amazonaws.com'));
    expect(s).toHaveLength(1);
    expect(s[0].Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
    expect(s[0].Condition).toEqual({ ArnEquals: { 'aws:SourceArn': [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':rule/hourly']] }] } });
  });
  test('fails at synth if an EventBridge target has no rule in the stack', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    const other = new Stack(app, 'O', { env: ENV });
    const q = new EncryptedQueue(stack, 'Q');
    const rule = new events.Rule(other, 'Rule', { schedule: events.Schedule.rate(Duration.hours(1)) });
    rule.addTarget(new targets.SqsQueue(q.queue));
    expect(() => app.synth()).toThrow(/EncryptedQueue at 'S\/Q': an EventBridge target was added for the queue, but no rule with a literal `ruleName` in stack 'S' targets it/);
  });
});

describe('cdk-nag', () => {
  test('queue and table pass all six packs; only the DLQ redrive is acknowledged', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    new EncryptedQueue(stack, 'Q');
    new EncryptedTable(stack, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const packs = registerBuiltInPacks(app);
    expect(findingsByPack(app, packs)).toEqual(noFindings(packs));
  });
});
