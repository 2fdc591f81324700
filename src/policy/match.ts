/**
 * Three-valued string matching for policy evaluation.
 *
 * Values are strings in the template convention (`../template/render.ts`): literal text with
 * placeholders `\0…\0` for what only deployment fixes. The evaluator adds its own placeholders for
 * the request side. A placeholder stands for one value throughout a policy, so the same
 * placeholder always equals itself; what else it may equal depends on its kind:
 *
 * | placeholder            | kind        | may equal                                          |
 * |------------------------|-------------|----------------------------------------------------|
 * | `\0P.AccountId\0`      | own account | any 12 digits (the key's account)                  |
 * | `\0A.<name>\0`         | fresh account | 12 digits that are no literal account of the policy and no other placeholder's account |
 * | `\0R…\0`, other `\0P.…\0` | opaque   | any text without a fresh account in it (a resource of the app, a Region) |
 * | `\0X…\0`, `\0U.any\0`  | any         | any text; in a pattern, wildcards too              |
 * | `\0U.seg\0`            | segment     | any text without `:`                               |
 * | `\0F.<name>\0`         | fresh text  | text that no literal of the policy spells: only wildcards match it |
 *
 * `match` answers TRUE when the pattern matches whatever the placeholders stand for, FALSE when it
 * matches for no value, and MAYBE otherwise.
 */

export type Tri = 'TRUE' | 'FALSE' | 'MAYBE';

export const tri = {
  and(a: Tri, b: Tri): Tri {
    if (a === 'FALSE' || b === 'FALSE') return 'FALSE';
    return a === 'TRUE' && b === 'TRUE' ? 'TRUE' : 'MAYBE';
  },
  or(a: Tri, b: Tri): Tri {
    if (a === 'TRUE' || b === 'TRUE') return 'TRUE';
    return a === 'FALSE' && b === 'FALSE' ? 'FALSE' : 'MAYBE';
  },
  not(a: Tri): Tri {
    return a === 'TRUE' ? 'FALSE' : a === 'FALSE' ? 'TRUE' : 'MAYBE';
  },
  /** The answer over alternatives of which exactly one is the real one. */
  oneOf(answers: Iterable<Tri>): Tri {
    let seen: Tri | undefined;
    for (const a of answers) {
      if (seen === undefined) seen = a;
      else if (seen !== a) return 'MAYBE';
    }
    return seen ?? 'FALSE';
  },
  any(answers: Iterable<Tri>): Tri {
    let out: Tri = 'FALSE';
    for (const a of answers) out = tri.or(out, a);
    return out;
  },
  all(answers: Iterable<Tri>): Tri {
    let out: Tri = 'TRUE';
    for (const a of answers) out = tri.and(out, a);
    return out;
  },
};

/** Placeholders the evaluator puts into request values. */
export const requestValue = {
  /** A 12-digit account that no literal of the policy names. */
  freshAccount: (name: string) => `\u0000A.${name}\u0000`,
  any: '\u0000U.any\u0000',
  segment: '\u0000U.seg\u0000',
  /** Text that no literal of the policy spells (a service, an organization the policy does not name). */
  fresh: (name: string) => `\u0000F.${name}\u0000`,
};

export const OWN_ACCOUNT = '\u0000P.AccountId\u0000';
const PLACEHOLDER = /\u0000[^\u0000]*\u0000/g;

export function hasPlaceholder(value: string): boolean {
  return value.includes('\u0000');
}

type Kind = 'own' | 'fresh' | 'opaque' | 'any' | 'segment' | 'fresh-text';

function kindOf(token: string): Kind {
  const body = token.slice(1, -1).toLowerCase();
  if (body === 'p.accountid') return 'own';
  if (body.startsWith('a.')) return 'fresh';
  if (body.startsWith('x') || body === 'u.any') return 'any';
  if (body === 'u.seg') return 'segment';
  if (body.startsWith('f.')) return 'fresh-text';
  return 'opaque';
}

/** One element of a value: a character, a wildcard, a placeholder, or one digit of an account placeholder. */
type Element =
  | { readonly t: 'c'; readonly c: string }
  | { readonly t: '*' }
  | { readonly t: '?' }
  | { readonly t: 'tok'; readonly token: string; readonly kind: Kind }
  | { readonly t: 'digit'; readonly token: string; readonly kind: 'own' | 'fresh'; readonly k: number; readonly last: boolean };

function elements(value: string, wildcards: boolean, expandAccounts: boolean): Element[] {
  const out: Element[] = [];
  let last = 0;
  const push = (text: string) => {
    for (const c of text) out.push(wildcards && c === '*' ? { t: '*' } : wildcards && c === '?' ? { t: '?' } : { t: 'c', c });
  };
  for (const m of value.matchAll(PLACEHOLDER)) {
    push(value.slice(last, m.index));
    const token = m[0];
    const kind = kindOf(token);
    if (expandAccounts && (kind === 'own' || kind === 'fresh')) {
      for (let k = 0; k < 12; k++) out.push({ t: 'digit', token, kind, k, last: k === 11 });
    } else {
      out.push({ t: 'tok', token, kind });
    }
    last = m.index! + token.length;
  }
  push(value.slice(last));
  return out;
}

const cache = new Map<string, Tri>();
const MAX_MATCH_LENGTH = 1_500;

/**
 * Whether `pattern` matches `subject`. With `wildcards`, `*` and `?` in the pattern are
 * wildcards (StringLike, ArnLike); placeholders in the pattern stand for values, which may
 * themselves hold wildcards when they are `any`.
 */
export function match(pattern: string, subject: string, options: { wildcards: boolean; ignoreCase: boolean }): Tri {
  let p = pattern;
  let s = subject;
  if (options.ignoreCase) {
    p = p.toLowerCase();
    s = s.toLowerCase();
  }
  if (!hasPlaceholder(p) && !hasPlaceholder(s) && !(options.wildcards && /[*?]/.test(p))) return p === s ? 'TRUE' : 'FALSE';
  // Beyond this size the exact answer costs too much (and deep recursion): say it may match.
  if (p.length + s.length > MAX_MATCH_LENGTH) return p === s ? 'TRUE' : 'MAYBE';
  const key = `${options.wildcards ? 1 : 0}\u0001${p}\u0001${s}`;
  let answer = cache.get(key);
  if (answer === undefined) {
    answer = certain(elements(p, options.wildcards, false), elements(s, false, false)) ? 'TRUE'
      : possible(elements(p, options.wildcards, true), elements(s, false, true)) ? 'MAYBE' : 'FALSE';
    if (cache.size > 50_000) cache.clear();
    cache.set(key, answer);
  }
  return answer;
}

/** True when the pattern matches for every value of the placeholders: each is an opaque symbol. */
function certain(p: Element[], s: Element[]): boolean {
  const memo = new Map<number, boolean>();
  const width = s.length + 1;
  const go = (i: number, j: number): boolean => {
    const key = i * width + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let r: boolean;
    if (i === p.length) {
      r = j === s.length;
    } else {
      const pe = p[i];
      if (pe.t === '*') {
        r = go(i + 1, j) || (j < s.length && go(i, j + 1));
      } else if (j === s.length) {
        r = false;
      } else {
        const se = s[j];
        if (pe.t === '?') r = se.t === 'c' && go(i + 1, j + 1);
        else if (pe.t === 'c') r = se.t === 'c' && se.c === pe.c && go(i + 1, j + 1);
        else r = se.t === 'tok' && pe.t === 'tok' && se.token === pe.token && go(i + 1, j + 1);
      }
    }
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

const DIGIT = /^[0-9]$/;

/**
 * True when some values of the placeholders make the pattern match. Account placeholders are
 * 12 digits each; a fresh account can never equal 12 literal digits or another account
 * placeholder, which is tracked per account run (`fs`, `fp`: still aligned with definite digits).
 */
function possible(p: Element[], s: Element[]): boolean {
  const memo = new Map<string, boolean>();
  // fs/fp: the current fresh account run is still aligned with definite digits only;
  // es/ep: the current text placeholder has taken at least one element (opaque ones are never empty).
  const go = (i: number, j: number, fs: boolean, fp: boolean, es: boolean, ep: boolean): boolean => {
    const key = `${i},${j},${+fs}${+fp}${+es}${+ep}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    memo.set(key, false);
    const r = step(i, j, fs, fp, es, ep);
    memo.set(key, r);
    return r;
  };
  // Moves past a digit of an account run; at the end of a fresh run aligned only with definite digits, fail.
  const nextDigit = (e: Element, flag: boolean, definite: boolean): boolean | undefined => {
    if (e.t !== 'digit') return flag;
    const f = (e.k === 0 ? true : flag) && definite;
    if (e.last && e.kind === 'fresh' && f) return undefined;
    return e.last ? true : f;
  };
  const eats = (kind: Kind, e: Element): boolean => {
    switch (kind) {
      case 'any': return true;
      case 'segment': return !(e.t === 'c' && e.c === ':');
      // A value of the app: text, or the key's account; never another placeholder's value.
      case 'opaque': return e.t === 'c' || e.t === '?' || (e.t === 'digit' && e.kind === 'own');
      // Text no literal spells: it takes characters, but must take a wildcard too (see es/ep).
      // It is one name: no separator of a path, an ARN or a host name.
      case 'fresh-text': return (e.t === 'c' && !'/:.'.includes(e.c)) || e.t === '?';
      default: return false;
    }
  };
  const step = (i: number, j: number, fs: boolean, fp: boolean, es: boolean, ep: boolean): boolean => {
    if (i === p.length && j === s.length) return true;
    const pe = i < p.length ? p[i] : undefined;
    const se = j < s.length ? s[j] : undefined;
    // The same placeholder on both sides is the same value.
    if (pe && se && pe.t === 'tok' && se.t === 'tok' && pe.token === se.token && go(i + 1, j + 1, fs, fp, false, false)) return true;
    // A pattern star or `any` placeholder: ends here, or takes the next subject element.
    if (pe && (pe.t === '*' || (pe.t === 'tok' && pe.kind === 'any'))) {
      // Ending inside fresh text means a wildcard took part of it: it is no longer a literal run.
      const freshHere = se !== undefined && se.t === 'tok' && se.kind === 'fresh-text';
      if (go(i + 1, j, fs, fp, freshHere || es, false)) return true;
      if (se) {
        const n = nextDigit(se, fs, false);
        if (n !== undefined && go(i, j + 1, n, fp, false, ep)) return true;
      }
      return false;
    }
    // A subject placeholder that stands for text: ends here, or takes the next pattern element.
    if (se && se.t === 'tok' && se.kind !== 'own' && se.kind !== 'fresh') {
      if ((es || (se.kind !== 'opaque' && se.kind !== 'fresh-text')) && go(i, j + 1, fs, fp, false, ep)) return true;
      if (pe && eats(se.kind, pe)) {
        const n = nextDigit(pe, fp, false);
        // Fresh text may end only once it has taken a wildcard: a run of literals is never it.
        const eaten = se.kind === 'fresh-text' ? es || pe.t === '?' : true;
        if (n !== undefined && go(i + 1, j, fs, n, eaten, ep)) return true;
      }
      return false;
    }
    // A pattern placeholder that stands for text (`any` is handled above).
    if (pe && pe.t === 'tok' && pe.kind !== 'own' && pe.kind !== 'fresh') {
      if ((ep || (pe.kind !== 'opaque' && pe.kind !== 'fresh-text')) && go(i + 1, j, fs, fp, es, false)) return true;
      if (se && eats(pe.kind, se) && pe.kind !== 'fresh-text') {
        const n = nextDigit(se, fs, false);
        if (n !== undefined && go(i, j + 1, n, fp, es, true)) return true;
      }
      return false;
    }
    if (!pe || !se) return false;
    if (pe.t === '?') {
      const n = nextDigit(se, fs, false);
      return n !== undefined && go(i + 1, j + 1, n, fp, es, ep);
    }
    // One character against one character, digits of account placeholders included.
    const pc = pe.t === 'c' ? pe.c : undefined;
    const sc = se.t === 'c' ? se.c : undefined;
    if (pc !== undefined && sc !== undefined) return pc === sc && go(i + 1, j + 1, fs, fp, es, ep);
    if (pe.t === 'digit' && se.t === 'digit') {
      // The same digit of the same placeholder is the same value, not a definite other digit.
      const same = pe.token === se.token && pe.k === se.k;
      if (!same && pe.kind === 'fresh' && se.kind === 'fresh') return false;
      const ns = nextDigit(se, fs, !same);
      const np = nextDigit(pe, fp, !same);
      return ns !== undefined && np !== undefined && go(i + 1, j + 1, ns, np, es, ep);
    }
    if (pe.t === 'digit' && sc !== undefined) {
      const np = DIGIT.test(sc) ? nextDigit(pe, fp, true) : undefined;
      return np !== undefined && go(i + 1, j + 1, fs, np, es, ep);
    }
    if (se.t === 'digit' && pc !== undefined) {
      const ns = DIGIT.test(pc) ? nextDigit(se, fs, true) : undefined;
      return ns !== undefined && go(i + 1, j + 1, ns, fp, es, ep);
    }
    return false;
  };
  return go(0, 0, true, true, false, false);
}
