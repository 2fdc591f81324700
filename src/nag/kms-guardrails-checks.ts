import * as fs from 'fs';
import * as path from 'path';
import {
  CfnResource, Duration, IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation, Stage, Token, Validations,
} from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { AppIndex, IndexedResource, StackInfo } from './private/app-index';
import { ruleCheck, ruleResourceTypes } from './private/values';
import { RuleDefinition, ruleDefinitions } from './rule-definitions';

/**
 * Properties of `KmsGuardrailsChecks`.
 */
export interface KmsGuardrailsChecksProps extends NagPackProps {
  /**
   * The shortest deletion waiting period (`PendingWindowInDays`) rule KMSG-KMS7 accepts for KMS
   * keys and replica keys: a whole number of days between 7 and 30. Keys of `SeparatedDutyKey` and
   * `MultiRegionKeySet` whose `pendingWindow` was set explicitly below 30 days carry an
   * acknowledgement of KMSG-KMS7 with the value as the reason.
   *
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html#deleting-keys-scheduling-key-deletion
   * @default Duration.days(30)
   */
  readonly minimumPendingWindow?: Duration;
}

/**
 * A rule of `KmsGuardrailsChecks`, as RULES.md lists it. Every language reads the rules through
 * `KmsGuardrailsChecks.rules()`; the rule functions themselves (`rules.*`) are TypeScript and
 * JavaScript only, since jsii cannot export functions.
 */
export interface KmsGuardrailsRule {
  /**
   * The ID the pack reports findings under and `Validations.of(construct).acknowledge()` takes,
   * e.g. `KMSG-KMS1`.
   */
  readonly id: string;
  /**
   * The level of the rule's findings: `ERROR` or `WARN` (the pack has no `INFO` rule). Both fail
   * `cdk synth` until the finding is fixed or acknowledged.
   */
  readonly level: NagMessageLevel;
  /** Why a resource is reported: the start of every finding's message, and the Cause column of RULES.md. */
  readonly info: string;
  /** Why the rule exists and how to fix a finding: the Explanation column of RULES.md. */
  readonly explanation: string;
}

const PACK_NAME = 'KMSG';
const DEFAULT_MINIMUM_PENDING_WINDOW_DAYS = 30;

/**
 * A cdk-nag 3 rule pack for what the built-in packs do not check about AWS KMS: key policies that
 * separate administration from use, rotation with the right exemptions, deletion windows,
 * retention, aliases and policy size for keys and replica keys; customer managed keys for S3, SQS
 * and DynamoDB tables and global tables; CloudTrail coverage of KMS management events and of the
 * data events of encrypted resources.
 *
 * Rule IDs are `KMSG-<service><n>` (for example `KMSG-KMS1`); RULES.md lists them by level.
 * Register the pack as a validation plugin and synthesize:
 *
 * ```ts fixture=app
 * import { Validations } from 'aws-cdk-lib';
 * import { KmsGuardrailsChecks } from 'cdk-kms-guardrails';
 *
 * Validations.of(app).addPlugins(new KmsGuardrailsChecks(app));
 * ```
 *
 * The rules read the template as CloudFormation will receive it: references to resources in the
 * app (also across stacks, through exports, and into nested stacks) are followed, and a value
 * that is only known at deployment is reported under the rule's ID rather than guessed.
 */
export class KmsGuardrailsChecks extends NagPack {
  /**
   * Every rule of the pack, in the order of `ruleIds`, with its level and the text RULES.md shows.
   * It does not depend on the pack's props: `minimumPendingWindow` changes what KMSG-KMS7
   * accepts, not its text.
   */
  public static rules(): KmsGuardrailsRule[] {
    return ruleDefinitions({ minimumPendingWindowDays: DEFAULT_MINIMUM_PENDING_WINDOW_DAYS }).map((d) => ({
      id: `${PACK_NAME}-${d.id}`,
      level: d.level,
      info: d.info,
      explanation: d.explanation,
    }));
  }

  /** The plugin name CDK shows in the policy validation report. */
  public readonly name = 'KmsGuardrails';
  /** Every rule ID this pack can report, e.g. `KMSG-KMS1`. */
  public readonly ruleIds?: string[];
  private readonly rulesByType = new Map<string, RuleDefinition[]>();
  private readonly verboseDescriptions: boolean;
  private synthesis?: { readonly app: IConstruct; readonly stamp: string; readonly index: AppIndex };

  /**
   * @param scope the app, needed only with `writeSuppressionsToCloudFormation`
   * @param props pack options
   */
  constructor(scope?: IConstruct, props: KmsGuardrailsChecksProps = {}) {
    super(scope, props);
    this.packName = PACK_NAME;
    this.verboseDescriptions = props.verbose ?? false;
    const definitions = ruleDefinitions({ minimumPendingWindowDays: minimumPendingWindowDays(props.minimumPendingWindow) });
    this.ruleIds = definitions.map((d) => `${this.packName}-${d.id}`);
    for (const definition of definitions) {
      for (const type of ruleResourceTypes(definition.rule) ?? []) {
        const ofType = this.rulesByType.get(type);
        if (ofType) ofType.push(definition); else this.rulesByType.set(type, [definition]);
      }
    }
  }

  /**
   * Called by CDK for the stacks of the app (`Validations.of(app).addPlugins(...)`): once per
   * account and Region before aws-cdk-lib 2.269.0, once per synthesis from 2.269.0. The pack
   * judges the templates CDK wrote to the cloud assembly and reports each finding once, in the
   * call whose templates hold the resource: the app is indexed on the first call of a synthesis
   * and the index is reused by any later call.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const app = (context as { readonly appConstruct?: IConstruct }).appConstruct;
    if (!app) {
      throw new Error('KmsGuardrailsChecks needs the construct tree on the validation context (aws-cdk-lib 2.262.0 or later); call validateScope(app) otherwise.');
    }
    const index = this.indexForSynthesis(app);
    const templates = new Set(context.templatePaths.map((p) => path.resolve(p)));
    const stackPaths = new Set((context.stackTemplates ?? []).map((s) => s.stackConstructPath));
    const inGroup = (stack: StackInfo) => {
      const written = index.templatePath(stack.root);
      return written !== undefined ? templates.has(written) : stackPaths.has(stack.root.id);
    };
    return this.report(app, index, inGroup);
  }

  /**
   * Validates the constructs under `scope` directly (in tests, or on aws-cdk-lib versions that do
   * not pass the construct tree to plugins). Each call indexes the app afresh from the construct
   * tree, so a tree changed between two calls is never judged by a stale index.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    AppIndex.beginRun();
    const index = AppIndex.build(scope, 'rendered');
    const prefix = scope.node.path === '' ? '' : `${scope.node.path}/`;
    return this.report(scope, index, undefined, (node) => prefix === '' || node.node.path === scope.node.path || node.node.path.startsWith(prefix));
  }

  /**
   * Present only to answer the cdk-nag 2 registration, `Aspects.of(app).add(new KmsGuardrailsChecks())`,
   * which would otherwise fail with "aspect.visit is not a function": cdk-nag 3 packs are
   * validation plugins, so this throws an error that shows how to register the pack.
   *
   * @param node the construct CDK visits
   */
  public visit(node: IConstruct): void {
    throw new Error(
      `KmsGuardrailsChecks at '${node.node.path}': cdk-nag 3 packs are validation plugins, not Aspects. ` +
      'Replace `Aspects.of(app).add(new KmsGuardrailsChecks())` with `Validations.of(app).addPlugins(new KmsGuardrailsChecks(app))`, ' +
      'and NagSuppressions with `Validations.of(construct).acknowledge({ id, reason })`.',
    );
  }

  /**
   * Not called: the pack walks the app itself (see `validate`), so that app-level facts are
   * computed once and each finding carries its own message. It stays because `NagPack` declares
   * it abstract: a pack that does not implement it does not compile, in TypeScript or in jsii.
   *
   * @param node the resource cdk-nag would check
   */
  protected checkResource(node: CfnResource): void {
    // Named as in `NagPack`, so that the bindings accept the same keyword argument.
    void node;
  }

  private indexForSynthesis(app: IConstruct): AppIndex {
    // A new synthesis writes a new manifest: its time and size tell a new run from the next call
    // of the same one.
    const outdir = Stage.isStage(app) ? app.outdir : undefined;
    let stamp = '';
    try {
      const stat = outdir ? fs.statSync(path.join(outdir, 'manifest.json')) : undefined;
      stamp = stat ? `${stat.mtimeMs}:${stat.size}:${stat.ino}` : '';
    } catch {
      stamp = '';
    }
    if (!this.synthesis || this.synthesis.app !== app || this.synthesis.stamp !== stamp || stamp === '') {
      AppIndex.beginRun();
      this.synthesis = { app, stamp, index: AppIndex.build(app, 'written') };
    }
    return this.synthesis.index;
  }

  private report(
    scope: IConstruct,
    index: AppIndex,
    inGroup?: (stack: StackInfo) => boolean,
    inScope: (node: CfnResource) => boolean = () => true,
  ): PolicyValidationPluginReport {
    const violations: PolicyViolation[] = [];
    const seen = new Set<string>();
    for (const node of scope.node.findAll()) {
      if (!CfnResource.isCfnResource(node) || !inScope(node)) continue;
      const definitions = this.rulesByType.get(node.cfnResourceType);
      const resource = definitions && index.nodes.get(node);
      if (!definitions || !resource || (inGroup && !inGroup(resource.scope))) continue;
      for (const definition of definitions) {
        const ruleId = `${this.packName}-${definition.id}`;
        if (isAcknowledged(node, ruleId)) continue;
        for (const detail of this.findingsOf(definition, node, resource, index)) {
          const subject = detail === '' ? `(${resource.type} ${resource.logicalId})` : `${resource.type} ${resource.logicalId}: ${detail}`;
          const description = [definition.info, subject, this.verboseDescriptions ? definition.explanation : undefined].filter((t) => t).join(' ');
          const key = `${ruleId}\u0000${node.node.path}\u0000${description}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const templatePath = index.templatePath(resource.scope);
          violations.push({
            ruleName: ruleId,
            description,
            severity: definition.level === NagMessageLevel.ERROR ? 'error' : 'warning',
            fix: `${definition.explanation} Or, when the finding is intended, acknowledge it on the construct: Validations.of(construct).acknowledge({ id: '${ruleId}', reason: '...' }).`,
            violatingResources: [{ constructPath: node.node.path, locations: ['Properties'], ...(templatePath ? { templatePath } : {}) }],
          });
        }
      }
    }
    return { success: violations.length === 0, violations };
  }

  /** The messages of a rule's findings on one resource; a value it cannot read is one finding that says why. */
  private findingsOf(definition: RuleDefinition, node: CfnResource, resource: IndexedResource, index: AppIndex): string[] {
    const check = ruleCheck(definition.rule);
    try {
      const result = check ? check(resource, index) : definition.rule(node);
      if (Array.isArray(result)) return result;
      return result === NagRuleCompliance.NON_COMPLIANT ? [''] : [];
    } catch (e) {
      return [`the rule cannot decide: ${(e as Error).message}`];
    }
  }

}

/** Whether `ruleId` is acknowledged on the construct or one of its scopes (`Validations.of(c).acknowledge`). */
function isAcknowledged(node: IConstruct, ruleId: string): boolean {
  for (let current: IConstruct | undefined = node; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      // aws-cdk-lib before 2.262.1 wrote 'annotation::', later versions 'Annotation::'.
      if (Object.keys(entry.data as object).some((k) => k.replace(/^annotation::/i, '') === ruleId)) return true;
    }
  }
  return false;
}

function minimumPendingWindowDays(window: Duration | undefined): number {
  if (window === undefined) return DEFAULT_MINIMUM_PENDING_WINDOW_DAYS;
  const days = Token.isUnresolved(window) ? NaN : window.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 7 || days > 30) {
    throw new Error(`KmsGuardrailsChecks: \`minimumPendingWindow\` must be a whole number of days between 7 and 30, got ${window.toHumanString()}`);
  }
  return days;
}
