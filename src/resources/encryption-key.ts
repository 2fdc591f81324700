import { Annotations, Aws, RemovalPolicy, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SeparatedDutyKey } from '../keys/separated-duty-key';
import { grantViaServiceFor, isSeparatedDutyKey } from '../keys/separated-duty-key-base';
import { invalidProp } from '../private/errors';
import { reportedGrant } from '../private/grants';
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
 *
 * @param kind how errors name the construct (`EncryptedBucket`)
 * @param method the method the user called (`grantRead()`), named by errors
 */
export function grantThroughService(
  scope: Construct, kind: string, method: string, key: kms.IKey, grantee: iam.IGrantable, service: string, actions: string[],
): iam.Grant {
  const parts = principalParts(grantee.grantPrincipal);
  if (parts.length !== 1 || parts[0] !== grantee.grantPrincipal) {
    // A composite: each identity through the service, each service principal for this account.
    const grants = parts.map(part => grantThroughService(scope, kind, method, key, part, service, actions));
    return grants.reduce((all, grant) => all.combine(grant));
  }
  if (isServicePrincipal(grantee.grantPrincipal)) {
    // A service calls KMS as itself, not through a service: its statement carries aws:SourceAccount.
    return key.grant(grantee, ...actions);
  }
  if (isSeparatedDutyKey(key)) {
    return grantViaServiceFor(key, grantee, service, actions, method, { owner: scope, kind });
  }
  Annotations.of(scope).addWarningV2('cdk-kms-guardrails:key-duties-not-separated',
    'The encryption key is not a SeparatedDutyKey: its key policy does not separate administration from use, and this library cannot write it. Grants to roles of the app are written as identity statements scoped to the service (kms:ViaService), in a managed policy; they take effect only if the key policy lets the account\'s IAM policies grant use.');
  return grantOnForeignKey(scope, kind, method, key, grantee, service, actions);
}

/**
 * Use of a key whose policy this library does not write: the only place left is the grantee's
 * identity, so a role of this app, in the resource's account, gets a customer managed policy
 * (one per construct and set of actions, shared by every role granted them; never inline) that
 * allows the actions on that key only through the service in this Region. Any other principal
 * could only be granted in the key's own policy, which is out of reach: an error, never a grant
 * that writes nowhere.
 */
function grantOnForeignKey(
  scope: Construct, kind: string, method: string, key: kms.IKey, grantee: iam.IGrantable, service: string, actions: string[],
): iam.Grant {
  const role = grantee.grantPrincipal;
  const appRole = role instanceof iam.Role && Token.compareStrings(Stack.of(role).account, Stack.of(scope).account) !== TokenComparison.DIFFERENT;
  if (!appRole) {
    const who = (role as any).node?.path ?? JSON.stringify(Stack.of(scope).resolve(role.policyFragment.principalJson));
    throw invalidProp(scope, kind, method, `cannot grant use of the key '${key.node.path}' to '${who}': the key is not a SeparatedDutyKey, so this library cannot write its key policy, and '${who}' is not a role of this app in account ${Stack.of(scope).account} that a managed policy could be attached to. Allowed: a SeparatedDutyKey (or a MultiRegionKeySet key) as \`encryptionKey\`, or a role of this app; otherwise grant the principal in the key's own policy where the key is defined`);
  }
  const id = `KeyUse${actions.map(a => a.replace(/^kms:/, '').replace(/\*/g, 'All')).join('')}Policy`;
  let policy = scope.node.tryFindChild(id) as iam.ManagedPolicy | undefined;
  if (policy === undefined) {
    policy = new iam.ManagedPolicy(scope, id, {
      description: `Use of the key of ${scope.node.path}, only through ${service}`,
      statements: [new iam.PolicyStatement({
        actions,
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `${service}.${Aws.REGION}.amazonaws.com` } },
      })],
    });
  }
  policy.attachToRole(role as iam.Role);
  return reportedGrant(grantee, actions, [key.keyArn], policy);
}

/** The principals a (possibly nested) CompositePrincipal stands for; any other principal alone. */
export function principalParts(principal: iam.IPrincipal): iam.IPrincipal[] {
  if (principal instanceof iam.CompositePrincipal) return principal.principals.flatMap(principalParts);
  return [principal];
}

/** Whether a principal is only AWS service principals (`{ Service: … }`). */
export function isServicePrincipal(principal: iam.IPrincipal): boolean {
  const types = Object.keys(principal.policyFragment.principalJson);
  return types.length > 0 && types.every(t => t === 'Service');
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
