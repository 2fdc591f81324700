import { aws_iam as iam, aws_kms as kms, CfnParameter, Stack } from 'aws-cdk-lib';
import { compliantKey, keyWithStatements } from './fixtures';
import { newStack, pathsFor } from './nag-test-util';

const RULE = 'KMSG-KMS15';
const ROOT = { AWS: 'arn:aws:iam::111122223333:root' };
const ROLE = { AWS: 'arn:aws:iam::111122223333:role/app' };
const LOGS_STATEMENT = {
  Effect: 'Allow',
  Principal: { Service: 'logs.us-east-1.amazonaws.com' },
  Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
  Resource: '*',
  Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:111122223333:log-group:*' } },
};

/** The paths KMS15 reports for an L1 key whose policy has these statements next to a sound one. */
function l1(...statements: unknown[]): string[] {
  const { app, stack } = newStack();
  keyWithStatements(stack, [{ Sid: 'Admin', Effect: 'Allow', Principal: ROOT, Action: ['kms:Describe*', 'kms:Put*'], Resource: '*' }, ...statements]);
  return pathsFor(app, RULE);
}

/** The paths KMS15 reports for an L2 key with one statement added to its policy. */
function l2(statement: iam.PolicyStatementProps, build?: (stack: Stack) => void): string[] {
  const { app, stack } = newStack();
  new kms.Key(stack, 'Key', { enableKeyRotation: true }).addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(ROLE.AWS)], resources: ['*'], ...statement }));
  build?.(stack);
  return pathsFor(app, RULE);
}

describe('KMSG-KMS15: key policy statements that cannot do what they say', () => {
  describe('actions', () => {
    test.each([
      ['a misspelled action in an Allow', { Effect: 'Allow', Principal: ROLE, Action: 'kms:Decrpyt', Resource: '*' }],
      ['a misspelled action in a Deny guard rail', { Effect: 'Deny', Principal: ROLE, Action: ['kms:Decrypt', 'kms:ScheduleKeyDeleton'], Resource: '*' }],
      ['a wildcard that matches nothing', { Effect: 'Allow', Principal: ROLE, Action: 'kms:*Keyz', Resource: '*' }],
      ['another service\'s action', { Effect: 'Allow', Principal: ROLE, Action: 's3:GetObject', Resource: '*' }],
      ['a KMS action that is not a key action, in a Deny', { Effect: 'Deny', Principal: ROLE, Action: 'kms:CreateKey', Resource: '*' }],
      ['a misspelled NotAction', { Effect: 'Allow', Principal: ROLE, NotAction: 'kms:PutKeyPolcy', Resource: '*' }],
    ])('L1: %s is reported', (_name, statement) => {
      expect(l1(statement)).toEqual(['Stack/Key']);
    });

    test('L2: a Deny guard rail with a misspelled action is reported', () => {
      expect(l2({ effect: iam.Effect.DENY, actions: ['kms:Decrpyt'] })).toEqual(['Stack/Key/Resource']);
    });

    test.each([
      ['key actions, wildcards and case', { Effect: 'Allow', Principal: ROLE, Action: ['KMS:decrypt', 'kms:Encrypt*', 'kms:*Key', '*'], Resource: '*' }],
      ['a KMS action that is not a key action, in an Allow (harmless)', { Effect: 'Allow', Principal: ROOT, Action: ['kms:ListAliases', 'kms:CreateKey'], Resource: '*' }],
    ])('L1: %s is compliant', (_name, statement) => {
      expect(l1(statement)).toEqual([]);
    });
  });

  describe('condition keys', () => {
    test.each([
      ['an encryption context on kms:DescribeKey', { Effect: 'Allow', Principal: ROLE, Action: 'kms:DescribeKey', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::b' } } }],
      ['kms:GrantIsForAWSResource on kms:Decrypt in a Deny', { Effect: 'Deny', Principal: ROLE, Action: 'kms:Decrypt', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'false' } } }],
      ['an unknown kms: key', { Effect: 'Allow', Principal: ROLE, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaServices': 's3.us-east-1.amazonaws.com' } } }],
      ['a misspelled global key', { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalAcount': '111122223333' } } }],
      ['another service\'s key', { Effect: 'Allow', Principal: ROLE, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 's3:x-amz-acl': 'private' } } }],
      ['a tag of the request on kms:Decrypt', { Effect: 'Allow', Principal: ROLE, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/team': 'orders' } } }],
      ['a Deny whose condition never applies to one of its actions (fails open for it)',
        { Effect: 'Deny', Principal: ROLE, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'a' } } }],
      ['an Allow whose IfExists condition never applies to one of its actions (unrestricted for it)',
        { Effect: 'Allow', Principal: ROLE, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*', Condition: { StringEqualsIfExists: { 'kms:EncryptionContext:tenant': 'a' } } }],
    ])('L1: %s is reported', (_name, statement) => {
      expect(l1(statement)).toEqual(['Stack/Key']);
    });

    test('L2: a Deny guard rail on kms:Decrypt conditioned on kms:GrantIsForAWSResource is reported', () => {
      expect(l2({ effect: iam.Effect.DENY, actions: ['kms:Decrypt'], conditions: { Bool: { 'kms:GrantIsForAWSResource': false } } })).toEqual(['Stack/Key/Resource']);
    });

    test.each([
      ['grants for AWS resources', { Effect: 'Allow', Principal: ROLE, Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } }],
      ['global keys on any action', { Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': '111122223333', 'aws:PrincipalOrgID': 'o-1' } } }],
      ['the CloudWatch Logs statement of the AWS documentation (kms:Describe* under an encryption context, never allowed)',
        LOGS_STATEMENT],
      ['a Deny of everything outside the caller account', { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'kms:CallerAccount': '111122223333' } } }],
      ['kms:ViaService on every key action', { Effect: 'Allow', Principal: ROLE, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } }],
      ['the deprecated kms:CustomerMasterKeySpec', { Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:CustomerMasterKeySpec': 'RSA_2048' } } }],
    ])('L1: %s is compliant', (_name, statement) => {
      expect(l1(statement)).toEqual([]);
    });
  });

  test('L2: the design policy of a compliant key, and kms.Key\'s default policy, are compliant', () => {
    const { app, stack } = newStack();
    compliantKey(stack, 'Designed');
    new kms.Key(stack, 'Default');
    expect(pathsFor(app, RULE)).toEqual([]);
  });

  test('a key without KeyPolicy is not applicable', () => {
    const { app, stack } = newStack();
    new kms.CfnKey(stack, 'Key', {});
    expect(pathsFor(app, RULE)).toEqual([]);
  });

  test('an action known only at deployment is reported under the rule, not guessed', () => {
    const { app, stack } = newStack();
    keyWithStatements(stack, [{ Effect: 'Deny', Principal: ROLE, Action: new CfnParameter(stack, 'Denied').valueAsString, Resource: '*' }]);
    expect(pathsFor(app, RULE)).toEqual(['Stack/Key']);
  });
});
