import { buildExampleApp } from '../../examples/app';
import { KmsGuardrailsChecks } from '../../src';

/**
 * The whole synthesized example app. Its main job is to catch unintended changes, above all a
 * changed logical id of a key, bucket, queue or table, which would replace that resource (and
 * lose its data) in a user's account. Update it only on purpose: `npx projen test:update`, then
 * read every changed logical id in the diff.
 */
describe('example app', () => {
  const assembly = buildExampleApp().synth();

  test.each(assembly.stacks.map(s => [s.stackName, s]))('%s template', (_name, stack) => {
    expect(stack.template).toMatchSnapshot();
  });

  test('the three-Region set deploys in order: primary key, replica keys, then the global table', () => {
    const before = (name: string) => assembly.getStackByName(name).dependencies.map(d => d.id).filter(id => !id.endsWith('.assets')).sort();
    expect(before('CustomerKeysUsEast1')).toEqual([]);
    expect(before('CustomerKeysEuWest1')).toEqual(['CustomerKeysUsEast1']);
    expect(before('CustomerKeysApSoutheast2')).toEqual(['CustomerKeysUsEast1']);
    expect(before('CustomerTables')).toEqual(['CustomerKeysApSoutheast2', 'CustomerKeysEuWest1', 'CustomerKeysUsEast1']);
  });

  test('stateful resources keep their logical ids and are retained', () => {
    const stateful = ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey', 'AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'];
    const ids = assembly.stacks.flatMap(stack => Object.entries<any>(stack.template.Resources)
      .filter(([, r]) => stateful.includes(r.Type))
      .map(([id, r]) => `${stack.stackName}/${id} ${r.Type} ${r.DeletionPolicy}`));
    expect(ids).toMatchSnapshot();
  });

  test('KmsGuardrailsChecks finds nothing on an app built from our constructs, and nothing acknowledges its rules', () => {
    const app = buildExampleApp();
    app.synth();
    expect(new KmsGuardrailsChecks(app).validateScope(app).violations).toEqual([]);
    const acknowledged = app.node.findAll()
      .flatMap(c => c.node.metadata.filter(m => m.type === 'aws:cdk:acknowledged-rules').map(m => Object.keys(m.data as object)))
      .flat();
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(acknowledged.filter(id => id.includes('KMSG'))).toEqual([]);
  });
});
