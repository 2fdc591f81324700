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

/** What a rule of this library decides for one resource: compliance, or the details of each finding. */
export type RuleCheck = (resource: IndexedResource, index: AppIndex) => NagRuleResult;

const definitions = new WeakMap<NagRuleFunction, { readonly types: readonly string[]; readonly check: RuleCheck }>();

/** The resource types a rule of this library applies to; `undefined` for any other function. */
export function ruleResourceTypes(rule: NagRuleFunction): readonly string[] | undefined {
  return definitions.get(rule)?.types;
}

/** The check behind a rule of this library, which the pack calls with its own index. */
export function ruleCheck(rule: NagRuleFunction): RuleCheck | undefined {
  return definitions.get(rule)?.check;
}

/**
 * Defines a rule on resources of `types`. `check` returns a compliance, or one message per
 * finding (what the resource allows or risks): the pack reports each message once. Called as a
 * plain cdk-nag rule function (by another pack), the rule indexes the app itself and answers
 * NON_COMPLIANT when there is any finding; every other resource type is not applicable.
 */
export function ruleFor(name: string, types: readonly string[], check: RuleCheck): NagRuleFunction {
  const applies = new Set(types);
  const rule = defineRule(name, (node) => {
    if (!applies.has(node.cfnResourceType)) return NagRuleCompliance.NOT_APPLICABLE;
    const index = AppIndex.of(node, name);
    const result = check(index.resource(node), index);
    if (!Array.isArray(result)) return result;
    return result.length > 0 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  });
  definitions.set(rule, { types, check });
  return rule;
}

export const compliantIf = (ok: boolean): NagRuleCompliance => (ok ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT);

/**
 * The error a rule throws when a value it needs is only known at deployment. cdk-nag reports a
 * throwing rule as a finding under the rule's ID, which is what we want: report, never guess.
 */
export function unresolved(_resource: IndexedResource, property: string, value: unknown): Error {
  let shown = JSON.stringify(value) ?? String(value);
  if (shown.length > 240) shown = `${shown.slice(0, 240)}...`;
  return new Error(
    `${property} is only known at deployment (${shown}): ` +
    'use a literal value or a reference to a resource of the app, or acknowledge the rule with the reason',
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
