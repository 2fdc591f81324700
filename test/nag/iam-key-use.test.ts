import { Aws, aws_iam as iam, aws_kms as kms, CfnParameter, Stack } from 'aws-cdk-lib';
import { newStack, pathsFor } from './nag-test-util';

const RULE = 'KMSG-IAM1';
const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** The paths IAM1 reports for what `build` adds to a fresh stack. */
function reported(build: (stack: Stack) => void): string[] {
  const { app, stack } = newStack();
  build(stack);
  return pathsFor(app, RULE);
}

const role = (stack: Stack) => new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
/** An L2 role with one statement in its default policy. */
const roleWith = (statement: iam.PolicyStatementProps) => (stack: Stack) => role(stack).addToPolicy(new iam.PolicyStatement(statement));
const DEFAULT_POLICY = ['Stack/Role/DefaultPolicy/Resource'];
/** An L1 managed policy with the given statements. */
const managed = (...statements: unknown[]) => (stack: Stack) =>
  new iam.CfnManagedPolicy(stack, 'Policy', { policyDocument: { Version: '2012-10-17', Statement: statements } });

describe('KMSG-IAM1: identity policies that use keys they do not name', () => {
  test.each([
    ['kms:Decrypt on *', { actions: ['kms:Decrypt'], resources: ['*'] }],
    ['kms:* on *', { actions: ['kms:*'], resources: ['*'] }],
    ['* on *', { actions: ['*'], resources: ['*'] }],
    ['kms:Re* on every key of an account', { actions: ['kms:Re*'], resources: ['arn:aws:kms:*:111122223333:key/*'] }],
    ['kms:GenerateDataKey on arn:aws:kms:*', { actions: ['kms:GenerateDataKey'], resources: ['arn:aws:kms:*'] }],
    ['kms:Decrypt on every key of the stack\'s account and Region', { actions: ['kms:Decrypt'], resources: [`arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/*`] }],
    ['NotAction kms:Decrypt (every other action) on *', { notActions: ['kms:Decrypt'], resources: ['*'] }],
    ['kms:Decrypt on NotResource one key', { actions: ['kms:Decrypt'], notResources: [KEY_ARN] }],
    ['kms:CreateGrant on * (hands use on)', { actions: ['kms:CreateGrant'], resources: ['*'] }],
    ['kms:ViaService with IfExists', { actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringEqualsIfExists: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } }],
    ['a negated kms:ViaService', { actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringNotEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } }],
    ['kms:ViaService matching every service', { actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringLike: { 'kms:ViaService': '*.amazonaws.com' } } }],
    ['a condition on the caller only (network)', { actions: ['kms:Decrypt'], resources: ['*'], conditions: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }],
    ['ForAllValues on the encryption context keys (holds when there is no context)', { actions: ['kms:Decrypt'], resources: ['*'], conditions: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['tenant'] } } }],
  ])('L2 role policy: %s is reported', (_name, statement) => {
    expect(reported(roleWith(statement as iam.PolicyStatementProps))).toEqual(DEFAULT_POLICY);
  });

  test.each([
    ['the key\'s ARN', { actions: ['kms:Decrypt'], resources: [KEY_ARN] }],
    ['kms:ViaService naming a service', { actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } }],
    ['a tag of the key (ABAC)', { actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringEquals: { 'aws:ResourceTag/team': 'orders' } } }],
    ['an encryption context', { actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringEquals: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::orders' } } }],
    ['kms:CreateGrant only for AWS resources', { actions: ['kms:CreateGrant'], resources: ['*'], conditions: { Bool: { 'kms:GrantIsForAWSResource': true } } }],
    ['administration only (kms:DescribeKey, kms:List*)', { actions: ['kms:DescribeKey', 'kms:List*'], resources: ['*'] }],
    ['an alias ARN (not a key)', { actions: ['kms:Decrypt'], resources: ['arn:aws:kms:*:111122223333:alias/*'] }],
  ])('L2 role policy: %s is compliant', (_name, statement) => {
    expect(reported(roleWith(statement as iam.PolicyStatementProps))).toEqual([]);
  });

  test('L2: key.grantDecrypt and grantEncryptDecrypt write the key\'s ARN', () => {
    expect(reported((s) => {
      const key = new kms.Key(s, 'Key');
      key.grantEncryptDecrypt(role(s));
      key.grantDecrypt(new iam.User(s, 'User'));
    })).toEqual([]);
  });

  test('L2: a Deny of every cryptographic action on * in the same policy removes the opening', () => {
    expect(reported((s) => {
      const r = role(s);
      r.addToPolicy(new iam.PolicyStatement({ actions: ['kms:*'], resources: ['*'] }));
      r.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['kms:Encrypt*', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Sign', 'kms:Verify', 'kms:GenerateMac', 'kms:VerifyMac', 'kms:DeriveSharedSecret', 'kms:CreateGrant'], resources: ['*'] }));
    })).toEqual([]);
  });

  test('L2: a Deny that only applies from outside a network does not scope keys', () => {
    expect(reported((s) => {
      const r = role(s);
      r.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] }));
      r.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['kms:*'], resources: ['*'], conditions: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }));
    })).toEqual(DEFAULT_POLICY);
  });

  test('L2 managed policy: reported once, on the policy', () => {
    expect(reported((s) => new iam.ManagedPolicy(s, 'Managed', {
      statements: [new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] }), new iam.PolicyStatement({ actions: ['kms:Encrypt'], resources: ['*'] })],
    }))).toEqual(['Stack/Managed/Resource']);
  });

  test('L1 managed policy (also as a JSON string), inline policies of a role, user and group, and a role policy resource are each reported', () => {
    const open = { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' };
    const document = { Version: '2012-10-17', Statement: [open] };
    expect(reported((s) => {
      managed(open)(s);
      new iam.CfnRole(s, 'L1Role', { assumeRolePolicyDocument: { Statement: [] }, policies: [{ policyName: 'p', policyDocument: document }] });
      new iam.CfnUser(s, 'L1User', { policies: [{ policyName: 'p', policyDocument: document }] });
      new iam.CfnManagedPolicy(s, 'AsJsonString', { policyDocument: {} }).addPropertyOverride('PolicyDocument', JSON.stringify(document));
      new iam.CfnGroup(s, 'L1Group', { policies: [{ policyName: 'p', policyDocument: document }] });
      new iam.CfnRolePolicy(s, 'L1RolePolicy', { roleName: 'r', policyName: 'p', policyDocument: document });
    })).toEqual(['Stack/AsJsonString', 'Stack/L1Group', 'Stack/L1Role', 'Stack/L1RolePolicy', 'Stack/L1User', 'Stack/Policy']);
  });

  test('L1: a key ARN built from a key of the app is compliant', () => {
    expect(reported((s) => {
      const key = new kms.CfnKey(s, 'Key', {});
      managed({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: key.attrArn })(s);
    })).toEqual([]);
  });

  test('a Resource known only at deployment is reported under the rule, not guessed', () => {
    const { app, stack } = newStack();
    managed({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: new CfnParameter(stack, 'KeyArn').valueAsString })(stack);
    expect(pathsFor(app, RULE)).toEqual(['Stack/Policy']);
  });
});
