import { App, Stack, Validations } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R4Checks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks,
} from 'cdk-nag';
import { loadModule, readmeBlock, typeCheck } from './readme';
import { KmsGuardrailsChecks } from '../../src';

/**
 * The README's example of grants to another account and to imported roles type-checks against
 * the library, and synthesizes with the six built-in cdk-nag packs and ours registered.
 */
const HEADER = `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EncryptedBucket, EncryptedQueue, EncryptedTable, SeparatedDutyKey } from 'cdk-kms-guardrails';
export class Example extends Stack {
  constructor(scope: any, id: string, props: any) {
    super(scope, id, props);
`;
const FOOTER = '\n  }\n}\n';
const source = HEADER + readmeBlock('grants') + FOOTER;

test('the example type-checks', () => {
  expect(typeCheck(source)).toEqual([]);
}, 120_000);

test('the example synthesizes with every cdk-nag pack registered', () => {
  const { Example } = loadModule<{ Example: new (scope: any, id: string, props: any) => Stack }>(source);
  const app = new App();
  new Example(app, 'Example', { env: { account: '111111111111', region: 'us-east-1' } });
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R4Checks(app), new NIST80053R5Checks(app),
    new PCIDSS321Checks(app), new ServerlessChecks(app), new KmsGuardrailsChecks(app),
  );
  expect(() => app.synth()).not.toThrow();
}, 120_000);
