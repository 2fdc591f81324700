import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { EncryptedBucket, EncryptedQueue, EncryptedTable, KeyAuditTrail } from '../../src';
import { findingsByPack, noFindings, registerBuiltInPacks } from '../helpers/nag';

const env = { account: '111111111111', region: 'us-east-1' };
const PK = { name: 'pk', type: dynamodb.AttributeType.STRING };

/** The values of every advanced selector field of the stack's one trail, resolved, as text. */
function selectors(stack: Stack): string {
  const trails = Template.fromStack(stack).findResources('AWS::CloudTrail::Trail');
  expect(Object.keys(trails)).toHaveLength(1);
  const trail = Object.values<any>(trails)[0];
  expect(trail.Properties.EventSelectors).toBeUndefined();
  return JSON.stringify(trail.Properties.AdvancedEventSelectors);
}

describe('data events of the resource constructs', () => {
  test('a stack with the three constructs has exactly one trail selecting each resource and the KMS events', () => {
    const app = new App();
    const stack = new Stack(app, 'Data', { env });
    new EncryptedBucket(stack, 'Docs');
    new EncryptedQueue(stack, 'Events');
    new EncryptedTable(stack, 'Orders', { partitionKey: PK });
    const text = selectors(stack);
    expect(text).toMatch(/AWS::S3::Object.*DocsBucket/);
    expect(text).toMatch(/AWS::SQS::Queue.*EventsQueue/);
    expect(text).toMatch(/EventsDeadLetterQueue/);
    expect(text).toMatch(/AWS::DynamoDB::Table.*OrdersTable/);
    expect(text).not.toContain('kms.amazonaws.com');
    expect(stack.node.tryFindChild(KeyAuditTrail.DEFAULT_ID)).toBeInstanceOf(KeyAuditTrail);
  });

  test('six cdk-nag packs pass on the three constructs with their trail', () => {
    const app = new App();
    const stack = new Stack(app, 'Data', { env });
    new EncryptedBucket(stack, 'Docs');
    new EncryptedQueue(stack, 'Events');
    new EncryptedTable(stack, 'Orders', { partitionKey: PK });
    const packs = registerBuiltInPacks(app);
    expect(findingsByPack(app, packs)).toEqual(noFindings(packs));
  });

  test('dataEvents: false creates no trail', () => {
    const app = new App();
    const stack = new Stack(app, 'Data', { env });
    new EncryptedBucket(stack, 'Docs', { dataEvents: false });
    new EncryptedQueue(stack, 'Events', { dataEvents: false });
    new EncryptedTable(stack, 'Orders', { partitionKey: PK, dataEvents: false });
    Template.fromStack(stack).resourceCountIs('AWS::CloudTrail::Trail', 0);
  });

  test('a shared trail in another stack collects the resources; their stacks create no trail and deploy first', () => {
    const app = new App();
    const audit = new Stack(app, 'Audit', { env });
    const trail = new KeyAuditTrail(audit, 'Trail');
    const stacks = ['A', 'B'].map(id => new Stack(app, id, { env }));
    stacks.forEach(s => new EncryptedBucket(s, 'Docs', { auditTrail: trail }));
    new EncryptedTable(stacks[1], 'Orders', { partitionKey: PK, auditTrail: trail });
    const assembly = app.synth();
    const before = (id: string) => assembly.getStackByName(id).dependencies.map(d => d.id).filter(d => !d.endsWith('.assets')).sort();
    for (const id of ['A', 'B']) {
      expect(Object.values<any>(assembly.getStackByName(id).template.Resources).filter(r => r.Type === 'AWS::CloudTrail::Trail')).toEqual([]);
      expect(before(id)).toEqual([]);
    }
    expect(before('Audit')).toEqual(['A', 'B']);
    const text = JSON.stringify(assembly.getStackByName('Audit').template.Resources);
    expect(text.match(/Fn::ImportValue/g)?.length).toBeGreaterThanOrEqual(3);
  });

  test('fails if auditTrail is given with dataEvents: false', () => {
    const app = new App();
    const stack = new Stack(app, 'Data', { env });
    const trail = new KeyAuditTrail(stack, 'Trail');
    expect(() => new EncryptedBucket(stack, 'Docs', { auditTrail: trail, dataEvents: false }))
      .toThrow("EncryptedBucket at 'Data/Docs': `auditTrail` is set but `dataEvents` is false: remove one of them");
  });

  test('seven stacks in one account and Region, each with a bucket, fail and say how to share', () => {
    const app = new App();
    for (let i = 0; i < 7; i++) new EncryptedBucket(new Stack(app, `S${i}`, { env }), 'Docs');
    expect(() => app.synth()).toThrow(/at most 5/);
  });
});
