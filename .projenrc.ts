import { awscdk, javascript } from 'projen';

// The lowest aws-cdk-lib on which the whole suite passes with cdk-nag 3: on 2.258–2.261 an
// unacknowledged cdk-nag finding does not fail `synth`, so a user's compliance gate would be silent.
const CDK_FLOOR = '2.262.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-kms-guardrails',
  description:
    'AWS KMS best practices as CDK defaults: keys whose policies separate administration from use, ' +
    'multi-Region key sets, S3/SQS/DynamoDB under customer managed keys, CloudTrail auditing and a cdk-nag rule pack.',
  author: 'cdk-kms-guardrails maintainers',
  authorAddress: 'maintainers@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk-kms-guardrails/cdk-kms-guardrails.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  cdkVersion: CDK_FLOOR,
  constructsVersion: '10.5.1',
  keywords: ['cdk', 'awscdk', 'aws-cdk', 'kms', 'encryption', 'key-policy', 'cdk-nag', 'security', 'compliance'],
  stability: 'experimental',

  // No hosted CI or release automation here: `.ci/run` is the gate.
  github: false,
  release: false,

  peerDeps: ['cdk-nag@^3.0.2'],
  devDeps: [
    'cdk-nag@3.0.2',
    // Test-only. AGPL-3.0: never a runtime dependency.
    '@cloud-copilot/iam-simulate@0.1.173',
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    'aws-cdk@^2',
  ],

  publishToPypi: { distName: 'cdk-kms-guardrails', module: 'cdk_kms_guardrails' },
  publishToMaven: {
    javaPackage: 'io.github.cdkkmsguardrails',
    mavenGroupId: 'io.github.cdkkmsguardrails',
    mavenArtifactId: 'cdk-kms-guardrails',
  },
  publishToNuget: { dotNetNamespace: 'CdkKmsGuardrails', packageId: 'CdkKmsGuardrails' },
  publishToGo: { moduleName: 'github.com/cdk-kms-guardrails/cdk-kms-guardrails-go' },

  tsconfigDevFile: 'tsconfig.dev.json',
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'bench', 'projenrc'], tsconfigPath: './tsconfig.dev.json' },
  tsconfigDev: {
    include: ['.projenrc.ts', 'examples/**/*.ts', 'bench/**/*.ts'],
    // Third-party apps of the public-app corpus (test/corpus) are fixtures, not project code.
    exclude: ['lib', 'examples/cdk.out', 'test/corpus/apps'],
    compilerOptions: {
      // Examples and benchmarks import the package by name, exactly as a user would.
      paths: { 'cdk-kms-guardrails': ['./src/index.ts'] },
    },
  },
  jestOptions: {
    // A drifted snapshot must fail the run; `npx projen test:update` (projen's task) rewrites them.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      moduleNameMapper: { '^cdk-kms-guardrails$': '<rootDir>/src/index.ts' },
      testTimeout: 120_000,
    },
  },
  gitignore: ['examples/cdk.out', '/bench/out'],
});

// The registry lacks some non-Linux bindings of unrs-resolver 1.13.x: `npm ci` fails without this.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });
// Self-reference by package name resolves to the compiled library (examples, benchmarks).
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './package.json': './package.json',
  './.jsii': './.jsii',
});

// jsii 6 prints an end-of-life banner for Node 20, the Node of this project's machines.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// The public-app corpus holds third-party code as test fixtures: not linted by the project's rules.
project.eslint?.addIgnorePattern('test/corpus/apps/');
// One corpus app ships its canary code in a directory named node_modules (the Synthetics layout).
project.gitignore.addPatterns('!/test/corpus/apps/blea-guest-ecs-app-sample/lambda/canary-app/nodejs/node_modules/');

// typescript-eslint's project service only finds files named tsconfig.json; lint with the dev
// tsconfig, which covers src, test, examples and bench.
const eslintrc = project.tryFindObjectFile('.eslintrc.json');
eslintrc?.addDeletionOverride('parserOptions.projectService');
eslintrc?.addOverride('parserOptions.project', './tsconfig.dev.json');

project.addPackageIgnore('/examples/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('/.ci/');

// ts-jest runs with isolatedModules and does not type-check: do it before the tests.
project.testTask.prependExec('tsc --noEmit -p tsconfig.dev.json', { name: 'typecheck' });
// The key-access report's HTML page is tested in headless Chromium, from Debian's packages: the
// test command installs it on a fresh machine (this project's machines run as root).
const browser = project.addTask('install:browser', {
  description: 'Install headless Chromium (Debian package) for the HTML report test, when it is missing',
  exec: 'command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)',
});
project.testTask.prependSpawn(browser);

// The main job: the example app, synthesized by the real CDK CLI against the compiled package.
const synthExample = project.addTask('synth:example', {
  description: 'Compile the library and synthesize the example app with the cdk CLI (all cdk-nag packs registered)',
});
synthExample.spawn(project.compileTask);
synthExample.exec('cdk synth --no-notices --quiet', { cwd: 'examples' });
// ...and writes its key-access report (test/report snapshots the same JSON).
synthExample.exec('node ../lib/report/cli.js report cdk.out --format json --output cdk.out/key-access-report.json', { cwd: 'examples' });

// The key-access report command: `npx cdk-kms-guardrails report [cdk.out]`, run from the compiled library.
project.addBins({ 'cdk-kms-guardrails': 'lib/report/cli.js' });

// Only the JavaScript package can be built on this project's machines (no PyPI, Maven Central,
// dotnet or Go toolchain is reachable): `package` builds it everywhere, so `npx projen build` is
// green with or without CI; `package-all` still builds every language where the toolchains exist,
// and `.ci/run` checks each binding's source with `jsii-pacmak --code-only`.
const packageTask = project.tasks.tryFind('package')!;
packageTask.reset();
packageTask.spawn(project.tasks.tryFind('package:js')!);

// Performance is measured in a benchmark (ratios against AwsSolutionsChecks in the same process),
// never in timed unit tests.
project.addTask('bench:report', {
  description: 'Time the key-access report on the example app\'s assembly and on apps of 10 to 160 keys (medians)',
  exec: 'ts-node --transpile-only -P tsconfig.dev.json bench/report.bench.ts',
  receiveArgs: true,
});
project.addTask('bench', {
  description: 'Time KmsGuardrailsChecks against AwsSolutionsChecks on ~100 and ~450-resource stacks (medians)',
  exec: 'ts-node --transpile-only -P tsconfig.dev.json bench/nag.bench.ts',
  receiveArgs: true,
});

project.synth();
