/**
 * The public-app corpus: real CDK apps from public repositories (test/corpus/apps/<name>, each
 * with its licence and SOURCE.md), synthesized with today's `cdk init` feature flags and
 * `KmsGuardrailsChecks` registered as users register it. Every finding of the pack is compared with
 * test/corpus/expected-findings.json, where each one was reviewed by reading the resource.
 *
 * To regenerate the list after a change of the pack:
 *   UPDATE_CORPUS=1 npx jest test/corpus
 * Findings that persist keep their verdict and reason; new ones are written as
 * `verdict: "unreviewed"`, which fails the normal run until someone reviews them.
 * CORPUS_OUTDIR=<dir> keeps each app's cloud assembly (templates, validation-report.json) for the review.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { KmsGuardrailsChecks } from '../../src/nag';

process.env.JSII_DEPRECATED = 'quiet';
// What `cdk synth` sets from the user's credentials and profile; apps with env-agnostic stacks read them.
process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
process.env.CDK_DEFAULT_REGION = 'eu-west-1';
// Apps with `NodejsFunction` are built, like their projects, where esbuild is installed: without it
// aws-cdk-lib builds a Docker image at construction even when bundling is skipped. Bundling is
// skipped here, so answering `esbuild --version` is enough.
// The module object itself (an ES namespace import would be frozen), so that aws-cdk-lib sees the stand-in.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const childProcess: typeof import('child_process') = require('child_process');
const realSpawnSync = childProcess.spawnSync;
const spawnSyncSpy = jest.spyOn(childProcess, 'spawnSync').mockImplementation(((command: string, args?: readonly string[], options?: import('child_process').SpawnSyncOptions) => {
  if (command === 'esbuild' && args?.[0] === '--version') {
    return { pid: 0, output: [], stdout: Buffer.from('0.21.5\n'), stderr: Buffer.from(''), status: 0, signal: null };
  }
  return realSpawnSync(command, args ?? [], options ?? {});
}) as typeof childProcess.spawnSync);
// The module is shared by every test file of the worker: put it back.
afterAll(() => spawnSyncSpy.mockRestore());

const APPS_DIR = path.join(__dirname, 'apps');
const EXPECTED_FILE = path.join(__dirname, 'expected-findings.json');
const UPDATE = process.env.UPDATE_CORPUS === '1';

/** The validation report aws-cdk-lib writes into the cloud assembly (cx-api `VALIDATION_REPORT_FILE`). */
const VALIDATION_REPORT_FILE = 'validation-report.json';

/**
 * `true`: the finding is right; `debatable`: right by the rule's text, arguable in context; `false`: a
 * false positive of the pack, kept in the list so that it is named, and failing the run until the
 * pack no longer reports it; `unreviewed`: written by UPDATE_CORPUS=1, failing the run until reviewed.
 */
type Verdict = 'true' | 'debatable' | 'false' | 'unreviewed';

interface ExpectedFinding {
  readonly app: string;
  readonly rule: string;
  readonly path: string;
  readonly verdict: Verdict;
  readonly reason: string;
}

interface Finding {
  readonly app: string;
  readonly rule: string;
  readonly path: string;
  readonly severity: string;
  readonly description: string;
}

interface CorpusApp {
  /** Context the app needs (values its README passes with `-c`, its cdk.json context). */
  readonly context?: Record<string, unknown>;
  /** What the app's bin file does, without `app.synth()`. */
  build(app: App): void;
}

interface ReportViolation {
  readonly ruleName: string;
  readonly description: string;
  readonly severity?: string;
  readonly violatingConstructs: { readonly constructPath?: string }[];
}

interface ValidationReport {
  readonly pluginReports: {
    readonly pluginName: string;
    readonly conclusion?: string;
    readonly metadata?: Record<string, unknown>;
    readonly violations: ReportViolation[];
  }[];
}

/** The feature flags a fresh `cdk init app --language typescript` of the installed CLI writes into cdk.json. */
function cdkInitFlags(): Record<string, unknown> {
  const cliRoot = path.dirname(require.resolve('aws-cdk/package.json'));
  const file = path.join(cliRoot, 'lib', 'init-templates', '.recommended-feature-flags.json');
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function appNames(): string[] {
  return fs.readdirSync(APPS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(APPS_DIR, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

const key = (f: { app: string; rule: string; path: string }) => `${f.app} | ${f.rule} | ${f.path}`;

const INIT_FLAGS = cdkInitFlags();
const observed = new Map<string, Finding[]>();
const problems: string[] = [];

/** Synthesizes one corpus app with the pack and returns the pack's findings from the written report. */
function synthesize(name: string): Finding[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const corpusApp: CorpusApp = require(path.join(APPS_DIR, name, 'index.ts'));
  // CORPUS_OUTDIR=<dir> keeps each app's cloud assembly in <dir>/<app> for reviewing the findings.
  const keep = process.env.CORPUS_OUTDIR;
  const outdir = keep ? path.join(keep, name) : fs.mkdtempSync(path.join(os.tmpdir(), `corpus-${name}-`));
  if (keep) fs.rmSync(outdir, { recursive: true, force: true });
  try {
    const app = new App({
      outdir,
      context: {
        ...corpusApp.context,
        ...INIT_FLAGS,
        // No Docker and no network: skip asset bundling in every stack.
        'aws:cdk:bundling-stacks': [],
      },
    });
    corpusApp.build(app);
    const pack = new KmsGuardrailsChecks(app);
    Validations.of(app).addPlugins(pack);
    const calls = jest.spyOn(pack, 'validate');

    // A failing validation prints the whole report: keep the test output readable.
    const mute = [jest.spyOn(console, 'error').mockImplementation(() => {}), jest.spyOn(console, 'log').mockImplementation(() => {})];
    let synthError: unknown;
    try {
      app.synth();
    } catch (e) {
      synthError = e;
    } finally {
      mute.forEach((m) => m.mockRestore());
    }
    if (synthError !== undefined && !String(synthError).includes('ValidationFailed')) {
      throw new Error(`${name}: synth crashed: ${String(synthError)}`);
    }

    if (calls.mock.calls.length === 0) problems.push(`${name}: CDK never called the pack`);
    calls.mockRestore();
    const reportFile = path.join(outdir, VALIDATION_REPORT_FILE);
    if (!fs.existsSync(reportFile)) {
      throw new Error(`${name}: no ${VALIDATION_REPORT_FILE} in the cloud assembly`);
    }
    const report: ValidationReport = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    const ours = report.pluginReports.filter((r) => r.pluginName === pack.name);
    // One report per plugin in aws-cdk-lib 2.262; if CDK reports per environment, the findings of all
    // the plugin's reports together must still name each problem once (checked by the caller).
    // CDK leaves a plugin that found nothing out of the report (that it ran is checked above); one
    // that threw is in it, with its error.
    const findings: Finding[] = [];
    for (const pluginReport of ours) {
      // aws-cdk-lib reports a plugin that throws as a report with `metadata.error` and no violations.
      if (pluginReport.metadata?.error !== undefined) {
        problems.push(`${name}: plugin failure: ${JSON.stringify(pluginReport.metadata)}`);
      }
      for (const v of pluginReport.violations) {
        // cdk-nag reports a rule that throws as a finding with this description.
        if (/Rule threw an error/i.test(v.description)) {
          problems.push(`${name}: ${v.ruleName}: ${v.description}`);
        }
        for (const c of v.violatingConstructs) {
          findings.push({ app: name, rule: v.ruleName, path: c.constructPath ?? '<no path>', severity: v.severity ?? '', description: v.description });
        }
      }
    }
    return findings;
  } finally {
    if (!keep) fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function readExpected(): ExpectedFinding[] {
  return fs.existsSync(EXPECTED_FILE) ? JSON.parse(fs.readFileSync(EXPECTED_FILE, 'utf8')) : [];
}

describe('KmsGuardrailsChecks on the public-app corpus', () => {
  const names = appNames();

  test('the corpus has at least 15 apps from at least 5 repositories, each with its licence and source', () => {
    expect(names.length).toBeGreaterThanOrEqual(15);
    const repositories = new Set<string>();
    for (const name of names) {
      const dir = path.join(APPS_DIR, name);
      expect(fs.existsSync(path.join(dir, 'LICENSE')) || fs.existsSync(path.join(dir, 'NOTICE'))).toBe(true);
      const source = fs.readFileSync(path.join(dir, 'SOURCE.md'), 'utf8');
      const repository = /^- Repository: (\S+)$/m.exec(source)?.[1];
      expect({ name, repository, commit: /^- Commit: `[0-9a-f]{40}`$/m.test(source) }).toEqual({ name, repository: expect.stringMatching(/^https:\/\/github\.com\//), commit: true });
      repositories.add(repository!);
    }
    expect(repositories.size).toBeGreaterThanOrEqual(5);
  });

  test.each(names)('%s synthesizes with the pack without a crash, each finding once', (name) => {
    const findings = synthesize(name);
    observed.set(name, findings);
    const counts = new Map<string, number>();
    for (const f of findings) counts.set(key(f), (counts.get(key(f)) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1).map(([k, n]) => `  ${k} (${n} times)`);
    const mine = problems.filter((p) => p.startsWith(`${name}:`));
    expect({ problems: mine, repeated }).toEqual({ problems: [], repeated: [] });
  });

  test('the findings are the expected, reviewed ones', () => {
    if (observed.size !== names.length) {
      throw new Error(`only ${observed.size} of ${names.length} apps synthesized; see the failures above`);
    }
    const expected = readExpected();
    const expectedByKey = new Map(expected.map((e) => [key(e), e]));
    const seen = new Map<string, Finding>();
    for (const findings of observed.values()) for (const f of findings) seen.set(key(f), f);

    if (UPDATE) {
      const next: ExpectedFinding[] = [...seen.values()]
        .sort((a, b) => key(a).localeCompare(key(b)))
        .map((f) => {
          const old = expectedByKey.get(key(f));
          return old ?? { app: f.app, rule: f.rule, path: f.path, verdict: 'unreviewed', reason: `${f.severity}: ${f.description}` };
        });
      fs.writeFileSync(EXPECTED_FILE, JSON.stringify(next, undefined, 2) + '\n');
      return;
    }

    const appeared = [...seen.values()].filter((f) => !expectedByKey.has(key(f)));
    const disappeared = expected.filter((e) => !seen.has(key(e)));
    const falsePositives = expected.filter((e) => e.verdict === 'false' && seen.has(key(e)));
    const unreviewed = expected.filter((e) => !['true', 'debatable', 'false'].includes(e.verdict));
    const lines: string[] = [];
    if (appeared.length) {
      lines.push(`${appeared.length} finding(s) appeared (not in ${path.basename(EXPECTED_FILE)}):`);
      lines.push(...appeared.map((f) => `  + ${key(f)}\n      ${f.severity}: ${f.description}`));
    }
    if (disappeared.length) {
      lines.push(`${disappeared.length} expected finding(s) disappeared:`);
      lines.push(...disappeared.map((e) => `  - ${key(e)}  [${e.verdict}: ${e.reason}]`));
    }
    if (falsePositives.length) {
      lines.push(`${falsePositives.length} known false positive(s) still reported (the pack must not report them):`);
      lines.push(...falsePositives.map((e) => `  ! ${key(e)}  [${e.reason}]`));
    }
    if (unreviewed.length) {
      lines.push(`${unreviewed.length} finding(s) without a review (verdict must be "true", "debatable" or "false"):`);
      lines.push(...unreviewed.map((e) => `  ? ${key(e)}  [${e.verdict}]`));
    }
    if (lines.length) {
      lines.push('Review the findings; UPDATE_CORPUS=1 npx jest test/corpus rewrites the list, keeping existing reviews.');
      throw new Error(lines.join('\n'));
    }
  });
});
