import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { KeyAuditTrail } from '../audit/key-audit-trail';
import { invalidProp } from '../private/errors';

/** What every resource construct takes to have its data events recorded. */
export interface DataEventsOptions {
  readonly dataEvents?: boolean;
  readonly auditTrail?: KeyAuditTrail;
}

/**
 * The trail that records a resource's data events: the given one, or the stack's (`KeyAuditTrail.of`:
 * the one the user created in the stack, or the default one, created with the first resource that
 * needs it); none with `dataEvents: false`. Several trails in the stack and none given: an error.
 */
export function auditTrailFor(scope: Construct, kind: string, options: DataEventsOptions): KeyAuditTrail | undefined {
  if (options.dataEvents === false) {
    if (options.auditTrail !== undefined) {
      throw invalidProp(scope, kind, 'auditTrail', 'is set but `dataEvents` is false: remove one of them');
    }
    return undefined;
  }
  if (options.auditTrail !== undefined) return options.auditTrail;
  const stack = Stack.of(scope);
  const trails = KeyAuditTrail._createdIn(stack);
  if (trails.length > 1) {
    throw invalidProp(scope, kind, 'auditTrail', `is not set, and stack '${stack.node.path}' has ${trails.length} KeyAuditTrails (${trails.map(t => `'${t.node.path}'`).join(', ')}): set \`auditTrail\` to the one that records this resource`);
  }
  return KeyAuditTrail.of(scope);
}
