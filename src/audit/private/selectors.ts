import { aws_cloudtrail as cloudtrail } from 'aws-cdk-lib';

/**
 * CloudTrail accepts at most this many condition values across all advanced event selectors of
 * a trail (every value of every operator of every field selector counts).
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html
 */
export const MAX_SELECTOR_VALUES = 500;

/** The data-event resource types a KeyAuditTrail selects, in the order its selectors appear. */
export const DATA_RESOURCE_TYPES = ['AWS::S3::Object', 'AWS::DynamoDB::Table', 'AWS::SQS::Queue'] as const;
export type DataResourceType = typeof DATA_RESOURCE_TYPES[number];

export interface SelectorInput {
  readonly includeKmsManagementEvents: boolean;
  /** Resource ARNs per type (tokens allowed), already de-duplicated. */
  readonly arns: Readonly<Record<DataResourceType, readonly string[]>>;
}

export interface SelectorPlan {
  readonly selectors: cloudtrail.CfnTrail.AdvancedEventSelectorProperty[];
  /** Types whose ARN conditions were dropped to stay within MAX_SELECTOR_VALUES. */
  readonly aggregated: DataResourceType[];
  /** Condition values the selectors use. */
  readonly values: number;
  /** Condition values the selectors would have used without aggregation. */
  readonly requestedValues: number;
}

/** Every value a selector list uses, as CloudTrail counts them against MAX_SELECTOR_VALUES. */
export function countValues(selectors: cloudtrail.CfnTrail.AdvancedEventSelectorProperty[]): number {
  let count = 0;
  for (const selector of selectors) {
    for (const f of selector.fieldSelectors as cloudtrail.CfnTrail.AdvancedFieldSelectorProperty[]) {
      for (const values of [f.equalTo, f.notEquals, f.startsWith, f.notStartsWith, f.endsWith, f.notEndsWith]) {
        count += (values ?? []).length;
      }
    }
  }
  return count;
}

/**
 * Advanced event selectors only (CloudTrail rejects a trail that mixes them with basic ones):
 * every management event (KMS included unless left out: CloudTrail lets a trail's management
 * selector only exclude `kms.amazonaws.com`, never select it alone), then one data selector per
 * resource type with the registered resources.
 *
 * When the ARN conditions would exceed MAX_SELECTOR_VALUES, the types with the most resources
 * lose their ARN condition first: their selector then records the data events of every resource
 * of that type in the account and Region, which covers the registered ones and costs more.
 */
export function planSelectors(input: SelectorInput): SelectorPlan {
  const management: cloudtrail.CfnTrail.AdvancedEventSelectorProperty = {
    name: input.includeKmsManagementEvents ? 'Management events, AWS KMS included' : 'Management events except AWS KMS',
    fieldSelectors: [
      { field: 'eventCategory', equalTo: ['Management'] },
      ...(input.includeKmsManagementEvents ? [] : [{ field: 'eventSource', notEquals: ['kms.amazonaws.com'] }]),
    ],
  };
  const present = DATA_RESOURCE_TYPES.filter(t => input.arns[t].length > 0);
  const aggregated = new Set<DataResourceType>();
  const build = () => [management, ...present.map(t => dataSelector(t, aggregated.has(t) ? undefined : input.arns[t]))];

  let selectors = build();
  const requestedValues = countValues(selectors);
  while (countValues(selectors) > MAX_SELECTOR_VALUES) {
    const next = present.filter(t => !aggregated.has(t)).sort((a, b) => input.arns[b].length - input.arns[a].length)[0];
    aggregated.add(next);
    selectors = build();
  }
  return { selectors, aggregated: [...aggregated], values: countValues(selectors), requestedValues };
}

function dataSelector(type: DataResourceType, arns: readonly string[] | undefined): cloudtrail.CfnTrail.AdvancedEventSelectorProperty {
  const fieldSelectors: cloudtrail.CfnTrail.AdvancedFieldSelectorProperty[] = [
    { field: 'eventCategory', equalTo: ['Data'] },
    { field: 'resources.type', equalTo: [type] },
  ];
  if (arns) {
    // An object ARN is `<bucket ARN>/<key>`: StartsWith `<bucket ARN>/` selects every object of
    // that bucket and nothing of a bucket whose name merely starts the same way.
    fieldSelectors.push(type === 'AWS::S3::Object'
      ? { field: 'resources.ARN', startsWith: arns.map(arn => `${arn}/`) }
      : { field: 'resources.ARN', equalTo: [...arns] });
  }
  return { name: `${NAMES[type]} data events${arns ? ' of registered resources' : ', every resource (aggregated)'}`, fieldSelectors };
}

const NAMES: Record<DataResourceType, string> = {
  'AWS::S3::Object': 'S3 object',
  'AWS::DynamoDB::Table': 'DynamoDB table',
  'AWS::SQS::Queue': 'SQS queue',
};
