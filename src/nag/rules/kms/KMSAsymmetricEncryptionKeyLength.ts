import { NagRuleCompliance } from 'cdk-nag';
import { compliantIf, readString, ruleFor } from '../../private/values';

/**
 * Asymmetric RSA keys for encryption and decryption use a key longer than 2048 bits (AWS Control
 * Tower CT.KMS.PR.2): KeySpec RSA_3072 or RSA_4096 when KeyUsage is ENCRYPT_DECRYPT (the default).
 * Keys of other specs and RSA keys for signing are not applicable; a replica key has its primary's spec.
 */
export const KMSAsymmetricEncryptionKeyLength = ruleFor('KMSAsymmetricEncryptionKeyLength', ['AWS::KMS::Key'], (resource, index) => {
  const props = resource.properties();
  const keySpec = readString(index, resource, 'KeySpec', props.KeySpec);
  if (keySpec === undefined || !keySpec.startsWith('RSA_')) return NagRuleCompliance.NOT_APPLICABLE;
  const usage = readString(index, resource, 'KeyUsage', props.KeyUsage) ?? 'ENCRYPT_DECRYPT';
  if (usage !== 'ENCRYPT_DECRYPT') return NagRuleCompliance.NOT_APPLICABLE;
  return compliantIf(keySpec !== 'RSA_2048');
});
