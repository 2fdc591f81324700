import { App, Stack } from 'aws-cdk-lib';
import { loadModule, readmeBlock, typeCheck } from './readme';

/**
 * The README's quick start, as a user applies it to a new `cdk init` app: the stack file replaced
 * by the first block, the second block added to the app file below the stack. It type-checks, and
 * synthesizes with the seven packs registered and no finding; the same app with a plain
 * `s3.Bucket` instead of the EncryptedBucket fails them, as the README says.
 */
const stackFile = readmeBlock('quick-start-stack');
const appAdditions = readmeBlock('quick-start-app');

/** What `cdk init app --language typescript` writes to bin/my-app.ts (environment-agnostic). */
function appFile(stackSource: string): string {
  return `${stackSource}
import * as cdk from 'aws-cdk-lib';
export const app = new cdk.App();
new MyAppStack(app, 'MyAppStack', {});
${appAdditions}
`;
}

function synth(stackSource: string): App {
  const { app } = loadModule<{ app: App }>(appFile(stackSource));
  app.synth();
  return app;
}

test('the quick start type-checks as a user writes it', () => {
  expect(typeCheck(appFile(stackFile))).toEqual([]);
}, 120_000);

test('the quick start passes all seven packs', () => {
  const app = synth(stackFile);
  const stack = app.node.findChild('MyAppStack') as Stack;
  const template = JSON.stringify(app.synth().getStackArtifact(stack.artifactId).template);
  expect(template).toContain('"AliasName":"alias/orders"');
  expect(template).toContain('"AWS::CloudTrail::Trail"');
}, 120_000);

test('with a plain s3.Bucket under the key instead, the packs fail the synth', () => {
  const plain = stackFile
    .replace("import * as iam from 'aws-cdk-lib/aws-iam';", "import * as iam from 'aws-cdk-lib/aws-iam';\nimport * as s3 from 'aws-cdk-lib/aws-s3';")
    .replace("const orders = new EncryptedBucket(this, 'Orders', { encryptionKey: key });", "const orders = new s3.Bucket(this, 'Orders', { encryptionKey: key });");
  expect(plain).not.toEqual(stackFile);
  expect(() => synth(plain)).toThrow(/AwsSolutions-S1|S10/);
}, 120_000);
