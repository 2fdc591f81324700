import { App, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { EncryptedBucket, EncryptedQueue, EncryptedTable } from '../../src';
import { controlStatus, runControlTower } from '../helpers/control-tower';

/**
 * AWS Control Tower proactive controls (cfn-guard rules of @cdklabs/cdk-validator-cfnguard) on the
 * resource constructs with default props. PASS: the control ran on the resource and found
 * nothing; FAIL: an opt-in the README lists; SKIP: the control does not evaluate that resource.
 */
function stack() {
  const app = new App();
  return new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
}

describe('S3 controls on an EncryptedBucket', () => {
  const s = stack();
  const bucket = new EncryptedBucket(s, 'Docs', { dataEvents: false });
  const report = runControlTower(s, { services: ['S3'] });

  test.each([
    ['CT.S3.PR.1', 'PASS'], // Block Public Access
    ['CT.S3.PR.2', 'PASS'], // server access logging
    ['CT.S3.PR.3', 'PASS'], // versioned buckets have a lifecycle configuration
    ['CT.S3.PR.5', 'PASS'], // no ACL
    ['CT.S3.PR.6', 'PASS'], // a lifecycle configuration
    ['CT.S3.PR.10', 'PASS'], // SSE-KMS
    ['CT.S3.PR.11', 'PASS'], // versioning
    ['CT.S3.PR.4', 'FAIL'], // event notifications: opt-in `eventBridgeEnabled`
    ['CT.S3.PR.9', 'FAIL'], // object lock: opt-in `objectLockEnabled`
  ])('%s: %s', (control, status) => {
    expect(controlStatus(report, control, bucket.bucket)).toBe(status);
  });

  test('the opt-ins satisfy the two that fail by default', () => {
    const s2 = stack();
    const locked = new EncryptedBucket(s2, 'Docs', {
      dataEvents: false, eventBridgeEnabled: true, objectLockEnabled: true, objectLockDefaultRetention: s3Retention(),
    });
    const r = runControlTower(s2, { services: ['S3'] });
    expect(['CT.S3.PR.4', 'CT.S3.PR.9'].map(c => controlStatus(r, c, locked.bucket))).toEqual(['PASS', 'PASS']);
  });

  test('the bucket policy requires TLS (CT.S3.PR.8)', () => {
    expect(report.results.filter(r => r.control === 'CT.S3.PR.8').map(r => r.status)).toEqual(['PASS']);
  });
});

describe('SQS controls on an EncryptedQueue', () => {
  const s = stack();
  const queue = new EncryptedQueue(s, 'Events', { dataEvents: false });
  const report = runControlTower(s, { services: ['SQS'] });
  test.each([
    ['CT.SQS.PR.1', 'PASS'], // a dead-letter queue
    ['CT.SQS.PR.2', 'PASS'], // encryption at rest
  ])('%s: %s on the queue', (control, status) => {
    expect(controlStatus(report, control, queue.queue)).toBe(status);
  });
  test('the created dead-letter queue fails CT.SQS.PR.1 only: it stays closed to other queues', () => {
    // Passing it takes RedriveAllowPolicy allowAll (any queue of the account could dead-letter
    // into it) or byQueue naming the source queue (a cycle): the README lists it.
    const dlq = (queue.deadLetterQueue.node.defaultChild as any);
    expect(report.findings.map(f => [f.control, f.resource])).toEqual([['CT.SQS.PR.1', s.getLogicalId(dlq)]]);
  });
});

describe('DynamoDB controls on an EncryptedTable', () => {
  test('TableV2 synthesizes AWS::DynamoDB::GlobalTable, which no Control Tower control evaluates', () => {
    const s = stack();
    const table = new EncryptedTable(s, 'Orders', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, dataEvents: false });
    const report = runControlTower(s, { services: ['DYNAMODB'] });
    expect(report.findings).toEqual([]);
    expect(['CT.DYNAMODB.PR.1', 'CT.DYNAMODB.PR.2'].map(c => controlStatus(report, c, table.table))).toEqual(['SKIP', 'SKIP']);
  });
});

function s3Retention() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const s3 = require('aws-cdk-lib/aws-s3');
  return s3.ObjectLockRetention.governance(Duration.days(30));
}
