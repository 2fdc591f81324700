/**
 * Reading cloud assemblies as CDK writes them, including for apps nobody on the team wrote: stages
 * (nested cloud assemblies), nested stacks, environment-agnostic stacks, and assemblies with parts
 * missing or broken — reported in `warnings`, never stopping the rest.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { tmpDir } from './apps';
import { parseEnvironment, readAssembly } from '../../src/report/assembly';
import { reportOfAssembly } from '../../src/report/report';

function synthStagedApp(): string {
  const outdir = tmpDir('staged');
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  const agnostic = new Stack(app, 'Agnostic');
  new kms.Key(agnostic, 'Key');
  const stage = new Stage(app, 'Prod', { env: { account: '333333333333', region: 'eu-central-1' } });
  const parent = new Stack(stage, 'Parent');
  const nested = new NestedStack(parent, 'Inner');
  const role = new iam.Role(parent, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
  new kms.Key(nested, 'NestedKey').grantDecrypt(role);
  new kms.Key(parent, 'ParentKey');
  app.synth();
  return outdir;
}

describe('a staged app with a nested stack and an environment-agnostic stack', () => {
  const dir = synthStagedApp();
  const report = reportOfAssembly(dir);

  test('every key of every stack, stage and nested stack, with its environment', () => {
    expect(report.warnings).toEqual([]);
    // In the order of the assembly's manifest: the stage's nested assembly comes first here.
    expect(report.keys.map((k) => [k.id, k.account, k.region])).toEqual([
      [expect.stringMatching(/^Prod\/ProdParent[0-9A-F]{8}\/ParentKey[0-9A-F]{8}$/), '333333333333', 'eu-central-1'],
      [expect.stringMatching(/^Prod\/ProdParent[0-9A-F]{8}\/InnerNestedStackInnerNestedStackResource[0-9A-F]{8}\/NestedKey[0-9A-F]{8}$/), '333333333333', 'eu-central-1'],
      ['Agnostic/Key961B73FD', '<this account>', '<this Region>'],
    ]);
  });

  test('a grant made in the parent stack on the nested key is found through the nested stack\'s outputs', () => {
    const nestedKey = report.keys.find((k) => k.logicalId.startsWith('NestedKey'))!;
    const reader = nestedKey.rows.find((r) => r.label === 'role Prod/Parent/Reader');
    expect(nestedKey.identityPolicies.map((g) => [g.path, g.actions, g.principals.map((p) => [p.label, p.effective])])).toEqual([
      ['Prod/Parent/Reader/DefaultPolicy', ['kms:Decrypt'], [['role Prod/Parent/Reader', ['kms:Decrypt']]]],
    ]);
    expect(reader).toBeUndefined();
  });
});

describe('what cannot be read is said, and the rest is read', () => {
  test('a missing template, a broken template and a nested assembly without manifest', () => {
    const dir = synthStagedApp();
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf-8'));
    manifest.artifacts.Broken = { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Broken.template.json' } };
    manifest.artifacts.Missing = { type: 'aws:cloudformation:stack', properties: { templateFile: 'Missing.template.json' } };
    manifest.artifacts.Gone = { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Gone' } };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    fs.writeFileSync(path.join(dir, 'Broken.template.json'), '{ "Resources": ');
    const { stacks, warnings } = readAssembly(dir);
    expect(stacks.map((s) => s.id)).toContain('Agnostic');
    expect(warnings).toEqual([
      expect.stringMatching(/Broken\.template\.json: not JSON/),
      expect.stringMatching(/Missing\.template\.json: cannot be read \(ENOENT\)/),
      expect.stringMatching(/nested assembly Gone: .*assembly-Gone\/manifest\.json is missing/),
    ]);
  });

  test('one template file is a stack of its own', () => {
    const dir = synthStagedApp();
    const report = reportOfAssembly(path.join(dir, 'Agnostic.template.json'));
    expect(report.keys.map((k) => k.id)).toEqual(['Agnostic/Key961B73FD']);
  });

  test('a key policy chosen at deployment makes every cell depend, none is denied or allowed by guess', () => {
    const dir = tmpDir('intrinsic');
    fs.writeFileSync(path.join(dir, 'Odd.template.json'), JSON.stringify({
      Parameters: { UsePolicyA: { Type: 'String' } },
      Conditions: { A: { 'Fn::Equals': [{ Ref: 'UsePolicyA' }, 'yes'] } },
      Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { 'Fn::If': ['A', { Statement: [] }, { Statement: [] }] } } } },
    }));
    const [key] = reportOfAssembly(path.join(dir, 'Odd.template.json')).keys;
    expect(key.unresolved.length).toBeGreaterThan(0);
    const decrypt = key.rows.find((r) => r.id === 'other-account:any')!.access.find((e) => e.action === 'kms:Decrypt' && e.context === 'direct');
    expect(decrypt?.decision).toBe('depends');
  });

  test.each([
    ['aws://111111111111/us-east-1', { account: '111111111111', region: 'us-east-1' }],
    ['aws://unknown-account/unknown-region', { account: undefined, region: undefined }],
    ['aws://111111111111/unknown-region', { account: '111111111111', region: undefined }],
    [undefined, {}],
  ])('environment %s', (environment, expected) => {
    expect(parseEnvironment(environment)).toEqual(expected);
  });
});
