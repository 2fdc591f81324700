import { Aws, aws_iam as iam, aws_kms as kms, Stack } from 'aws-cdk-lib';

/** The administrative actions DESIGN.md gives administrators and the account root. */
export const ADMIN_ACTIONS = [
  'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias', 'kms:DescribeKey', 'kms:EnableKey', 'kms:DisableKey',
  'kms:EnableKeyRotation', 'kms:DisableKeyRotation', 'kms:RotateKeyOnDemand', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy',
  'kms:GetKeyRotationStatus', 'kms:ListKeyRotations', 'kms:ListAliases', 'kms:ListGrants', 'kms:ListKeyPolicies',
  'kms:ListResourceTags', 'kms:RevokeGrant', 'kms:TagResource', 'kms:UntagResource', 'kms:UpdateKeyDescription',
  'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion',
];
export const CRYPTO_ACTIONS = [
  'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo',
];
const MUTATING_ADMIN_ACTIONS = ADMIN_ACTIONS.filter((a) => !/^kms:(Describe|Get|List)/.test(a));

/**
 * A key policy shaped like DESIGN.md "The key policy model": root and administrators get explicit
 * administrative actions, users cryptographic ones, grants only for AWS resources, via-service and
 * service-principal statements with their conditions, and Deny guard rails.
 */
export function designKeyPolicy(stack: Stack, id = 'Design'): iam.PolicyDocument {
  const admin = new iam.Role(stack, `${id}Admin`, { assumedBy: new iam.AccountRootPrincipal() });
  const user = new iam.Role(stack, `${id}User`, { assumedBy: new iam.AccountRootPrincipal() });
  const serviceUser = new iam.Role(stack, `${id}ServiceUser`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const grantForAwsResource = { Bool: { 'kms:GrantIsForAWSResource': true } };
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({ sid: 'AccountAdministration', principals: [new iam.AccountRootPrincipal()], actions: ADMIN_ACTIONS, resources: ['*'] }),
      new iam.PolicyStatement({ sid: 'Administrators', principals: [admin], actions: ADMIN_ACTIONS, resources: ['*'] }),
      new iam.PolicyStatement({
        sid: 'AdministratorsNeverUse',
        effect: iam.Effect.DENY,
        principals: [admin],
        actions: [...CRYPTO_ACTIONS, 'kms:CreateGrant'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({ sid: 'Users', principals: [user], actions: [...CRYPTO_ACTIONS, 'kms:DescribeKey'], resources: ['*'] }),
      new iam.PolicyStatement({
        sid: 'UsersGrantsForAwsResources',
        principals: [user],
        actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
        resources: ['*'],
        conditions: grantForAwsResource,
      }),
      // Every named user, the via-service one too: with the account administering through IAM, a
      // user without this Deny could be given administration by an IAM policy (KMSG-KMS14).
      new iam.PolicyStatement({ sid: 'UsersNeverAdminister', effect: iam.Effect.DENY, principals: [user, serviceUser], actions: MUTATING_ADMIN_ACTIONS, resources: ['*'] }),
      new iam.PolicyStatement({
        sid: 'ViaS3',
        principals: [serviceUser],
        actions: [...CRYPTO_ACTIONS, 'kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com`, 'kms:CallerAccount': Aws.ACCOUNT_ID } },
      }),
      new iam.PolicyStatement({
        sid: 'CloudTrail',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudtrail:${Aws.REGION}:${Aws.ACCOUNT_ID}:trail/audit`, 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
      new iam.PolicyStatement({
        sid: 'Logs',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` } },
      }),
    ],
  });
}

/** An L2 key that satisfies every key rule, with the design policy. */
export function compliantKey(stack: Stack, id = 'Key'): kms.Key {
  return new kms.Key(stack, id, { enableKeyRotation: true, alias: `alias/${id.toLowerCase()}`, policy: designKeyPolicy(stack, `${id}Policy`) });
}

/** An L1 key with the given statements and every non-policy setting compliant. */
export function keyWithStatements(stack: Stack, statements: unknown[], id = 'Key'): kms.CfnKey {
  const key = new kms.CfnKey(stack, id, { enableKeyRotation: true, keyPolicy: { Version: '2012-10-17', Statement: statements } });
  key.applyRemovalPolicy(undefined);
  new kms.CfnAlias(stack, `${id}Alias`, { aliasName: `alias/${id.toLowerCase()}`, targetKeyId: key.ref });
  return key;
}
