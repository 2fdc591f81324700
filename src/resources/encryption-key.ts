import { Annotations, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SeparatedDutyKey } from '../keys/separated-duty-key';
import { isSeparatedDutyKey } from '../keys/separated-duty-key-base';
import { invalidProp } from '../private/errors';
import { aliasFromPath } from '../private/validation';

/** What every resource construct needs to know to find or create its key. */
export interface ResourceKeyOptions {
  readonly encryptionKey?: kms.IKey;
  readonly keyAdministrators?: iam.IPrincipal[];
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The key of a resource construct: the given one, checked to be a symmetric encryption key, or a
 * new SeparatedDutyKey (child id `Key`) with an alias derived from the construct path.
 */
export function resolveEncryptionKey(scope: Construct, kind: string, options: ResourceKeyOptions): kms.IKey {
  if (options.encryptionKey === undefined) {
    return new SeparatedDutyKey(scope, 'Key', {
      alias: aliasFromPath(scope),
      description: `Created by ${scope.node.path}`,
      administrators: options.keyAdministrators,
      removalPolicy: options.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
  }
  if (options.keyAdministrators !== undefined) {
    throw invalidProp(scope, kind, 'keyAdministrators', 'applies only to the key the construct creates; with `encryptionKey`, name administrators on that key');
  }
  const { spec, usage } = specAndUsage(options.encryptionKey);
  if ((spec !== undefined && spec !== kms.KeySpec.SYMMETRIC_DEFAULT) || (usage !== undefined && usage !== kms.KeyUsage.ENCRYPT_DECRYPT)) {
    throw invalidProp(scope, kind, 'encryptionKey', `must be a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT), got ${spec ?? 'SYMMETRIC_DEFAULT'}/${usage ?? 'ENCRYPT_DECRYPT'}`);
  }
  return options.encryptionKey;
}

/**
 * Grants use of the key to a principal only through the owning service. With a plain
 * `kms.IKey` that is impossible to guarantee: it falls back to the key's own grant and warns once.
 */
export function grantThroughService(scope: Construct, key: kms.IKey, grantee: iam.IGrantable, service: string, actions: string[]): iam.Grant {
  if (isSeparatedDutyKey(key)) {
    return key.grantViaService(grantee, service, ...actions);
  }
  Annotations.of(scope).addWarningV2('cdk-kms-guardrails:key-duties-not-separated',
    'The encryption key is not a SeparatedDutyKey: grants go through the key\'s own grant methods (often into IAM policies, without kms:ViaService), and its key policy does not separate administration from use.');
  return key.grant(grantee, ...actions);
}

/**
 * A view of `key` for the L2 resource a construct wraps: aws-cdk-lib's grant methods
 * (`bucket.grantRead`, `table.grantReadData`, …) call the key's `grant*` directly, and through
 * this view they go through `through` (a grant through the owning service). Everything else is
 * the key itself.
 */
export function keyThroughService(key: kms.IKey, through: (grantee: iam.IGrantable, actions: string[]) => iam.Grant): kms.IKey {
  const encrypt = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];
  return Object.create(key, {
    grant: { value: (grantee: iam.IGrantable, ...actions: string[]) => through(grantee, actions) },
    grantDecrypt: { value: (grantee: iam.IGrantable) => through(grantee, ['kms:Decrypt']) },
    grantEncrypt: { value: (grantee: iam.IGrantable) => through(grantee, encrypt) },
    grantEncryptDecrypt: { value: (grantee: iam.IGrantable) => through(grantee, [...encrypt, 'kms:Decrypt']) },
  });
}

/**
 * The removal policy of a stateful resource: RETAIN unless the user both asks for another one and
 * acknowledges that the data goes with the resource.
 */
export function resolveDataRemovalPolicy(
  scope: Construct, kind: string, removalPolicy: RemovalPolicy | undefined, acknowledgeDataLoss: boolean | undefined,
): RemovalPolicy {
  const policy = removalPolicy ?? RemovalPolicy.RETAIN;
  if ((policy === RemovalPolicy.DESTROY || policy === RemovalPolicy.SNAPSHOT) && acknowledgeDataLoss !== true) {
    throw invalidProp(scope, kind, 'removalPolicy', `is ${policy}, which deletes the data when the resource leaves the stack; set \`acknowledgeDataLoss: true\` to confirm, or keep RETAIN (the default)`);
  }
  return policy;
}

function specAndUsage(key: kms.IKey): { spec?: string; usage?: string } {
  if (isSeparatedDutyKey(key)) return { spec: key.keySpec, usage: key.keyUsage };
  const cfn = key.node.defaultChild;
  if (cfn instanceof kms.CfnKey) {
    const spec = Token.isUnresolved(cfn.keySpec) ? undefined : cfn.keySpec;
    const usage = Token.isUnresolved(cfn.keyUsage) ? undefined : cfn.keyUsage;
    return { spec, usage };
  }
  // An imported key: its spec cannot be known at synth; KMS rejects a wrong one at deployment.
  return {};
}
