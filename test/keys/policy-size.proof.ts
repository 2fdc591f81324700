import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SeparatedDutyKey } from '../../src';

/**
 * The key policy size check counts what the template fixes exactly (a role of the app with a
 * literal name and path is an ARN of known length) and estimates the rest, and says which.
 */
const ENV = { account: '111111111111', region: 'us-east-1' };
const PATH = `/${'p'.repeat(396)}/`; // 398 characters, within IAM's 512

function keyWithRoles(count: number, named: boolean) {
  const app = new App();
  const stack = new Stack(app, 'S', { env: ENV });
  const key = new SeparatedDutyKey(stack, 'Key', { alias: 'key' });
  for (let i = 0; i < count; i++) {
    const role = new iam.Role(stack, `Role${i}`, {
      assumedBy: new iam.AccountRootPrincipal(),
      path: named ? PATH : undefined,
      roleName: named ? `application-${i}` : undefined,
    });
    key.grantDecrypt(role);
  }
  return { app, key };
}

test('45 roles of the stack with a 398-character path are counted exactly, and fail synth', () => {
  const { app } = keyWithRoles(45, true);
  expect(() => app.synth()).toThrow(/SeparatedDutyKey at 'S\/Key': the key policy is \d+ bytes in \d+ statements \(counted exactly: .*\), over the KMS limit of 32768 bytes/);
});

test('the count is exact: it matches the policy as CloudFormation will write it', () => {
  const { key } = keyWithRoles(3, true);
  const size = key._policy.size();
  const arn = (i: number) => `arn:aws-us-gov:iam::111111111111:role${PATH}application-${i}`;
  const policy = JSON.stringify(Stack.of(key).resolve(key._policy.render()), (_k, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && v['Fn::GetAtt']) return arn(Number(/^Role(\d+)[A-F0-9]{8}$/.exec(v['Fn::GetAtt'][0])![1]));
    if (v && typeof v === 'object' && !Array.isArray(v) && v['Fn::Join']) {
      return v['Fn::Join'][1].map((p: any) => typeof p === 'string' ? p : p.Ref === 'AWS::Partition' ? 'aws-us-gov' : p.Ref === 'AWS::Region' ? 'us-east-1' : '111111111111').join(v['Fn::Join'][0]);
    }
    if (v && typeof v === 'object' && v.Ref === 'AWS::AccountId') return '111111111111';
    return v;
  });
  expect(size.exact).toBe(true);
  expect(size.bytes).toBe(Buffer.byteLength(policy));
});

test('roles with names CloudFormation generates are estimated, and the message says so', () => {
  const { key } = keyWithRoles(3, false);
  expect(key._policy.size().exact).toBe(false);
  for (let i = 0; i < 400; i++) key.grantDecrypt(new iam.ArnPrincipal(`arn:aws:iam::111111111111:role/application-role-with-a-long-name-${i}`));
  // Each generated role ARN appears twice: in the usage statement and in the Deny of administration.
  expect(() => (key.node.root as App).synth())
    .toThrow(/the key policy is about \d+ bytes in \d+ statements \(estimated: 6 values known only at deployment counted as 100 bytes each\)/);
});
