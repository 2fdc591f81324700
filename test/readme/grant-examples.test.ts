import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R4Checks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks,
} from 'cdk-nag';
import * as ts from 'typescript';
import { KmsGuardrailsChecks } from '../../src';

/**
 * The README's example of grants to another account and to imported roles type-checks against
 * the library, and synthesizes with the six built-in cdk-nag packs and ours registered.
 */
const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const block = /<!-- readme-example:grants -->\s*```ts\n([\s\S]*?)```\s*<!-- \/readme-example:grants -->/.exec(README);

const HEADER = `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EncryptedBucket, EncryptedQueue, EncryptedTable, SeparatedDutyKey } from '../../src';
export class Example extends Stack {
  constructor(scope: any, id: string, props: any) {
    super(scope, id, props);
`;
const FOOTER = '\n  }\n}\n';

test('the README has the example', () => {
  expect(block).not.toBeNull();
});

test('the example type-checks', () => {
  const file = path.join(__dirname, 'readme-grants.virtual.ts');
  const source = HEADER + block![1] + FOOTER;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    skipLibCheck: true,
    esModuleInterop: true,
    ignoreDeprecations: '6.0',
  } as ts.CompilerOptions;
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = f => path.resolve(f) === file ? source : readFile(f);
  host.fileExists = f => path.resolve(f) === file || ts.sys.fileExists(f);
  host.getSourceFile = (f, v, ...rest) => path.resolve(f) === file ? ts.createSourceFile(f, source, v) : getSourceFile(f, v, ...rest);
  const program = ts.createProgram([file], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(diagnostics).toEqual([]);
}, 120_000);

test('the example synthesizes with every cdk-nag pack registered', () => {
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 };
  const js = ts.transpileModule(HEADER + block![1] + FOOTER, { compilerOptions }).outputText;
  const exports: { Example?: new (scope: any, id: string, props: any) => Stack } = {};
  new Function('require', 'exports', js)(require, exports);
  const app = new App();
  new exports.Example!(app, 'Example', { env: { account: '111111111111', region: 'us-east-1' } });
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R4Checks(app), new NIST80053R5Checks(app),
    new PCIDSS321Checks(app), new ServerlessChecks(app), new KmsGuardrailsChecks(app),
  );
  expect(() => app.synth()).not.toThrow();
}, 120_000);
