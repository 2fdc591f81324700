import { aws_iam as iam } from 'aws-cdk-lib';
import { keyWithStatements } from './fixtures';
import { newStack, rulesAt } from './nag-test-util';

const SIZE_RULES = ['KMSG-KMS10', 'KMSG-KMS11'];

/** Deny statements of about `bytes` bytes in all: size without touching the grant rules. */
function padding(bytes: number): unknown[] {
  const statements: unknown[] = [];
  for (let i = 0; bytes > 0; i++, bytes -= 1_000) {
    statements.push({ Sid: `Pad${i}${'x'.repeat(900)}`, Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111122223333:role/Nobody' }, Action: 'kms:Sign', Resource: '*' });
  }
  return statements;
}

function sizeRules(build: (stack: ReturnType<typeof newStack>['stack']) => unknown[]): string[] {
  const { app, stack } = newStack();
  keyWithStatements(stack, build(stack));
  return rulesAt(app, 'Stack/Key').filter((r) => SIZE_RULES.includes(r));
}

describe('KMSG-KMS10 / KMSG-KMS11: key policy size', () => {
  test('a small policy is compliant', () => {
    expect(sizeRules(() => padding(5_000))).toEqual([]);
  });

  test('a policy over 32,768 bytes is KMS10 (and not also KMS11)', () => {
    expect(sizeRules(() => padding(33_000))).toEqual(['KMSG-KMS10']);
  });

  test('a policy between 90% and 100% of the limit is KMS11', () => {
    expect(sizeRules(() => padding(30_500))).toEqual(['KMSG-KMS11']);
  });

  test('tokens are measured at their resolved length, not as written', () => {
    // 150 role ARNs: as written ({"Fn::GetAtt": [...]}) they would push 26 KB over the limit;
    // resolved they are between 20 and 160 bytes each, so the policy may exceed 90% but not surely 100%.
    expect(sizeRules((stack) => [...padding(21_000), {
      Effect: 'Allow',
      Principal: { AWS: Array.from({ length: 150 }, (_, i) => new iam.Role(stack, `R${i}`, { assumedBy: new iam.AccountRootPrincipal() }).roleArn) },
      Action: 'kms:DescribeKey',
      Resource: '*',
    }])).toEqual(['KMSG-KMS11']);
  });

  test('pseudo parameters count at their shortest for KMS10', () => {
    // Each Fn::Join root ARN is 77 bytes as written and at least 30 resolved.
    const root = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] };
    expect(sizeRules(() => [...padding(26_000), { Effect: 'Deny', Principal: { AWS: Array(100).fill(root) }, Action: 'kms:Sign', Resource: '*' }]))
      .toEqual(['KMSG-KMS11']);
  });
});
