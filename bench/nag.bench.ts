/**
 * Run time of KmsGuardrailsChecks against AwsSolutionsChecks on the same synthesized stacks.
 *
 *   npx ts-node --transpile-only -P tsconfig.dev.json bench/nag.bench.ts [sizes] [runs] [environments]
 *
 * sizes: comma-separated resource counts (default 100,450); runs: validations per pack and size
 * (default 9). Both packs validate the same app, alternating, in one process; the table prints
 * medians and the ratio ours / AwsSolutions, then the growth of each from the smallest size to the
 * largest (linear growth is about the ratio of the sizes; quadratic is its square).
 *
 * Then the way users register packs: `Validations.of(app).addPlugins(pack)` on an app of
 * `environments` stacks (default 4), one per Region, of about 100 resources each. CDK calls each
 * plugin once per account and Region; the time CDK spends in each plugin during `app.synth()` is
 * summed over those calls (median of `runs` syntheses), and compared with one `validateScope` run
 * of our pack over the same app.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import {
  App, aws_cloudtrail as ct, aws_dynamodb as ddb, aws_iam as iam, aws_kms as kms, aws_s3 as s3, aws_sqs as sqs, CfnResource,
  IPolicyValidationContext, IPolicyValidationPlugin, Stack, Validations,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { KmsGuardrailsChecks } from '../src/nag';

// aws-cdk-lib's own grants call deprecated APIs; their warnings would drown the table.
process.env.JSII_DEPRECATED ??= 'quiet';

const sizes = (process.argv[2] ?? '100,450').split(',').map(Number);
const runs = Number(process.argv[3] ?? 9);
const environments = Number(process.argv[4] ?? 4);

function countResources(scope: IConstruct): number {
  return scope.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
}

/**
 * One stack of about `target` resources, in units a KMS-minded app repeats: a key with an alias,
 * a bucket and a queue under it, a table, and a role allowed to use them; one trail selects the
 * buckets' data events.
 */
function buildApp(target: number): { app: App; resources: number } {
  const app = new App();
  const resources = fillStack(new Stack(app, 'Bench'), target);
  app.synth();
  return { app, resources };
}

function fillStack(stack: Stack, target: number): number {
  const trail = new ct.Trail(stack, 'Trail');
  const buckets: s3.IBucket[] = [];
  for (let i = 0; countResources(stack) < target; i++) {
    const key = new kms.Key(stack, `Key${i}`, { enableKeyRotation: true, alias: `alias/bench-${i}` });
    const bucket = new s3.Bucket(stack, `Bucket${i}`, { encryptionKey: key, bucketKeyEnabled: true, enforceSSL: true });
    const queue = new sqs.Queue(stack, `Queue${i}`, { encryptionMasterKey: key });
    const table = new ddb.Table(stack, `Table${i}`, {
      partitionKey: { name: 'pk', type: ddb.AttributeType.STRING },
      encryption: ddb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
    });
    const role = new iam.Role(stack, `Role${i}`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    bucket.grantRead(role);
    queue.grantConsumeMessages(role);
    table.grantReadData(role);
    buckets.push(bucket);
  }
  trail.addS3EventSelector(buckets.map((bucket) => ({ bucket })));
  return countResources(stack);
}

function time(pack: NagPack, app: App): number {
  const start = performance.now();
  pack.validateScope(app);
  return performance.now() - start;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const findingCount = (pack: NagPack, app: App) =>
  pack.validateScope(app).violations.reduce((n, v) => n + v.violatingResources.length, 0);

const rows: Array<{ resources: number; baseline: number; ours: number; findings: string }> = [];
for (const size of sizes) {
  const { app, resources } = buildApp(size);
  const baselinePack = new AwsSolutionsChecks();
  const ourPack = new KmsGuardrailsChecks();
  // One untimed run each warms the JIT and module caches, and shows both packs have work to do.
  const findings = `${findingCount(baselinePack, app)} / ${findingCount(ourPack, app)}`;
  const baseline: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2) {
      ours.push(time(ourPack, app));
      baseline.push(time(baselinePack, app));
    } else {
      baseline.push(time(baselinePack, app));
      ours.push(time(ourPack, app));
    }
  }
  rows.push({ resources, baseline: median(baseline), ours: median(ours), findings });
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
console.log(`median of ${runs} validations per pack and size\n`);
console.log('| resources | AwsSolutions | KmsGuardrails | ours / AwsSolutions | findings (AwsSolutions / ours) |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| ${r.resources} | ${ms(r.baseline)} | ${ms(r.ours)} | ${(r.ours / r.baseline).toFixed(2)} | ${r.findings} |`);
}
if (rows.length > 1) {
  const first = rows[0];
  const last = rows[rows.length - 1];
  const factor = last.resources / first.resources;
  console.log(`\ngrowth ${first.resources} -> ${last.resources} resources (x${factor.toFixed(2)}; quadratic would be x${(factor * factor).toFixed(1)}):`);
  console.log(`  AwsSolutions x${(last.baseline / first.baseline).toFixed(2)}, KmsGuardrails x${(last.ours / first.ours).toFixed(2)}`);
}

// ---- Through Validations, on a multi-environment app ------------------------------------------

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2', 'eu-central-1', 'sa-east-1', 'ca-central-1', 'ap-northeast-1'];

function multiEnvironmentApp(): App {
  // Findings are the point of a benchmark app: CDK neither throws nor prints the report.
  const app = new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'kmsg-bench-')),
    context: { '@aws-cdk/core:failSynthOnValidationErrors': false },
  });
  for (let i = 0; i < environments; i++) {
    fillStack(new Stack(app, `Bench${i}`, { env: { account: '111111111111', region: REGIONS[i % REGIONS.length] } }), 100);
  }
  return app;
}

/** Synthesizes a fresh app with `pack` registered and returns the time CDK spent in the pack, and how often it called it. */
function timeThroughValidations(makePack: (app: App) => NagPack): { spent: number; calls: number; resources: number } {
  const app = multiEnvironmentApp();
  const pack = makePack(app);
  let spent = 0;
  let calls = 0;
  const timed: IPolicyValidationPlugin = {
    name: pack.name,
    ruleIds: pack.ruleIds,
    validate: (context: IPolicyValidationContext) => {
      const start = performance.now();
      try {
        return pack.validate(context);
      } finally {
        spent += performance.now() - start;
        calls++;
      }
    },
  };
  Validations.of(app).addPlugins(timed);
  try {
    app.synth();
  } catch {
    // findings make synth throw; the time is what matters here
  }
  return { spent, calls, resources: countResources(app) };
}

const viaOurs: number[] = [];
const viaBaseline: number[] = [];
const oneRun: number[] = [];
let calls = 0;
let appResources = 0;
for (let i = 0; i < runs; i++) {
  const ours = timeThroughValidations((app) => new KmsGuardrailsChecks(app));
  const baseline = timeThroughValidations((app) => new AwsSolutionsChecks(app));
  viaOurs.push(ours.spent);
  viaBaseline.push(baseline.spent);
  calls = ours.calls;
  appResources = ours.resources;
  const app = multiEnvironmentApp();
  app.synth();
  oneRun.push(time(new KmsGuardrailsChecks(), app));
}
console.log(`
through Validations: ${environments} environments, ${appResources} resources, ${calls} plugin calls per synth, median of ${runs} syntheses
`);
console.log('| pack | time in the plugin per synth | vs one validateScope run of ours |');
console.log('| --- | ---: | ---: |');
console.log(`| AwsSolutionsChecks | ${ms(median(viaBaseline))} | ${(median(viaBaseline) / median(oneRun)).toFixed(2)} |`);
console.log(`| KmsGuardrailsChecks | ${ms(median(viaOurs))} | ${(median(viaOurs) / median(oneRun)).toFixed(2)} |`);
console.log(`
ours / AwsSolutions through Validations: ${(median(viaOurs) / median(viaBaseline)).toFixed(2)}`);
