/**
 * The apps the report is proven on, each synthesized into a fresh directory: the example app (as
 * written, or with one change), and an app of plain aws-cdk-lib `kms.Key`s that knows nothing of
 * this library.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildExampleApp, EXAMPLE_CONTEXT } from '../../examples/app';

// aws-cdk-lib's own grants call deprecated APIs.
process.env.JSII_DEPRECATED ??= 'quiet';

/** What the cdk CLI sets: templates carry each resource's construct path, which the report names them by. */
const CLI_CONTEXT = { 'aws:cdk:enable-path-metadata': true };

export function tmpDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `key-access-${name}-`));
}

/** The example app, synthesized in-process (all cdk-nag packs registered) into a new directory. */
export function synthExample(change?: (app: App) => void): string {
  const outdir = tmpDir('example');
  const app = buildExampleApp(new App({ context: { ...EXAMPLE_CONTEXT, ...CLI_CONTEXT }, outdir }));
  change?.(app);
  app.synth();
  return outdir;
}

/** The one `grantDecrypt` the gate must catch: the auditor may already read documents through S3; now directly too. */
export function grantAuditorDecrypt(app: App): void {
  const data = app.node.findChild('KmsGuardrailsData');
  const documents = data.node.findChild('OrderDocuments') as unknown as { encryptionKey: kms.IKey };
  documents.encryptionKey.grantDecrypt(data.node.findChild('Auditor') as iam.Role);
}

export const PLAIN_ACCOUNT = '111111111111';
export const PARTNER_ACCOUNT = '222222222222';

/**
 * Plain `kms.Key`s the way most apps have them: the default (root kms:*), a key granted to a role
 * of the account (the grant lands in an IAM policy), a key granted to a role of another account
 * (the grant lands in the key policy), a key with a hand-written policy, a bucket's key, and a
 * key whose template sets no KeyPolicy at all.
 */
export function synthPlainKeys(): string {
  const outdir = tmpDir('plain');
  const app = new App({ outdir, context: CLI_CONTEXT });
  const stack = new Stack(app, 'PlainKeys', { env: { account: PLAIN_ACCOUNT, region: 'eu-west-1' } });
  new kms.Key(stack, 'Default');
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const granted = new kms.Key(stack, 'Granted', { enableKeyRotation: true });
  granted.grantDecrypt(reader);
  granted.grantEncrypt(new iam.ArnPrincipal(`arn:aws:iam::${PARTNER_ACCOUNT}:role/partner-writer`));
  const custom = new kms.Key(stack, 'Custom', {
    policy: new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({ principals: [new iam.AccountRootPrincipal()], actions: ['kms:*'], resources: ['*'] }),
        new iam.PolicyStatement({
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:Decrypt', 'kms:DescribeKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'kms:CallerAccount': PLAIN_ACCOUNT, 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
        }),
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('logs.eu-west-1.amazonaws.com')],
          actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*'],
          resources: ['*'],
        }),
      ],
    }),
  });
  new iam.ManagedPolicy(stack, 'WideKms', {
    roles: [reader],
    statements: [new iam.PolicyStatement({ actions: ['kms:*'], resources: ['*'] })],
  });
  const bucket = new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS });
  bucket.grantRead(reader);
  const signing = new kms.Key(stack, 'Signing', { keySpec: kms.KeySpec.ECC_NIST_P256, keyUsage: kms.KeyUsage.SIGN_VERIFY });
  signing.grant(reader, 'kms:Sign');
  const raw = new kms.CfnKey(stack, 'NoPolicy', {});
  void raw;
  void custom;
  app.synth();
  return outdir;
}
