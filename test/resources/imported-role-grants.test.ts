import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { HIPAASecurityChecks, NIST80053R4Checks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { EncryptedBucket, EncryptedQueue, EncryptedTable, MultiRegionKeySet } from '../../src';
import { evaluateKeyAccess, resolveKey } from '../helpers/iam-eval';
import { ALL_KMS } from '../helpers/key-matrix';

/**
 * A role the app imports (`iam.Role.fromRoleName`) is granted on the resource side (bucket,
 * queue or table resource policy) and in the key policy, never through an inline IAM policy
 * (which the HIPAA, NIST and PCI packs reject, and which, for a role scoped to another stack,
 * closes a dependency cycle).
 */
const ENV = { account: '111111111111', region: 'us-east-1' };
const IMPORTED = 'arn:aws:iam::111111111111:role/imported-reader';
const resources: Array<[string, string, string, (stack: Stack, role: iam.IRole) => void]> = [
  ['EncryptedBucket', 's3', 'AWS::S3::BucketPolicy', (stack, role) => new EncryptedBucket(stack, 'Data', { dataEvents: false }).grantReadWrite(role)],
  ['EncryptedQueue', 'sqs', 'AWS::SQS::QueuePolicy', (stack, role) => {
    const queue = new EncryptedQueue(stack, 'Data', { dataEvents: false });
    queue.grantConsumeMessages(role);
    queue.grantSendMessages(role);
  }],
  ['EncryptedTable', 'dynamodb', 'AWS::DynamoDB::GlobalTable', (stack, role) => new EncryptedTable(stack, 'Data', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, dataEvents: false }).grantReadWriteData(role)],
];

describe.each(resources)('%s grant to an imported role', (_name, service, resourcePolicyType, build) => {
  const app = new App();
  const stack = new Stack(app, 'S', { env: ENV });
  build(stack, iam.Role.fromRoleName(stack, 'Imported', 'imported-reader'));
  const template = Template.fromStack(stack).toJSON();
  const keyId = Object.keys(template.Resources).find(id => template.Resources[id].Type === 'AWS::KMS::Key')!;
  const key = resolveKey(template, keyId);

  test('writes no inline IAM policy', () => {
    expect(Object.values(template.Resources).map((r: any) => r.Type)).not.toContain('AWS::IAM::Policy');
  });
  test('the resource policy names the role', () => {
    const policies = Object.values(template.Resources).filter((r: any) => r.Type === resourcePolicyType);
    expect(JSON.stringify(policies)).toContain('role/imported-reader');
  });
  test(`the role decrypts through ${service}, and not directly`, async () => {
    const ask = (context: Record<string, string>) => evaluateKeyAccess({
      keyPolicy: key.keyPolicy, keyArn: key.keyArn, principalArn: IMPORTED, action: 'kms:Decrypt', context, identityPolicies: [ALL_KMS],
    });
    expect(await ask({ 'kms:ViaService': `${service}.us-east-1.amazonaws.com` })).toBe('Allowed');
    expect(await ask({})).toBe('ImplicitlyDenied');
  });
  test('the HIPAA, NIST and PCI packs find no inline policy', () => {
    const packs = [new HIPAASecurityChecks(), new NIST80053R4Checks(), new NIST80053R5Checks(), new PCIDSS321Checks()];
    for (const pack of packs) {
      const violations = pack.validateScope(app).violations.filter((v: any) => /NoInlinePolicy/.test(v.ruleName));
      expect(violations).toEqual([]);
    }
  });
});

test('a global table grant to a role imported in the key set\'s stack synthesizes without a cycle', () => {
  const app = new App();
  const stack = (id: string, region: string) => new Stack(app, id, { env: { account: ENV.account, region }, crossRegionReferences: true });
  const primary = stack('Keys', 'us-east-1');
  const keys = new MultiRegionKeySet(primary, 'Keys', { alias: 'customers', replicaStacks: [stack('KeysEu', 'eu-west-1')] });
  const tables = stack('Tables', 'us-east-1');
  const table = new EncryptedTable(tables, 'Customers', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, keySet: keys, dataEvents: false });
  table.grantReadWriteData(iam.Role.fromRoleName(primary, 'Imported', 'imported-reader'));
  expect(() => app.synth()).not.toThrow();
  for (const s of [primary, tables]) {
    expect(Object.values(Template.fromStack(s).toJSON().Resources).map((r: any) => r.Type)).not.toContain('AWS::IAM::Policy');
  }
});
