import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EncryptedBucket, EncryptedQueue, EncryptedTable, KeyAuditTrail } from '../../src';

/**
 * An error raised while granting names what the user called: the construct, its path and the
 * method (`grantRead()`), never an internal call such as `grantViaService()`.
 */
type Call = (stack: Stack, admin: iam.IRole) => void;
const PK = { name: 'pk', type: dynamodb.AttributeType.STRING };
const calls: Array<[string, string, Call]> = [
  ['EncryptedBucket', 'grantRead()', (s, a) => new EncryptedBucket(s, 'Data', { keyAdministrators: [a], dataEvents: false }).grantRead(a)],
  ['EncryptedBucket', 'grantReadWrite()', (s, a) => new EncryptedBucket(s, 'Data', { keyAdministrators: [a], dataEvents: false }).grantReadWrite(a)],
  ['EncryptedBucket', 'bucket.grant*()', (s, a) => new EncryptedBucket(s, 'Data', { keyAdministrators: [a], dataEvents: false }).bucket.grantRead(a)],
  ['EncryptedQueue', 'grantSendMessages()', (s, a) => new EncryptedQueue(s, 'Data', { keyAdministrators: [a], dataEvents: false }).grantSendMessages(a)],
  ['EncryptedQueue', 'grantConsumeMessages()', (s, a) => new EncryptedQueue(s, 'Data', { keyAdministrators: [a], dataEvents: false }).grantConsumeMessages(a)],
  ['EncryptedTable', 'grantReadData()', (s, a) => new EncryptedTable(s, 'Data', { partitionKey: PK, keyAdministrators: [a], dataEvents: false }).grantReadData(a)],
  ['EncryptedTable', 'grantReadWriteData()', (s, a) => new EncryptedTable(s, 'Data', { partitionKey: PK, keyAdministrators: [a], dataEvents: false }).grantReadWriteData(a)],
  ['KeyAuditTrail', 'grantReadLogFiles()', (s, a) => new KeyAuditTrail(s, 'Data', { keyAdministrators: [a] }).grantReadLogFiles(a)],
];

test.each(calls)('%s %s to a key administrator names the construct and the method', (kind, method, call) => {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'us-east-1' } });
  const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
  let message = '';
  try {
    call(stack, admin);
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message.startsWith(`${kind} at 'S/Data': \`${method}\` cannot make 'S/Admin' a user of the key: it is an administrator of the key`)).toBe(true);
  expect(message).toContain("(key 'S/Data/Key')");
  expect(message).not.toContain('grantViaService');
});
