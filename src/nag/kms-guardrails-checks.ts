import { CfnResource, Duration, PolicyValidationPluginReport, Token } from 'aws-cdk-lib';
import { NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { AppIndex } from './private/app-index';
import { ruleResourceTypes } from './private/values';
import { RuleDefinition, ruleDefinitions } from './rule-definitions';

/**
 * Properties of `KmsGuardrailsChecks`.
 */
export interface KmsGuardrailsChecksProps extends NagPackProps {
  /**
   * The shortest deletion waiting period (`PendingWindowInDays`) rule KMSG-KMS7 accepts for KMS
   * keys and replica keys: a whole number of days between 7 and 30.
   *
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html#deleting-keys-scheduling-key-deletion
   * @default Duration.days(30)
   */
  readonly minimumPendingWindow?: Duration;
}

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
 * ```ts
 * Validations.of(app).addPlugins(new KmsGuardrailsChecks(app));
 * ```
 *
 * The rules read the template as CloudFormation will receive it: references to resources in the
 * app (also across stacks, through exports, and into nested stacks) are followed, and a value
 * that is only known at deployment is reported under the rule's ID rather than guessed.
 */
export class KmsGuardrailsChecks extends NagPack {
  /** The plugin name CDK shows in the policy validation report. */
  public readonly name = 'KmsGuardrails';
  /** Every rule ID this pack can report, e.g. `KMSG-KMS1`. */
  public readonly ruleIds?: string[];
  private readonly rulesByType = new Map<string, RuleDefinition[]>();

  /**
   * @param scope the app, needed only with `writeSuppressionsToCloudFormation`
   * @param props pack options
   */
  constructor(scope?: IConstruct, props: KmsGuardrailsChecksProps = {}) {
    super(scope, props);
    this.packName = 'KMSG';
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
   * Validates a construct tree (what `validate` does for the CDK). Each call indexes the app
   * afresh, so a tree changed between two calls is never judged by a stale index.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    AppIndex.beginRun();
    return super.validateScope(scope);
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
   * Applies the rules for the resource's type (called by `NagPack` for every CfnResource).
   */
  protected checkResource(node: CfnResource): void {
    // Rules are dispatched by resource type: every other rule would answer NOT_APPLICABLE.
    for (const definition of this.rulesByType.get(node.cfnResourceType) ?? []) {
      this.applyRule({
        ruleSuffixOverride: definition.id,
        info: definition.info,
        explanation: definition.explanation,
        level: definition.level,
        node,
        rule: definition.rule,
      });
    }
  }
}

function minimumPendingWindowDays(window: Duration | undefined): number {
  if (window === undefined) return 30;
  const days = Token.isUnresolved(window) ? NaN : window.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 7 || days > 30) {
    throw new Error(`KmsGuardrailsChecks: \`minimumPendingWindow\` must be a whole number of days between 7 and 30, got ${window.toHumanString()}`);
  }
  return days;
}
