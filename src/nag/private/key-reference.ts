import { AppIndex, IndexedResource } from './app-index';
import { unresolved } from './values';

const KEY_TYPES = new Set(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey']);
const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Whether a key reference (`KMSMasterKeyID`, `KmsMasterKeyId`, ...) names a customer managed key.
 *
 * | reference                                              | verdict            |
 * |--------------------------------------------------------|--------------------|
 * | Ref / GetAtt of an AWS::KMS::Key or ReplicaKey in the app | customer managed |
 * | `alias/aws/...`, or an alias ARN ending in it          | AWS managed        |
 * | any other alias name or alias ARN, AWS::KMS::Alias Ref | customer managed   |
 * | a key ID or key ARN written out                        | customer managed (AWS managed keys are addressed by alias) |
 * | a parameter, another resource's attribute, `Fn::If`    | unknown: throws    |
 */
export function isCustomerManagedKey(index: AppIndex, resource: IndexedResource, property: string, value: unknown): boolean {
  const rendered = index.render(resource.scope, value);
  if (rendered === undefined) throw unresolved(resource, property, value);
  const referenced = index.referencedResources(rendered);
  if (referenced.some((r) => KEY_TYPES.has(r.type))) return true;
  if (/(^|:)alias\/aws\//.test(rendered)) return false;
  // CloudFormation refuses AWS::KMS::Alias names under alias/aws/, so an alias of the app is ours.
  const onlyAliases = referenced.length > 0 && referenced.every((r) => r.type === 'AWS::KMS::Alias');
  if (/\u0000X/.test(rendered) || (referenced.length > 0 && !onlyAliases)) throw unresolved(resource, property, value);
  if (onlyAliases || /(^|:)alias\//.test(rendered)) return true;
  const keyId = rendered.startsWith('arn:') ? /:key\/([^/]+)$/.exec(rendered)?.[1] : rendered;
  if (keyId !== undefined && KEY_ID.test(keyId)) return true;
  throw unresolved(resource, property, value);
}
