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
/** Engines by kind and rule configuration, most recently used last. */
const engines = new Map();
/**
 * aws-cdk-lib 2.276 builds an engine per set of resource types it has seen; a few are enough for
 * the next test file to find its own. An evicted engine is freed: no test file holds it any more
 * (jest runs one file at a time per worker, and a file's plugin holds only its newest engine).
 */
const MAX_ENGINES = 4;

/** An object literal of another realm: its prototype is that realm's Object.prototype. */
function isForeignPlainObject(value) {
  if (value === null || typeof value !== 'object' || value instanceof Object) return false;
  const proto = Object.getPrototypeOf(value);
  return proto !== null && Object.getPrototypeOf(proto) === null;
}

function sharedValidator() {
  if (!validatorModule) {
    // The copy aws-cdk-lib itself resolves (it may be nested under aws-cdk-lib's own node_modules).
    const resolved = require.resolve('@aws/cloudformation-validate', { paths: [require.resolve('aws-cdk-lib')] });
    validatorModule = require(resolved);
  }
  return {
    module: validatorModule,
    engine(kind, config) {
      // The configuration comes from a test file's realm; the engine accepts only plain objects of
      // its own (this) realm, so it gets a structured clone. Maps are part of the key too.
      const plain = structuredClone(config ?? {});
      const key = `${kind} ${JSON.stringify(plain, (_k, v) => (v instanceof Map ? { map: [...v] } : v))}`;
      let entry = engines.get(key);
      if (entry) {
        engines.delete(key);
      } else {
        const engine = new validatorModule[kind](plain);
        // aws-cdk-lib frees an engine it replaces or no longer needs; a shared one stays alive.
        // Plain objects a test file's realm passes (the options of a validation) are cloned into
        // this realm too; instances of the validator's own classes (a TemplateFile) pass as they are.
        const ownRealm = (arg) => (isForeignPlainObject(arg) ? structuredClone(arg) : arg);
        const proxy = new Proxy(engine, {
          get(target, property) {
            if (property === 'free') return () => undefined;
            const value = Reflect.get(target, property, target);
            return typeof value === 'function' ? (...args) => value.apply(target, args.map(ownRealm)) : value;
          },
        });
        entry = { engine, proxy };
      }
      engines.set(key, entry);
      while (engines.size > MAX_ENGINES) {
        const [oldest, evicted] = engines.entries().next().value;
        engines.delete(oldest);
        if (typeof evicted.engine.free === 'function') evicted.engine.free();
      }
      return entry.proxy;
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
