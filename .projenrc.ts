import { awscdk, DependencyType, javascript, TaskShell } from 'projen';

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
  // Dev dependencies name their own versions: aws-cdk-lib the newest (below), not the peer floor.
  peerDependencyOptions: { pinnedDevDependency: false },
  devDeps: [
    'cdk-nag@3.0.2',
    // Test-only. AGPL-3.0: never a runtime dependency.
    '@cloud-copilot/iam-simulate@0.1.173',
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    'aws-cdk@^2',
    // Runs the example apps, as in a new `cdk init` app (`npx tsx app.ts` in cdk.json).
    'tsx',
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
      moduleNameMapper: {
        '^cdk-kms-guardrails$': '<rootDir>/src/index.ts',
        // aws-cdk-lib's built-in CloudFormation validator, built once per worker instead of once per
        // test file (5–7 s of CPU each): see test/helpers/shared-validator-environment.js.
        '^@aws/cloudformation-validate$': '<rootDir>/test/helpers/cloudformation-validate.js',
      },
      testEnvironment: '<rootDir>/test/helpers/shared-validator-environment.js',
      testTimeout: 120_000,
      // The suite people run often is `*.test.ts` (projen's testMatch). The proofs that take
      // minutes (`*.proof.ts`: the differential test against the IAM engine, the public-app corpus,
      // the scenario apps through the CLI, the browser) run with `npx projen test:proofs`, and in CI.
      // Both cores: jest's default on two is a single worker.
      maxWorkers: 2,
    },
    // A summary, not a table of every file, below the test results.
    coverageText: false,
  },
  gitignore: ['examples/cdk.out', 'examples/scenarios/*/cdk.out', '/bench/out'],
});

// The dev tree builds and tests on the newest aws-cdk-lib, what new `cdk init` apps get, whose
// dependencies all accept the Node 20 the README names (the floor bundles a CloudFormation
// validator that declares Node ^22.15). The peer range stays `^CDK_FLOOR`, and CI runs the
// type-check and the suite on the floor too (`.ci/run`).
const CDK_DEV = '2.276.0';
project.deps.removeDependency('aws-cdk-lib', DependencyType.BUILD);
project.deps.addDependency(`aws-cdk-lib@${CDK_DEV}`, DependencyType.BUILD);
project.deps.addDependency('constructs@10.5.1', DependencyType.BUILD);

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
// The README's pictures and their Graphviz sources: npm and Construct Hub show them from the repository.
project.addPackageIgnore('/docs/images/');

// ts-jest runs with isolatedModules and does not type-check: do it before the tests. The lint is
// not a test: it runs in `npx projen eslint`, in `npx projen build` (before packaging) and in CI (the
// suite people run often stays under three minutes on two cores).
project.testTask.reset();
project.testTask.exec('tsc --noEmit -p tsconfig.dev.json', { name: 'typecheck' });
project.testTask.exec('jest --passWithNoTests --ci', { receiveArgs: true });
// aws-cdk-lib's own deprecation warnings (its TableV2 calls its deprecated TableGrants props) would
// bury the failures in the test output.
project.testTask.env('JSII_DEPRECATED', 'quiet');

// The proofs that take minutes, run by CI after `test`: the differential test against the IAM
// engine, the public-app corpus, the builder corpus, the Control Tower rules, the README examples,
// the scenario apps through the CLI, the pictures, and the report's page in headless Chromium.
// Chromium comes from Debian's packages, installed on a fresh machine (its machines run as root).
// (`command -v` needs a system shell: projen's own shell does not know it.)
const browser = project.addTask('install:browser', {
  description: 'Install headless Chromium (Debian package) for the HTML report proof, when it is missing',
});
browser.exec('command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)', { shell: TaskShell.system() });
const proofs = project.addTask('test:proofs', {
  description: 'Run the proofs that take minutes (*.proof.ts): IAM engine, public-app corpus, scenario apps, README, browser',
  env: { JSII_DEPRECATED: 'quiet' },
});
proofs.spawn(browser);
proofs.exec('jest --passWithNoTests --ci --coverage=false --testMatch "<rootDir>/@(src|test|projenrc)/**/*.proof.ts"', { receiveArgs: true });

// The main job: the example app, synthesized by the real CDK CLI against the compiled package.
const synthExample = project.addTask('synth:example', {
  description: 'Compile the library and synthesize the example app with the cdk CLI (all cdk-nag packs registered)',
});
synthExample.spawn(project.compileTask);
synthExample.exec('cdk synth --no-notices --quiet', { cwd: 'examples' });
// ...and writes its key-access report (test/report snapshots the same JSON).
synthExample.exec('node ../lib/report/cli.js report cdk.out --format json --output cdk.out/key-access-report.json', { cwd: 'examples' });

// A picture of what each construct creates, drawn from the example app's assembly with Graphviz
// (Debian's package) into docs/images; test/docs/diagrams.proof.ts fails when one is stale.
const graphviz = project.addTask('install:graphviz', {
  description: 'Install Graphviz (Debian package) for docs:diagrams, when it is missing',
});
graphviz.exec('command -v dot >/dev/null || (apt-get update -qq && apt-get install -y -qq graphviz >/dev/null)', { shell: TaskShell.system() });
const diagrams = project.addTask('docs:diagrams', {
  description: 'Synthesize the example app and draw docs/images/<construct>.svg from it (`-- --png <dir>` also writes PNGs to look at)',
});
diagrams.spawn(graphviz);
diagrams.spawn(synthExample);
diagrams.exec('ts-node --transpile-only -P tsconfig.dev.json projenrc/diagrams/generate.ts examples/cdk.out', { receiveArgs: true });

// Every TypeScript example (README, doc comments, RULES.md) compiles against its fixture in rosetta/
// and translates to Python, Java, C# and Go (`jsii-rosetta extract --strict`). The assembly holds
// the README and the doc comments: compile first, unless it is newer than everything it is built from
// (the condition needs a system shell: projen's own shell does not run `$(...)`).
const rosettaExtract = project.addTask('rosetta:extract', {
  description: 'Compile and translate every TypeScript example (README, doc comments, RULES.md) with jsii-rosetta --strict',
});
rosettaExtract.spawn(project.compileTask, {
  condition: 'test ! -f .jsii || test -n "$(find src README.md package.json -newer .jsii -print -quit)"',
  shell: TaskShell.system(),
});
rosettaExtract.exec('ts-node --transpile-only -P tsconfig.dev.json projenrc/rosetta-extract.ts', { receiveArgs: true });

// The key-access report command: `npx cdk-kms-guardrails report [cdk.out]`, run from the compiled library.
project.addBins({ 'cdk-kms-guardrails': 'lib/report/cli.js' });

// Only the JavaScript package can be built on this project's machines (no PyPI, Maven Central,
// dotnet or Go toolchain is reachable): `package` builds it everywhere, so `npx projen build` is
// green with or without CI; `package-all` still builds every language where the toolchains exist,
// and `.ci/run` checks each binding's source with `jsii-pacmak --code-only`.
const packageTask = project.tasks.tryFind('package')!;
packageTask.reset();
packageTask.spawn(project.tasks.tryFind('package:js')!);
// `npx projen build` lints too, before it packages (the test task does not: see above).
packageTask.prependSpawn(project.eslint!.eslintTask);

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
