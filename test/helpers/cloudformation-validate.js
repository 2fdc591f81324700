/**
 * `@aws/cloudformation-validate` as aws-cdk-lib sees it inside the tests (through jest's
 * `moduleNameMapper`): the real module, loaded once per worker by
 * `test/helpers/shared-validator-environment.js`, whose engines (`RegoEngine` in aws-cdk-lib
 * 2.262, `CompositeEngine` in later versions) are the worker's engine for the same rule
 * configuration instead of a new one for every test file.
 */
const shared = globalThis.__cdkKmsGuardrailsSharedValidator;
if (!shared) {
  throw new Error('test/helpers/cloudformation-validate.js needs the jest environment test/helpers/shared-validator-environment.js');
}

const engines = {};
for (const name of Object.keys(shared.module).filter(n => /Engine$/.test(n))) {
  engines[name] = function SharedEngine(config) {
    return shared.engine(name, config);
  };
}

module.exports = { ...shared.module, ...engines };
