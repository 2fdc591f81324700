import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * A KMS key whose key policy separates administration from use: a SeparatedDutyKey, or a
 * replica key of a MultiRegionKeySet. Every grant lands in its key policy.
 */
export interface ISeparatedDutyKey extends kms.IKey {
  /** The key spec. */
  readonly keySpec: kms.KeySpec;
  /** The key usage. */
  readonly keyUsage: kms.KeyUsage;

  /**
   * Makes a principal an administrator of the key: explicit administrative actions, and an
   * explicit Deny of every cryptographic action.
   */
  grantAdmin(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grants use of the key only through one AWS service, in the key's Region, called with the
   * grantee's own account (`kms:CallerAccount`), which may be another account.
   *
   * @param grantee the principal
   * @param service the service's endpoint prefix, e.g. `s3`, `sqs`, `dynamodb`
   * @param actions the actions; when empty, every cryptographic action the key supports
   */
  grantViaService(grantee: iam.IGrantable, service: string, ...actions: string[]): iam.Grant;

  /**
   * Lets IAM principals of the account create grants on the key, for AWS resources only and only
   * through one service (e.g. `dynamodb`, whose tables are created by grant).
   *
   * @param service the service's endpoint prefix
   */
  allowResourceCreationThroughService(service: string): void;
}
