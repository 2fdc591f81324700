import { buildExampleApp } from '../../examples/app';
import { KmsGuardrailsChecks } from '../../src';

/**
 * Lambda functions whose code is aws-cdk-lib's, not ours: the handlers of CDK's cross-Region
 * references (`crossRegionReferences: true`, which `MultiRegionKeySet` needs). Their asset hash
 * changes whenever aws-cdk-lib changes the handler or the entrypoint it shares with every
 * custom-resource provider (2.276.0 did), so the snapshot holds a placeholder for that one value;
 * everything else about them, and every other resource, stays pinned exactly.
 */
const CDK_OWNED_HANDLER = /^CustomCrossRegionExport(Reader|Writer)CustomResourceProviderHandler[0-9A-F]{8}$/;

function withoutCdkOwnedAssetHashes(template: any): any {
  const copy = JSON.parse(JSON.stringify(template));
  for (const [id, resource] of Object.entries<any>(copy.Resources ?? {})) {
    if (resource.Type !== 'AWS::Lambda::Function' || !CDK_OWNED_HANDLER.test(id)) continue;
    expect(resource.Properties.Code.S3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
    resource.Properties.Code.S3Key = '<asset hash of aws-cdk-lib\'s handler>.zip';
  }
  return copy;
}

/**
 * The whole synthesized example app. Its main job is to catch unintended changes, above all a
 * changed logical id of a key, bucket, queue or table, which would replace that resource (and
 * lose its data) in a user's account. Update it only on purpose: `npx projen test:update`, then
 * read every changed logical id in the diff.
 */
describe('example app', () => {
  const assembly = buildExampleApp().synth();

  test.each(assembly.stacks.map(s => [s.stackName, s]))('%s template', (_name, stack) => {
    expect(withoutCdkOwnedAssetHashes(stack.template)).toMatchSnapshot();
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
