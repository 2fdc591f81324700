import { AppIndex, IndexedResource } from './app-index';
import { asList, asObject, unresolved } from './values';
import { isIntrinsic } from '../../template/render';

/** One IAM identity policy document held by a resource: a policy, a managed policy or an inline policy. */
export interface IdentityPolicyDocument {
  /** How messages name it: `the policy`, `inline policy "Name"`. */
  readonly label: string;
  /** The property path, for values only known at deployment. */
  readonly property: string;
  readonly document: Record<string, unknown>;
}

/** The resource types that hold identity policies, and where. */
export const IDENTITY_POLICY_TYPES = [
  'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy', 'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy',
  'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group',
];

/**
 * The identity policy documents of a resource. A document CloudFormation receives as a JSON
 * string is parsed; one chosen at deployment (`Fn::If`, a parameter) cannot be read and throws.
 */
export function identityPolicyDocuments(index: AppIndex, resource: IndexedResource): IdentityPolicyDocument[] {
  const props = resource.properties();
  const read = (value: unknown, property: string): Record<string, unknown> => {
    let document = value;
    if (typeof value === 'string') {
      try {
        document = JSON.parse(value);
      } catch {
        throw unresolved(resource, property, value);
      }
    }
    const object = asObject(document);
    if (!object || isIntrinsic(object)) throw unresolved(resource, property, value);
    return object;
  };
  if (!['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'].includes(resource.type)) {
    return props.PolicyDocument === undefined ? [] : [{ label: 'the policy', property: 'PolicyDocument', document: read(props.PolicyDocument, 'PolicyDocument') }];
  }
  return asList(props.Policies).map((raw, i) => {
    const inline = asObject(raw);
    if (!inline || isIntrinsic(inline)) throw unresolved(resource, `Policies[${i}]`, raw);
    const name = index.render(resource.scope, inline.PolicyName);
    return {
      label: name === undefined || name.includes('\u0000') ? `inline policy ${i + 1}` : `inline policy "${name}"`,
      property: `Policies[${i}].PolicyDocument`,
      document: read(inline.PolicyDocument, `Policies[${i}].PolicyDocument`),
    };
  });
}
