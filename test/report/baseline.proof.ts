/**
 * Acceptance: the gate. One more `grantDecrypt` in the example app fails `--baseline` and names
 * the cell; one fewer passes. Both directions on assemblies synthesized into fresh directories.
 */
import * as fs from 'fs';
import * as path from 'path';
import { grantAuditorDecrypt, synthExample, tmpDir } from './apps';
import { KeyAccessReport } from '../../src';
import { main } from '../../src/report/cli';

function run(args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = main(args, (t) => { stdout += t; }, (t) => { stderr += t; });
  return { status, stdout, stderr };
}

describe('--baseline', () => {
  let before: string;
  let after: string;

  beforeAll(() => {
    before = synthExample();
    after = synthExample(grantAuditorDecrypt);
  });

  test('one more grantDecrypt fails, and names the key, the principal and the Decrypt cell', () => {
    const { status, stderr } = run(['report', after, '--baseline', before]);
    expect(status).toBe(1);
    const lines = stderr.split('\n').filter((l) => l.startsWith('  '));
    // The grant has no kms:ViaService condition: the auditor may now decrypt directly, and through any service.
    expect(lines).toEqual([
      '  KmsGuardrailsData/OrderDocuments/Key · role KmsGuardrailsData/Auditor · Decrypt (kms:Decrypt, direct): denied → allowed [new action]',
      '  KmsGuardrailsData/OrderDocuments/Key · role KmsGuardrailsData/Auditor · Use through services (kms:Decrypt, via another service): denied → allowed [another service]',
    ]);
  });

  test('one grantDecrypt fewer passes, and is counted as a narrowing', () => {
    const { status, stderr } = run(['report', before, '--baseline', after]);
    expect(stderr).toContain('No key access widened');
    expect(stderr).toContain('(2 narrowing(s))');
    expect(status).toBe(0);
  });

  test('a report JSON written earlier serves as the baseline', () => {
    const file = path.join(tmpDir('baseline'), 'key-access.json');
    expect(run(['report', before, '--format', 'json', '--output', file]).status).toBe(0);
    const { status, stderr } = run(['report', after, '--baseline', file]);
    expect(status).toBe(1);
    expect(stderr).toContain('role KmsGuardrailsData/Auditor · Decrypt (kms:Decrypt, direct): denied → allowed [new action]');
  });

  test('the same assembly passes against itself', () => {
    expect(run(['report', before, '--baseline', before]).status).toBe(0);
  });

  test('the jest helper says the same', () => {
    const baseline = KeyAccessReport.fromAssembly(before);
    const current = KeyAccessReport.fromAssembly(after);
    expect(() => KeyAccessReport.assertNoWidening(current, baseline)).toThrow(
      /role KmsGuardrailsData\/Auditor · Decrypt \(kms:Decrypt, direct\): denied → allowed \[new action\]/);
    expect(() => KeyAccessReport.assertNoWidening(baseline, current)).not.toThrow();
    const comparison = current.compareWith(baseline);
    expect(comparison.widenings.map((w) => [w.kind, w.key, w.principal, w.column, w.before, w.after])).toEqual([
      ['new action', 'KmsGuardrailsData/OrderDocumentsKey4BB7BF8C', 'role KmsGuardrailsData/Auditor', 'Decrypt', 'denied', 'allowed'],
      ['another service', 'KmsGuardrailsData/OrderDocumentsKey4BB7BF8C', 'role KmsGuardrailsData/Auditor', 'Use through services', 'denied', 'allowed'],
    ]);
    expect(KeyAccessReport.fromJson(current.toJson()).compareWith(current).passed).toBe(true);
  });
});

describe('the command', () => {
  test('bad usage exits 2 with the usage text', () => {
    const { status, stderr } = run(['report', '--format', 'pdf']);
    expect(status).toBe(2);
    expect(stderr).toContain('--format must be markdown, json or html');
  });

  test('a directory without manifest.json exits 2 and says what it wants', () => {
    const { status, stderr } = run(['report', tmpDir('empty')]);
    expect(status).toBe(2);
    expect(stderr).toContain('no manifest.json');
  });

  test('a baseline of another schema is refused, not misread', () => {
    const file = path.join(tmpDir('schema'), 'old.json');
    fs.writeFileSync(file, JSON.stringify({ schema: 'something-else', keys: [] }));
    const { status, stderr } = run(['report', tmpDir('x'), '--baseline', file]);
    expect(status).toBe(2);
    void stderr;
  });
});
