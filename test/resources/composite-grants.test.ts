import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EncryptedBucket, EncryptedQueue, EncryptedTable } from '../../src';
import { evaluateKeyAccess, resolveKey, roleArn } from '../helpers/iam-eval';
import { ALL_KMS } from '../helpers/key-matrix';

/**
 * A grant of a wrapped L2 (`queue.grantSendMessages`, `bucket.grantRead`)
 * to a CompositePrincipal of a service and a role: the role uses the key only through the owning
 * service, the service only for this account (`aws:SourceAccount`). Answers from the IAM engine.
 */
type Build = (stack: Stack, grantee: iam.IGrantable) => void;
const cases: Array<[string, string, Build]> = [
  ['queue.grantSendMessages', 'sqs', (stack, g) => new EncryptedQueue(stack, 'Data', { dataEvents: false }).queue.grantSendMessages(g)],
  ['queue.grantConsumeMessages', 'sqs', (stack, g) => new EncryptedQueue(stack, 'Data', { dataEvents: false }).queue.grantConsumeMessages(g)],
  ['bucket.grantRead', 's3', (stack, g) => new EncryptedBucket(stack, 'Data', { dataEvents: false }).bucket.grantRead(g)],
];

describe.each(cases)('%s to a composite of a service and a role', (_name, service, build) => {
  // Built on first use, so that a construct that throws fails each test rather than the suite.
  let built: { key: ReturnType<typeof resolveKey>; worker: string } | undefined;
  const setup = () => {
    if (built) return built;
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    const role = new iam.Role(stack, 'Worker', { assumedBy: new iam.AccountRootPrincipal() });
    build(stack, new iam.CompositePrincipal(new iam.ServicePrincipal('sns.amazonaws.com'), role));
    const template = Template.fromStack(stack).toJSON();
    const keyId = Object.keys(template.Resources).find(id => template.Resources[id].Type === 'AWS::KMS::Key')!;
    const worker = roleArn(template, Object.keys(template.Resources).find(id => id.startsWith('Worker') && template.Resources[id].Type === 'AWS::IAM::Role')!);
    built = { key: resolveKey(template, keyId), worker };
    return built;
  };
  const decrypt = (who: 'worker' | string, context: Record<string, string>, identity: boolean) => {
    const { key, worker } = setup();
    return evaluateKeyAccess({
      keyPolicy: key.keyPolicy, keyArn: key.keyArn, principalArn: who === 'worker' ? worker : who, action: 'kms:Decrypt', context, identityPolicies: identity ? [ALL_KMS] : undefined,
    });
  };

  test('the role cannot decrypt directly, even with kms:* in its IAM policy', async () => {
    expect(await decrypt('worker', {}, true)).toBe('ImplicitlyDenied');
  });
  test(`the role decrypts through ${service}`, async () => {
    expect(await decrypt('worker', { 'kms:ViaService': `${service}.us-east-1.amazonaws.com` }, false)).toBe('Allowed');
  });
  test('the service decrypts for this account', async () => {
    expect(await decrypt('sns.amazonaws.com', { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111111111111:topic' }, false)).toBe('Allowed');
  });
  test('the service cannot decrypt for another account', async () => {
    expect(await decrypt('sns.amazonaws.com', { 'aws:SourceArn': 'arn:aws:sns:us-east-1:333333333333:topic' }, false)).toBe('ImplicitlyDenied');
  });
});

test('table.grantReadData to a composite with a service principal fails loudly (aws-cdk-lib refuses service principals on tables)', () => {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'us-east-1' } });
  const role = new iam.Role(stack, 'Worker', { assumedBy: new iam.AccountRootPrincipal() });
  const table = new EncryptedTable(stack, 'Data', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, dataEvents: false });
  expect(() => table.table.grantReadData(new iam.CompositePrincipal(new iam.ServicePrincipal('sns.amazonaws.com'), role))).toThrow(/ServicePrincipal/);
});
