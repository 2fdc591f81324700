import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cdkInitContext } from '../helpers/cdk-init';

/**
 * The scenario apps of examples/scenarios, each synthesized by the real `cdk` CLI the way a user
 * runs it: `cdk.json` with today's `cdk init` feature flags, `npx tsx app.ts`, the library
 * imported by its package name (the compiled lib/), all seven cdk-nag packs registered, so any
 * unacknowledged finding fails the command. Each stack's template is snapshot-tested verbatim:
 * nothing in it depends on the machine (no assets; CDKMetadata depends only on package versions).
 * Update on purpose (`npx projen test:proofs -- test/scenarios -u`) and read every changed logical id.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const SCENARIOS_DIR = path.join(ROOT, 'examples', 'scenarios');
const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');
const SCENARIOS = fs.readdirSync(SCENARIOS_DIR)
  .filter(name => fs.existsSync(path.join(SCENARIOS_DIR, name, 'cdk.json')))
  .sort();
/** Two synths at a time: the machines have two cores. */
const CONCURRENCY = 2;
const PACKS = [
  'AwsSolutionsChecks', 'HIPAASecurityChecks', 'NIST80053R4Checks', 'NIST80053R5Checks',
  'PCIDSS321Checks', 'ServerlessChecks', 'KmsGuardrailsChecks',
];

interface Synth {
  readonly exitCode: number;
  readonly output: string;
  readonly seconds: number;
  readonly outdir: string;
}

/** Every src/ file that lib/ compiles from and is missing or older than. */
function staleLibraryFiles(): string[] {
  const stale: string[] = [];
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) { visit(file); continue; }
      if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
      const compiled = path.join(ROOT, 'lib', path.relative(path.join(ROOT, 'src'), file)).replace(/\.ts$/, '.js');
      if (!fs.existsSync(compiled) || fs.statSync(compiled).mtimeMs < fs.statSync(file).mtimeMs) {
        stale.push(path.relative(ROOT, file));
      }
    }
  };
  visit(path.join(ROOT, 'src'));
  return stale;
}

function synth(name: string): Promise<Synth> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `scenario-${name}-`));
  const started = process.hrtime.bigint();
  return new Promise(resolve => {
    execFile(CDK, ['synth', '--no-notices', '--quiet', '-o', outdir], {
      cwd: path.join(SCENARIOS_DIR, name),
      // The CLI sets these for the app it runs; none may leak in from the caller's environment.
      env: { ...process.env, CDK_OUTDIR: undefined, CDK_CONTEXT_JSON: undefined },
      maxBuffer: 64 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ exitCode, output: `${stdout}${stderr}`, seconds, outdir });
    });
  });
}

/** Runs the synths `limit` at a time, in the order given. */
async function synthAll(names: string[], limit: number): Promise<Map<string, Synth>> {
  const results = new Map<string, Synth>();
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      results.set(name, await synth(name));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, names.length) }, worker));
  return results;
}

function stackTemplates(outdir: string): Record<string, unknown> {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf-8'));
  const templates: Record<string, unknown> = {};
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    templates[id] = JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf-8'));
  }
  return templates;
}

let results: Map<string, Synth>;

beforeAll(async () => {
  const stale = staleLibraryFiles();
  if (stale.length > 0) {
    throw new Error(`The scenario apps import the compiled library (lib/), which is missing or older than ${stale.length} file(s) of src/ ` +
      `(${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', …' : ''}). Run \`npx projen compile\` first.`);
  }
  results = await synthAll(SCENARIOS, CONCURRENCY);
  const times = SCENARIOS.map(name => `${name} ${results.get(name)!.seconds.toFixed(1)} s`).join(', ');
  process.stdout.write(`cdk synth of the scenario apps (${CONCURRENCY} at a time): ${times}\n`);
}, 15 * 60_000);

afterAll(() => {
  for (const result of results?.values() ?? []) fs.rmSync(result.outdir, { recursive: true, force: true });
});

test('there are scenarios', () => {
  expect(SCENARIOS).toEqual(expect.arrayContaining(['single-account', 'shared-audit-trail', 'multi-region', 'cross-account-consumer', 'existing-app']));
});

describe.each(SCENARIOS)('scenario %s', (name) => {
  const dir = path.join(SCENARIOS_DIR, name);

  test('cdk.json runs the app with tsx and has exactly the feature flags of today\'s `cdk init`', () => {
    const cdkJson = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.json'), 'utf-8'));
    expect(cdkJson.app).toEqual('npx tsx app.ts');
    expect(cdkJson.context).toEqual(cdkInitContext());
  });

  test('registers every cdk-nag pack on the app', () => {
    const source = fs.readFileSync(path.join(dir, 'app.ts'), 'utf-8');
    const registration = /Validations\.of\(app\)\.addPlugins\(([^;]*)\);/.exec(source)?.[1] ?? '';
    expect(PACKS.filter(pack => !registration.includes(`new ${pack}(app)`))).toEqual([]);
  });

  test('`cdk synth` succeeds: every pack passes', () => {
    const result = results.get(name)!;
    if (result.exitCode !== 0) {
      throw new Error(`cdk synth in examples/scenarios/${name} exited with ${result.exitCode}:\n${result.output.slice(-8000)}`);
    }
  });

  test('stack templates', () => {
    const result = results.get(name)!;
    expect(result.exitCode).toBe(0);
    const templates = stackTemplates(result.outdir);
    expect(Object.keys(templates).sort()).toMatchSnapshot('stacks');
    for (const [stack, template] of Object.entries(templates)) {
      expect(template).toMatchSnapshot(stack);
    }
  });
});
