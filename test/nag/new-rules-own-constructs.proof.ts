import { buildExampleApp } from '../../examples/app';
import { KmsGuardrailsChecks } from '../../src';

/** The rules of issue 10 that other tools and AWS controls have and no CDK pack did. */
const NEW_RULES = ['KMSG-IAM1', 'KMSG-KMS15', 'KMSG-KMS16', 'KMSG-KMS17', 'KMSG-KMS18', 'KMSG-S3'];

describe('the new rules on an app built from our constructs', () => {
  test('the example app (SeparatedDutyKey, EncryptedBucket/Queue/Table with grants, KeyAuditTrail, a three-Region MultiRegionKeySet) has no finding', () => {
    const app = buildExampleApp();
    app.synth();
    const pack = new KmsGuardrailsChecks(app, { verbose: true });
    expect(pack.ruleIds).toEqual(expect.arrayContaining(NEW_RULES));
    const found = pack.validateScope(app).violations
      .filter((v) => NEW_RULES.includes(v.ruleName.replace(/\[[\s\S]*\]$/, '')))
      .map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(found).toEqual([]);
  });
});
