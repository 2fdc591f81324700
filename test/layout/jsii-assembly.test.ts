import * as fs from 'fs';
import * as path from 'path';

/**
 * Python, Java, .NET and Go see the compiled jsii assembly (`.jsii`), not the TypeScript: a
 * protected member becomes `_kind` in Python and `Kind()` in Go, and a parameter named `_x` is the
 * keyword `_x`. jsii writes the assembly on `npx projen compile`; these tests read it, and fail
 * (never skip) when it is missing or older than src/.
 */
const ROOT = path.join(__dirname, '..', '..');
const ASSEMBLY = path.join(ROOT, '.jsii');
const NAME = 'cdk-kms-guardrails';

interface Parameter { readonly name: string }
interface Member {
  readonly name: string;
  readonly protected?: boolean;
  readonly abstract?: boolean;
  readonly static?: boolean;
  readonly overrides?: string;
  readonly parameters?: Parameter[];
  readonly returns?: { readonly type: unknown };
}
interface Type {
  readonly fqn: string;
  readonly name: string;
  readonly kind: 'class' | 'interface' | 'enum';
  readonly datatype?: boolean;
  readonly initializer?: { readonly protected?: boolean; readonly parameters?: Parameter[] };
  readonly properties?: Member[];
  readonly methods?: Member[];
}
interface Assembly { readonly schema: string; readonly name: string; readonly types: Record<string, Type> }

function newestSource(dir: string): { file: string; mtimeMs: number } {
  let newest = { file: dir, mtimeMs: 0 };
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const candidate = entry.isDirectory() ? newestSource(full) : { file: full, mtimeMs: fs.statSync(full).mtimeMs };
    if (candidate.mtimeMs > newest.mtimeMs) newest = candidate;
  }
  return newest;
}

function loadAssembly(): Assembly {
  const compile = 'run `npx projen compile` (jsii writes .jsii), then this test again';
  if (!fs.existsSync(ASSEMBLY)) throw new Error(`${ASSEMBLY} is missing: ${compile}.`);
  const newest = newestSource(path.join(ROOT, 'src'));
  if (newest.mtimeMs > fs.statSync(ASSEMBLY).mtimeMs) {
    throw new Error(`${ASSEMBLY} is older than ${path.relative(ROOT, newest.file)}: ${compile}.`);
  }
  return JSON.parse(fs.readFileSync(ASSEMBLY, 'utf8'));
}

/** A dependency's assembly, e.g. cdk-nag's for `cdk-nag.NagPack`. */
function dependencyType(fqn: string): Type | undefined {
  const pkg = fqn.split('.')[0];
  const file = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), '.jsii');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as Assembly).types[fqn];
}

let assembly: Assembly;
beforeAll(() => {
  assembly = loadAssembly();
});

/** Every member a binding generates for our types, as `Type#member`, with what jsii says of it. */
function members(): Array<{ id: string; member: Member }> {
  return Object.values(assembly.types).flatMap((t) => [
    ...(t.properties ?? []),
    ...(t.methods ?? []),
  ].map((member) => ({ id: `${t.name}#${member.name}`, member })));
}

test('the assembly is ours, in the format read here, with the public types the bindings need', () => {
  expect(assembly.schema).toBe('jsii/0.10.0');
  expect(assembly.name).toBe(NAME);
  expect(Object.keys(assembly.types)).toEqual(expect.arrayContaining([
    'EncryptedBucket', 'EncryptedQueue', 'EncryptedTable', 'ISeparatedDutyKey', 'KeyAccessReport', 'KeyAuditTrail',
    'KmsGuardrailsChecks', 'KmsGuardrailsRule', 'MultiRegionKeySet', 'SeparatedDutyKey', 'SeparatedDutyKeyProps',
  ].map((name) => `${NAME}.${name}`)));
  // The walk below sees the members the hidden base class gives the exported keys.
  expect(members().map((m) => m.id)).toEqual(expect.arrayContaining([
    'SeparatedDutyKey#grantAdmin', 'SeparatedDutyKey#addToResourcePolicy', 'SeparatedDutyKey#keyArn', 'KmsGuardrailsChecks#validate',
  ]));
});

test('no type exposes a protected member, except one a base class of a dependency declares abstract', () => {
  const required: string[] = [];
  const exposed: string[] = [];
  for (const { id, member } of members().filter((m) => m.member.protected)) {
    const base = member.overrides && !member.overrides.startsWith(`${NAME}.`) ? dependencyType(member.overrides) : undefined;
    const declared = [...(base?.methods ?? []), ...(base?.properties ?? [])].find((m) => m.name === member.name);
    if (declared?.abstract && declared.protected) required.push(`${id} (abstract in ${member.overrides})`);
    else exposed.push(id);
  }
  expect(exposed).toEqual([]);
  // A NagPack must implement checkResource: TypeScript refuses the class without it.
  expect(required).toEqual(['KmsGuardrailsChecks#checkResource (abstract in cdk-nag.NagPack)']);
});

test('no type, member or parameter has a name that starts with `_`', () => {
  const types = Object.values(assembly.types);
  const underscored = [
    ...types.filter((t) => t.name.startsWith('_')).map((t) => t.fqn),
    ...members().filter((m) => m.member.name.startsWith('_')).map((m) => m.id),
    ...members().flatMap((m) => (m.member.parameters ?? []).filter((p) => p.name.startsWith('_')).map((p) => `${m.id}(${p.name})`)),
    ...types.flatMap((t) => (t.initializer?.parameters ?? []).filter((p) => p.name.startsWith('_')).map((p) => `${t.name}(${p.name})`)),
  ];
  expect(underscored).toEqual([]);
});

test('every language gets the pack\'s rules: KmsGuardrailsChecks.rules() returns KmsGuardrailsRule structs', () => {
  const rules = assembly.types[`${NAME}.KmsGuardrailsChecks`].methods?.find((m) => m.name === 'rules');
  expect(rules).toMatchObject({ static: true, returns: { type: { collection: { kind: 'array', elementtype: { fqn: `${NAME}.KmsGuardrailsRule` } } } } });
  const struct = assembly.types[`${NAME}.KmsGuardrailsRule`];
  expect(struct.datatype).toBe(true);
  expect((struct.properties ?? []).map((p) => p.name).sort()).toEqual(['explanation', 'id', 'info', 'level']);
});

interface Documented { readonly docs?: { readonly summary?: string; readonly default?: string } }

/** Public symbols without a summary, and optional properties of structs without `@default`. */
function undocumented(of: Assembly): string[] {
  const found: string[] = [];
  for (const type of Object.values(of.types) as Array<Type & Documented>) {
    if (!type.docs?.summary) found.push(`${type.fqn}: no summary`);
    for (const property of (type.properties ?? []) as Array<Member & Documented & { optional?: boolean }>) {
      if (!property.docs?.summary) found.push(`${type.fqn}.${property.name}: no summary`);
      if (type.datatype && property.optional && !property.docs?.default) found.push(`${type.fqn}.${property.name}: optional without @default`);
    }
    for (const method of (type.methods ?? []) as Array<Member & Documented>) {
      if (!method.docs?.summary) found.push(`${type.fqn}#${method.name}: no summary`);
    }
  }
  return found;
}

test('every public symbol has a summary, and every optional prop of a struct its @default', () => {
  expect(undocumented(assembly)).toEqual([]);
  // The check itself finds a prop whose @default is gone.
  const props = JSON.parse(JSON.stringify(assembly.types[`${NAME}.SeparatedDutyKeyProps`])) as Type;
  const pendingWindow = props.properties!.find(p => p.name === 'pendingWindow') as Member & { docs: { default?: string } };
  delete pendingWindow.docs.default;
  expect(undocumented({ ...assembly, types: { [props.fqn]: props } })).toEqual([`${NAME}.SeparatedDutyKeyProps.pendingWindow: optional without @default`]);
});
