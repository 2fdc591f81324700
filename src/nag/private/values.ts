import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex, IndexedResource } from './app-index';

/** The shape of a cdk-nag rule: what `applyRule` calls. */
export type NagRuleFunction = (node: CfnResource) => NagRuleResult;

/**
 * Names the rule the way cdk-nag's own rules are named: the suffix of the rule ID falls back to
 * the function name when a pack gives no `ruleSuffixOverride`.
 */
export function defineRule(name: string, check: (node: CfnResource) => NagRuleResult): NagRuleFunction {
  return Object.defineProperty(check, 'name', { value: name });
}

const resourceTypes = new WeakMap<NagRuleFunction, readonly string[]>();

/** The resource types a rule of this library applies to; `undefined` for any other function. */
export function ruleResourceTypes(rule: NagRuleFunction): readonly string[] | undefined {
  return resourceTypes.get(rule);
}

/**
 * Runs `check` on resources of `types` with the app index; every other resource is not applicable.
 * The index is fetched here, once per rule and resource, which is what tells a new run apart.
 */
export function ruleFor(
  name: string,
  types: readonly string[],
  check: (resource: IndexedResource, index: AppIndex) => NagRuleResult,
): NagRuleFunction {
  const applies = new Set(types);
  const rule = defineRule(name, (node) => {
    if (!applies.has(node.cfnResourceType)) return NagRuleCompliance.NOT_APPLICABLE;
    const index = AppIndex.of(node, name);
    return check(index.resource(node), index);
  });
  resourceTypes.set(rule, types);
  return rule;
}

export const compliantIf = (ok: boolean): NagRuleCompliance => (ok ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT);

/**
 * The error a rule throws when a value it needs is only known at deployment. cdk-nag reports a
 * throwing rule as a finding under the rule's ID, which is what we want: report, never guess.
 */
export function unresolved(resource: IndexedResource, property: string, value: unknown): Error {
  return new Error(
    `${resource.node.node.path}: ${property} cannot be resolved at synth time (${JSON.stringify(value)}); ` +
    'use a literal value or a reference to a resource in the app, or acknowledge the rule with a reason',
  );
}

/** A literal string property, `undefined` when absent; throws when it is only known at deployment. */
export function readString(index: AppIndex, resource: IndexedResource, path: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const rendered = index.render(resource.scope, value);
  if (rendered === undefined || /\u0000[RX]/.test(rendered)) throw unresolved(resource, path, value);
  return rendered;
}

/** A CloudFormation Boolean: `true`, `"true"` (any case); `undefined` when absent. */
export function readBoolean(index: AppIndex, resource: IndexedResource, path: string, value: unknown): boolean | undefined {
  const rendered = readString(index, resource, path, value);
  if (rendered === undefined) return undefined;
  if (/^(true|false)$/i.test(rendered)) return rendered.toLowerCase() === 'true';
  throw unresolved(resource, path, value);
}

/** A CloudFormation Integer; `undefined` when absent. */
export function readNumber(index: AppIndex, resource: IndexedResource, path: string, value: unknown): number | undefined {
  const rendered = readString(index, resource, path, value);
  if (rendered === undefined) return undefined;
  const parsed = Number(rendered);
  if (rendered.trim() === '' || !Number.isFinite(parsed)) throw unresolved(resource, path, value);
  return parsed;
}

/** A CloudFormation list: a single value counts as a list of one. */
export function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}
