/**
 * Test helper: evaluate the AWS Control Tower proactive controls (the cfn-guard rules shipped
 * in `@cdklabs/cdk-validator-cfnguard`) against a CDK app, stage, stack or template, and return
 * structured results per control.
 *
 * It runs the cfn-guard binary shipped in that package directly, on the synthesized templates,
 * with the shipped rule files, and reads guard's structured JSON output. Nothing is downloaded.
 *
 * Why not the CDK policy-validation plugin (`Validations.of(app).addPlugins(new CfnGuardValidator())`)?
 * On aws-cdk-lib 2.262 that works, but `app.synth()` only throws with a console report, and the
 * plugin's `validate()` keeps the failures only: it drops guard's `compliant` and `not_applicable`
 * lists, so a test cannot tell "passed" from "never ran". It also treats guard's exit status 5
 * (a rule file that does not parse) as a plain validation failure, which then reports success.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnElement, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** One Control Tower proactive control, as shipped in the package. */
export interface ControlInfo {
  /** Control id, e.g. `CT.KMS.PR.1` */
  readonly id: string;
  /** Service part of the id, e.g. `KMS`, `S3`, `DYNAMODB`, `CLOUDWATCH` */
  readonly service: string;
  /** Display name from the control's metadata */
  readonly title: string;
  /** CloudFormation resource types the control reports on */
  readonly resourceTypes: string[];
  /** Name(s) of the guard rule(s) that implement it, as cfn-guard reports them */
  readonly ruleNames: string[];
  /** Absolute path of the `.guard` file */
  readonly file: string;
}

/** A failing (control, resource) pair. */
export interface ControlTowerFinding {
  /** Control id, e.g. `CT.KMS.PR.1` */
  readonly control: string;
  /** Logical id of the non-compliant resource ('' if guard reported no resource path) */
  readonly resource: string;
  /** Stack artifact id (`'template'` for a template object) */
  readonly stack: string;
  /** The control's message, e.g. `[CT.KMS.PR.1]: Require any AWS KMS key to have rotation configured` */
  readonly message: string;
  /** The control's suggested fix */
  readonly fix: string;
  /** Guard's own messages for the failing checks (property paths and values) */
  readonly reasons: string[];
}

/** Outcome of one control on one template. */
export interface ControlTemplateResult {
  readonly control: string;
  readonly stack: string;
  /** PASS/FAIL: the control applied to at least one resource; SKIP: no resource it applies to */
  readonly status: 'PASS' | 'FAIL' | 'SKIP';
}

export interface ControlTowerReport {
  /** Failing findings only, one per control and resource */
  readonly findings: ControlTowerFinding[];
  /** Per control and template */
  readonly results: ControlTemplateResult[];
  /** Every control that was run (sorted) */
  readonly controls: string[];
  /** Controls that applied to at least one resource in at least one template (sorted) */
  readonly evaluated: string[];
  /** Evaluated controls with no finding (sorted) */
  readonly compliant: string[];
  /** Controls with at least one finding (sorted) */
  readonly failed: string[];
  /** Controls that ran but found nothing to apply to in any template (sorted) */
  readonly skipped: string[];
}

export interface RunControlTowerOptions {
  /**
   * Service parts of control ids to run, case-insensitive: e.g. `['KMS', 'S3']`.
   * CloudWatch Logs controls are `CLOUDWATCH`; DAX controls are `DAX` (not `DYNAMODB`).
   * An unknown service throws.
   * @default - all services (unless `controls` is given)
   */
  readonly services?: string[];
  /**
   * Exact control ids to run, added to those selected by `services`. An unknown id throws.
   */
  readonly controls?: string[];
  /** Control ids not to run. */
  readonly exclude?: string[];
  /**
   * Give resources that have no `Properties` key an empty one before evaluation.
   *
   * CDK omits `Properties` when none is set (a bare `new s3.Bucket()`). guard then fails every
   * check on that resource with "property [Properties] is missing", including checks that accept
   * an absent property: CT.S3.PR.5 (no ACL) and CT.CLOUDWATCH.PR.2 (no retention = never expire)
   * fail a resource they should pass. The proactive controls run as CloudFormation hooks, which
   * see empty properties; `true` reproduces that. Checks that need a property fail either way.
   * @default true
   */
  readonly includeResourcesWithoutProperties?: boolean;
}

/** A CloudFormation template as a plain object (e.g. `Template.fromStack(s).toJSON()`). */
export type TemplateObject = { readonly [key: string]: unknown };

const PACKAGE_DIR = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
const RULES_DIR = path.join(PACKAGE_DIR, 'rules', 'control-tower', 'cfn-guard');
const METADATA_DIR = path.join(PACKAGE_DIR, 'rules', 'control-tower', 'metadata');

/** guard exits 0 when everything is compliant or skipped, 19 when a rule fails; anything else is an error. */
const GUARD_OK = 0;
const GUARD_NON_COMPLIANT = 19;

function guardBinary(): string {
  const platform = os.platform() === 'linux' ? 'ubuntu' : os.platform() === 'darwin' ? 'macos' : undefined;
  const arch = os.arch() === 'x64' ? 'x86_64' : os.arch() === 'arm64' ? 'aarch64' : undefined;
  if (!platform || !arch) {
    throw new Error(`cfn-guard is not shipped for ${os.platform()}/${os.arch()}`);
  }
  return path.join(PACKAGE_DIR, 'bin', platform, arch, 'cfn-guard');
}

let catalogCache: ControlInfo[] | undefined;

/**
 * All Control Tower controls shipped in the package, sorted by id. Reads the rule files and
 * their metadata once per process.
 */
export function controlTowerCatalog(): ControlInfo[] {
  if (catalogCache) return catalogCache;
  const controls: ControlInfo[] = [];
  for (const dir of fs.readdirSync(RULES_DIR).sort()) {
    for (const fileName of fs.readdirSync(path.join(RULES_DIR, dir)).sort()) {
      if (!fileName.endsWith('.guard')) continue;
      const file = path.join(RULES_DIR, dir, fileName);
      const base = fileName.replace(/\.guard$/, '');
      const source = fs.readFileSync(file, 'utf-8');
      // The top-level rules are the ones guarded by `when is_cfn_template(...)`; a file has one
      // per resource type it checks. The `is_cfn_hook` twins share the name.
      const ruleNames = [...new Set([...source.matchAll(/^rule\s+(\w+)\s+when\s+is_cfn_template\b/gm)].map(m => m[1]))];
      if (ruleNames.length === 0) {
        throw new Error(`No top-level rule found in ${file}`);
      }
      const metadataFile = path.join(METADATA_DIR, dir, `${base}.metadata.json`);
      const metadata = fs.existsSync(metadataFile) ? JSON.parse(fs.readFileSync(metadataFile, 'utf-8')) : {};
      const id: string = metadata.Id ?? base.toUpperCase().replace(/-/g, '.');
      const title: string = metadata.DisplayName
        ?? /\[CT\.[^\]]+\]:\s*(.*)/.exec(source)?.[1]?.trim()
        ?? id;
      controls.push({
        id,
        service: id.split('.')[1],
        title,
        resourceTypes: metadata.EvaluatedResourceTypes ?? [],
        ruleNames,
        file,
      });
    }
  }
  catalogCache = controls.sort((a, b) => compareIds(a.id, b.id));
  return catalogCache;
}

/** Sort `CT.S3.PR.2` before `CT.S3.PR.10`. */
function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function selectControls(options: RunControlTowerOptions): ControlInfo[] {
  const catalog = controlTowerCatalog();
  const byId = new Map(catalog.map(c => [c.id, c]));
  const selected = new Set<ControlInfo>();
  if (!options.services && !options.controls) {
    catalog.forEach(c => selected.add(c));
  }
  for (const service of options.services ?? []) {
    const matching = catalog.filter(c => c.service === service.toUpperCase());
    if (matching.length === 0) {
      const known = [...new Set(catalog.map(c => c.service))].join(', ');
      throw new Error(`No Control Tower control for service '${service}'. Known services: ${known}`);
    }
    matching.forEach(c => selected.add(c));
  }
  for (const id of [...(options.controls ?? []), ...(options.exclude ?? [])]) {
    if (!byId.has(id)) throw new Error(`Unknown Control Tower control '${id}'`);
  }
  (options.controls ?? []).forEach(id => selected.add(byId.get(id)!));
  const excluded = new Set(options.exclude ?? []);
  const result = [...selected].filter(c => !excluded.has(c.id));
  if (result.length === 0) throw new Error('No Control Tower control selected');
  return result;
}

/**
 * guard reports results by rule name. No two controls share a rule name in 0.0.62 (one batch);
 * should a later version reuse one, the controls that share it run in separate guard invocations.
 */
function batchByRuleName(controls: ControlInfo[]): Map<string, ControlInfo>[] {
  const batches: Map<string, ControlInfo>[] = [];
  for (const control of controls) {
    let batch = batches.find(b => control.ruleNames.every(n => !b.has(n)));
    if (!batch) {
      batch = new Map();
      batches.push(batch);
    }
    for (const name of control.ruleNames) batch.set(name, control);
  }
  return batches;
}

interface TemplateFile {
  /** Stack artifact id */
  readonly stack: string;
  readonly file: string;
}

function isConstruct(x: unknown): x is IConstruct {
  return typeof x === 'object' && x !== null && 'node' in x;
}

function templatesOf(target: IConstruct): TemplateFile[] {
  if (Stack.isStack(target)) {
    const stage = Stage.of(target);
    if (!stage) throw new Error(`Stack ${target.node.path} is not in an App or Stage`);
    const artifact = stage.synth().getStackArtifact(target.artifactId);
    return [{ stack: artifact.id, file: artifact.templateFullPath }];
  }
  if (Stage.isStage(target)) {
    return target.synth().stacksRecursively.map(a => ({ stack: a.id, file: a.templateFullPath }));
  }
  throw new Error(`${target.node.path} is neither an App, a Stage nor a Stack`);
}

/**
 * Evaluate the Control Tower proactive controls against an App/Stage (every stack, nested stages
 * included), a Stack, or a template object. Synthesizes the app if it was not already.
 * Nested stacks' templates are not evaluated.
 *
 * Throws if cfn-guard fails (exit status other than 0 or 19), if its output does not cover every
 * selected control, or if it reports a rule this helper does not know.
 */
export function runControlTower(
  target: IConstruct | TemplateObject,
  options: RunControlTowerOptions = {},
): ControlTowerReport {
  const controls = selectControls(options);
  const sources: { stack: string; template: any }[] = isConstruct(target)
    ? templatesOf(target).map(t => ({ stack: t.stack, template: JSON.parse(fs.readFileSync(t.file, 'utf-8')) }))
    : [{ stack: 'template', template: target }];
  if (sources.length === 0) throw new Error('Nothing to evaluate: no stack in the assembly');

  // guard reads copies, in which resources without `Properties` get an empty one (see the option).
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-guard-'));
  const templates: TemplateFile[] = sources.map(({ stack, template }, i) => {
    const file = path.join(tmpDir, `${i}-${stack.replace(/[^\w.-]/g, '_')}.json`);
    const resources = template?.Resources;
    if (!resources || typeof resources !== 'object') throw new Error(`Template of ${stack} has no Resources`);
    const copy = (options.includeResourcesWithoutProperties ?? true)
      ? {
        ...template,
        Resources: Object.fromEntries(Object.entries(resources).map(([id, r]: [string, any]) =>
          [id, r && typeof r === 'object' && r.Properties === undefined ? { ...r, Properties: {} } : r])),
      }
      : template;
    fs.writeFileSync(file, JSON.stringify(copy, undefined, 1));
    return { stack, file };
  });

  try {
    const findings: ControlTowerFinding[] = [];
    const results: ControlTemplateResult[] = [];
    for (const batch of batchByRuleName(controls)) {
      const out = execGuard([...new Set(batch.values())].map(c => c.file), templates.map(t => t.file));
      for (const template of templates) {
        const result = out.find(r => path.resolve(r.name) === path.resolve(template.file));
        if (!result) throw new Error(`cfn-guard returned no result for ${template.file}`);
        const parsed = parseTemplateResult(result, batch, template.stack);
        findings.push(...parsed.findings);
        results.push(...parsed.results);
      }
    }
    for (const control of controls) {
      const count = results.filter(r => r.control === control.id).length;
      if (count !== templates.length) {
        throw new Error(`${control.id} has ${count} results for ${templates.length} templates`);
      }
    }
    const ids = (pred: (r: ControlTemplateResult) => boolean) =>
      [...new Set(results.filter(pred).map(r => r.control))].sort(compareIds);
    const evaluated = ids(r => r.status !== 'SKIP');
    const failed = ids(r => r.status === 'FAIL');
    return {
      findings: findings.sort((a, b) => compareIds(a.control, b.control) || a.stack.localeCompare(b.stack) || a.resource.localeCompare(b.resource)),
      results,
      controls: controls.map(c => c.id).sort(compareIds),
      evaluated,
      failed,
      compliant: evaluated.filter(c => !failed.includes(c)),
      skipped: ids(() => true).filter(c => !evaluated.includes(c)),
    };
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

interface GuardFileResult {
  readonly name: string;
  readonly status: string;
  readonly not_compliant?: unknown;
  readonly not_applicable?: string[];
  readonly compliant?: string[];
}

function execGuard(ruleFiles: string[], dataFiles: string[]): GuardFileResult[] {
  const args = [
    'validate',
    ...ruleFiles.flatMap(f => ['--rules', f]),
    ...dataFiles.flatMap(f => ['--data', f]),
    '--output-format', 'json',
    '--show-summary', 'none',
    '--structured',
  ];
  const proc = spawnSync(guardBinary(), args, { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  if (proc.error) throw proc.error;
  if (proc.status !== GUARD_OK && proc.status !== GUARD_NON_COMPLIANT) {
    throw new Error(`cfn-guard exited with ${proc.status ?? proc.signal}: ${proc.stderr}`);
  }
  const parsed = JSON.parse(proc.stdout);
  if (!Array.isArray(parsed)) throw new Error(`Unexpected cfn-guard output: ${proc.stdout.slice(0, 500)}`);
  return parsed;
}

/** guard nests each entry as `{ Rule: {...} }`, `{ Clause: {...} }`, ...; not_compliant may be an object. */
function asList(value: unknown): any[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') return Object.values(value);
  return [];
}

function parseTemplateResult(
  result: GuardFileResult,
  batch: Map<string, ControlInfo>,
  stack: string,
): { findings: ControlTowerFinding[]; results: ControlTemplateResult[] } {
  const controlOf = (ruleName: string): ControlInfo => {
    const control = batch.get(ruleName);
    if (!control) throw new Error(`cfn-guard reported an unknown rule '${ruleName}'`);
    return control;
  };
  const status = new Map<ControlInfo, 'PASS' | 'FAIL' | 'SKIP'>();
  const seen = new Set<string>();
  // A rule name can be both not_applicable (its is_cfn_hook twin) and compliant/not_compliant.
  for (const name of result.not_applicable ?? []) {
    seen.add(name);
    if (!status.has(controlOf(name))) status.set(controlOf(name), 'SKIP');
  }
  for (const name of result.compliant ?? []) {
    seen.add(name);
    if (status.get(controlOf(name)) !== 'FAIL') status.set(controlOf(name), 'PASS');
  }
  const findings = new Map<string, { control: ControlInfo; resource: string; reasons: Set<string>; message?: string }>();
  for (const entry of asList(result.not_compliant)) {
    const rule = entry.Rule;
    if (!rule?.name) throw new Error(`Unexpected cfn-guard not_compliant entry: ${JSON.stringify(entry).slice(0, 500)}`);
    const control = controlOf(rule.name);
    seen.add(rule.name);
    status.set(control, 'FAIL');
    const clauses = collectClauses(rule, undefined);
    if (clauses.length === 0) clauses.push({ resource: '', reason: `rule ${rule.name} failed`, message: undefined });
    for (const clause of clauses) {
      const key = `${control.id}\u0000${clause.resource}`;
      const finding = findings.get(key) ?? { control, resource: clause.resource, reasons: new Set<string>() };
      if (clause.reason) finding.reasons.add(clause.reason);
      finding.message = finding.message ?? clause.message;
      findings.set(key, finding);
    }
  }
  for (const control of new Set(batch.values())) {
    if (!control.ruleNames.some(n => seen.has(n))) {
      throw new Error(`cfn-guard output does not mention ${control.id} (${control.ruleNames.join(', ')}) for ${result.name}`);
    }
  }
  return {
    results: [...status.entries()].map(([control, s]) => ({ control: control.id, stack, status: s })),
    findings: [...findings.values()].map(f => {
      const { message, fix } = splitMessage(f.message, f.control);
      return { control: f.control.id, resource: f.resource, stack, message, fix, reasons: [...f.reasons] };
    }),
  };
}

interface FailedClause {
  readonly resource: string;
  readonly reason?: string;
  readonly message?: string;
}

/**
 * Walk a not_compliant rule tree down to its leaves, carrying the nearest custom message (the
 * control's `[CT.X.PR.n]: ... [FIX]: ...` text sits on the parameterized rule it calls).
 * guard wraps every node in a one-key object (`{ Rule }`, `{ Disjunctions }`, `{ Clause }`,
 * `{ Block }`); a node with `checks` has children, any other node is a failed check.
 * A few failed checks carry no path (e.g. a comparison inside a parameterized rule); guard lists
 * the checks resource by resource, so such a check belongs to the resource of the check before it.
 */
function collectClauses(node: any, message: string | undefined, state = { last: '' }): FailedClause[] {
  if (Array.isArray(node)) return node.flatMap(n => collectClauses(n, message, state));
  if (!node || typeof node !== 'object') return [];
  if (node.checks !== undefined) {
    const custom: unknown = node.messages?.custom_message;
    const here = typeof custom === 'string' && custom.includes('[CT.') ? custom : message;
    return asList(node.checks).flatMap(c => collectClauses(c, here, state));
  }
  const keys = Object.keys(node);
  if (keys.length === 1 && node[keys[0]] && typeof node[keys[0]] === 'object' && node[keys[0]].checks !== undefined) {
    return collectClauses(node[keys[0]], message, state);
  }
  const resources = [...new Set(resourcePaths(node))];
  if (resources.length > 0) state.last = resources[resources.length - 1];
  const reason = firstErrorMessage(node);
  return (resources.length > 0 ? resources : [state.last]).map(resource => ({ resource, reason, message }));
}

/** Logical ids of the `/Resources/<id>/...` paths in a clause, preferring the checked value's path. */
function resourcePaths(clause: any): string[] {
  const preferred: string[] = [];
  const others: string[] = [];
  const walk = (n: any, key: string | undefined) => {
    if (!n || typeof n !== 'object') return;
    if (typeof n.path === 'string') {
      const m = /^\/Resources\/([^/]+)/.exec(n.path);
      if (m) (key === 'to' ? others : preferred).push(m[1]);
    }
    for (const [k, v] of Object.entries(n)) walk(v, k);
  };
  walk(clause, undefined);
  return preferred.length > 0 ? preferred : others;
}

function firstErrorMessage(node: any): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const m = node.messages?.error_message;
  if (typeof m === 'string' && m.trim() !== '') return m.trim();
  for (const v of Object.values(node)) {
    const found = firstErrorMessage(v);
    if (found) return found;
  }
  return undefined;
}

function splitMessage(custom: string | undefined, control: ControlInfo): { message: string; fix: string } {
  const lines = (custom ?? '').split('\n').map(l => l.trim()).filter(l => l !== '');
  const fix = lines.find(l => l.startsWith('[FIX]'))?.replace(/^\[FIX\]:\s*/, '') ?? '';
  const message = lines.find(l => l.startsWith(`[${control.id}]`)) ?? `[${control.id}]: ${control.title}`;
  return { message, fix };
}

/** Stack artifact id, logical id and type of a construct's CloudFormation resource. */
function resourceOf(construct: IConstruct): { stack: string; logicalId: string; type: string } {
  const element = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
  if (!element || !CfnResource.isCfnResource(element)) {
    throw new Error(`${construct.node.path} has no CloudFormation resource (pass the CfnResource itself)`);
  }
  const stack = Stack.of(element);
  return { stack: stack.artifactId, logicalId: stack.resolve(element.logicalId), type: element.cfnResourceType };
}

/** Logical id of a construct's CloudFormation resource (its `defaultChild` for an L2). */
export function logicalIdOf(construct: IConstruct): string {
  return resourceOf(construct).logicalId;
}

/** Findings on one construct's resource. */
export function findingsFor(report: ControlTowerReport, construct: IConstruct): ControlTowerFinding[] {
  const r = resourceOf(construct);
  return report.findings.filter(f => f.stack === r.stack && f.resource === r.logicalId);
}

/**
 * Status of one control, overall or on one construct's resource.
 *
 * - Without a construct: FAIL if any finding, PASS if it applied somewhere and found nothing, else SKIP.
 * - With a construct: FAIL if a finding names its resource; PASS if the control applied to the
 *   resource's stack, reports on the resource's type, and names it in no finding; else SKIP.
 *   A rule's own filters can still skip a resource of that type (CT.KMS.PR.1 skips asymmetric keys,
 *   CT.SQS.PR.1 skips queues that are dead-letter queues, CT.S3.PR.3 skips unversioned buckets):
 *   that reads as PASS here.
 */
export function controlStatus(report: ControlTowerReport, control: string, construct?: IConstruct): 'PASS' | 'FAIL' | 'SKIP' {
  const info = controlTowerCatalog().find(c => c.id === control);
  if (!info) throw new Error(`Unknown Control Tower control '${control}'`);
  if (!report.controls.includes(control)) throw new Error(`${control} was not run`);
  if (!construct) {
    if (report.failed.includes(control)) return 'FAIL';
    return report.evaluated.includes(control) ? 'PASS' : 'SKIP';
  }
  const r = resourceOf(construct);
  if (report.findings.some(f => f.control === control && f.stack === r.stack && f.resource === r.logicalId)) return 'FAIL';
  const applied = report.results.some(x => x.control === control && x.stack === r.stack && x.status !== 'SKIP');
  return applied && info.resourceTypes.includes(r.type) ? 'PASS' : 'SKIP';
}
