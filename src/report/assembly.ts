import * as fs from 'fs';
import * as path from 'path';
import { StackTemplateSource } from '../template/template-index';

/**
 * Reads a cloud assembly (`cdk.out`) into the stack templates it holds: every
 * `aws:cloudformation:stack` artifact, the nested cloud assemblies of stages and CDK Pipelines
 * (`cdk:cloud-assembly`), and the nested stacks of each template (`AWS::CloudFormation::Stack`
 * resources whose `aws:asset:path` metadata names their template in the assembly directory).
 *
 * Assemblies of apps nobody on the team wrote are read as they are: what cannot be read is said in
 * `warnings`, never guessed, and never stops the rest from being read.
 */
export interface AssemblyTemplates {
  readonly stacks: StackTemplateSource[];
  /** What could not be read, each naming its file. */
  readonly warnings: string[];
}

interface ManifestArtifact {
  readonly type?: unknown;
  readonly environment?: unknown;
  readonly displayName?: unknown;
  readonly properties?: Record<string, unknown>;
}

/** A nested assembly inside a nested assembly... is followed to this depth (CDK Pipelines nest two). */
const MAX_ASSEMBLY_DEPTH = 10;
/** Nested stacks inside nested stacks are followed to this depth. */
const MAX_NESTED_STACK_DEPTH = 20;

/**
 * Reads `location`: a cloud assembly directory, its `manifest.json`, or one template file (a
 * stack of its own, environment-agnostic). Throws only when there is nothing to read at all.
 */
export function readAssembly(location: string): AssemblyTemplates {
  const stacks: StackTemplateSource[] = [];
  const warnings: string[] = [];
  assetFiles.clear();
  const stat = statOf(location);
  if (!stat) throw new Error(`${location}: no such file or directory`);
  if (stat.isFile() && path.basename(location) !== 'manifest.json') {
    const template = readJson(location, warnings);
    if (template === undefined) throw new Error(`${location}: not a JSON template (${warnings.join('; ')})`);
    const id = path.basename(location).replace(/(\.template)?\.json$/, '');
    const source: StackTemplateSource = { id, stackName: id, template };
    stacks.push(source);
    readNestedStacks(path.dirname(location), source, stacks, warnings, 0);
    return { stacks, warnings };
  }
  const directory = stat.isFile() ? path.dirname(location) : location;
  if (!fs.existsSync(path.join(directory, 'manifest.json'))) {
    throw new Error(`${directory}: no manifest.json — not a cloud assembly (run \`cdk synth\` first, or pass its output directory)`);
  }
  readAssemblyDirectory(directory, '', stacks, warnings, 0, new Set());
  return { stacks, warnings };
}

function readAssemblyDirectory(
  directory: string, prefix: string, stacks: StackTemplateSource[], warnings: string[], depth: number, seen: Set<string>,
): void {
  const real = realPath(directory);
  if (seen.has(real)) return;
  seen.add(real);
  const manifestFile = path.join(directory, 'manifest.json');
  const manifest = readJson(manifestFile, warnings) as { artifacts?: Record<string, ManifestArtifact> } | undefined;
  if (manifest === undefined) return;
  const artifacts = isObject(manifest) && isObject(manifest.artifacts) ? manifest.artifacts : {};
  for (const [artifactId, raw] of Object.entries(artifacts)) {
    const artifact = isObject(raw) ? raw : {};
    const properties = isObject(artifact.properties) ? artifact.properties : {};
    if (artifact.type === 'aws:cloudformation:stack') {
      const templateFile = properties.templateFile;
      if (typeof templateFile !== 'string') {
        warnings.push(`${manifestFile}: artifact ${artifactId} names no templateFile`);
        continue;
      }
      const templatePath = path.join(directory, templateFile);
      const template = readJson(templatePath, warnings);
      if (template === undefined) continue;
      const { account, region } = parseEnvironment(artifact.environment);
      const source: StackTemplateSource = {
        id: prefix + artifactId,
        stackName: typeof properties.stackName === 'string' ? properties.stackName : artifactId,
        account,
        region,
        template,
      };
      stacks.push(source);
      readNestedStacks(directory, source, stacks, warnings, 0);
    } else if (artifact.type === 'cdk:cloud-assembly') {
      const directoryName = properties.directoryName;
      if (typeof directoryName !== 'string') {
        warnings.push(`${manifestFile}: nested assembly ${artifactId} names no directoryName`);
        continue;
      }
      if (depth >= MAX_ASSEMBLY_DEPTH) {
        warnings.push(`${manifestFile}: nested assembly ${artifactId} is nested more than ${MAX_ASSEMBLY_DEPTH} deep; not read`);
        continue;
      }
      const nested = path.join(directory, directoryName);
      if (!fs.existsSync(path.join(nested, 'manifest.json'))) {
        warnings.push(`${manifestFile}: nested assembly ${artifactId}: ${path.join(nested, 'manifest.json')} is missing`);
        continue;
      }
      const stage = typeof artifact.displayName === 'string' && artifact.displayName !== '' ? artifact.displayName : artifactId.replace(/^assembly-/, '');
      readAssemblyDirectory(nested, `${prefix}${stage}/`, stacks, warnings, depth + 1, seen);
    }
  }
}

/**
 * The nested stacks of `parent`: each `AWS::CloudFormation::Stack` whose template CDK wrote into
 * the assembly (`aws:asset:path`). A nested stack deploys into its parent's account and Region.
 */
function readNestedStacks(directory: string, parent: StackTemplateSource, stacks: StackTemplateSource[], warnings: string[], depth: number): void {
  const resources = isObject(parent.template) && isObject((parent.template as Record<string, unknown>).Resources)
    ? (parent.template as { Resources: Record<string, unknown> }).Resources : {};
  for (const [logicalId, raw] of Object.entries(resources)) {
    if (!isObject(raw) || raw.Type !== 'AWS::CloudFormation::Stack') continue;
    const metadata = isObject(raw.Metadata) ? raw.Metadata : {};
    // The CDK CLI writes the template's file into the metadata; an app synthesized without it
    // (in a test) still names the template's asset hash in TemplateURL, which the assets manifests map to the file.
    const assetPath = typeof metadata['aws:asset:path'] === 'string' ? metadata['aws:asset:path']
      : assetFileOf(directory, JSON.stringify((raw.Properties as Record<string, unknown> | undefined)?.TemplateURL ?? ''));
    if (typeof assetPath !== 'string') {
      warnings.push(`${parent.id}: nested stack ${logicalId} has no template in the assembly (no aws:asset:path); its resources are not read`);
      continue;
    }
    if (depth >= MAX_NESTED_STACK_DEPTH) {
      warnings.push(`${parent.id}: nested stack ${logicalId} is nested more than ${MAX_NESTED_STACK_DEPTH} deep; not read`);
      continue;
    }
    const template = readJson(path.join(directory, assetPath), warnings);
    if (template === undefined) continue;
    const source: StackTemplateSource = {
      id: `${parent.id}/${logicalId}`,
      // CloudFormation names a nested stack itself; no reference can name it literally.
      stackName: `${parent.stackName}-${logicalId}`,
      account: parent.account,
      region: parent.region,
      template,
      parent: { id: parent.id, logicalId },
    };
    stacks.push(source);
    readNestedStacks(directory, source, stacks, warnings, depth + 1);
  }
}

const assetFiles = new Map<string, Map<string, string>>();

/** The file of the asset whose hash `text` names, from the assets manifests (`*.assets.json`) of `directory`. */
function assetFileOf(directory: string, text: string): string | undefined {
  let files = assetFiles.get(directory);
  if (!files) {
    files = new Map();
    let names: string[] = [];
    try {
      names = fs.readdirSync(directory).filter((n) => n.endsWith('.assets.json'));
    } catch {
      names = [];
    }
    for (const name of names) {
      const manifest = readJson(path.join(directory, name), []) as { files?: Record<string, { source?: { path?: unknown } }> } | undefined;
      for (const [hash, file] of Object.entries(isObject(manifest) && isObject(manifest.files) ? manifest.files : {})) {
        const source = isObject(file) && isObject(file.source) ? file.source.path : undefined;
        if (typeof source === 'string') files.set(hash, source);
      }
    }
    assetFiles.set(directory, files);
  }
  for (const hash of text.match(/[0-9a-f]{64}/g) ?? []) {
    const file = files.get(hash);
    if (file) return file;
  }
  return undefined;
}

/** `aws://<account>/<region>`; CDK writes `unknown-account` / `unknown-region` for agnostic stacks. */
export function parseEnvironment(environment: unknown): { account?: string; region?: string } {
  if (typeof environment !== 'string') return {};
  const m = /^aws:\/\/([^/]*)\/(.*)$/.exec(environment);
  if (!m) return {};
  const account = /^\d{12}$/.test(m[1]) ? m[1] : undefined;
  const region = /^[a-z]{2}(-[a-z]+)+-\d+$/.test(m[2]) ? m[2] : undefined;
  return { account, region };
}

function readJson(file: string, warnings: string[]): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (e) {
    warnings.push(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    warnings.push(`${file}: not JSON (${(e as Error).message})`);
    return undefined;
  }
}

function statOf(location: string): fs.Stats | undefined {
  try {
    return fs.statSync(location);
  } catch {
    return undefined;
  }
}

function realPath(location: string): string {
  try {
    return fs.realpathSync(location);
  } catch {
    return path.resolve(location);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
