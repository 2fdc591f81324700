import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  App, aws_cloudtrail as cloudtrail, aws_ec2 as ec2, aws_elasticloadbalancingv2 as elbv2, aws_kms as kms, aws_s3 as s3,
  Duration, IPolicyValidationContext, PolicyViolation, Stack, Validations,
} from 'aws-cdk-lib';
import { pathsFor } from './nag-test-util';
import { buildExampleApp } from '../../examples/app';
import { MultiRegionKeySet, SeparatedDutyKey } from '../../src';
import { KmsGuardrailsChecks } from '../../src/nag';
import { AppIndex } from '../../src/nag/private/app-index';
import { cdkInitContext } from '../helpers/cdk-init';

process.env.JSII_DEPRECATED = 'quiet';

const outdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kmsg-validations-'));

/** A key whose KMS default policy gives the account root `kms:*`: one KMS2 finding. */
function defaultPolicyKey(stack: Stack, id: string): kms.CfnKey {
  return new kms.CfnKey(stack, id, { enableKeyRotation: true });
}

interface ReportedViolation {
  readonly ruleName: string;
  readonly description: string;
  readonly constructPath: string;
}

/** Synthesizes with the pack registered as users do and returns our plugin's violations from CDK's report. */
function synthWithPack(app: App, pack = new KmsGuardrailsChecks(app)): ReportedViolation[] {
  Validations.of(app).addPlugins(pack);
  let thrown: unknown;
  try {
    app.synth();
  } catch (e) {
    thrown = e;
  }
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf-8'));
  const ours = (report.pluginReports as any[]).filter((r) => r.pluginName === 'KmsGuardrails');
  expect(ours).toHaveLength(1);
  expect(ours[0].error).toBeUndefined();
  const violations = (ours[0].violations as any[]).flatMap((v) => (v.violatingConstructs as any[]).map((c) => ({
    ruleName: v.ruleName as string,
    description: v.description as string,
    constructPath: c.constructPath as string,
  })));
  if (violations.length > 0) expect(thrown).toBeDefined();
  return violations;
}

describe('through Validations, the way users register the pack', () => {
  test('an app of three environments: each finding once, and the app indexed once', () => {
    const app = new App({ outdir: outdir() });
    const envs = [
      { account: '111111111111', region: 'us-east-1' },
      { account: '111111111111', region: 'eu-west-1' },
      { account: '222222222222', region: 'us-east-1' },
    ];
    envs.forEach((env, i) => defaultPolicyKey(new Stack(app, `Stack${i}`, { env }), 'Key'));
    const build = jest.spyOn(AppIndex, 'build');
    const validate = jest.spyOn(KmsGuardrailsChecks.prototype, 'validate');
    const violations = synthWithPack(app);
    // aws-cdk-lib up to 2.268 calls a plugin once per account and Region (three calls here), from
    // 2.269.0 once per synthesis with every template: either way each template is judged in one call.
    const calls = validate.mock.calls.map(([context]) => context.templatePaths.map((p) => path.basename(p)).sort());
    expect(calls.flat().sort()).toEqual(['Stack0.template.json', 'Stack1.template.json', 'Stack2.template.json']);
    expect([1, 3]).toContain(calls.length);
    expect(build).toHaveBeenCalledTimes(1);
    build.mockRestore();
    validate.mockRestore();
    const kms2 = violations.filter((v) => v.ruleName === 'KMSG-KMS2').map((v) => v.constructPath).sort();
    expect(kms2).toEqual(['Stack0/Key', 'Stack1/Key', 'Stack2/Key']);
    const keys = violations.map((v) => `${v.ruleName} ${v.constructPath} ${v.description}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('the root kms:* of a key without a key policy is one finding, with what it allows in the message', () => {
    const app = new App({ outdir: outdir() });
    defaultPolicyKey(new Stack(app, 'Stack'), 'Key');
    const keyPolicy = synthWithPack(app).filter((v) => /KMSG-KMS(1|2|3|4|13|14)$/.test(v.ruleName));
    expect(keyPolicy.map((v) => v.ruleName)).toEqual(['KMSG-KMS2']);
    expect(keyPolicy[0].description).toMatch(/AWS::KMS::Key Key: .*root/);
  });

  test('the pack judges the templates CDK wrote, not a second rendering of the construct tree', () => {
    const app = new App({ outdir: outdir() });
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
    new kms.Key(stack, 'Key', { enableKeyRotation: true, alias: 'alias/judged' });
    const assembly = app.synth();
    const artifact = assembly.getStackByName('Stack');
    // What CloudFormation would receive differs from what the construct tree renders now.
    const template = JSON.parse(fs.readFileSync(artifact.templateFullPath, 'utf-8'));
    const keyId = Object.keys(template.Resources).find((id) => template.Resources[id].Type === 'AWS::KMS::Key')!;
    template.Resources[keyId].Properties.KeyPolicy.Statement.push({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' });
    fs.writeFileSync(artifact.templateFullPath, JSON.stringify(template));
    // Not an object literal in place: aws-cdk-lib 2.276 requires `accountId` and `region` on each
    // stack template, where 2.262 rejects them as unknown properties of a literal.
    const stackTemplate = { stackConstructPath: 'Stack', templatePath: artifact.templateFullPath, accountId: '111111111111', region: 'us-east-1' };
    const context: IPolicyValidationContext = {
      templatePaths: [artifact.templateFullPath],
      stackTemplates: [stackTemplate],
      accountId: '111111111111',
      region: 'us-east-1',
      appConstruct: app,
    };
    const pack = new KmsGuardrailsChecks(app);
    const fromTemplates = pack.validate(context).violations.map((v: PolicyViolation) => v.ruleName);
    expect(fromTemplates).toContain('KMSG-KMS3');
    expect(pack.validateScope(app).violations.map((v) => v.ruleName)).not.toContain('KMSG-KMS3');
  });

  test('a new `cdk init` app (weak cross-stack references) synthesizes the example app with every pack', () => {
    const context = cdkInitContext();
    expect(context['@aws-cdk/core:defaultCrossStackReferences']).toBe('weak');
    const app = buildExampleApp(new App({ outdir: outdir(), context: { ...context, '@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption': true } }));
    const assembly = app.synth();
    const written = assembly.stacks.map((s) => JSON.stringify(s.template)).join('\n');
    expect(written).toContain('Fn::GetStackOutput');
  });
});

describe('CloudTrail questions are asked once per account and Region', () => {
  const env = { account: '111111111111', region: 'us-east-1' };

  function encryptedBuckets(stack: Stack, n: number): s3.Bucket[] {
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true, alias: `alias/${stack.stackName}` });
    return Array.from({ length: n }, (_, i) => new s3.Bucket(stack, `Bucket${i}`, { encryptionKey: key, bucketKeyEnabled: true }));
  }

  test('an app without any trail: one CT2 finding per environment, listing its resources', () => {
    const app = new App();
    encryptedBuckets(new Stack(app, 'East', { env }), 4);
    encryptedBuckets(new Stack(app, 'West', { env: { ...env, region: 'eu-west-1' } }), 3);
    const ct2 = new KmsGuardrailsChecks().validateScope((app.synth(), app)).violations.filter((v) => v.ruleName === 'KMSG-CT2');
    expect(ct2.map((v) => v.violatingResources[0].constructPath)).toEqual(['East/Bucket0/Resource', 'West/Bucket0/Resource']);
    expect(ct2[0].description).toMatch(/account 111111111111, Region us-east-1: 4 resource\(s\)/);
    expect(ct2[0].description).toContain('East/Bucket3/Resource');
  });

  test('where a trail of the app logs some data events, each resource it misses is its own finding', () => {
    const { app, stack } = (() => {
      const a = new App();
      return { app: a, stack: new Stack(a, 'Stack', { env }) };
    })();
    const buckets = encryptedBuckets(stack, 3);
    new cloudtrail.Trail(stack, 'Trail').addS3EventSelector([{ bucket: buckets[0] }]);
    expect(pathsFor(app, 'KMSG-CT2')).toEqual(['Stack/Bucket1/Resource', 'Stack/Bucket2/Resource']);
  });

  test('a data-events-only trail is fine when another trail of the account and Region logs the management events', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env });
    const [bucket] = encryptedBuckets(stack, 1);
    new cloudtrail.Trail(stack, 'Management');
    const data = new cloudtrail.Trail(stack, 'Data', { managementEvents: cloudtrail.ReadWriteType.NONE });
    data.addS3EventSelector([{ bucket }], { includeManagementEvents: false });
    expect(pathsFor(app, 'KMSG-CT1')).toEqual([]);
  });

  test('without a management-events trail in the environment, CT1 is reported once, on the first trail', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env });
    const [bucket] = encryptedBuckets(stack, 1);
    for (const id of ['DataA', 'DataB']) {
      const trail = new cloudtrail.Trail(stack, id, { managementEvents: cloudtrail.ReadWriteType.NONE });
      trail.addS3EventSelector([{ bucket }], { includeManagementEvents: false });
    }
    // A management trail in another Region does not cover this one.
    new cloudtrail.Trail(new Stack(app, 'Other', { env: { ...env, region: 'eu-west-1' } }), 'Management', { isMultiRegionTrail: false });
    expect(pathsFor(app, 'KMSG-CT1')).toEqual(['Stack/DataA/Resource']);
  });
});

describe('S1: buckets whose writer chooses the encryption', () => {
  const env = { account: '111111111111', region: 'us-east-1' };

  test('the log bucket of a trail that encrypts its log files with its own key is not reported', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env });
    const logs = new s3.Bucket(stack, 'TrailLogs', { encryption: s3.BucketEncryption.S3_MANAGED });
    new cloudtrail.Trail(stack, 'Trail', { bucket: logs, encryptionKey: new kms.Key(stack, 'TrailKey', { enableKeyRotation: true }) });
    expect(pathsFor(app, 'KMSG-S1')).toEqual([]);
  });

  test('the log bucket of a trail without its own key is reported: the bucket default protects the logs', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env });
    const logs = new s3.Bucket(stack, 'TrailLogs', { encryption: s3.BucketEncryption.S3_MANAGED });
    new cloudtrail.Trail(stack, 'Trail', { bucket: logs });
    expect(pathsFor(app, 'KMSG-S1')).toEqual(['Stack/TrailLogs/Resource']);
  });

  test('a bucket that receives its own access logs (LoggingConfiguration without a destination) is not reported', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env });
    new s3.CfnBucket(stack, 'SelfLogging', { loggingConfiguration: { logFilePrefix: 'access/' } });
    new s3.CfnBucket(stack, 'Plain', {});
    expect(pathsFor(app, 'KMSG-S1')).toEqual(['Stack/Plain']);
  });

  test('the access-log bucket of an Application Load Balancer is not reported; of a Network Load Balancer it is', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const albLogs = new s3.Bucket(stack, 'AlbLogs', { encryption: s3.BucketEncryption.S3_MANAGED });
    new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc }).logAccessLogs(albLogs);
    const nlbLogs = new s3.Bucket(stack, 'NlbLogs', { encryption: s3.BucketEncryption.S3_MANAGED });
    new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc }).logAccessLogs(nlbLogs);
    expect(pathsFor(app, 'KMSG-S1')).toEqual(['Stack/NlbLogs/Resource']);
  });
});

describe('KMS7 and the constructs agree on the deletion window', () => {
  test('a shorter window set on SeparatedDutyKey or MultiRegionKeySet is acknowledged with the value; on kms.Key it is reported', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'us-east-1' }, crossRegionReferences: true });
    new SeparatedDutyKey(stack, 'Short', { alias: 'short', pendingWindow: Duration.days(7) });
    new SeparatedDutyKey(stack, 'Default', { alias: 'default' });
    const replicas = new Stack(app, 'Replicas', { env: { account: '111111111111', region: 'eu-west-1' }, crossRegionReferences: true });
    new MultiRegionKeySet(stack, 'Set', { alias: 'set', replicaStacks: [replicas], pendingWindow: Duration.days(10) });
    new kms.Key(stack, 'Plain', { enableKeyRotation: true, alias: 'alias/plain', pendingWindow: Duration.days(7) });
    expect(pathsFor(app, 'KMSG-KMS7')).toEqual(['Stack/Plain/Resource']);
    const reasons = app.node.findAll().flatMap((c) => c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).filter(([id]) => id.endsWith('KMSG-KMS7')).map(([, reason]) => `${c.node.path}: ${reason}`)));
    expect(reasons).toHaveLength(3);
    expect(reasons).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Stack\/Short\/Resource: `pendingWindow` is set explicitly to 7 days/),
      expect.stringMatching(/^Replicas\/.*Replica\/Resource: `pendingWindow` is set explicitly to 10 days/),
      expect.stringMatching(/^Stack\/Set\/Primary\/Resource: `pendingWindow` is set explicitly to 10 days/),
    ]));
  });
});

describe('cross-Region references', () => {
  test('a key of another Region is followed through CDK\'s cross-Region export', () => {
    const app = new App();
    const keys = new Stack(app, 'Keys', { env: { account: '111111111111', region: 'us-east-1' }, crossRegionReferences: true });
    const key = new kms.Key(keys, 'Key', { enableKeyRotation: true, alias: 'alias/east' });
    const data = new Stack(app, 'Data', { env: { account: '111111111111', region: 'eu-west-1' }, crossRegionReferences: true });
    new s3.CfnBucket(data, 'Bucket', {
      bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.keyArn } }] },
    });
    app.synth();
    const bucket = JSON.stringify(Stack.of(data).resolve((data.node.findChild('Bucket') as s3.CfnBucket).bucketEncryption));
    expect(bucket).toMatch(/ExportsReader/);
    const s1 = new KmsGuardrailsChecks().validateScope(app).violations.filter((v) => v.ruleName === 'KMSG-S1');
    expect(s1).toEqual([]);
  });
});
