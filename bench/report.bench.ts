/**
 * Run time of the key-access report.
 *
 *   npx projen bench:report [assembly] [sizes] [runs]
 *
 * assembly: a synthesized app (default examples/cdk.out: run `npx projen synth:example` first);
 * sizes: comma-separated key counts of the generated apps (default 10,20,40,80,160); runs: reports
 * per app (default 7). Prints the whole command's wall time on the assembly (a new Node process,
 * as a user runs it, when lib/ is compiled), the in-process median on it, then per size the median
 * and the time per key: linear growth keeps the time per key flat.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SeparatedDutyKey } from '../src';
import { reportOfAssembly } from '../src/report/report';

process.env.JSII_DEPRECATED ??= 'quiet';

const assembly = process.argv[2] ?? 'examples/cdk.out';
const sizes = (process.argv[3] ?? '10,20,40,80,160').split(',').map(Number);
const runs = Number(process.argv[4] ?? 7);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function timeReport(dir: string): number {
  reportOfAssembly(dir); // warm-up: module loading and JIT are not the report's time
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    reportOfAssembly(dir);
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * An app of `keys` keys in stacks of 20: half SeparatedDutyKeys (administrators, users, grants
 * through a service), half plain kms.Keys granted to a role through its IAM policy.
 */
function synthKeys(keys: number): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `report-bench-${keys}-`));
  const app = new App({ outdir });
  let stack: Stack | undefined;
  for (let i = 0; i < keys; i++) {
    if (i % 20 === 0) stack = new Stack(app, `Keys${i / 20}`, { env: { account: '111111111111', region: 'us-east-1' } });
    const role = new iam.Role(stack!, `Role${i}`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    if (i % 2 === 0) {
      const admin = new iam.Role(stack!, `Admin${i}`, { assumedBy: new iam.AccountRootPrincipal() });
      const key = new SeparatedDutyKey(stack!, `Key${i}`, { alias: `bench-${i}`, administrators: [admin], users: [role] });
      key.grantViaService(new iam.Role(stack!, `Reader${i}`, { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }), 's3');
    } else {
      new kms.Key(stack!, `Key${i}`, { enableKeyRotation: true }).grantEncryptDecrypt(role);
    }
  }
  app.synth();
  return outdir;
}

const lines: string[] = [];
const cli = path.join(__dirname, '..', 'lib', 'report', 'cli.js');
if (fs.existsSync(path.join(assembly, 'manifest.json'))) {
  const keys = reportOfAssembly(assembly).keys.length;
  if (fs.existsSync(cli)) {
    const walls: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      execFileSync(process.execPath, [cli, 'report', assembly, '--format', 'json'], { stdio: 'pipe' });
      walls.push(performance.now() - start);
    }
    lines.push(`${assembly} (${keys} keys): whole command ${median(walls).toFixed(0)} ms (median of 3 runs of node lib/report/cli.js)`);
  }
  lines.push(`${assembly} (${keys} keys): report ${timeReport(assembly).toFixed(1)} ms in-process (median of ${runs})`);
} else {
  lines.push(`${assembly}: no assembly (run npx projen synth:example)`);
}
lines.push('', '| keys | report (median) | per key |', '|---:|---:|---:|');
for (const size of sizes) {
  const dir = synthKeys(size);
  const ms = timeReport(dir);
  lines.push(`| ${size} | ${ms.toFixed(1)} ms | ${(ms / size).toFixed(2)} ms |`);
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(lines.join('\n'));
