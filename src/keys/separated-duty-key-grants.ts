import * as iam from 'aws-cdk-lib/aws-iam';
import type { ISeparatedDutyKey } from './key-interface';

/**
 * The grant methods of a SeparatedDutyKey, shaped like aws-cdk-lib's `KeyGrants`
 * (`key.grants.decrypt(role)`): every grant lands in the key policy, never in an IAM policy.
 */
export class SeparatedDutyKeyGrants {
  /** @internal */
  public static _of(key: ISeparatedDutyKey): SeparatedDutyKeyGrants {
    return new SeparatedDutyKeyGrants(key);
  }

  private constructor(private readonly key: ISeparatedDutyKey) {}

  /** Grants the given usage actions. */
  public actions(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.key.grant(grantee, ...actions);
  }

  /** Makes the principal an administrator. */
  public admin(grantee: iam.IGrantable): iam.Grant {
    return this.key.grantAdmin(grantee);
  }

  /** Grants decryption. */
  public decrypt(grantee: iam.IGrantable): iam.Grant {
    return this.key.grantDecrypt(grantee);
  }

  /** Grants encryption. */
  public encrypt(grantee: iam.IGrantable): iam.Grant {
    return this.key.grantEncrypt(grantee);
  }

  /** Grants encryption and decryption. */
  public encryptDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.key.grantEncryptDecrypt(grantee);
  }

  /** Grants signing. */
  public sign(grantee: iam.IGrantable): iam.Grant {
    return this.key.grantSign(grantee);
  }

  /** Grants verification. */
  public verify(grantee: iam.IGrantable): iam.Grant {
    return this.key.grantVerify(grantee);
  }

  /** Grants signing and verification. */
  public signVerify(grantee: iam.IGrantable): iam.Grant {
    return this.key.grantSignVerify(grantee);
  }

  /** Grants MAC generation. */
  public generateMac(grantee: iam.IGrantable): iam.Grant {
    return this.key.grantGenerateMac(grantee);
  }

  /** Grants MAC verification. */
  public verifyMac(grantee: iam.IGrantable): iam.Grant {
    return this.key.grantVerifyMac(grantee);
  }
}
