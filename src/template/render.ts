/**
 * Evaluates CloudFormation intrinsic functions into canonical strings, so that rules can compare
 * values the way CloudFormation will have resolved them. What is only known at deployment (pseudo
 * parameters of env-agnostic stacks, resource names CloudFormation generates, parameters) becomes
 * a placeholder: `\0P.<pseudo>\0`, `\0R<uid>.<attribute>\0`, `\0X<stack uid>.<parameter>\0`.
 * Placeholders never contain `:` or `/`, so ARNs keep their shape and `Fn::Split` still works.
 * Anything that cannot be evaluated (`Fn::If`, `Fn::FindInMap`, an unknown export) yields
 * `undefined`, and the rule reports it rather than guessing.
 */

/** `Ref: AWS::NoValue`: the property or list element disappears. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
export type Rendered = string | typeof NO_VALUE | undefined;

export const placeholder = {
  pseudo: (name: string): string => `\u0000P.${name}\u0000`,
  attribute: (uid: number, attribute: string): string => `\u0000R${uid}.${attribute}\u0000`,
  parameter: (stackUid: number, name: string): string => `\u0000X${stackUid}.${name}\u0000`,
};

export const PARTITION = placeholder.pseudo('Partition');
export const PLACEHOLDER = /\u0000([PRX])([^\u0000]*)\u0000/g;

/** A stack as rendering sees it: literal account and Region when the stack is env-bound. */
export interface RenderScope {
  readonly uid: number;
  readonly account?: string;
  readonly region?: string;
}

/** Resolves names against the indexed app. */
export interface RenderHost<S extends RenderScope> {
  /** `Ref` (attribute undefined) or `Fn::GetAtt` of a logical ID that is not a pseudo parameter. */
  reference(scope: S, logicalId: string, attribute: string | undefined, depth: number): Rendered;
  importValue(scope: S, exportName: string, depth: number): Rendered;
  /** `Fn::GetStackOutput` (weak cross-stack references of new apps); unknown when not given. */
  stackOutput?(scope: S, stackName: string, outputName: string, depth: number): Rendered;
}

const MAX_DEPTH = 40;

/** Renders `value` to its canonical string, or `undefined` when it cannot be known at synth. */
export function renderString<S extends RenderScope>(host: RenderHost<S>, scope: S, value: unknown): string | undefined {
  const rendered = render(host, scope, value, 0);
  return typeof rendered === 'string' ? canonicalPartition(rendered) : undefined;
}

/** Literal partitions and `AWS::Partition` compare equal: one app may target several. */
export function canonicalPartition(value: string): string {
  return value.replace(/arn:aws(?:-[a-z]+)*:/g, `arn:${PARTITION}:`);
}

export function isIntrinsic(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

export function pseudoParameter(scope: RenderScope, name: string): Rendered {
  switch (name) {
    case 'AWS::NoValue': return NO_VALUE;
    case 'AWS::Partition': return PARTITION;
    case 'AWS::AccountId': return scope.account ?? placeholder.pseudo('AccountId');
    case 'AWS::Region': return scope.region ?? placeholder.pseudo('Region');
    default: return placeholder.pseudo(name.slice('AWS::'.length));
  }
}

export function render<S extends RenderScope>(host: RenderHost<S>, scope: S, value: unknown, depth: number): Rendered {
  if (depth > MAX_DEPTH) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isIntrinsic(value)) return undefined;
  const [fn, arg] = Object.entries(value as Record<string, unknown>)[0];
  const next = depth + 1;
  switch (fn) {
    case 'Ref':
      if (typeof arg !== 'string') return undefined;
      return arg.startsWith('AWS::') ? pseudoParameter(scope, arg) : host.reference(scope, arg, undefined, next);
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = typeof arg === 'string' ? splitOnce(arg, '.') : Array.isArray(arg) ? arg : [];
      const attributeName = render(host, scope, attribute, next);
      if (typeof logicalId !== 'string' || typeof attributeName !== 'string') return undefined;
      return host.reference(scope, logicalId, attributeName, next);
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || arg.length !== 2) return undefined;
      const delimiter = render(host, scope, arg[0], next);
      const parts = renderList(host, scope, arg[1], next);
      return typeof delimiter === 'string' && parts ? parts.join(delimiter) : undefined;
    }
    case 'Fn::Select': {
      if (!Array.isArray(arg) || arg.length !== 2) return undefined;
      const index = Number(render(host, scope, arg[0], next));
      const list = renderList(host, scope, arg[1], next);
      return list && Number.isInteger(index) ? list[index] : undefined;
    }
    case 'Fn::Sub':
      return renderSub(host, scope, arg, next);
    case 'Fn::ImportValue': {
      const name = render(host, scope, arg, next);
      return typeof name === 'string' ? host.importValue(scope, name, next) : undefined;
    }
    case 'Fn::GetStackOutput': {
      const a = (arg ?? {}) as Record<string, unknown>;
      const stackName = render(host, scope, a.StackName, next);
      const outputName = render(host, scope, a.OutputName, next);
      if (typeof stackName !== 'string' || typeof outputName !== 'string' || !host.stackOutput) return undefined;
      return host.stackOutput(scope, stackName, outputName, next);
    }
    default:
      return undefined;
  }
}

/** Renders a list (literal or `Fn::Split`), dropping `AWS::NoValue` elements. */
export function renderList<S extends RenderScope>(host: RenderHost<S>, scope: S, value: unknown, depth: number): string[] | undefined {
  if (Array.isArray(value)) {
    const out: string[] = [];
    for (const element of value) {
      const rendered = render(host, scope, element, depth + 1);
      if (rendered === NO_VALUE) continue;
      if (rendered === undefined) return undefined;
      out.push(rendered);
    }
    return out;
  }
  const split = isIntrinsic(value) ? (value as Record<string, unknown>)['Fn::Split'] : undefined;
  if (Array.isArray(split) && split.length === 2) {
    const [delimiterValue, sourceValue] = split;
    const delimiter = render(host, scope, delimiterValue, depth + 1);
    const source = render(host, scope, sourceValue, depth + 1);
    if (typeof delimiter !== 'string' || typeof source !== 'string' || delimiter === '') return undefined;
    // A delimiter inside a placeholder would cut it in two.
    for (const match of source.matchAll(PLACEHOLDER)) if (match[0].includes(delimiter)) return undefined;
    return source.split(delimiter);
  }
  return undefined;
}

function renderSub<S extends RenderScope>(host: RenderHost<S>, scope: S, arg: unknown, depth: number): Rendered {
  const [template, variables] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) ? arg : [undefined, undefined];
  if (typeof template !== 'string' || variables === null || typeof variables !== 'object') return undefined;
  let failed = false;
  const out = template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    let rendered: Rendered;
    if (Object.prototype.hasOwnProperty.call(variables, name)) {
      rendered = render(host, scope, (variables as Record<string, unknown>)[name], depth);
    } else if (name.startsWith('AWS::')) {
      rendered = pseudoParameter(scope, name);
    } else {
      const [logicalId, attribute] = splitOnce(name, '.');
      rendered = host.reference(scope, logicalId, attribute, depth);
    }
    if (typeof rendered !== 'string') failed = true;
    return typeof rendered === 'string' ? rendered : whole;
  });
  return failed ? undefined : out;
}

function splitOnce(value: string, separator: string): [string, string | undefined] {
  const at = value.indexOf(separator);
  return at < 0 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
}
