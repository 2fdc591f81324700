/**
 * The one reader of key policy statements: from a template value (what CloudFormation will send)
 * or from a statement the builder holds, into statements whose values are strings in the
 * template convention (`../template/render.ts`: placeholders for what deployment fixes).
 */

/** Renders one template value to a string; `undefined` when it cannot be known before deployment. */
export type ValueRenderer = (value: unknown) => string | undefined;

/** One principal of a statement, `type` as written (`AWS`, `Service`, ...). */
export interface PrincipalValue {
  readonly type: string;
  readonly value: string;
}

export interface ConditionClause {
  /** As written, e.g. `StringEqualsIfExists`. */
  readonly operator: string;
  /** As written, e.g. `aws:PrincipalArn`. */
  readonly key: string;
  readonly values: readonly string[];
}

export interface PolicyStatementModel {
  /** `Statement[3] (Sid Foo)`: how messages name it. */
  readonly where: string;
  readonly sid?: string;
  /** `undefined` when the effect is only known at deployment. */
  readonly effect?: 'Allow' | 'Deny';
  /** `Principal: "*"` or `{"AWS": "*"}` (without NotPrincipal). */
  readonly everyone: boolean;
  readonly notPrincipal: boolean;
  readonly principals: readonly PrincipalValue[];
  /** Whether a statement without Principal or NotPrincipal (a key policy needs one). */
  readonly principalMissing: boolean;
  readonly notAction: boolean;
  readonly actions: readonly string[];
  readonly notResource: boolean;
  /** `Resource` (or `NotResource`) values; empty when the statement has neither. */
  readonly resources: readonly string[];
  readonly conditions: readonly ConditionClause[];
}

export interface PolicyModel {
  readonly statements: readonly PolicyStatementModel[];
  /** Values that could not be read (`where: value`), each replaced by an unknown placeholder. */
  readonly unresolved: readonly string[];
}

const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Reads a policy document. A value that cannot be rendered becomes a fresh unknown placeholder
 * (`\0X?n\0`, which may stand for anything, `*` included) and is listed in `unresolved`: the
 * evaluator then answers "depends" wherever it matters, and the caller decides whether to report.
 */
export function readPolicy(document: unknown, render: ValueRenderer): PolicyModel {
  const unresolved: string[] = [];
  let unknowns = 0;
  const str = (value: unknown, where: string): string => {
    const rendered = render(value);
    if (rendered !== undefined) return rendered;
    unresolved.push(`${where}: ${JSON.stringify(value)}`);
    return `\u0000X?${unknowns++}\u0000`;
  };
  const doc = isObject(document) ? document : {};
  const rawStatements = isObject(doc.Statement) && isIntrinsicObject(doc.Statement) ? [doc.Statement] : list(doc.Statement);
  const statements = rawStatements.map((raw, i): PolicyStatementModel => {
    const where0 = `Statement[${i}]`;
    if (!isObject(raw) || isIntrinsicObject(raw)) {
      // A statement chosen at deployment (Fn::If, a parameter): it may be anything.
      const unknown = str(raw, where0);
      return {
        where: where0,
        effect: undefined,
        everyone: false,
        notPrincipal: false,
        principals: [{ type: 'AWS', value: unknown }],
        principalMissing: false,
        notAction: false,
        actions: [unknown],
        notResource: false,
        resources: [unknown],
        conditions: [],
      };
    }
    const s = raw;
    const sid = typeof s.Sid === 'string' ? s.Sid : undefined;
    const where = `Statement[${i}]${sid ? ` (Sid ${sid})` : ''}`;
    const effectText = s.Effect === undefined ? undefined : str(s.Effect, `${where}.Effect`);
    const effect = effectText === 'Allow' || effectText === 'Deny' ? effectText : undefined;
    const notPrincipal = s.NotPrincipal !== undefined;
    const principalValue = notPrincipal ? s.NotPrincipal : s.Principal;
    const principals: PrincipalValue[] = [];
    let everyone = false;
    if (principalValue === '*') {
      everyone = true;
    } else if (isObject(principalValue) && !isIntrinsicObject(principalValue)) {
      for (const [type, values] of Object.entries(principalValue)) {
        for (const value of list(values)) {
          const rendered = str(value, `${where}.${notPrincipal ? 'NotPrincipal' : 'Principal'}.${type}`);
          if (type === 'AWS' && rendered === '*') everyone = true;
          else principals.push({ type, value: rendered });
        }
      }
    } else if (principalValue !== undefined) {
      principals.push({ type: 'AWS', value: str(principalValue, `${where}.Principal`) });
    }
    const notAction = s.NotAction !== undefined;
    const actions = list(notAction ? s.NotAction : s.Action).map((a, j) => str(a, `${where}.${notAction ? 'NotAction' : 'Action'}[${j}]`));
    const notResource = s.NotResource !== undefined;
    const resources = list(notResource ? s.NotResource : s.Resource).map((r, j) => str(r, `${where}.${notResource ? 'NotResource' : 'Resource'}[${j}]`));
    const conditions: ConditionClause[] = [];
    if (isObject(s.Condition)) {
      for (const [operator, block] of Object.entries(s.Condition)) {
        if (!isObject(block)) {
          conditions.push({ operator, key: '?', values: [str(block, `${where}.Condition.${operator}`)] });
          continue;
        }
        for (const [key, values] of Object.entries(block)) {
          conditions.push({ operator, key, values: list(values).map((v) => str(v, `${where}.Condition.${operator}.${key}`)) });
        }
      }
    } else if (s.Condition !== undefined) {
      conditions.push({ operator: '?', key: '?', values: [str(s.Condition, `${where}.Condition`)] });
    }
    return {
      where,
      sid,
      effect,
      everyone: everyone && !notPrincipal,
      notPrincipal,
      principals: notPrincipal && everyone ? [...principals, { type: 'AWS', value: '*' }] : principals,
      principalMissing: principalValue === undefined,
      notAction,
      actions,
      notResource,
      resources,
      conditions,
    };
  });
  return { statements, unresolved };
}

function isIntrinsicObject(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}
