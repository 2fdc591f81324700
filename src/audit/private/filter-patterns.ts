/**
 * The CloudWatch Logs metric filter patterns of KeyAuditTrail's alarms, over CloudTrail records.
 * Tested against sample records from the AWS KMS developer guide (test/audit/metric-filters.test.ts).
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */

/**
 * A KMS key disabled or scheduled for deletion: the CIS AWS Foundations Benchmark control
 * (CloudWatch.7 in AWS Security Hub), pattern as published there.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-7
 */
export const KEY_DISABLED_OR_DELETION_SCHEDULED_PATTERN =
  '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }';

/**
 * A key policy written: PutKeyPolicy (the one way an administrator could grant itself use of a
 * key) and ReplicateKey (which creates a replica of a multi-Region key with a policy of its own).
 */
export const KEY_POLICY_CHANGED_PATTERN =
  '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = PutKeyPolicy) || ($.eventName = ReplicateKey)) }';
