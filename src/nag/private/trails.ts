import { AppIndex, IndexedResource } from './app-index';
import { asList, asObject, readBoolean } from './values';
import { isIntrinsic } from '../../template/render';

/** An advanced field selector; `undefined` stands for a value only known at deployment. */
interface FieldSelector {
  readonly field: string;
  readonly equals: ReadonlyArray<string | undefined>;
  readonly startsWith: ReadonlyArray<string | undefined>;
  readonly endsWith: ReadonlyArray<string | undefined>;
  readonly notEquals: ReadonlyArray<string | undefined>;
  readonly notStartsWith: ReadonlyArray<string | undefined>;
  readonly notEndsWith: ReadonlyArray<string | undefined>;
}

interface BasicSelector {
  readonly includeManagementEvents: boolean;
  readonly readWriteType: string;
  readonly excludeManagementEventSources: ReadonlyArray<string | undefined>;
  readonly dataResources: ReadonlyArray<{ readonly type?: string; readonly values: ReadonlyArray<string | undefined> }>;
}

/** What a trail records, read from its template once per run. */
export interface TrailModel {
  readonly resource: IndexedResource;
  /** Set when the trail could not be read: CT1 reports it, CT2 ignores the trail. */
  readonly error?: Error;
  readonly logging: boolean;
  readonly multiRegion: boolean;
  readonly organization: boolean;
  readonly bucketName?: string;
  readonly basic?: readonly BasicSelector[];
  readonly advanced?: ReadonlyArray<readonly FieldSelector[]>;
  /** Some selector value is only known at deployment. */
  readonly unknownValues: boolean;
}

/** The data events of one resource: all objects of a bucket, or one table or queue. */
export interface DataTarget {
  readonly resource: IndexedResource;
  readonly type: 'AWS::S3::Object' | 'AWS::DynamoDB::Table' | 'AWS::SQS::Queue';
  readonly arn: string;
}

export function trailModels(index: AppIndex): readonly TrailModel[] {
  return index.derive('trails', () => index.resourcesOfType('AWS::CloudTrail::Trail').map((r) => readTrail(index, r)));
}

function readTrail(index: AppIndex, resource: IndexedResource): TrailModel {
  let unknownValues = false;
  const object = (value: unknown) => {
    if (isIntrinsic(value)) unknownValues = true;
    return asObject(value) ?? {};
  };
  // A parameter's value is as unknown as an expression that cannot be evaluated.
  const strings = (value: unknown) => asList(value).map((v) => {
    const rendered = index.render(resource.scope, v);
    if (rendered !== undefined && !/\u0000X/.test(rendered)) return rendered;
    unknownValues = true;
    return undefined;
  });
  try {
    const props = resource.properties();
    const flag = (name: string) => readBoolean(index, resource, name, props[name]);
    // An empty list is the same as none: CloudTrail then records every management event.
    const basic = asList(props.EventSelectors).length === 0 ? undefined : asList(props.EventSelectors).map((s) => {
      const selector = object(s);
      return {
        includeManagementEvents: readBoolean(index, resource, 'EventSelectors.IncludeManagementEvents', selector.IncludeManagementEvents) ?? true,
        readWriteType: index.render(resource.scope, selector.ReadWriteType ?? 'All') ?? 'unknown',
        excludeManagementEventSources: strings(selector.ExcludeManagementEventSources),
        dataResources: asList(selector.DataResources).map((d) => {
          const dataResource = object(d);
          return { type: index.render(resource.scope, dataResource.Type), values: strings(dataResource.Values) };
        }),
      };
    });
    const advanced = asList(props.AdvancedEventSelectors).length === 0 ? undefined : asList(props.AdvancedEventSelectors).map((s) =>
      asList(object(s).FieldSelectors).map((f) => {
        const field = object(f);
        return {
          field: index.render(resource.scope, field.Field) ?? '',
          equals: strings(field.Equals),
          startsWith: strings(field.StartsWith),
          endsWith: strings(field.EndsWith),
          notEquals: strings(field.NotEquals),
          notStartsWith: strings(field.NotStartsWith),
          notEndsWith: strings(field.NotEndsWith),
        };
      }));
    return {
      resource,
      logging: flag('IsLogging') ?? false,
      multiRegion: flag('IsMultiRegionTrail') ?? false,
      organization: flag('IsOrganizationTrail') ?? false,
      bucketName: index.render(resource.scope, props.S3BucketName),
      basic,
      // CloudTrail rejects a trail with both kinds; when both appear, the advanced ones are what counts.
      advanced,
      unknownValues,
    };
  } catch (error) {
    return { resource, error: error as Error, logging: false, multiRegion: false, organization: false, unknownValues };
  }
}

const KMS_MANAGEMENT_EVENTS = [
  { eventName: 'PutKeyPolicy', readOnly: 'false' },
  { eventName: 'ScheduleKeyDeletion', readOnly: 'false' },
  { eventName: 'DisableKey', readOnly: 'false' },
  { eventName: 'Decrypt', readOnly: 'true' },
];

/** Whether the trail records the KMS management events an audit of key use needs. */
export function logsKmsManagementEvents(trail: TrailModel): boolean {
  if (!trail.logging) return false;
  return KMS_MANAGEMENT_EVENTS.every((event) => {
    if (trail.advanced) {
      const fields: Record<string, string> = { eventCategory: 'Management', eventSource: 'kms.amazonaws.com', ...event };
      return trail.advanced.some((selector) => selector.every((f) => matches(f, fields[f.field])));
    }
    if (trail.basic) {
      return trail.basic.some((s) => s.includeManagementEvents && readWriteMatches(s.readWriteType, event.readOnly) &&
        !s.excludeManagementEventSources.some((source) => source === undefined || source === 'kms.amazonaws.com'));
    }
    return true; // a trail without selectors records every management event
  });
}

/** Whether the trail records every read and write data event of the target. */
export function logsDataEvents(trail: TrailModel, target: DataTarget): boolean {
  if (trail.error || !trail.logging || !sameEnvironment(trail, target.resource)) return false;
  return ['true', 'false'].every((readOnly) => {
    if (trail.advanced) return trail.advanced.some((selector) => selector.every((f) => coversData(f, target, readOnly)));
    const basicType = target.type === 'AWS::SQS::Queue' ? undefined : target.type; // SQS has advanced selectors only
    const whole = target.type === 'AWS::S3::Object' ? `${target.arn}/` : target.arn;
    return (trail.basic ?? []).some((s) => readWriteMatches(s.readWriteType, readOnly) &&
      s.dataResources.some((d) => d.type === basicType && d.values.some((v) => v !== undefined && whole.startsWith(v))));
  });
}

/** The account and Region of a resource's stack, as the pack groups app-level questions. */
export function environmentOf(resource: IndexedResource): string {
  const { account, region } = resource.scope.root;
  return `account ${account ?? '(the deployment account)'}, Region ${region ?? '(the deployment Region)'}`;
}

/** Whether the trail records events of the resource's account and Region. */
export function sameEnvironment(trail: TrailModel, resource: IndexedResource): boolean {
  const differ = (a?: string, b?: string) => a !== undefined && b !== undefined && a !== b;
  if (!trail.organization && differ(trail.resource.scope.account, resource.scope.account)) return false;
  return trail.multiRegion || !differ(trail.resource.scope.region, resource.scope.region);
}

function readWriteMatches(readWriteType: string, readOnly: string): boolean {
  if (readWriteType === 'All') return true;
  if (readWriteType === 'ReadOnly') return readOnly === 'true';
  return readWriteType === 'WriteOnly' && readOnly === 'false';
}

/** Positive operators OR together; negative ones must all let the value through. */
function matches(f: FieldSelector, value: string | undefined): boolean {
  const positives = f.equals.length + f.startsWith.length + f.endsWith.length;
  if (positives > 0) {
    if (value === undefined) return false;
    const hit = f.equals.includes(value) || f.startsWith.some((p) => p !== undefined && value.startsWith(p)) ||
      f.endsWith.some((p) => p !== undefined && value.endsWith(p));
    if (!hit) return false;
  }
  if (value === undefined) return true;
  // An unknown negative value might exclude the event: assume it does.
  return !(f.notEquals.some((p) => p === undefined || p === value) || f.notStartsWith.some((p) => p === undefined || value.startsWith(p)) ||
    f.notEndsWith.some((p) => p === undefined || value.endsWith(p)));
}

function coversData(f: FieldSelector, target: DataTarget, readOnly: string): boolean {
  switch (f.field) {
    case 'eventCategory': return matches(f, 'Data');
    case 'resources.type': return matches(f, target.type);
    case 'readOnly': return matches(f, readOnly);
    case 'resources.ARN': return coversArn(f, target);
    // Filtering on event names drops some reads or writes of the resource.
    case 'eventName': return false;
    // Excluding callers (a backup role, an endpoint) is a choice; selecting only some is not coverage.
    default: return f.equals.length + f.startsWith.length + f.endsWith.length === 0;
  }
}

function coversArn(f: FieldSelector, target: DataTarget): boolean {
  const { arn } = target;
  if (target.type === 'AWS::S3::Object') {
    // Every object ARN of the bucket starts with `<bucket ARN>/`: only StartsWith can select them all.
    const objects = `${arn}/`;
    const positives = f.equals.length + f.startsWith.length + f.endsWith.length;
    if (positives > 0 && !f.startsWith.some((p) => p !== undefined && objects.startsWith(p))) return false;
    const touches = (p?: string) => p === undefined || objects.startsWith(p) || p.startsWith(objects);
    return !(f.notStartsWith.some(touches) || f.notEquals.some((p) => p === undefined || p.startsWith(objects)) || f.notEndsWith.length > 0);
  }
  return matches(f, arn);
}
