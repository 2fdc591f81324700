import * as kms from 'aws-cdk-lib/aws-kms';
import { CRYPTOGRAPHIC_ACTIONS, DESCRIBE_KEY, GET_PUBLIC_KEY } from '../policy/actions';

/**
 * Valid key spec × key usage pairs.
 * https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-spec.html
 */
const VALID_USAGES: Record<string, kms.KeyUsage[]> = {
  SYMMETRIC_DEFAULT: [kms.KeyUsage.ENCRYPT_DECRYPT],
  RSA_2048: [kms.KeyUsage.ENCRYPT_DECRYPT, kms.KeyUsage.SIGN_VERIFY],
  RSA_3072: [kms.KeyUsage.ENCRYPT_DECRYPT, kms.KeyUsage.SIGN_VERIFY],
  RSA_4096: [kms.KeyUsage.ENCRYPT_DECRYPT, kms.KeyUsage.SIGN_VERIFY],
  ECC_NIST_P256: [kms.KeyUsage.SIGN_VERIFY, kms.KeyUsage.KEY_AGREEMENT],
  ECC_NIST_P384: [kms.KeyUsage.SIGN_VERIFY, kms.KeyUsage.KEY_AGREEMENT],
  ECC_NIST_P521: [kms.KeyUsage.SIGN_VERIFY, kms.KeyUsage.KEY_AGREEMENT],
  ECC_SECG_P256K1: [kms.KeyUsage.SIGN_VERIFY],
  HMAC_224: [kms.KeyUsage.GENERATE_VERIFY_MAC],
  HMAC_256: [kms.KeyUsage.GENERATE_VERIFY_MAC],
  HMAC_384: [kms.KeyUsage.GENERATE_VERIFY_MAC],
  HMAC_512: [kms.KeyUsage.GENERATE_VERIFY_MAC],
  SM2: [kms.KeyUsage.ENCRYPT_DECRYPT, kms.KeyUsage.SIGN_VERIFY, kms.KeyUsage.KEY_AGREEMENT],
  ML_DSA_44: [kms.KeyUsage.SIGN_VERIFY],
  ML_DSA_65: [kms.KeyUsage.SIGN_VERIFY],
  ML_DSA_87: [kms.KeyUsage.SIGN_VERIFY],
};

/** The usages allowed with a key spec, or undefined for a spec we do not know. */
export function usagesFor(spec: kms.KeySpec): kms.KeyUsage[] | undefined {
  return VALID_USAGES[spec];
}

/**
 * The usage when none is given: the only valid one, or ENCRYPT_DECRYPT (aws-cdk-lib's default)
 * when the spec has several.
 */
export function defaultUsage(spec: kms.KeySpec): kms.KeyUsage {
  const usages = VALID_USAGES[spec];
  return usages && usages.length === 1 ? usages[0] : kms.KeyUsage.ENCRYPT_DECRYPT;
}

export function isSymmetricEncryption(spec: kms.KeySpec, usage: kms.KeyUsage): boolean {
  return spec === kms.KeySpec.SYMMETRIC_DEFAULT && usage === kms.KeyUsage.ENCRYPT_DECRYPT;
}

/** What a user of a key of this spec and usage can do with it: every cryptographic action the pair supports. */
export function usageActions(spec: kms.KeySpec, usage: kms.KeyUsage): string[] {
  switch (usage) {
    case kms.KeyUsage.ENCRYPT_DECRYPT:
      return spec === kms.KeySpec.SYMMETRIC_DEFAULT
        ? [...SYMMETRIC_ENCRYPT, 'kms:Decrypt', DESCRIBE_KEY]
        : ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', GET_PUBLIC_KEY, DESCRIBE_KEY];
    case kms.KeyUsage.SIGN_VERIFY:
      return ['kms:Sign', 'kms:Verify', GET_PUBLIC_KEY, DESCRIBE_KEY];
    case kms.KeyUsage.GENERATE_VERIFY_MAC:
      return ['kms:GenerateMac', 'kms:VerifyMac', DESCRIBE_KEY];
    case kms.KeyUsage.KEY_AGREEMENT:
      return ['kms:DeriveSharedSecret', GET_PUBLIC_KEY, DESCRIBE_KEY];
    default:
      return [DESCRIBE_KEY];
  }
}

/** Encrypt, ReEncryptFrom/To and the GenerateDataKey family, in the order of the explicit list. */
const SYMMETRIC_ENCRYPT = CRYPTOGRAPHIC_ACTIONS.filter(a => /^kms:(Encrypt|ReEncrypt|GenerateDataKey)/.test(a));

/** The actions behind each `grant*` method, before filtering by what the key supports. */
export const GRANT_METHOD_ACTIONS: Record<string, string[]> = {
  grantEncrypt: [...SYMMETRIC_ENCRYPT],
  grantDecrypt: ['kms:Decrypt'],
  grantEncryptDecrypt: [...SYMMETRIC_ENCRYPT, 'kms:Decrypt'],
  grantSign: ['kms:Sign'],
  grantVerify: ['kms:Verify'],
  grantSignVerify: ['kms:Sign', 'kms:Verify'],
  grantGenerateMac: ['kms:GenerateMac'],
  grantVerifyMac: ['kms:VerifyMac'],
};
