import { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { invalidProp } from './errors';

/**
 * The removal policy of a stateful resource: RETAIN unless the user both asks for another one and
 * acknowledges that the data goes with the resource.
 */
export function resolveDataRemovalPolicy(
  scope: Construct, kind: string, removalPolicy: RemovalPolicy | undefined, acknowledgeDataLoss: boolean | undefined,
): RemovalPolicy {
  const policy = removalPolicy ?? RemovalPolicy.RETAIN;
  if ((policy === RemovalPolicy.DESTROY || policy === RemovalPolicy.SNAPSHOT) && acknowledgeDataLoss !== true) {
    throw invalidProp(scope, kind, 'removalPolicy', `is ${policy}, which deletes the data when the resource leaves the stack; set \`acknowledgeDataLoss: true\` to confirm, or keep RETAIN (the default)`);
  }
  return policy;
}
