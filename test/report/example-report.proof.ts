/**
 * The example app's key-access report, whole: any change of who can do what with its keys shows
 * in the diff. Update on purpose (`npx projen test:update`) and read every changed cell.
 */
import { synthExample, synthPlainKeys } from './apps';
import { reportOfAssembly } from '../../src/report/report';

test('the report JSON of the example app', () => {
  const report = reportOfAssembly(synthExample());
  expect(JSON.parse(JSON.stringify({ ...report, source: 'cdk.out' }))).toMatchSnapshot();
});

test('the plain kms.Key app: the identity side names each IAM policy, and whether the key policy lets it count', () => {
  const report = reportOfAssembly(synthPlainKeys());
  const grants = report.keys.flatMap((k) => k.identityPolicies.map((g) => `${k.path} ← ${g.path} ${g.statement}: ` +
    `${g.actions.length === 1 ? g.actions[0] : `${g.actions.length} actions`} on ${g.resource} → ` +
    g.principals.map((p) => `${p.label} (${p.effective.length} in effect)`).join(', ')));
  expect(grants).toMatchSnapshot();
  const defaultKey = report.keys.find((k) => k.logicalId === 'NoPolicy')!;
  expect(defaultKey.policySource).toBe('kms-default');
  expect(defaultKey.rows.find((r) => r.id === 'account:with-iam-policy')!.access.map((e) => e.action)).toContain('kms:Decrypt');
});
