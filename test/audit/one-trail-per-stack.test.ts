import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { EncryptedBucket, EncryptedQueue, EncryptedTable, KeyAuditTrail } from '../../src';

/**
 * A KeyAuditTrail the user created in a stack is the trail the stack's resource constructs
 * register with when they are not given `auditTrail`; a second, default trail (its own key,
 * bucket, log group, topic and alarms, recording and billing the management events twice) is
 * never created silently.
 */
const ENV = { account: '111111111111', region: 'us-east-1' };
const PK = { name: 'pk', type: dynamodb.AttributeType.STRING };

test('resources without `auditTrail` register with the trail the user created in the stack', () => {
  const stack = new Stack(new App(), 'S', { env: ENV });
  new KeyAuditTrail(stack, 'Audit');
  new EncryptedBucket(stack, 'Docs');
  new EncryptedQueue(stack, 'Events');
  new EncryptedTable(stack, 'Orders', { partitionKey: PK });
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::CloudTrail::Trail', 1);
  const trail = Object.values(template.findResources('AWS::CloudTrail::Trail'))[0] as any;
  const selectors = JSON.stringify(trail.Properties.AdvancedEventSelectors);
  for (const type of ['AWS::S3::Object', 'AWS::SQS::Queue', 'AWS::DynamoDB::Table']) expect(selectors).toContain(type);
});

test('a trail created in a stack after its resources registered with the default trail is an error', () => {
  const stack = new Stack(new App(), 'S', { env: ENV });
  new EncryptedBucket(stack, 'Docs');
  expect(() => new KeyAuditTrail(stack, 'Audit')).toThrow(/KeyAuditTrail at 'S\/Audit'.*'S\/KeyAuditTrail'.*`auditTrail`/);
});

test('with two trails in the stack, a resource without `auditTrail` is an error naming both', () => {
  const stack = new Stack(new App(), 'S', { env: ENV });
  new KeyAuditTrail(stack, 'Audit');
  new KeyAuditTrail(stack, 'SecondAudit');
  expect(() => new EncryptedBucket(stack, 'Docs')).toThrow(/EncryptedBucket at 'S\/Docs': `auditTrail`.*'S\/Audit'.*'S\/SecondAudit'/);
});

test('a trail passed explicitly is used, whatever else the stack holds', () => {
  const stack = new Stack(new App(), 'S', { env: ENV });
  const audit = new KeyAuditTrail(stack, 'Audit');
  new KeyAuditTrail(stack, 'SecondAudit');
  new EncryptedBucket(stack, 'Docs', { auditTrail: audit });
  Template.fromStack(stack).resourceCountIs('AWS::CloudTrail::Trail', 2);
});

test('a stack without a trail still gets its default trail, once', () => {
  const stack = new Stack(new App(), 'S', { env: ENV });
  new EncryptedBucket(stack, 'Docs');
  new EncryptedQueue(stack, 'Events');
  Template.fromStack(stack).resourceCountIs('AWS::CloudTrail::Trail', 1);
  expect(stack.node.tryFindChild(KeyAuditTrail.DEFAULT_ID)).toBeDefined();
});
