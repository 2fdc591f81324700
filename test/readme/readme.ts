import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** The code of the README block between `<!-- readme-example:NAME -->` and its closing marker. */
export function readmeBlock(name: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- readme-example:${name} -->\\s*\`\`\`ts[^\\n]*\\n([\\s\\S]*?)\`\`\`\\s*<!-- /readme-example:${name} -->`).exec(readme);
  if (!match) {
    throw new Error(`README.md has no block marked readme-example:${name}`);
  }
  return match[1];
}

/**
 * Type-checks `source` as a module of this repository (strict), with `cdk-kms-guardrails`
 * resolving to the library's source, and returns the diagnostics.
 */
export function typeCheck(source: string): string[] {
  const file = path.join(__dirname, 'readme-example.virtual.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    skipLibCheck: true,
    esModuleInterop: true,
    baseUrl: ROOT,
    paths: { 'cdk-kms-guardrails': ['./src/index.ts'] },
    ignoreDeprecations: '6.0',
  } as ts.CompilerOptions;
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = f => path.resolve(f) === file ? source : readFile(f);
  host.fileExists = f => path.resolve(f) === file || ts.sys.fileExists(f);
  host.getSourceFile = (f, v, ...rest) => path.resolve(f) === file ? ts.createSourceFile(f, source, v) : getSourceFile(f, v, ...rest);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** Runs `source` as a CommonJS module with jest's `require` and returns its exports. */
export function loadModule<T>(source: string): T {
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true };
  const js = ts.transpileModule(source, { compilerOptions }).outputText;
  const exports = {} as T;
  new Function('require', 'exports', js)(require, exports);
  return exports;
}
