import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Aspects, aws_cloudtrail as ct, aws_kms as kms, aws_s3 as s3, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack } from 'cdk-nag';
import { compliantKey } from './fixtures';
import { findings, newStack } from './nag-test-util';
import { KmsGuardrailsChecks, rules } from '../../src/nag';
import { AppIndex } from '../../src/nag/private/app-index';
import { ruleDefinitions } from '../../src/nag/rule-definitions';

describe('pack inventory', () => {
  test('every rule ID, by level', () => {
    const byLevel = (level: NagMessageLevel) =>
      ruleDefinitions({ minimumPendingWindowDays: 30 }).filter((d) => d.level === level).map((d) => `KMSG-${d.id}`);
    expect(byLevel(NagMessageLevel.ERROR)).toEqual([
      'KMSG-KMS1', 'KMSG-KMS2', 'KMSG-KMS3', 'KMSG-KMS4', 'KMSG-KMS5', 'KMSG-KMS8', 'KMSG-KMS10', 'KMSG-KMS12', 'KMSG-KMS13',
      'KMSG-KMS15', 'KMSG-KMS17', 'KMSG-KMS18', 'KMSG-KMS19', 'KMSG-S1', 'KMSG-S3', 'KMSG-SQS1', 'KMSG-DDB1', 'KMSG-IAM1',
    ]);
    expect(byLevel(NagMessageLevel.WARN)).toEqual([
      'KMSG-KMS6', 'KMSG-KMS7', 'KMSG-KMS9', 'KMSG-KMS11', 'KMSG-KMS14', 'KMSG-KMS16', 'KMSG-S2', 'KMSG-DDB2', 'KMSG-DDB3', 'KMSG-CT1', 'KMSG-CT2',
    ]);
    expect(byLevel(NagMessageLevel.INFO)).toEqual([]);
  });

  test('the pack publishes the same IDs as ruleIds', () => {
    expect(new KmsGuardrailsChecks().ruleIds).toEqual(ruleDefinitions({ minimumPendingWindowDays: 30 }).map((d) => `KMSG-${d.id}`));
  });

  test('every rule is exported under rules.<service> by its name', () => {
    const exported = Object.values(rules).flatMap((service) => Object.keys(service)).sort();
    const used = ruleDefinitions({ minimumPendingWindowDays: 30 }).map((d) => d.rule.name).sort();
    expect(exported).toEqual(used);
  });
});

describe('RULES.md', () => {
  /** Table rows of RULES.md under each `## <level>` heading. */
  function documented(): Record<string, string[][]> {
    const tables: Record<string, string[][]> = {};
    let heading = '';
    for (const line of readFileSync(join(__dirname, '..', '..', 'RULES.md'), 'utf8').split('\n')) {
      if (line.startsWith('## ')) heading = line.slice(3).trim();
      else if (/^\| KMSG-/.test(line)) (tables[heading] ??= []).push(line.slice(2, -2).split(' | '));
    }
    return tables;
  }

  test('has a table per level whose text is exactly the rules\' info and explanation', () => {
    const definitions = ruleDefinitions({ minimumPendingWindowDays: 30 });
    const rows = (level: NagMessageLevel) => definitions.filter((d) => d.level === level).map((d) => [`KMSG-${d.id}`, d.info, d.explanation]);
    expect(documented()).toEqual({ Errors: rows(NagMessageLevel.ERROR), Warnings: rows(NagMessageLevel.WARN) });
  });

  test('KmsGuardrailsChecks.rules() is every row of RULES.md once, at the level of its table', () => {
    const levels: Record<string, NagMessageLevel> = { Errors: NagMessageLevel.ERROR, Warnings: NagMessageLevel.WARN };
    const rows = Object.entries(documented()).flatMap(([heading, table]) =>
      table.map(([id, info, explanation]) => ({ id, level: levels[heading], info, explanation })));
    const listed = KmsGuardrailsChecks.rules();
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect(new Set(listed.map((r) => r.id)).size).toBe(listed.length);
    expect(rows.length).toBeGreaterThan(20);
    expect([...listed].sort(byId)).toEqual(rows.sort(byId));
  });

  test('KmsGuardrailsChecks.rules() lists the IDs the pack reports, in the order of ruleIds', () => {
    expect(KmsGuardrailsChecks.rules().map((r) => r.id)).toEqual(new KmsGuardrailsChecks().ruleIds);
    expect(KmsGuardrailsChecks.rules().find((r) => r.id === 'KMSG-KMS1')?.level).toBe(NagMessageLevel.ERROR);
    expect(KmsGuardrailsChecks.rules().find((r) => r.id === 'KMSG-KMS9')?.level).toBe(NagMessageLevel.WARN);
  });

  test('no rule text would break a Markdown table', () => {
    for (const d of ruleDefinitions({ minimumPendingWindowDays: 30 })) {
      expect(`${d.info}${d.explanation}`).not.toMatch(/[|\n]/);
    }
  });
});

/** An app that every rule of the pack accepts: keys, an encrypted bucket and a trail covering it. */
function compliantApp(): { app: App; stack: Stack } {
  const { app, stack } = newStack();
  const dataKey = compliantKey(stack, 'DataKey');
  const bucket = new s3.Bucket(stack, 'Data', { encryptionKey: dataKey, bucketKeyEnabled: true });
  const trailBucket = new s3.Bucket(stack, 'TrailBucket', { encryptionKey: compliantKey(stack, 'TrailKey'), bucketKeyEnabled: true });
  new ct.Trail(stack, 'Trail', { bucket: trailBucket }).addS3EventSelector([{ bucket }]);
  return { app, stack };
}

describe('as a CDK validation plugin', () => {
  test('registered the cdk-nag 2 way, as an Aspect, synth fails with the cdk-nag 3 way to register it', () => {
    const { app, stack } = newStack();
    new kms.Key(stack, 'Key');
    Aspects.of(app).add(new KmsGuardrailsChecks());
    expect(() => app.synth()).toThrow(/KmsGuardrailsChecks at '.*': cdk-nag 3 packs are validation plugins, not Aspects\. Replace .*Validations\.of\(app\)\.addPlugins\(new KmsGuardrailsChecks\(app\)\)/);
  });

  test('a compliant app synthesizes with the pack registered', () => {
    const { app } = compliantApp();
    Validations.of(app).addPlugins(new KmsGuardrailsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  test('a finding fails synth', () => {
    const { app, stack } = compliantApp();
    new kms.Key(stack, 'Default');
    Validations.of(app).addPlugins(new KmsGuardrailsChecks(app));
    expect(() => app.synth()).toThrow(/Stack\/Default\/Resource[\s\S]*KMSG-KMS2/);
  });

  test('an acknowledged rule is not reported, other rules still are', () => {
    const { app, stack } = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    Validations.of(key).acknowledge({ id: 'KMSG-KMS9', reason: 'the alias lives in another app' });
    const rulesOnKey = findings(app).filter((f) => f.path === 'Stack/Key/Resource').map((f) => f.rule);
    expect(rulesOnKey).not.toContain('KMSG-KMS9');
    expect(rulesOnKey).toContain('KMSG-KMS2');
  });
});

describe('the app index', () => {
  test('is built once per validation run, however many resources', () => {
    const { app, stack } = compliantApp();
    for (let i = 0; i < 20; i++) compliantKey(stack, `Key${i}`);
    app.synth();
    const build = jest.spyOn(AppIndex, 'build');
    const pack = new KmsGuardrailsChecks();
    pack.validateScope(app);
    pack.validateScope(app);
    expect(build).toHaveBeenCalledTimes(2);
    build.mockRestore();
  });

  test('a change between two runs of the same pack is seen', () => {
    const { app, stack } = compliantApp();
    const key = new kms.Key(stack, 'Late', { enableKeyRotation: true });
    const pack = new KmsGuardrailsChecks();
    const kms9 = () => pack.validateScope(app).violations.filter((v) => v.ruleName === 'KMSG-KMS9').flatMap((v) => v.violatingResources.map((r) => r.constructPath));
    expect(kms9()).toEqual(['Stack/Late/Resource']);
    key.addAlias('alias/late');
    expect(kms9()).toEqual([]);
  });

  test('exported rules stay correct across runs in a pack of one\'s own', () => {
    class AliasOnly extends NagPack {
      public readonly name = 'AliasOnly';
      constructor() {
        super();
        this.packName = 'Mine';
      }
      protected checkResource(node: CfnResource): void {
        this.applyRule({ info: 'no alias', explanation: 'add one', level: NagMessageLevel.WARN, node, rule: rules.kms.KMSAliasExists });
      }
    }
    const { app, stack } = newStack();
    const key = new kms.Key(stack, 'Key');
    const pack = new AliasOnly();
    const ids = () => pack.validateScope(app).violations.map((v) => v.ruleName);
    expect(ids()).toEqual(['Mine-KMSAliasExists']);
    key.addAlias('alias/now');
    expect(ids()).toEqual([]);
    new kms.Key(stack, 'Another');
    expect(ids()).toEqual(['Mine-KMSAliasExists']);
  });
});
