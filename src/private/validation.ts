import { Duration, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

const ALIAS_PREFIX = 'alias/';
const ALIAS_MAX_LENGTH = 256;

/**
 * A whole number of days within [min, max], or undefined when not given or a token (skipped,
 * not guessed).
 */
export function validateDays(
  scope: IConstruct, kind: string, prop: string, value: Duration | undefined, min: number, max: number,
): number | undefined {
  if (value === undefined || value.isUnresolved()) return undefined;
  const days = value.toDays({ integral: false });
  if (!Number.isInteger(days)) {
    throw invalidProp(scope, kind, prop, `must be a whole number of days between ${min} and ${max}, got ${value.toHumanString()}`);
  }
  if (days < min || days > max) {
    throw invalidProp(scope, kind, prop, `must be between ${min} and ${max} days, got ${days}`);
  }
  return days;
}

/**
 * The alias with its `alias/` prefix, checked against the KMS naming rules.
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
 */
export function normalizeAlias(scope: IConstruct, kind: string, prop: string, alias: string): string {
  if (Token.isUnresolved(alias)) return alias;
  const name = alias.startsWith(ALIAS_PREFIX) ? alias : `${ALIAS_PREFIX}${alias}`;
  if (name.length === ALIAS_PREFIX.length) {
    throw invalidProp(scope, kind, prop, `must name the alias, got '${alias}'`);
  }
  if (name.startsWith('alias/aws/')) {
    throw invalidProp(scope, kind, prop, `must not start with 'alias/aws/', which is reserved for AWS managed keys, got '${alias}'`);
  }
  if (name.length > ALIAS_MAX_LENGTH) {
    throw invalidProp(scope, kind, prop, `must be at most ${ALIAS_MAX_LENGTH} characters including 'alias/', got ${name.length}`);
  }
  if (!/^[a-zA-Z0-9:/_-]+$/.test(name)) {
    throw invalidProp(scope, kind, prop, `may contain only letters, digits, '/', '_', '-' and ':', got '${alias}'`);
  }
  return name;
}

/** KMS refuses key descriptions longer than this. */
const DESCRIPTION_MAX_LENGTH = 8192;

/**
 * A key description KMS will accept: at most 8,192 characters.
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html#KMS-CreateKey-request-Description
 */
export function validateDescription(scope: IConstruct, kind: string, description: string | undefined): void {
  if (description === undefined || Token.isUnresolved(description)) return;
  if (description.length > DESCRIPTION_MAX_LENGTH) {
    throw invalidProp(scope, kind, 'description', `must be at most ${DESCRIPTION_MAX_LENGTH} characters, got ${description.length}`);
  }
}

/** The aliases of each app, by account, Region and name: KMS alias names are unique there. */
const CLAIMED_ALIASES = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that `scope` creates the alias `name`, and rejects a name another construct of the app
 * already uses in the same account and Region. Stacks without an explicit account or Region are
 * compared with themselves only: where they deploy is not known.
 */
export function claimAlias(scope: IConstruct, kind: string, prop: string, name: string, owner: IConstruct = scope): void {
  if (Token.isUnresolved(name)) return;
  const stack = Stack.of(scope);
  const account = Token.isUnresolved(stack.account) ? undefined : stack.account;
  const region = Token.isUnresolved(stack.region) ? undefined : stack.region;
  const where = `${account ?? `stack ${stack.node.path}`}|${region ?? `stack ${stack.node.path}`}`;
  const root = scope.node.root;
  const claimed = CLAIMED_ALIASES.get(root) ?? new Map<string, string>();
  CLAIMED_ALIASES.set(root, claimed);
  const key = `${where}|${name}`;
  const existing = claimed.get(key);
  if (existing !== undefined && existing !== owner.node.path) {
    const place = account !== undefined && region !== undefined ? `account ${account}, Region ${region}` : `stack '${stack.node.path}'`;
    throw invalidProp(scope, kind, prop, `is '${name}', which '${existing}' already uses in ${place}: an alias name is unique per account and Region (KMS would refuse the second at deployment); choose another name`);
  }
  claimed.set(key, owner.node.path);
}

/** An alias derived from a construct path, for keys that resource constructs create. */
export function aliasFromPath(scope: IConstruct): string {
  const name = scope.node.path.replace(/[^a-zA-Z0-9:/_-]/g, '-');
  return `${ALIAS_PREFIX}${name}`.slice(0, ALIAS_MAX_LENGTH);
}
