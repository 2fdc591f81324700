import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { KeyAuditTrail } from '../../src/audit';
import { countValues, MAX_SELECTOR_VALUES } from '../../src/audit/private/selectors';

const env = { account: '111122223333', region: 'eu-west-1' };

function newStack(id = 'Stack', app = new App()): Stack {
  return new Stack(app, id, { env });
}

function trailProps(stack: Stack): any {
  const trails = Template.fromStack(stack).findResources('AWS::CloudTrail::Trail');
  expect(Object.keys(trails)).toHaveLength(1);
  return (Object.values(trails)[0] as any).Properties;
}

function selectorFor(selectors: any[], type: string): any {
  return selectors.find(s => s.FieldSelectors.some((f: any) => f.Field === 'resources.type' && f.Equals?.includes(type)));
}

function field(selector: any, name: string): any {
  return selector.FieldSelectors.find((f: any) => f.Field === name);
}

const pk = { name: 'pk', type: dynamodb.AttributeType.STRING };

describe('the trail', () => {
  test('is logging, validates log files, encrypts with its key and delivers to its bucket and log group', () => {
    const stack = newStack();
    const audit = new KeyAuditTrail(stack, 'Audit', { trailName: 'audit' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'audit',
      IsLogging: true,
      EnableLogFileValidation: true,
      IsMultiRegionTrail: false,
      KMSKeyId: stack.resolve(audit.encryptionKey.keyArn),
      S3BucketName: stack.resolve(audit.bucket.bucketName),
      CloudWatchLogsLogGroupArn: stack.resolve(audit.logGroup.logGroupArn),
      CloudWatchLogsRoleArn: stack.resolve(audit.deliveryRole.roleArn),
    });
    expect(stack.resolve(audit.trailArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:eu-west-1:111122223333:trail/audit']] });
  });

  test('uses advanced event selectors only, never basic ones', () => {
    const stack = newStack();
    KeyAuditTrail.of(stack).addBucket(new s3.Bucket(stack, 'Data'));
    const props = trailProps(stack);
    expect(props.EventSelectors).toBeUndefined();
    expect(props.AdvancedEventSelectors.length).toBeGreaterThan(0);
  });

  test('records every management event, AWS KMS included, by default', () => {
    const stack = newStack();
    KeyAuditTrail.of(stack);
    expect(trailProps(stack).AdvancedEventSelectors).toEqual([
      { Name: 'Management events, AWS KMS included', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
    ]);
  });

  test('includeKmsManagementEvents: false excludes kms.amazonaws.com, creates no alarm and says so', () => {
    const stack = newStack();
    new KeyAuditTrail(stack, 'Audit', { includeKmsManagementEvents: false });
    expect(trailProps(stack).AdvancedEventSelectors[0].FieldSelectors).toEqual([
      { Field: 'eventCategory', Equals: ['Management'] },
      { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] },
    ]);
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    Template.fromStack(stack).resourceCountIs('AWS::Logs::MetricFilter', 0);
    Annotations.fromStack(stack).hasWarning('/Stack/Audit', Match.stringLikeRegexp('records no AWS KMS event'));
  });

  test('a trail name that CloudTrail would reject fails', () => {
    expect(() => new KeyAuditTrail(newStack(), 'Audit', { trailName: 'my--trail' })).toThrow(
      "KeyAuditTrail at 'Stack/Audit': `trailName` must be 3 to 128 letters, digits, '.', '_' and '-', start and end with a letter or digit, have no two of '.', '_', '-' in a row and not look like an IP address, got 'my--trail'");
    expect(() => new KeyAuditTrail(newStack(), 'Audit', { trailName: 'ab' })).toThrow(/`trailName` must be 3 to 128/);
    expect(() => new KeyAuditTrail(newStack(), 'Audit', { trailName: '10.0.0.1' })).toThrow(/`trailName` must be 3 to 128/);
  });

  test('the default name is derived from the construct path', () => {
    const stack = newStack();
    KeyAuditTrail.of(stack);
    expect(trailProps(stack).TrailName).toMatch(/^StackKeyAuditTrail[A-F0-9]{8}$/);
  });
});

describe('registration', () => {
  test('one trail in the stack covers each registered bucket, table and queue', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
    const other = new s3.Bucket(stack, 'Other', { encryptionKey: key });
    const table = new dynamodb.TableV2(stack, 'Table', { partitionKey: pk, encryption: dynamodb.TableEncryptionV2.customerManagedKey(key) });
    const queue = new sqs.Queue(stack, 'Queue', { encryptionMasterKey: key });
    const trail = KeyAuditTrail.of(stack);
    trail.addBucket(bucket);
    trail.addBucket(other);
    trail.addTable(table);
    trail.addQueue(queue);

    const selectors = trailProps(stack).AdvancedEventSelectors;
    expect(selectors).toHaveLength(4);
    const s3Selector = selectorFor(selectors, 'AWS::S3::Object');
    expect(field(s3Selector, 'eventCategory')).toEqual({ Field: 'eventCategory', Equals: ['Data'] });
    expect(field(s3Selector, 'resources.ARN')).toEqual({
      Field: 'resources.ARN',
      StartsWith: [
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket), 'Arn'] }, '/']] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(other.node.defaultChild as s3.CfnBucket), 'Arn'] }, '/']] },
      ],
    });
    expect(field(selectorFor(selectors, 'AWS::DynamoDB::Table'), 'resources.ARN')).toEqual({ Field: 'resources.ARN', Equals: [stack.resolve(table.tableArn)] });
    expect(field(selectorFor(selectors, 'AWS::SQS::Queue'), 'resources.ARN')).toEqual({ Field: 'resources.ARN', Equals: [stack.resolve(queue.queueArn)] });
    // No filter on readOnly or eventName: reads and writes are both recorded.
    for (const selector of selectors.slice(1)) {
      expect(selector.FieldSelectors.map((f: any) => f.Field).sort()).toEqual(['eventCategory', 'resources.ARN', 'resources.type']);
    }
  });

  test('registering twice is a no-op', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    const trail = KeyAuditTrail.of(stack);
    trail.addBucket(bucket);
    trail.addBucket(bucket);
    KeyAuditTrail.of(stack).addBucket(bucket);
    expect(field(selectorFor(trailProps(stack).AdvancedEventSelectors, 'AWS::S3::Object'), 'resources.ARN').StartsWith).toHaveLength(1);
  });

  test('selectors are built at synthesis: resources registered after the trail was created count', () => {
    const stack = newStack();
    const trail = KeyAuditTrail.of(stack);
    expect(trailProps(stack).AdvancedEventSelectors).toHaveLength(1);
    const stack2 = newStack('Later');
    const later = KeyAuditTrail.of(stack2);
    later.addQueue(new sqs.Queue(stack2, 'Queue'));
    expect(trailProps(stack2).AdvancedEventSelectors).toHaveLength(2);
    expect(trail).toBeDefined();
  });

  test('the trail\'s own bucket cannot be registered', () => {
    const trail = KeyAuditTrail.of(newStack());
    expect(() => trail.addBucket(trail.bucket)).toThrow(
      "KeyAuditTrail at 'Stack/KeyAuditTrail': `addBucket()` cannot register the trail's own log bucket: every log file CloudTrail delivers would be a data event of that bucket, logged in turn");
  });

  test('resources of another Region or account fail', () => {
    const app = new App();
    const trail = KeyAuditTrail.of(newStack('Stack', app));
    const elsewhere = new Stack(app, 'Elsewhere', { env: { account: '111122223333', region: 'us-east-1' } });
    expect(() => trail.addQueue(new sqs.Queue(elsewhere, 'Queue'))).toThrow(
      "KeyAuditTrail at 'Stack/KeyAuditTrail': `addQueue()` cannot register 'Elsewhere/Queue': it is in Region us-east-1, and this trail records Region eu-west-1 only; use a KeyAuditTrail of that Region");
    const otherAccount = new Stack(app, 'OtherAccount', { env: { account: '444455556666', region: 'eu-west-1' } });
    expect(() => trail.addTable(new dynamodb.TableV2(otherAccount, 'Table', { partitionKey: pk }))).toThrow(/cannot register 'OtherAccount\/Table': it is in account 444455556666/);
  });
});

describe('KeyAuditTrail.of', () => {
  test('creates the stack\'s trail once, at the stack level, with the id KeyAuditTrail', () => {
    const stack = newStack();
    const nested = new s3.Bucket(stack, 'Bucket');
    const a = KeyAuditTrail.of(nested);
    const b = KeyAuditTrail.of(stack);
    expect(a).toBe(b);
    expect(a.node.path).toBe('Stack/KeyAuditTrail');
    expect(KeyAuditTrail.isKeyAuditTrail(a)).toBe(true);
    Template.fromStack(stack).resourceCountIs('AWS::CloudTrail::Trail', 1);
  });

  test('keeps its logical ids whichever construct asked first', () => {
    const ids = (first: 'bucket' | 'stack') => {
      const stack = newStack();
      if (first === 'bucket') KeyAuditTrail.of(new s3.Bucket(stack, 'Bucket'));
      else KeyAuditTrail.of(stack);
      return Object.keys(Template.fromStack(stack).findResources('AWS::CloudTrail::Trail'));
    };
    expect(ids('bucket')).toEqual(ids('stack'));
    expect(ids('stack')).toEqual([expect.stringMatching(/^KeyAuditTrail[A-F0-9]{8}$/)]);
  });

  test('fails if the id is taken by another construct', () => {
    const stack = newStack();
    new s3.Bucket(stack, 'KeyAuditTrail');
    expect(() => KeyAuditTrail.of(stack)).toThrow(
      "KeyAuditTrail at 'Stack': `KeyAuditTrail.of()` needs the id 'KeyAuditTrail' at the level of stack 'Stack', which a construct that is not a KeyAuditTrail already uses; rename that construct or pass your trail explicitly");
  });
});

describe('hardening', () => {
  const stack = newStack();
  const admin = new iam.Role(stack, 'SecurityAdmin', { assumedBy: new iam.AccountRootPrincipal() });
  const audit = new KeyAuditTrail(stack, 'Audit', { trailName: 'audit', keyAdministrators: [admin] });
  const template = Template.fromStack(stack);
  const trailArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:eu-west-1:111122223333:trail/audit']] };
  const keyPolicy = () => (Object.values(template.findResources('AWS::KMS::Key'))[0] as any).Properties.KeyPolicy.Statement as any[];

  test('the key admits CloudTrail only for this trail, by source ARN and encryption context', () => {
    expect(keyPolicy()).toEqual(expect.arrayContaining([
      {
        Sid: 'CloudTrailEncryptsLogFiles',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceArn': trailArn, 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn } },
      },
      {
        Sid: 'CloudTrailDescribesKey',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
      },
    ]));
  });

  test('the key admits CloudWatch Logs of the Region only for the trail\'s log group', () => {
    const statement = keyPolicy().find(s => s.Sid === 'CloudWatchLogsEncryptsLogGroup');
    expect(statement.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(statement.Condition).toEqual({
      ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:111122223333:log-group:/aws/cloudtrail/audit']] } },
    });
  });

  test('every service statement of the key has a source condition, and nobody else can use the key', () => {
    const allows = keyPolicy().filter(s => s.Effect === 'Allow');
    for (const s of allows.filter(x => x.Principal.Service)) expect(s.Condition).toBeDefined();
    const crypto = (s: any) => [].concat(s.Action).some((a: string) => /Decrypt|Encrypt|GenerateDataKey/.test(a));
    expect(allows.filter(s => crypto(s) && !s.Principal.Service)).toEqual([]);
    expect(keyPolicy().find(s => s.Sid === 'KeyAdministration').Principal).toEqual({ AWS: stack.resolve(admin.roleArn) });
  });

  test('the bucket: SSE-KMS under the trail key, TLS only, private, versioned, ACLs off, access logs, retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: stack.resolve(audit.encryptionKey.keyArn) }, BucketKeyEnabled: false }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: stack.resolve(audit.accessLogsBucket.bucketName) },
        LifecycleConfiguration: { Rules: [{ Id: 'AbortIncompleteMultipartUploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }] },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(audit.accessLogsBucket.node.path).toBe('Stack/AccessLogs');
    template.hasResourceProperties('AWS::S3::Bucket', { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } });
  });

  test('the bucket policy lets CloudTrail write only for this trail, and denies plain HTTP', () => {
    const policy = template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: stack.resolve(audit.bucket.bucketName) } });
    const statements = (Object.values(policy)[0] as any).Properties.PolicyDocument.Statement as any[];
    expect(statements.find(s => s.Condition?.Bool?.['aws:SecureTransport'] === 'false')?.Effect).toBe('Deny');
    expect(statements.find(s => s.Sid === 'CloudTrailChecksBucketAcl')).toMatchObject({
      Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
    });
    expect(statements.find(s => s.Sid === 'CloudTrailWritesLogFiles')).toMatchObject({
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [stack.resolve(audit.bucket.bucketArn), '/AWSLogs/111122223333/*']] },
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
    });
  });

  test('the trail deploys after the bucket policy and the delivery policy it needs', () => {
    const trail = (Object.values(template.findResources('AWS::CloudTrail::Trail'))[0] as any);
    const policyIds = Object.keys(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: stack.resolve(audit.bucket.bucketName) } }));
    const managed = Object.keys(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(trail.DependsOn).toEqual(expect.arrayContaining([...policyIds, ...managed]));
  });

  test('the log group is encrypted under the key and kept one year', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/aws/cloudtrail/audit', RetentionInDays: 365, KmsKeyId: stack.resolve(audit.encryptionKey.keyArn) },
      DeletionPolicy: 'Retain',
    });
  });

  test('the delivery role has a managed policy limited to the trail\'s log streams, and no inline policy', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Principal: { Service: 'cloudtrail.amazonaws.com' } }] },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [stack.resolve(audit.deliveryRole.roleName)],
      PolicyDocument: {
        Statement: [{
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:111122223333:log-group:/aws/cloudtrail/audit:log-stream:111122223333_CloudTrail_eu-west-1*']] },
        }],
      },
    });
  });

  test('the alarms notify a topic encrypted under the key, which only this trail\'s alarms can publish through', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: stack.resolve(audit.encryptionKey.keyArn) });
    for (const alarm of [audit.keyDisabledOrDeletionScheduledAlarm!, audit.keyPolicyChangedAlarm!]) {
      expect(stack.resolve((alarm.node.defaultChild as any).alarmActions)).toEqual([stack.resolve(audit.alarmTopic.topicArn)]);
    }
    expect(keyPolicy().find(s => s.Sid === 'CloudWatchAlarmsPublishToAlarmTopic')).toEqual({
      Sid: 'CloudWatchAlarmsPublishToAlarmTopic',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111122223333' },
        ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:eu-west-1:111122223333:alarm:audit-*']] } },
      },
    });
  });

  test('a topic of your own replaces the created one', () => {
    const s = newStack();
    const topic = new sns.Topic(s, 'Pager');
    const own = new KeyAuditTrail(s, 'Audit', { alarmTopic: topic });
    expect(own.alarmTopic).toBe(topic);
    Template.fromStack(s).resourceCountIs('AWS::SNS::Topic', 1);
    Template.fromStack(s).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [s.resolve(topic.topicArn)] });
  });

  test('removalPolicy applies to the key, the bucket and the log group', () => {
    const s = newStack();
    new KeyAuditTrail(s, 'Audit', { removalPolicy: RemovalPolicy.DESTROY, acknowledgeDataLoss: true });
    const t = Template.fromStack(s);
    for (const type of ['AWS::KMS::Key', 'AWS::Logs::LogGroup']) t.hasResource(type, { DeletionPolicy: 'Delete' });
    t.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', Properties: { BucketEncryption: Match.anyValue() } });
  });

  test('fails if DESTROY is not acknowledged: it deletes the audit record', () => {
    expect(() => new KeyAuditTrail(newStack(), 'Audit', { removalPolicy: RemovalPolicy.DESTROY })).toThrow(
      "KeyAuditTrail at 'Stack/Audit': `removalPolicy` is destroy, which deletes the data when the resource leaves the stack; set `acknowledgeDataLoss: true` to confirm");
  });

  test('a retention shorter than one year fails; longer or INFINITE is kept', () => {
    expect(() => new KeyAuditTrail(newStack(), 'Audit', { cloudWatchLogsRetention: logs.RetentionDays.SIX_MONTHS })).toThrow(
      "KeyAuditTrail at 'Stack/Audit': `cloudWatchLogsRetention` must keep the events at least one year (365 days, AWS Control Tower CT.CLOUDWATCH.PR.2), or INFINITE, got 180 days");
    const s = newStack();
    new KeyAuditTrail(s, 'Audit', { cloudWatchLogsRetention: logs.RetentionDays.INFINITE });
    Template.fromStack(s).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.absent() });
  });

  test('a server access log bucket under a KMS key fails', () => {
    const s = newStack();
    const logBucket = new s3.Bucket(s, 'Logs', { encryptionKey: new kms.Key(s, 'K') });
    expect(() => new KeyAuditTrail(s, 'Audit', { serverAccessLogsBucket: logBucket })).toThrow(
      "KeyAuditTrail at 'Stack/Audit': `serverAccessLogsBucket` is encrypted with a KMS key ('Stack/Logs'), but S3 server access logging delivers only to buckets encrypted with SSE-S3");
  });
});

describe('a trail shared across stacks', () => {
  test('collects the resources of other stacks, which create no trail and do not depend on the trail\'s stack', () => {
    const app = new App();
    const audit = newStack('Audit', app);
    const trail = new KeyAuditTrail(audit, 'Trail');
    const stacks = ['Orders', 'Payments'].map(id => {
      const stack = newStack(id, app);
      trail.addBucket(new s3.Bucket(stack, 'Bucket'));
      trail.addQueue(new sqs.Queue(stack, 'Queue'));
      trail.addTable(new dynamodb.TableV2(stack, 'Table', { partitionKey: pk }));
      return stack;
    });
    const assembly = app.synth(); // a cycle would throw here

    for (const stack of stacks) {
      Template.fromStack(stack).resourceCountIs('AWS::CloudTrail::Trail', 0);
      expect(stack.dependencies).toEqual([]);
      expect(audit.dependencies).toContain(stack);
    }
    const selectors = (Object.values(assembly.getStackByName('Audit').template.Resources).find((r: any) => r.Type === 'AWS::CloudTrail::Trail') as any).Properties.AdvancedEventSelectors;
    expect(field(selectorFor(selectors, 'AWS::S3::Object'), 'resources.ARN').StartsWith).toHaveLength(2);
    expect(field(selectorFor(selectors, 'AWS::S3::Object'), 'resources.ARN').StartsWith[0]).toEqual({
      'Fn::Join': ['', [{ 'Fn::ImportValue': expect.stringMatching(/^Orders:ExportsOutputFnGetAttBucket/) }, '/']],
    });
    expect(field(selectorFor(selectors, 'AWS::SQS::Queue'), 'resources.ARN').Equals).toHaveLength(2);
    expect(field(selectorFor(selectors, 'AWS::DynamoDB::Table'), 'resources.ARN').Equals).toHaveLength(2);
  });
});

describe('CloudTrail limits', () => {
  const stacksWithOwnTrail = (count: number, app = new App(), agnostic = false) => {
    for (let i = 1; i <= count; i++) {
      const stack = new Stack(app, `S${i}`, agnostic ? {} : { env });
      KeyAuditTrail.of(stack).addBucket(new s3.Bucket(stack, 'Bucket'));
    }
    return app;
  };

  test('five trails in one account and Region synthesize', () => {
    expect(() => stacksWithOwnTrail(5).synth()).not.toThrow();
  });

  test('seven stacks each with its own trail fail, naming the limit and how to share', () => {
    const app = stacksWithOwnTrail(7);
    expect(() => app.synth()).toThrow(/KeyAuditTrail at 'S1\/KeyAuditTrail': the app creates 7 CloudTrail trails in account 111122223333, Region eu-west-1 \('S1\/KeyAuditTrail', .*'S7\/KeyAuditTrail'\), but CloudTrail allows at most 5 per account and Region, an organization trail included\. Share one trail: create a KeyAuditTrail in one stack and pass it as `auditTrail`/);
    // Reported once, by the first trail of the environment.
    expect(() => app.synth()).not.toThrow(/\[S7\/KeyAuditTrail\]/);
  });

  test('other trails of the app count too', () => {
    const app = stacksWithOwnTrail(5);
    new cloudtrail.CfnTrail(new Stack(app, 'Legacy', { env }), 'Trail', { isLogging: true, s3BucketName: 'legacy' });
    expect(() => app.synth()).toThrow(/the app creates 6 CloudTrail trails in account 111122223333, Region eu-west-1 \(.*'Legacy\/Trail'\)/);
  });

  test('seven stacks in seven Regions are fine', () => {
    const app = new App();
    ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'us-east-1', 'us-east-2', 'us-west-2'].forEach((region, i) => {
      const stack = new Stack(app, `S${i}`, { env: { account: '111122223333', region } });
      KeyAuditTrail.of(stack);
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('environment-agnostic stacks are counted together', () => {
    expect(() => stacksWithOwnTrail(6, new App(), true).synth()).toThrow(/the app creates 6 CloudTrail trails in an unresolved account, an unresolved Region/);
  });

  test('seven stacks sharing one trail stay within the limit', () => {
    const app = new App();
    const trail = new KeyAuditTrail(newStack('Audit', app), 'Trail');
    for (let i = 1; i <= 7; i++) trail.addBucket(new s3.Bucket(newStack(`S${i}`, app), 'Bucket'));
    const assembly = app.synth();
    const trails = assembly.stacks.flatMap(s => Object.values(s.template.Resources).filter((r: any) => r.Type === 'AWS::CloudTrail::Trail'));
    expect(trails).toHaveLength(1);
  });

  test('past 500 selector values, the largest type loses its ARN condition, with a warning', () => {
    const stack = newStack();
    const trail = KeyAuditTrail.of(stack);
    for (let i = 0; i < 520; i++) trail.addBucket(s3.Bucket.fromBucketName(stack, `B${i}`, `bucket-${i}`));
    for (let i = 0; i < 10; i++) trail.addQueue(sqs.Queue.fromQueueArn(stack, `Q${i}`, `arn:aws:sqs:eu-west-1:111122223333:q${i}`));
    const selectors = trailProps(stack).AdvancedEventSelectors;
    expect(field(selectorFor(selectors, 'AWS::S3::Object'), 'resources.ARN')).toBeUndefined();
    expect(field(selectorFor(selectors, 'AWS::SQS::Queue'), 'resources.ARN').Equals).toHaveLength(10);
    const asProps = selectors.map((s: any) => ({
      fieldSelectors: s.FieldSelectors.map((f: any) => ({ field: f.Field, equalTo: f.Equals, notEquals: f.NotEquals, startsWith: f.StartsWith })),
    }));
    expect(countValues(asProps)).toBeLessThanOrEqual(MAX_SELECTOR_VALUES);
    Annotations.fromStack(stack).hasWarning('/Stack/KeyAuditTrail', Match.stringLikeRegexp(
      'The registered resources need 535 advanced event selector values, over CloudTrail\'s limit of 500 per trail: the data events of every AWS::S3::Object resource'));
  });

  test('up to 500 values, every ARN stays', () => {
    const stack = newStack();
    const trail = KeyAuditTrail.of(stack);
    // 1 (management) + 2 + 497 = 500
    for (let i = 0; i < 497; i++) trail.addBucket(s3.Bucket.fromBucketName(stack, `B${i}`, `bucket-${i}`));
    expect(field(selectorFor(trailProps(stack).AdvancedEventSelectors, 'AWS::S3::Object'), 'resources.ARN').StartsWith).toHaveLength(497);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('advanced event selector values'));
  });
});

describe('grantReadLogFiles', () => {
  test('writes the S3 read into the bucket policy and kms:Decrypt through S3 into the key policy', () => {
    const stack = newStack();
    const auditor = new iam.Role(stack, 'Auditor', { assumedBy: new iam.AccountRootPrincipal() });
    const audit = new KeyAuditTrail(stack, 'Audit');
    audit.grantReadLogFiles(auditor);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const policy = template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: stack.resolve(audit.bucket.bucketName) } });
    const statements = (Object.values(policy)[0] as any).Properties.PolicyDocument.Statement as any[];
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Principal: { AWS: stack.resolve(auditor.roleArn) }, Action: 's3:ListBucket', Resource: stack.resolve(audit.bucket.bucketArn) }),
      expect.objectContaining({ Principal: { AWS: stack.resolve(auditor.roleArn) }, Action: ['s3:GetObject', 's3:GetObjectVersion'] }),
    ]));
    const keyStatements = (Object.values(template.findResources('AWS::KMS::Key'))[0] as any).Properties.KeyPolicy.Statement as any[];
    const via = keyStatements.find(s => s.Sid === 'KeyUsageViaS3');
    expect(via).toMatchObject({
      Principal: { AWS: stack.resolve(auditor.roleArn) },
      Action: ['kms:Decrypt'],
      Condition: {
        StringEquals: {
          'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
          'kms:CallerAccount': { Ref: 'AWS::AccountId' },
        },
      },
    });
  });

  test('fails for a key administrator, who may never use the key', () => {
    const stack = newStack();
    const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    const audit = new KeyAuditTrail(stack, 'Audit', { keyAdministrators: [admin] });
    expect(() => audit.grantReadLogFiles(admin)).toThrow(/KeyAuditTrail at 'Stack\/Audit': `grantReadLogFiles\(\)`.*administrator.*\(key 'Stack\/Audit\/Key'\)/);
  });
});
