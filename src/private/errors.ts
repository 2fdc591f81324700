import { IConstruct } from 'constructs';

/**
 * The one way our constructs report bad input: the construct kind and path first, then the prop
 * (or method), the value received and what is allowed.
 *
 * A plain `Error`: jsii forbids exporting `Error` subclasses, and users match on the message.
 *
 * @example
 *   throw invalidProp(this, 'SeparatedDutyKey', 'pendingWindow', 'must be between 7 and 30 days, got 5');
 *   // SeparatedDutyKey at 'Stack/Orders': `pendingWindow` must be between 7 and 30 days, got 5
 */
export function invalidProp(scope: IConstruct, kind: string, prop: string, message: string): Error {
  return new Error(`${kind} at '${scope.node.path}': \`${prop}\` ${message}`);
}
