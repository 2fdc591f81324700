import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagPack } from 'cdk-nag';
import { KeyAuditTrail } from '../../src/audit';
import { KmsGuardrailsChecks } from '../../src/nag';
import { controlStatus, runControlTower } from '../helpers/control-tower';
import { builtInPacks, findingsByPack, noFindings, registerBuiltInPacks } from '../helpers/nag';

const env = { account: '111122223333', region: 'eu-west-1' };

/** A stack with the default trail and imported resources registered with it (so only the trail can raise findings). */
function auditedApp(): { app: App; stack: Stack; trail: KeyAuditTrail } {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env });
  const trail = KeyAuditTrail.of(stack);
  trail.addBucket(s3.Bucket.fromBucketName(stack, 'Data', 'data-bucket'));
  trail.addQueue(sqs.Queue.fromQueueArn(stack, 'Queue', 'arn:aws:sqs:eu-west-1:111122223333:orders'));
  trail.addTable(dynamodb.TableV2.fromTableArn(stack, 'Table', 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders'));
  return { app, stack, trail };
}

function violations(app: App, pack: NagPack): string[] {
  return pack.validateScope(app).violations
    .flatMap(v => v.violatingResources.map(r => `${v.ruleName} ${r.constructPath}`)).sort();
}

describe('cdk-nag packs', () => {
  const { app } = auditedApp();
  app.synth();

  test.each(builtInPacks().map(pack => [pack.readPackName, pack] as const))('%s reports nothing on the trail, its bucket, key, log group, role, topic and alarms', (_name, pack) => {
    expect(violations(app, pack)).toEqual([]);
  });

  test('a synth with all six packs registered succeeds', () => {
    const fresh = auditedApp().app;
    const packs = registerBuiltInPacks(fresh);
    expect(findingsByPack(fresh, packs)).toEqual(noFindings(packs));
  });
});

describe('AWS Control Tower proactive controls', () => {
  const { app, trail } = auditedApp();
  const report = runControlTower(app, { services: ['CLOUDTRAIL', 'CLOUDWATCH', 'S3'] });

  test.each(['CT.CLOUDTRAIL.PR.1', 'CT.CLOUDTRAIL.PR.2', 'CT.CLOUDTRAIL.PR.3'])('%s passes on the trail', (control) => {
    expect(controlStatus(report, control, trail.trail)).toBe('PASS');
  });

  test.each(['CT.CLOUDWATCH.PR.2', 'CT.CLOUDWATCH.PR.3'])('%s passes on the log group', (control) => {
    expect(controlStatus(report, control, trail.logGroup)).toBe('PASS');
  });

  test.each(['CT.CLOUDWATCH.PR.1', 'CT.CLOUDWATCH.PR.4'])('%s passes on both alarms', (control) => {
    expect(controlStatus(report, control, trail.keyDisabledOrDeletionScheduledAlarm!)).toBe('PASS');
    expect(controlStatus(report, control, trail.keyPolicyChangedAlarm!)).toBe('PASS');
  });

  test('CT.S3 controls on the trail bucket: the ones that pass, and the opt-ins it leaves off', () => {
    const statuses = Object.fromEntries(report.controls.filter(c => c.startsWith('CT.S3.'))
      .map(c => [c, controlStatus(report, c, trail.bucket)]));
    expect(statuses).toEqual({
      'CT.S3.PR.1': 'PASS', // block public access
      'CT.S3.PR.2': 'PASS', // server access logging
      'CT.S3.PR.3': 'PASS', // versioning and a lifecycle rule
      'CT.S3.PR.4': 'FAIL', // event notifications: the trail bucket has no consumer for them
      'CT.S3.PR.5': 'PASS', // no ACL
      'CT.S3.PR.6': 'PASS', // a lifecycle rule
      'CT.S3.PR.8': 'SKIP', // evaluated on the bucket policy, below
      'CT.S3.PR.9': 'FAIL', // Object Lock: not offered; log file validation detects tampering instead
      'CT.S3.PR.10': 'PASS', // SSE-KMS
      'CT.S3.PR.11': 'PASS', // versioning
      'CT.S3.PR.12': 'SKIP', // access points only
    });
    expect(controlStatus(report, 'CT.S3.PR.8', trail.bucket.policy!)).toBe('PASS');
  });
});

describe('KmsGuardrailsChecks (our pack) on a stack audited by its KeyAuditTrail', () => {
  function encryptedResources(stack: Stack) {
    const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
    return {
      bucket: new s3.Bucket(stack, 'Bucket', { encryptionKey: key }),
      queue: new sqs.Queue(stack, 'Queue', { encryptionMasterKey: key }),
      table: new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryptionV2.customerManagedKey(key) }),
    };
  }

  function ctFindings(register: boolean, includeKms = true): string[] {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env });
    const { bucket, queue, table } = encryptedResources(stack);
    const trail = new KeyAuditTrail(stack, 'Audit', { includeKmsManagementEvents: includeKms });
    if (register) {
      trail.addBucket(bucket);
      trail.addQueue(queue);
      trail.addTable(table);
    }
    app.synth();
    return new KmsGuardrailsChecks().validateScope(app).violations
      .filter((v: any) => /^KMSG-CT/.test(v.ruleName))
      .flatMap((v: any) => v.violatingResources.map((r: any) => `${v.ruleName} ${r.constructPath}`)).sort();
  }

  test('KMSG-CT1 and KMSG-CT2 find nothing: the selectors cover each resource and the KMS events', () => {
    expect(ctFindings(true)).toEqual([]);
  });

  test('without registration, no resource\'s data events are logged: KMSG-CT2 is one finding for the environment (the trail\'s own bucket is exempt)', () => {
    expect(ctFindings(false)).toEqual(['KMSG-CT2 Stack/Bucket/Resource']);
  });

  test('includeKmsManagementEvents: false is reported by KMSG-CT1', () => {
    expect(ctFindings(true, false)).toEqual(['KMSG-CT1 Stack/Audit/Resource']);
  });
});
