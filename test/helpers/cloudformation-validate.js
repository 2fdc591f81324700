/**
 * `@aws/cloudformation-validate` as aws-cdk-lib sees it inside the tests (through jest's
 * `moduleNameMapper`): the real module, loaded once per worker by
 * `test/helpers/shared-validator-environment.js`, whose `RegoEngine` returns the worker's engine
 * for the same rule configuration instead of building a new one for every test file.
 */
const shared = globalThis.__cdkKmsGuardrailsSharedValidator;
if (!shared) {
  throw new Error('test/helpers/cloudformation-validate.js needs the jest environment test/helpers/shared-validator-environment.js');
}

function RegoEngine(config) {
  return shared.engine(config);
}

module.exports = { ...shared.module, RegoEngine };
