import { queueUsesCustomerManagedKey } from '../../private/encryption';
import { compliantIf, ruleFor } from '../../private/values';

/** SQS queues encrypt with a customer managed key: not SSE-SQS, not alias/aws/sqs. */
export const SQSCustomerManagedKey = ruleFor('SQSCustomerManagedKey', ['AWS::SQS::Queue'], (resource, index) =>
  compliantIf(queueUsesCustomerManagedKey(index, resource)));
