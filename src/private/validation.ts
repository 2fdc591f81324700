import { Duration, Token } from 'aws-cdk-lib';
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

/** An alias derived from a construct path, for keys that resource constructs create. */
export function aliasFromPath(scope: IConstruct): string {
  const name = scope.node.path.replace(/[^a-zA-Z0-9:/_-]/g, '-');
  return `${ALIAS_PREFIX}${name}`.slice(0, ALIAS_MAX_LENGTH);
}
