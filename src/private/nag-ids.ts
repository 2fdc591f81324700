import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * A resource ARN as cdk-nag writes it in a granular finding id (`arn:<AWS::Partition>:…`), to
 * acknowledge exactly that finding and nothing else. Same flattening as cdk-nag's
 * `flattenCfnReference`.
 */
export function nagResourceId(scope: IConstruct, arn: string): string {
  const visit = (node: any): string => {
    if (node === undefined) return '';
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
    if (node['Fn::Join']) return node['Fn::Join'][1].map(visit).join(node['Fn::Join'][0]);
    if (node['Fn::Sub']) return visit(node['Fn::Sub']);
    if (node['Fn::GetAtt']) return `<${visit(node['Fn::GetAtt'][0])}.${visit(node['Fn::GetAtt'][1])}>`;
    if (node['Fn::ImportValue']) return visit(node['Fn::ImportValue']);
    if (node.Ref) return `<${visit(node.Ref)}>`;
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(arn));
}

/**
 * Acknowledges one granular cdk-nag finding, e.g. `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:…]`.
 *
 * `Validations.acknowledge` of aws-cdk-lib 2.262 rejects ids with more than one `::` (it reserves
 * `::` for `prefix::rule`), and granular IAM5 ids always have several. This records the same
 * construct metadata that `Validations.acknowledge` records and cdk-nag 3 reads.
 */
export function acknowledgeFinding(scope: IConstruct, id: string, reason: string): void {
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
}

/** What the pack's KMSG-KMS7 asks for unless its `minimumPendingWindow` says otherwise. */
export const PACK_MINIMUM_PENDING_WINDOW_DAYS = 30;

/**
 * A deletion window shorter than 30 days set explicitly on one of our keys is the user's
 * decision: the key records it as the acknowledgement of KMSG-KMS7, with the value, so that the
 * construct and the pack agree and the choice stays visible in the construct's metadata.
 */
export function acknowledgeShortPendingWindow(resource: IConstruct, prop: string, days: number | undefined): void {
  if (days === undefined || days >= PACK_MINIMUM_PENDING_WINDOW_DAYS) return;
  Validations.of(resource).acknowledge({
    id: 'KMSG-KMS7',
    reason: `\`${prop}\` is set explicitly to ${days} days (KMS accepts 7-30); the pack's 30-day minimum applies to windows nobody chose`,
  });
}
