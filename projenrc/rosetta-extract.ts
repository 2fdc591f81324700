/**
 * Every TypeScript example of the package compiles and translates to Python, Java, C# and Go.
 *
 *   npx projen rosetta:extract [jsii-rosetta extract options, e.g. --verbose]
 *
 * Runs `jsii-rosetta extract --strict` (every example must compile against its fixture in
 * `rosetta/` and translate without error) over the compiled assembly (`.jsii`: the README and the
 * doc comments of the public API) and over RULES.md. RULES.md is not part of the assembly, and
 * `jsii-rosetta markdown` neither compiles nor applies fixtures: rosetta runs on a copy of the
 * assembly in a temporary directory, to which each extra Markdown file is added as the README of a
 * submodule that exists only in that copy. Nothing is written to the repository (rosetta writes
 * its tablet next to the assembly it reads: the copy). Prints each example with its place and
 * status, and exits non-zero when any example fails.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Markdown files outside the assembly whose examples are held to the same bar. */
const EXTRA_MARKDOWN = ['RULES.md'];

const root = path.resolve(__dirname, '..');

interface ApiLocation {
  readonly api: string;
  readonly moduleFqn?: string;
  readonly fqn?: string;
  readonly memberName?: string;
  readonly methodName?: string;
  readonly parameterName?: string;
}
interface SnippetLocation {
  readonly api: ApiLocation;
  readonly field?: { readonly field: string; readonly line?: number };
}

const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf8'));
if (assembly.schema === 'jsii/file-redirect') {
  throw new Error('.jsii is a redirect to a compressed assembly: this script reads an uncompressed one');
}

// Submodule FQN -> the Markdown file it stands for.
const markdownOf = new Map<string, string>([[assembly.name, 'README.md']]);
assembly.submodules ??= {};
for (const file of EXTRA_MARKDOWN) {
  const fqn = `${assembly.name}.${file.replace(/\W/g, '_')}`;
  if (assembly.submodules[fqn]) throw new Error(`the assembly already has a submodule ${fqn}`);
  assembly.submodules[fqn] = { readme: { markdown: fs.readFileSync(path.join(root, file), 'utf8') } };
  markdownOf.set(fqn, file);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rosetta-extract-'));
let status = 1;
try {
  // The copy resolves `import ... from 'cdk-kms-guardrails'` and the dependencies as the package does.
  for (const entry of ['package.json', 'lib', 'node_modules', 'rosetta']) {
    fs.symlinkSync(path.join(root, entry), path.join(work, entry));
  }
  fs.writeFileSync(path.join(work, '.jsii'), JSON.stringify(assembly));

  const rosetta = path.join(path.dirname(require.resolve('jsii-rosetta/package.json')), 'bin', 'jsii-rosetta');
  const run = spawnSync(process.execPath, [rosetta, 'extract', '--strict', ...process.argv.slice(2), work], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  });
  const stderr = run.stderr ?? '';
  // The diagnostics, with the temporary file names rosetta gives the examples.
  process.stderr.write(stderr);

  const failing = new Set<string>();
  for (const match of stderr.matchAll(/^(\S+)\.ts:\d+:\d+ - error/gm)) failing.add(match[1]);

  const tabletFile = path.join(work, '.jsii.tabl.json');
  const snippets: Array<{ location: SnippetLocation; didCompile?: boolean }> = fs.existsSync(tabletFile)
    ? Object.values(JSON.parse(fs.readFileSync(tabletFile, 'utf8')).snippets)
    : [];
  const rows = snippets
    .map(s => ({ place: place(s.location), ok: s.didCompile !== false && !failing.has(rosettaName(s.location)) }))
    .sort((a, b) => a.place.localeCompare(b.place, 'en', { numeric: true }));
  for (const row of rows) console.log(`${row.ok ? 'ok  ' : 'FAIL'}  ${row.place}`);
  const failed = rows.filter(r => !r.ok).length;
  console.log(`rosetta: ${rows.length} examples, ${rows.length - failed} compile and translate, ${failed} fail`);

  status = run.status === 0 && failed === 0 && rows.length > 0 ? 0 : 1;
  if (run.status === 0 && failed > 0) console.error('rosetta passed, but examples did not compile: failing');
} finally {
  if (process.env.ROSETTA_KEEP) console.log(`kept ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
}
process.exit(status);

/** Where a maintainer edits the example: file and line, and the API element it documents. */
function place(location: SnippetLocation): string {
  const line = location.field?.line;
  const api = location.api;
  if (api.api === 'moduleReadme') {
    const file = markdownOf.get(api.moduleFqn!) ?? `${api.moduleFqn} README`;
    return `${file}:${line}`;
  }
  const type = api.fqn ? assembly.types?.[api.fqn] : undefined;
  const source = type?.locationInModule ? `${type.locationInModule.filename}:${type.locationInModule.line}` : api.fqn;
  const member = api.memberName ?? api.methodName;
  const element = `${type?.name ?? api.fqn}${member ? `.${member}` : ''}${api.parameterName ? `(${api.parameterName})` : ''}`;
  const field = location.field?.field === 'example' ? '@example' : `doc line ${line}`;
  return `${source} ${element} ${field}`;
}

/** The file name rosetta gives an example in its diagnostics (jsii-rosetta's `formatLocation`). */
function rosettaName(location: SnippetLocation): string {
  const api = location.api;
  const element = api.api === 'moduleReadme' ? `${api.moduleFqn}-README`
    : api.api === 'initializer' ? `${api.fqn}#initializer`
      : api.api === 'member' ? `${api.fqn}#${api.memberName}`
        : api.api === 'parameter' ? `${api.fqn}#${api.methodName}!#${api.parameterName}`
          : `${api.fqn}`;
  return location.field?.field === 'example' ? `${element}-example` : `${element}-L${location.field?.line}`;
}
