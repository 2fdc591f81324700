import { Construct } from 'constructs';
import { KeyAuditTrail } from '../audit/key-audit-trail';
import { invalidProp } from '../private/errors';

/** What every resource construct takes to have its data events recorded. */
export interface DataEventsOptions {
  readonly dataEvents?: boolean;
  readonly auditTrail?: KeyAuditTrail;
}

/**
 * The trail that records a resource's data events: the given one, or the stack's own
 * (`KeyAuditTrail.of`, created with the first resource that needs it); none with `dataEvents: false`.
 */
export function auditTrailFor(scope: Construct, kind: string, options: DataEventsOptions): KeyAuditTrail | undefined {
  if (options.dataEvents === false) {
    if (options.auditTrail !== undefined) {
      throw invalidProp(scope, kind, 'auditTrail', 'is set but `dataEvents` is false: remove one of them');
    }
    return undefined;
  }
  return options.auditTrail ?? KeyAuditTrail.of(scope);
}
