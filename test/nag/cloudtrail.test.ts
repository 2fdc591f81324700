import { App, aws_cloudtrail as ct, aws_dynamodb as ddb, aws_kms as kms, aws_s3 as s3, aws_sqs as sqs, CfnParameter, Stack } from 'aws-cdk-lib';
import { newStack, pathsFor } from './nag-test-util';
import { KmsGuardrailsChecks } from '../../src/nag';

const pk = { name: 'pk', type: ddb.AttributeType.STRING };

const ENV = { account: '111122223333', region: 'us-east-1' };

function reported(rule: string, build: (stack: Stack) => void, env?: typeof ENV): string[] {
  const { app, stack } = newStack({ env });
  build(stack);
  return pathsFor(app, rule);
}

/** A trail writing to a bucket under a key of the app (so the trail's own bucket raises nothing). */
function trail(stack: Stack, props: ct.TrailProps = {}, id = 'Trail'): ct.Trail {
  const key = new kms.Key(stack, `${id}Key`);
  return new ct.Trail(stack, id, { bucket: new s3.Bucket(stack, `${id}Bucket`, { encryptionKey: key }), ...props });
}

/** An L1 trail with the given advanced event selectors. */
function advancedTrail(stack: Stack, selectors: ct.CfnTrail.AdvancedEventSelectorProperty[], id = 'Trail'): ct.CfnTrail {
  return new ct.CfnTrail(stack, id, { isLogging: true, s3BucketName: 'trail-logs', advancedEventSelectors: selectors });
}

const management: ct.CfnTrail.AdvancedEventSelectorProperty = { fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }] };

describe('KMSG-CT1: trails log every KMS management event', () => {
  test.each([
    ['no management events (ReadWriteType.NONE)', (s: Stack) => trail(s, { managementEvents: ct.ReadWriteType.NONE }).logAllS3DataEvents()],
    ['read-only management events', (s: Stack) => trail(s, { managementEvents: ct.ReadWriteType.READ_ONLY })],
    ['kms.amazonaws.com excluded', (s: Stack) => trail(s).logAllS3DataEvents({ excludeManagementEventSources: [ct.ManagementEventSources.KMS] })],
  ])('L2 Trail with %s is reported', (_name, build) => {
    expect(reported('KMSG-CT1', build)).toEqual(['Stack/Trail/Resource']);
  });

  test.each([
    ['a management selector excluding eventSource kms.amazonaws.com', [{
      fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Management'] }, { field: 'eventSource', notEquals: ['kms.amazonaws.com'] },
      ],
    }]],
    ['a management selector for read-only events', [{
      fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Management'] }, { field: 'readOnly', equalTo: ['true'] },
      ],
    }]],
    ['data selectors only', [{ fieldSelectors: [{ field: 'eventCategory', equalTo: ['Data'] }, { field: 'resources.type', equalTo: ['AWS::S3::Object'] }] }]],
  ])('advanced selectors with %s are reported', (_name, selectors) => {
    expect(reported('KMSG-CT1', (s) => advancedTrail(s, selectors))).toEqual(['Stack/Trail']);
  });

  test('a selector value known only at deployment is reported, not guessed', () => {
    expect(reported('KMSG-CT1', (s) => advancedTrail(s, [{
      fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Management'] }, { field: 'eventSource', notEquals: [new CfnParameter(s, 'Excluded').valueAsString] },
      ],
    }]))).toEqual(['Stack/Trail']);
  });

  test('a trail that is not logging is reported', () => {
    expect(reported('KMSG-CT1', (s) => new ct.CfnTrail(s, 'Trail', { isLogging: false, s3BucketName: 'logs' }))).toEqual(['Stack/Trail']);
  });

  test.each([
    ['the L2 default (every management event)', (s: Stack) => trail(s)],
    ['data events added with management events kept', (s: Stack) => trail(s).addS3EventSelector([{ bucket: new s3.Bucket(s, 'Data') }])],
    ['an advanced management selector and a data selector', (s: Stack) => advancedTrail(s, [management, {
      fieldSelectors: [{ field: 'eventCategory', equalTo: ['Data'] }, { field: 'resources.type', equalTo: ['AWS::SQS::Queue'] }],
    }])],
    ['an advanced selector excluding another event source', (s: Stack) => advancedTrail(s, [{
      fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Management'] }, { field: 'eventSource', notEquals: ['rdsdata.amazonaws.com'] },
      ],
    }])],
  ])('%s is compliant', (_name, build) => {
    expect(reported('KMSG-CT1', build)).toEqual([]);
  });
});

describe('KMSG-CT2: data events of resources under a customer managed key are logged', () => {
  const encryptedBucket = (s: Stack) => new s3.Bucket(s, 'Data', { encryptionKey: new kms.Key(s, 'DataKey') });

  test('without a trail, the encrypted bucket, queue, table and global table are one finding for the environment, listing them', () => {
    const app = new App();
    const s = new Stack(app, 'Stack', { env: ENV });
    const key = new kms.Key(s, 'Key');
    new s3.Bucket(s, 'Bucket', { encryptionKey: key });
    new sqs.Queue(s, 'Queue', { encryptionMasterKey: key });
    new ddb.Table(s, 'Table', { partitionKey: pk, encryption: ddb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key });
    new ddb.TableV2(s, 'Global', { partitionKey: pk, encryption: ddb.TableEncryptionV2.customerManagedKey(key) });
    new s3.Bucket(s, 'Plain'); // S1's finding, not CT2's
    app.synth();
    const ct2 = new KmsGuardrailsChecks().validateScope(app).violations.filter((v) => v.ruleName === 'KMSG-CT2');
    expect(ct2.map((v) => v.violatingResources[0].constructPath)).toEqual(['Stack/Bucket/Resource']);
    for (const path of ['Stack/Bucket/Resource', 'Stack/Global/Resource', 'Stack/Queue/Resource', 'Stack/Table/Resource']) {
      expect(ct2[0].description).toContain(path);
    }
    expect(ct2[0].description).not.toContain('Stack/Plain');
  });

  test.each([
    ['S3 selector for the bucket', (s: Stack) => trail(s).addS3EventSelector([{ bucket: encryptedBucket(s) }])],
    ['all S3 data events', (s: Stack) => {
      encryptedBucket(s);
      trail(s).logAllS3DataEvents();
    }],
    ['an advanced selector StartsWith the bucket ARN', (s: Stack) => advancedTrail(s, [management, {
      fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
        { field: 'resources.ARN', startsWith: [`${encryptedBucket(s).bucketArn}/`] },
      ],
    }])],
    ['an advanced selector that only drops a caller', (s: Stack) => advancedTrail(s, [management, {
      fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
        { field: 'resources.ARN', startsWith: [`${encryptedBucket(s).bucketArn}/`] },
        { field: 'userIdentity.arn', notStartsWith: ['arn:aws:sts::111122223333:assumed-role/Backup'] },
      ],
    }])],
  ])('a bucket covered by %s is compliant', (_name, build) => {
    expect(reported('KMSG-CT2', build)).toEqual([]);
  });

  test.each([
    ['an object prefix', (s: Stack) => trail(s).addS3EventSelector([{ bucket: encryptedBucket(s), objectPrefix: 'reports/' }])],
    ['read-only data events', (s: Stack) => trail(s).addS3EventSelector([{ bucket: encryptedBucket(s) }], { readWriteType: ct.ReadWriteType.READ_ONLY })],
    ['a selector for another bucket', (s: Stack) => {
      encryptedBucket(s);
      trail(s).addS3EventSelector([{ bucket: new s3.Bucket(s, 'Other', { encryptionKey: new kms.Key(s, 'OtherKey') }) }]);
    }],
    ['an advanced selector filtering event names', (s: Stack) => advancedTrail(s, [management, {
      fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
        { field: 'resources.ARN', startsWith: [`${encryptedBucket(s).bucketArn}/`] },
        { field: 'eventName', equalTo: ['PutObject'] },
      ],
    }])],
    ['a trail that is not logging', (s: Stack) => {
      const bucket = encryptedBucket(s);
      new ct.CfnTrail(s, 'Trail', { isLogging: false, s3BucketName: 'logs', eventSelectors: [{ dataResources: [{ type: 'AWS::S3::Object', values: [`${bucket.bucketArn}/`] }] }] });
    }],
  ])('a bucket behind %s is reported', (_name, build) => {
    expect(reported('KMSG-CT2', build)).toContain('Stack/Data/Resource');
  });

  test('tables are covered by basic DynamoDB data resources and advanced selectors', () => {
    expect(reported('KMSG-CT2', (s) => {
      const key = new kms.Key(s, 'Key');
      const table = new ddb.Table(s, 'Table', { partitionKey: pk, encryption: ddb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key });
      const global = new ddb.TableV2(s, 'Global', { partitionKey: pk, encryption: ddb.TableEncryptionV2.customerManagedKey(key) });
      new ct.CfnTrail(s, 'Basic', { isLogging: true, s3BucketName: 'logs', eventSelectors: [{ dataResources: [{ type: 'AWS::DynamoDB::Table', values: [table.tableArn] }] }] });
      advancedTrail(s, [management, {
        fieldSelectors: [
          { field: 'eventCategory', equalTo: ['Data'] },
          { field: 'resources.type', equalTo: ['AWS::DynamoDB::Table'] },
          { field: 'resources.ARN', equalTo: [global.tableArn] },
        ],
      }], 'Advanced');
    }, ENV)).toEqual([]);
  });

  test('queues are covered only by advanced selectors', () => {
    const build = (advanced: boolean) => (s: Stack) => {
      const queue = new sqs.Queue(s, 'Queue', { encryptionMasterKey: new kms.Key(s, 'Key') });
      if (advanced) {
        advancedTrail(s, [management, {
          fieldSelectors: [
            { field: 'eventCategory', equalTo: ['Data'] },
            { field: 'resources.type', equalTo: ['AWS::SQS::Queue'] },
            { field: 'resources.ARN', equalTo: [queue.queueArn] },
          ],
        }]);
      } else {
        trail(s).logAllS3DataEvents();
      }
    };
    expect(reported('KMSG-CT2', build(true))).toEqual([]);
    expect(reported('KMSG-CT2', build(false))).toEqual(['Stack/Queue/Resource']);
  });

  test('a trail in another stack of the same environment covers the bucket (through the export)', () => {
    const app = new App();
    const data = new Stack(app, 'Data');
    const bucket = new s3.Bucket(data, 'Bucket', { encryptionKey: new kms.Key(data, 'Key') });
    trail(new Stack(app, 'Audit')).addS3EventSelector([{ bucket }]);
    expect(pathsFor(app, 'KMSG-CT2')).toEqual([]);
  });

  test('a single-Region trail in another Region does not cover the bucket', () => {
    const app = new App();
    const data = new Stack(app, 'Data', { env: { account: '111122223333', region: 'eu-west-1' } });
    const bucket = new s3.Bucket(data, 'Bucket', { bucketName: 'orders-data', encryptionKey: new kms.Key(data, 'Key') });
    const audit = new Stack(app, 'Audit', { env: { account: '111122223333', region: 'us-east-1' } });
    trail(audit, { isMultiRegionTrail: false }).addS3EventSelector([{ bucket: s3.Bucket.fromBucketName(audit, 'Imported', bucket.bucketName) }]);
    trail(audit, { isMultiRegionTrail: true }, 'Everywhere');
    expect(pathsFor(app, 'KMSG-CT2')).toEqual(['Data/Bucket/Resource']);
  });

  test('the trail\'s own log bucket is exempt', () => {
    expect(reported('KMSG-CT2', (s) => trail(s))).toEqual([]);
  });
});
