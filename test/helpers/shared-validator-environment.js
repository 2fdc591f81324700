/**
 * The jest environment of this suite: Node's, plus one CloudFormation validator engine per worker.
 *
 * aws-cdk-lib runs its built-in CloudFormation validator (`@aws/cloudformation-validate`) on every
 * synth, and building its rule engine costs 5–7 s of CPU. Jest gives each test file a fresh module
 * registry, so every file paid that again on its first synth: most of the suite's time. Here the
 * real module is loaded once per worker, outside the test files' registries, and each rule
 * configuration gets one engine, which every synth then uses exactly as aws-cdk-lib would: the
 * same rules run on every template (`test/helpers/cloudformation-validate.js` hands it to
 * aws-cdk-lib through `moduleNameMapper`).
 */
const { TestEnvironment } = require('jest-environment-node');

let validatorModule;
const engines = new Map();

function sharedValidator() {
  if (!validatorModule) {
    // The copy aws-cdk-lib itself resolves (it may be nested under aws-cdk-lib's own node_modules).
    const resolved = require.resolve('@aws/cloudformation-validate', { paths: [require.resolve('aws-cdk-lib')] });
    validatorModule = require(resolved);
  }
  return {
    module: validatorModule,
    engine(config) {
      const key = JSON.stringify(config ?? {});
      let engine = engines.get(key);
      if (!engine) {
        engine = new validatorModule.RegoEngine(config);
        engines.set(key, engine);
      }
      return engine;
    },
  };
}

class SharedValidatorEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__cdkKmsGuardrailsSharedValidator = sharedValidator();
  }
}

module.exports = SharedValidatorEnvironment;
