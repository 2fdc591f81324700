export * from './kms-guardrails-checks';

import * as ruleFunctions from './rules';
/**
 * The rule functions of KmsGuardrailsChecks, for TypeScript and JavaScript users composing their
 * own packs (`rules.kms.KMSSeparationOfDuties`, …). Functions have no jsii binding: exported as a
 * value rather than a namespace, they add no empty submodule to the other languages, which get
 * the rules' ids, levels and texts from `KmsGuardrailsChecks.rules()`.
 */
export const rules = ruleFunctions;
