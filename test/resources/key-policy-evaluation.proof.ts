import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EncryptedBucket, EncryptedQueue, EncryptedTable } from '../../src';
import { evaluateKeyAccess, resolveKey, roleArn } from '../helpers/iam-eval';
import { ALL_KMS } from '../helpers/key-matrix';

/**
 * A role granted read on a resource reaches the resource's key only through the owning service,
 * in the key's Region and account: never directly, never through another service, and never
 * as an administrator, whatever its own IAM policy says.
 */
const resources: Array<[string, string, (stack: Stack, reader: iam.IRole) => void]> = [
  ['EncryptedBucket', 's3', (stack, reader) => new EncryptedBucket(stack, 'Data', { dataEvents: false }).grantRead(reader)],
  ['EncryptedQueue', 'sqs', (stack, reader) => new EncryptedQueue(stack, 'Data', { dataEvents: false }).grantConsumeMessages(reader)],
  ['EncryptedTable', 'dynamodb', (stack, reader) => new EncryptedTable(stack, 'Data', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, dataEvents: false }).grantReadData(reader)],
];

describe.each(resources)('%s read grant', (_name, service, build) => {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
  build(stack, reader);
  const template = Template.fromStack(stack).toJSON();
  const keyIds = Object.keys(template.Resources).filter(id => template.Resources[id].Type === 'AWS::KMS::Key');
  const key = resolveKey(template, keyIds[0]);
  const readerArn = roleArn(template, Object.keys(template.Resources).find(id => id.startsWith('Reader') && template.Resources[id].Type === 'AWS::IAM::Role')!);
  const other = service === 's3' ? 'sqs' : 's3';
  const ask = (action: string, context: Record<string, string>, identity = false) => evaluateKeyAccess({
    keyPolicy: key.keyPolicy, keyArn: key.keyArn, principalArn: readerArn, action, context, identityPolicies: identity ? [ALL_KMS] : undefined,
  });

  test('the resource has exactly one key', () => expect(keyIds).toHaveLength(1));
  test('decrypts through the service', async () => {
    expect(await ask('kms:Decrypt', { 'kms:ViaService': `${service}.us-east-1.amazonaws.com`, 'kms:CallerAccount': '111111111111' })).toBe('Allowed');
  });
  test('cannot decrypt directly, even with kms:* in its IAM policy', async () => {
    expect(await ask('kms:Decrypt', {}, true)).toBe('ImplicitlyDenied');
  });
  test('cannot decrypt through another service', async () => {
    expect(await ask('kms:Decrypt', { 'kms:ViaService': `${other}.us-east-1.amazonaws.com`, 'kms:CallerAccount': '111111111111' }, true)).toBe('ImplicitlyDenied');
  });
  test('cannot decrypt through the service in another Region', async () => {
    expect(await ask('kms:Decrypt', { 'kms:ViaService': `${service}.eu-west-1.amazonaws.com`, 'kms:CallerAccount': '111111111111' })).toBe('ImplicitlyDenied');
  });
  test('cannot administer the key, even with kms:* in its IAM policy', async () => {
    expect(await ask('kms:PutKeyPolicy', {}, true)).toBe('ExplicitlyDenied');
    expect(await ask('kms:ScheduleKeyDeletion', {}, true)).toBe('ExplicitlyDenied');
  });
});
