import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EncryptedBucket, EncryptedQueue, EncryptedTable } from '../../src';
import { evaluateKeyAccess, resolveKey } from '../helpers/iam-eval';
import { ALL_KMS, PARTNER_ROLE, STRANGER_ROLE } from '../helpers/key-matrix';

/**
 * A partner role of another account, granted through a resource construct, uses the key only
 * through the owning service in the key's Region: KMS sets `kms:CallerAccount` to the partner's
 * account, so that is what the key policy must name. The resource side names the partner too.
 * Every answer comes from the IAM evaluation engine; the partner's own IAM policy allows `kms:*`
 * (its administrators' half of a cross-account grant).
 */
const resources: Array<[string, string, string, (stack: Stack, partner: iam.IGrantable) => void]> = [
  ['EncryptedBucket', 's3', 'AWS::S3::BucketPolicy', (stack, partner) => new EncryptedBucket(stack, 'Data', { dataEvents: false }).grantRead(partner)],
  ['EncryptedQueue', 'sqs', 'AWS::SQS::QueuePolicy', (stack, partner) => new EncryptedQueue(stack, 'Data', { dataEvents: false }).grantConsumeMessages(partner)],
  ['EncryptedTable', 'dynamodb', 'AWS::DynamoDB::GlobalTable', (stack, partner) => new EncryptedTable(stack, 'Data', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, dataEvents: false }).grantReadData(partner)],
];

describe.each(resources)('%s read grant to a role of another account', (_name, service, resourcePolicyType, build) => {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
  build(stack, iam.Role.fromRoleArn(stack, 'Partner', PARTNER_ROLE));
  const template = Template.fromStack(stack).toJSON();
  const keyId = Object.keys(template.Resources).find(id => template.Resources[id].Type === 'AWS::KMS::Key')!;
  const key = resolveKey(template, keyId);
  const other = service === 's3' ? 'sqs' : 's3';
  const ask = (principalArn: string, action: string, viaService?: string) => evaluateKeyAccess({
    keyPolicy: key.keyPolicy,
    keyArn: key.keyArn,
    principalArn,
    action,
    context: viaService ? { 'kms:ViaService': viaService } : {},
    identityPolicies: [ALL_KMS],
  });

  test(`the partner decrypts through ${service} in the key's Region`, async () => {
    expect(await ask(PARTNER_ROLE, 'kms:Decrypt', `${service}.us-east-1.amazonaws.com`)).toBe('Allowed');
  });
  test('the partner cannot decrypt directly', async () => {
    expect(await ask(PARTNER_ROLE, 'kms:Decrypt')).toBe('ImplicitlyDenied');
  });
  test('the partner cannot decrypt through another service', async () => {
    expect(await ask(PARTNER_ROLE, 'kms:Decrypt', `${other}.us-east-1.amazonaws.com`)).toBe('ImplicitlyDenied');
  });
  test(`the partner cannot decrypt through ${service} in another Region`, async () => {
    expect(await ask(PARTNER_ROLE, 'kms:Decrypt', `${service}.eu-west-1.amazonaws.com`)).toBe('ImplicitlyDenied');
  });
  test(`another role of the partner's account cannot decrypt, even through ${service}`, async () => {
    expect(await ask(STRANGER_ROLE, 'kms:Decrypt', `${service}.us-east-1.amazonaws.com`)).toBe('ImplicitlyDenied');
  });
  test('the resource policy names the partner', () => {
    const policies = Object.values(template.Resources).filter((r: any) => r.Type === resourcePolicyType);
    expect(JSON.stringify(policies)).toContain(PARTNER_ROLE);
  });
  test('no IAM policy is written for the partner', () => {
    const types = Object.values(template.Resources).map((r: any) => r.Type);
    expect(types).not.toContain('AWS::IAM::Policy');
    expect(JSON.stringify(Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::IAM::ManagedPolicy'))).not.toContain('partner-reader');
  });
});

describe('a grantee whose account is known only at deployment', () => {
  test('is an error that names the construct, the method and what is allowed', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    const bucket = new EncryptedBucket(stack, 'Data', { dataEvents: false });
    const param = new CfnParameter(stack, 'PartnerAccount', { type: 'String' });
    const deployTime = iam.Role.fromRoleArn(stack, 'DeployTime', `arn:aws:iam::${param.valueAsString}:role/reader`);
    expect(() => bucket.grantRead(deployTime)).toThrow(/EncryptedBucket at 'S\/Data'.*`grantRead\(\)`/);
  });
});
