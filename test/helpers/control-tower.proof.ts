import { App, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  ControlTowerReport,
  controlStatus,
  controlTowerCatalog,
  findingsFor,
  logicalIdOf,
  runControlTower,
} from './control-tower';

const env = { account: '111111111111', region: 'eu-west-1' };

/** The statement CT.KMS.PR.3 asks for. The condition values must be the strings 'false'. */
function denyCreateGrantUnlessForAwsResource(value: string | boolean = 'false'): iam.PolicyStatement {
  return new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    actions: ['kms:CreateGrant'],
    principals: [new iam.AnyPrincipal()],
    resources: ['*'],
    conditions: {
      BoolIfExists: { 'kms:GrantIsForAWSResource': value, 'aws:PrincipalIsAWSService': value },
    },
  });
}

/** Rotation on, the account root may administer the key but not use it, grants only for AWS resources. */
function hardenedKey(scope: Stack, id: string): kms.Key {
  return new kms.Key(scope, id, {
    enableKeyRotation: true,
    policy: new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          actions: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:PutKeyPolicy', 'kms:EnableKeyRotation'],
          principals: [new iam.AccountRootPrincipal()],
          resources: ['*'],
        }),
        denyCreateGrantUnlessForAwsResource(),
      ],
    }),
  });
}

// One app, synthesized and evaluated once for the whole file (synthesis dominates the run time).
const app = new App({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } });
const keys = new Stack(app, 'Keys', { env });
const weak = new Stack(app, 'Weak', { env });
const hard = new Stack(app, 'Hardened', { env });
const v2 = new Stack(app, 'TableV2Only', { env });

const rotationOff = new kms.Key(weak, 'RotationOff', { enableKeyRotation: false });
const rotationOn = new kms.Key(weak, 'RotationOn', { enableKeyRotation: true });
const booleanCondition = new kms.Key(weak, 'BooleanCondition', { enableKeyRotation: true });
booleanCondition.addToResourcePolicy(denyCreateGrantUnlessForAwsResource(false));
const plainBucket = new s3.Bucket(weak, 'PlainBucket');
const plainQueue = new sqs.Queue(weak, 'PlainQueue');
const plainTable = new dynamodb.Table(weak, 'PlainTable', {
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
});
const importedKey = new kms.Key(keys, 'SharedKey', { enableKeyRotation: true });
const importedKeyQueue = new sqs.Queue(weak, 'ImportedKeyQueue', {
  encryption: sqs.QueueEncryption.KMS,
  encryptionMasterKey: importedKey,
});

const key = hardenedKey(hard, 'Key');
const logBucket = new s3.Bucket(hard, 'AccessLogs', {
  encryption: s3.BucketEncryption.S3_MANAGED, // server access logging supports only SSE-S3 on the target
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  versioned: true,
});
const bucket = new s3.Bucket(hard, 'Bucket', {
  encryption: s3.BucketEncryption.KMS,
  encryptionKey: key,
  bucketKeyEnabled: true,
  versioned: true,
  serverAccessLogsBucket: logBucket,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
});
const allS3Controls = new s3.Bucket(hard, 'AllS3Controls', {
  encryption: s3.BucketEncryption.KMS,
  encryptionKey: key,
  bucketKeyEnabled: true,
  versioned: true,
  serverAccessLogsBucket: logBucket,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  objectLockEnabled: true,
  lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
});
// `eventBridgeEnabled: true` goes through a custom resource, which CT.S3.PR.4 does not see.
(allS3Controls.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
  eventBridgeConfiguration: { eventBridgeEnabled: true },
};
const dlq = new sqs.Queue(hard, 'DeadLetters', {
  encryption: sqs.QueueEncryption.KMS,
  encryptionMasterKey: key,
  enforceSSL: true,
  redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
});
const queue = new sqs.Queue(hard, 'Queue', {
  encryption: sqs.QueueEncryption.KMS,
  encryptionMasterKey: key,
  enforceSSL: true,
  deadLetterQueue: { queue: dlq, maxReceiveCount: 3 },
});
const table = new dynamodb.Table(hard, 'Table', {
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
  encryptionKey: key,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  deletionProtection: true,
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
});
const v2Key = hardenedKey(v2, 'Key');
const tableV2 = new dynamodb.TableV2(v2, 'TableV2', {
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  encryption: dynamodb.TableEncryptionV2.customerManagedKey(v2Key),
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  deletionProtection: true,
  billing: dynamodb.Billing.onDemand(),
});

let report: ControlTowerReport;
beforeAll(() => {
  report = runControlTower(app, { services: ['KMS', 'S3', 'SQS', 'DYNAMODB'] });
});

function failing(construct: Parameters<typeof findingsFor>[1]): string[] {
  return findingsFor(report, construct).map(f => f.control).sort();
}

describe('catalog', () => {
  const ids = (service: string) => controlTowerCatalog().filter(c => c.service === service).map(c => c.id);

  test('lists each service\'s controls, and runs every one of them under its catalog id', () => {
    expect(ids('KMS')).toEqual(['CT.KMS.PR.1', 'CT.KMS.PR.2', 'CT.KMS.PR.3']);
    expect(ids('SQS')).toEqual(['CT.SQS.PR.1', 'CT.SQS.PR.2']);
    expect(ids('DYNAMODB')).toEqual(['CT.DYNAMODB.PR.1', 'CT.DYNAMODB.PR.2']);
    expect(ids('S3')).toEqual(['CT.S3.PR.1', 'CT.S3.PR.2', 'CT.S3.PR.3', 'CT.S3.PR.4', 'CT.S3.PR.5', 'CT.S3.PR.6',
      'CT.S3.PR.8', 'CT.S3.PR.9', 'CT.S3.PR.10', 'CT.S3.PR.11', 'CT.S3.PR.12']);
    expect(ids('SNS')).toEqual([]);
    expect(controlTowerCatalog().find(c => c.id === 'CT.KMS.PR.1')).toMatchObject({
      ruleNames: ['kms_key_rotation_enabled_check'],
      resourceTypes: ['AWS::KMS::Key'],
      title: 'Require any AWS KMS key to have rotation configured',
    });
    const result = runControlTower({ Resources: { Key: { Type: 'AWS::KMS::Key' } } }, { services: ['KMS'] });
    expect(result.controls).toEqual(ids('KMS'));
    expect(result.findings.map(f => [f.control, f.resource])).toEqual([['CT.KMS.PR.1', 'Key'], ['CT.KMS.PR.3', 'Key']]);
    expect(result.skipped).toEqual(['CT.KMS.PR.2']); // symmetric key
  });

  test('all shipped controls run, each reported under its own id', () => {
    const result = runControlTower({ Resources: { Key: { Type: 'AWS::KMS::Key' }, Queue: { Type: 'AWS::SQS::Queue' } } });
    expect(result.controls).toEqual(controlTowerCatalog().map(c => c.id));
    expect(result.controls.length).toBeGreaterThan(200);
    expect(result.failed).toEqual(['CT.KMS.PR.1', 'CT.KMS.PR.3', 'CT.SQS.PR.1', 'CT.SQS.PR.2']);
    expect(result.compliant).toEqual([]);
    expect(result.skipped).toHaveLength(result.controls.length - 4);
    expect(result.results).toHaveLength(result.controls.length);
  });
});

describe('report', () => {
  test('runs exactly the selected services and says which controls applied', () => {
    expect(report.controls.every(c => /^CT\.(KMS|S3|SQS|DYNAMODB)\.PR\.\d+$/.test(c))).toBe(true);
    expect(report.controls).toHaveLength(18);
    expect(report.evaluated).toEqual(expect.arrayContaining(['CT.KMS.PR.1', 'CT.KMS.PR.3', 'CT.S3.PR.1', 'CT.S3.PR.8',
      'CT.S3.PR.10', 'CT.SQS.PR.1', 'CT.SQS.PR.2', 'CT.DYNAMODB.PR.1', 'CT.DYNAMODB.PR.2']));
    // No RSA key, no access point in the app.
    expect(report.skipped).toEqual(['CT.KMS.PR.2', 'CT.S3.PR.12']);
    expect(report.results.filter(r => r.stack === 'Weak' && r.control === 'CT.KMS.PR.1')).toEqual([
      { control: 'CT.KMS.PR.1', stack: 'Weak', status: 'FAIL' },
    ]);
    // The lists agree with the findings.
    expect([...new Set(report.findings.map(f => f.control))].sort()).toEqual([...report.failed].sort());
    expect(report.compliant).toEqual(['CT.S3.PR.5', 'CT.S3.PR.8']);
  });

  test('a finding names the control, the resource and its stack, with the fix', () => {
    const [finding] = report.findings.filter(f => f.control === 'CT.KMS.PR.1');
    expect(finding).toMatchObject({
      control: 'CT.KMS.PR.1',
      resource: logicalIdOf(rotationOff),
      stack: 'Weak',
      message: '[CT.KMS.PR.1]: Require any AWS KMS key to have rotation configured',
      fix: expect.stringContaining('EnableKeyRotation'),
    });
    expect(finding.reasons.join('\n')).toContain(`/Resources/${logicalIdOf(rotationOff)}/Properties/EnableKeyRotation`);
    expect(report.findings.every(f => f.resource !== '' && /^\[CT\./.test(f.message))).toBe(true);
  });
});

describe('KMS', () => {
  test('CT.KMS.PR.1 fails on a key with rotation off and passes with rotation on', () => {
    expect(controlStatus(report, 'CT.KMS.PR.1', rotationOff)).toBe('FAIL');
    expect(controlStatus(report, 'CT.KMS.PR.1', rotationOn)).toBe('PASS');
    expect(controlStatus(report, 'CT.KMS.PR.1', key)).toBe('PASS');
  });

  test('CT.KMS.PR.3 needs a deny on kms:CreateGrant unless for an AWS resource, with string conditions', () => {
    expect(controlStatus(report, 'CT.KMS.PR.3', rotationOn)).toBe('FAIL'); // CDK's default key policy
    expect(controlStatus(report, 'CT.KMS.PR.3', key)).toBe('PASS');
    expect(controlStatus(report, 'CT.KMS.PR.3', booleanCondition)).toBe('FAIL'); // `false`, not 'false'
  });

  test('the hardened key fails no control', () => {
    expect(failing(key)).toEqual([]);
    expect(failing(rotationOff)).toEqual(['CT.KMS.PR.1', 'CT.KMS.PR.3']);
  });
});

describe('S3', () => {
  test('a bucket without encryption, logging, versioning or BPA fails those controls', () => {
    // The bare bucket has no Properties at all: the helper makes guard see it (see the option test).
    expect(failing(plainBucket)).toEqual(expect.arrayContaining(['CT.S3.PR.1', 'CT.S3.PR.2', 'CT.S3.PR.10', 'CT.S3.PR.11']));
  });

  test('the hardened bucket passes BPA, logging, SSE-KMS and versioning, which the plain one fails', () => {
    for (const control of ['CT.S3.PR.1', 'CT.S3.PR.2', 'CT.S3.PR.10', 'CT.S3.PR.11']) {
      expect([control, controlStatus(report, control, bucket)]).toEqual([control, 'PASS']);
      expect([control, controlStatus(report, control, plainBucket)]).toEqual([control, 'FAIL']);
    }
    // No ACL: an access-log target without the serverAccessLogsUseBucketPolicy flag would get one.
    expect(controlStatus(report, 'CT.S3.PR.5', bucket)).toBe('PASS');
    // CT.S3.PR.8 reports on the bucket policy, not the bucket.
    expect(controlStatus(report, 'CT.S3.PR.8', bucket.policy!)).toBe('PASS');
    expect(controlStatus(report, 'CT.S3.PR.8', bucket)).toBe('SKIP');
  });

  test('the hardened bucket still fails lifecycle, notifications and object lock; they can be met', () => {
    expect(failing(bucket)).toEqual(['CT.S3.PR.3', 'CT.S3.PR.4', 'CT.S3.PR.6', 'CT.S3.PR.9']);
    expect(failing(allS3Controls)).toEqual([]);
    expect(controlStatus(report, 'CT.S3.PR.9', allS3Controls)).toBe('PASS');
  });

  test('the access-log bucket cannot pass logging or SSE-KMS', () => {
    expect(failing(logBucket)).toEqual(['CT.S3.PR.10', 'CT.S3.PR.2', 'CT.S3.PR.3', 'CT.S3.PR.4', 'CT.S3.PR.6', 'CT.S3.PR.9']);
  });
});

describe('SQS', () => {
  test('a queue without encryption or DLQ fails CT.SQS.PR.1 and CT.SQS.PR.2', () => {
    expect(failing(plainQueue)).toEqual(['CT.SQS.PR.1', 'CT.SQS.PR.2']);
  });

  test('a CMK queue with a DLQ, and a DLQ that allows redrive, pass both', () => {
    expect(controlStatus(report, 'CT.SQS.PR.1', queue)).toBe('PASS');
    expect(controlStatus(report, 'CT.SQS.PR.2', queue)).toBe('PASS');
    expect(controlStatus(report, 'CT.SQS.PR.1', plainQueue)).toBe('FAIL');
    expect(controlStatus(report, 'CT.SQS.PR.2', plainQueue)).toBe('FAIL');
    expect(failing(dlq)).toEqual([]);
    expect(controlStatus(report, 'CT.SQS.PR.2', dlq)).toBe('PASS');
  });

  test('a key imported from another stack (Fn::ImportValue) fails CT.SQS.PR.2', () => {
    expect(controlStatus(report, 'CT.SQS.PR.2', importedKeyQueue)).toBe('FAIL');
  });
});

describe('DynamoDB', () => {
  test('a Table without PITR or KMS encryption fails CT.DYNAMODB.PR.1 and PR.2; the hardened one passes', () => {
    expect(failing(plainTable)).toEqual(['CT.DYNAMODB.PR.1', 'CT.DYNAMODB.PR.2']);
    expect(controlStatus(report, 'CT.DYNAMODB.PR.1', table)).toBe('PASS');
    expect(controlStatus(report, 'CT.DYNAMODB.PR.2', table)).toBe('PASS');
  });

  test('no control evaluates a TableV2 (AWS::DynamoDB::GlobalTable)', () => {
    // The controls ran (they fail the plain Table) but they only look at AWS::DynamoDB::Table.
    expect(controlStatus(report, 'CT.DYNAMODB.PR.1', plainTable)).toBe('FAIL');
    expect(findingsFor(report, tableV2)).toEqual([]);
    expect(controlStatus(report, 'CT.DYNAMODB.PR.1', tableV2)).toBe('SKIP');
    expect(controlStatus(report, 'CT.DYNAMODB.PR.2', tableV2)).toBe('SKIP');
    expect(report.results.filter(r => r.stack === 'TableV2Only' && r.control.startsWith('CT.DYNAMODB.'))
      .map(r => r.status)).toEqual(['SKIP', 'SKIP']);
    expect(controlStatus(report, 'CT.KMS.PR.1', v2Key)).toBe('PASS');
  });
});

describe('runControlTower on a template object', () => {
  const template = {
    Resources: {
      Bare: { Type: 'AWS::SQS::Queue' },
      Encrypted: { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } },
      BareBucket: { Type: 'AWS::S3::Bucket' },
    },
  };

  test('a resource without Properties is evaluated as having empty properties, unless asked not to', () => {
    const asHook = runControlTower(template, { controls: ['CT.SQS.PR.2', 'CT.S3.PR.5'] });
    expect(asHook.findings.map(f => [f.control, f.resource, f.stack])).toEqual([['CT.SQS.PR.2', 'Bare', 'template']]);
    expect(asHook.compliant).toEqual(['CT.S3.PR.5']); // no ACL on the bare bucket
    const raw = runControlTower(template, { controls: ['CT.SQS.PR.2', 'CT.S3.PR.5'], includeResourcesWithoutProperties: false });
    expect(raw.findings.map(f => [f.control, f.resource])).toEqual([['CT.S3.PR.5', 'BareBucket'], ['CT.SQS.PR.2', 'Bare']]);
    expect(raw.findings[0].reasons.join()).toContain('[Properties] is missing');
  });

  test('a control with nothing to apply to is reported as skipped, not compliant', () => {
    const result = runControlTower(template, { services: ['kms'], controls: ['CT.SQS.PR.1'], exclude: ['CT.KMS.PR.2'] });
    expect(result.controls).toEqual(['CT.KMS.PR.1', 'CT.KMS.PR.3', 'CT.SQS.PR.1']);
    expect(result.skipped).toEqual(['CT.KMS.PR.1', 'CT.KMS.PR.3']);
    expect(result.failed).toEqual(['CT.SQS.PR.1']);
    expect(result.compliant).toEqual([]);
    expect(result.findings.map(f => [f.control, f.resource])).toEqual([['CT.SQS.PR.1', 'Bare'], ['CT.SQS.PR.1', 'Encrypted']]);
  });

  test('unknown services and controls throw instead of running nothing', () => {
    expect(() => runControlTower(template, { services: ['SNS'] })).toThrow(/No Control Tower control for service 'SNS'/);
    expect(() => runControlTower(template, { controls: ['CT.KMS.PR.99'] })).toThrow(/Unknown Control Tower control/);
    expect(controlStatus(report, 'CT.SQS.PR.1')).toBe('FAIL');
    expect(runControlTower(template, { services: ['sqs'] }).findings.map(f => f.resource)).toContain('Bare');
    expect(() => controlStatus(runControlTower(template, { controls: ['CT.SQS.PR.2'] }), 'CT.SQS.PR.1')).toThrow(/was not run/);
  });
});
