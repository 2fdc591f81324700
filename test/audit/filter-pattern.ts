/**
 * Test helper: a small evaluator of the CloudWatch Logs JSON filter-pattern syntax, to prove that
 * the metric filters of KeyAuditTrail match real CloudTrail records.
 *
 * The subset implemented, as documented:
 * - a pattern is `{ <expression> }`;
 * - an expression combines comparisons with `&&` and `||` (`&&` binds tighter) and parentheses;
 * - a comparison is `<selector> = <value>` or `<selector> != <value>`, where the selector is
 *   `$` followed by `.field` and `[index]` steps;
 * - a value is a quoted string (`"…"`, with `\"` and `\\` escapes) or an unquoted run of
 *   characters up to a space or a parenthesis; `*` in a value matches any run of characters;
 * - an unquoted number compares numerically with a number field.
 *
 * A comparison on a field the event does not have, or whose value is an object or array, does not
 * match, for `!=` as for `=` (use `NOT EXISTS` to match absent fields, which this helper rejects).
 * Anything outside the subset is a parse error, never a silent non-match.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/matching-terms-json-log-events.html
 */

type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'cmp'; path: Array<string | number>; op: '=' | '!='; value: string; quoted: boolean };

type Token =
  | { t: '(' | ')' | '&&' | '||' | '=' | '!=' }
  | { t: 'selector'; path: Array<string | number> }
  | { t: 'value'; value: string; quoted: boolean };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`Filter pattern parse error at ${i}: ${why} in ${source}`);
  };
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')') { tokens.push({ t: c }); i++; continue; }
    if (source.startsWith('&&', i)) { tokens.push({ t: '&&' }); i += 2; continue; }
    if (source.startsWith('||', i)) { tokens.push({ t: '||' }); i += 2; continue; }
    if (source.startsWith('!=', i)) { tokens.push({ t: '!=' }); i += 2; continue; }
    if (c === '=') { tokens.push({ t: '=' }); i++; continue; }
    if (c === '<' || c === '>') fail('numeric comparisons are not supported');
    if (c === '$') {
      i++;
      const path: Array<string | number> = [];
      while (i < source.length) {
        if (source[i] === '.') {
          const m = /^[A-Za-z0-9_-]+/.exec(source.slice(i + 1)) ?? fail('field name expected after "."');
          path.push(m[0]);
          i += 1 + m[0].length;
        } else if (source[i] === '[') {
          const m = /^\[(\d+)\]/.exec(source.slice(i)) ?? fail('array index expected');
          path.push(Number(m[1]));
          i += m[0].length;
        } else {
          break;
        }
      }
      if (path.length === 0) fail('a selector needs at least one field');
      tokens.push({ t: 'selector', path });
      continue;
    }
    if (c === '"') {
      let value = '';
      i++;
      while (i < source.length && source[i] !== '"') {
        if (source[i] === '\\') i++;
        value += source[i++];
      }
      if (i >= source.length) fail('unterminated string');
      i++;
      tokens.push({ t: 'value', value, quoted: true });
      continue;
    }
    const m = /^[^\s()"=!&|]+/.exec(source.slice(i)) ?? fail(`unexpected '${c}'`);
    if (/^(IS|NOT|EXISTS|NULL|TRUE|FALSE)$/.test(m[0])) fail(`${m[0]} is not supported`);
    tokens.push({ t: 'value', value: m[0], quoted: false });
    i += m[0].length;
  }
  return tokens;
}

/** Parses a JSON filter pattern (`{ … }`) into an expression tree. */
export function parseFilterPattern(pattern: string): Node {
  const trimmed = pattern.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) {
    throw new Error(`Not a JSON filter pattern (expected { ... }): ${pattern}`);
  }
  const tokens = tokenize(trimmed.slice(1, -1));
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (t: Token['t']): Token => {
    const token = tokens[pos++];
    if (!token || token.t !== t) throw new Error(`Filter pattern parse error: expected ${t}, got ${token ? token.t : 'end'} in ${pattern}`);
    return token;
  };
  const or = (): Node => {
    let node = and();
    while (peek()?.t === '||') { pos++; node = { kind: 'or', left: node, right: and() }; }
    return node;
  };
  const and = (): Node => {
    let node = primary();
    while (peek()?.t === '&&') { pos++; node = { kind: 'and', left: node, right: primary() }; }
    return node;
  };
  const primary = (): Node => {
    if (peek()?.t === '(') {
      pos++;
      const node = or();
      expect(')');
      return node;
    }
    const selector = expect('selector') as Extract<Token, { t: 'selector' }>;
    const op = tokens[pos++];
    if (!op || (op.t !== '=' && op.t !== '!=')) throw new Error(`Filter pattern parse error: expected = or != after $.${selector.path.join('.')} in ${pattern}`);
    const value = expect('value') as Extract<Token, { t: 'value' }>;
    return { kind: 'cmp', path: selector.path, op: op.t, value: value.value, quoted: value.quoted };
  };
  if (tokens.length === 0) throw new Error(`Empty filter pattern: ${pattern}`);
  const tree = or();
  if (pos !== tokens.length) throw new Error(`Filter pattern parse error: unexpected ${tokens[pos].t} in ${pattern}`);
  return tree;
}

function lookup(event: unknown, path: Array<string | number>): unknown {
  let current: any = event;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof step === 'number' ? !Array.isArray(current) : Array.isArray(current)) return undefined;
    current = current[step];
  }
  return current;
}

function wildcardRegExp(value: string): RegExp {
  return new RegExp(`^${value.split('*').map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

function compare(node: Extract<Node, { kind: 'cmp' }>, event: unknown): boolean {
  const field = lookup(event, node.path);
  if (field === undefined || (typeof field === 'object' && field !== null)) return false;
  let equal: boolean;
  if (!node.quoted && typeof field === 'number' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(node.value)) {
    equal = field === Number(node.value);
  } else {
    equal = wildcardRegExp(node.value).test(field === null ? 'null' : String(field));
  }
  return node.op === '=' ? equal : !equal;
}

function evaluate(node: Node, event: unknown): boolean {
  switch (node.kind) {
    case 'and': return evaluate(node.left, event) && evaluate(node.right, event);
    case 'or': return evaluate(node.left, event) || evaluate(node.right, event);
    default: return compare(node, event);
  }
}

/** Whether a JSON filter pattern matches a log event (a parsed JSON object or its text). */
export function matchesFilterPattern(pattern: string, event: unknown): boolean {
  const parsed = typeof event === 'string' ? JSON.parse(event) : event;
  return evaluate(parseFilterPattern(pattern), parsed);
}
