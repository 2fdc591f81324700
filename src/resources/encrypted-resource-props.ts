import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { KeyAuditTrail } from '../audit/key-audit-trail';

/**
 * What EncryptedBucket, EncryptedQueue and EncryptedTable share: the key, the retention of the
 * data, and the audit of its use.
 */
export interface EncryptedResourceProps {
  /**
   * The key that encrypts the data. Must be a symmetric encryption key. A key that is not a
   * SeparatedDutyKey works, with a warning: its grants cannot be limited to the service, and its
   * key policy does not separate administration from use.
   *
   * @default - a new SeparatedDutyKey (child id `Key`), aliased after the construct path, described
   * as `Created by <path>`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Administrators of the key the construct creates. Not with `encryptionKey`.
   *
   * @default - the key is administered through the account (SeparatedDutyKey's `accountAdministration`)
   */
  readonly keyAdministrators?: iam.IPrincipal[];

  /**
   * What happens to the data (and the key the construct creates) when the resource leaves the
   * stack. DESTROY deletes the data and needs `acknowledgeDataLoss: true`.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Confirms a setting that lets the data be deleted (`removalPolicy: DESTROY`, or a table without
   * deletion protection).
   *
   * @default false
   */
  readonly acknowledgeDataLoss?: boolean;

  /**
   * Whether a CloudTrail trail records the data events of the resource (who read or wrote which
   * object, message or item). Turn it off only where another trail already selects them.
   *
   * @default true
   */
  readonly dataEvents?: boolean;

  /**
   * The KeyAuditTrail that records the data events; it may live in another stack of the same
   * account and Region (that stack then deploys after this one).
   *
   * @default - the stack's own KeyAuditTrail (`KeyAuditTrail.of(this)`), created with the first
   * resource that needs it
   */
  readonly auditTrail?: KeyAuditTrail;
}
