import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EncryptedBucket, EncryptedQueue, EncryptedTable } from '../../src';
import { evaluateKeyAccess, resolveIntrinsics, roleArn } from '../helpers/iam-eval';

/**
 * A key whose policy this library cannot write (`kms.Key.fromKeyArn`, a key of another stack
 * that is not a SeparatedDutyKey) given to a resource construct: a grant to a role of the app
 * writes an identity statement scoped to the owning service (`kms:ViaService`) in a managed
 * policy; a grant to any other principal, which nothing here could write, is an error. Never a
 * grant that writes nowhere.
 */
const ENV = { account: '111111111111', region: 'us-east-1' };
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/** The default policy of a key created outside the app: the account's IAM policies decide. */
const ACCOUNT_TRUSTING_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }],
};

const resources: Array<[string, string, string, (stack: Stack, key: kms.IKey, grantee: iam.IGrantable) => void]> = [
  ['EncryptedBucket', 's3', 'grantRead()', (stack, key, g) => new EncryptedBucket(stack, 'Data', { encryptionKey: key, dataEvents: false }).grantRead(g)],
  ['EncryptedQueue', 'sqs', 'grantConsumeMessages()', (stack, key, g) => new EncryptedQueue(stack, 'Data', { encryptionKey: key, dataEvents: false }).grantConsumeMessages(g)],
  ['EncryptedTable', 'dynamodb', 'grantReadData()', (stack, key, g) => new EncryptedTable(stack, 'Data', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, encryptionKey: key, dataEvents: false }).grantReadData(g)],
];

describe.each(resources)('%s under an imported key', (kind, service, method, build) => {
  test('a role of the app gets a managed policy scoped to the service: the IAM engine allows it only through the service', async () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    build(stack, kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN), reader);
    const template = Template.fromStack(stack).toJSON();
    expect(Object.values(template.Resources).map((r: any) => r.Type)).not.toContain('AWS::IAM::Policy');
    const identityPolicies = Object.values(template.Resources)
      .filter((r: any) => r.Type === 'AWS::IAM::ManagedPolicy')
      .map((r: any) => resolveIntrinsics(template, r.Properties.PolicyDocument));
    const principalArn = roleArn(template, Object.keys(template.Resources).find(id => id.startsWith('Reader') && template.Resources[id].Type === 'AWS::IAM::Role')!);
    const ask = (context: Record<string, string>) => evaluateKeyAccess({
      keyPolicy: ACCOUNT_TRUSTING_POLICY, keyArn: KEY_ARN, principalArn, action: 'kms:Decrypt', context, identityPolicies,
    });
    expect(await ask({ 'kms:ViaService': `${service}.us-east-1.amazonaws.com` })).toBe('Allowed');
    expect(await ask({})).toBe('ImplicitlyDenied');
    expect(await ask({ 'kms:ViaService': `${service === 's3' ? 'sqs' : 's3'}.us-east-1.amazonaws.com` })).toBe('ImplicitlyDenied');
  });

  test('an imported role, which nothing here could grant, is an error', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const role = iam.Role.fromRoleName(stack, 'Reader', 'reader');
    const escaped = method.replace(/[()]/g, '\\$&');
    expect(() => build(stack, kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN), role))
      .toThrow(new RegExp(`${kind} at 'S/Data': \`${escaped}\` cannot grant use of the key 'S/Imported' to 'S/Reader'.*Allowed:`));
  });
});
