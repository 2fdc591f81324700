/**
 * The gate's kinds of change, on small hand-made reports: each widening kind fails, every
 * narrowing passes.
 */
import { compareReports } from '../../src/report/compare';
import { columnsFor } from '../../src/report/matrix';
import { AccessEntry, KeyAccess, KeyAccessReportData, MatrixRow, REPORT_SCHEMA } from '../../src/report/model';

const entry = (action: string, context: string, decision: 'allowed' | 'depends'): AccessEntry => ({ action, context, decision, because: [] });
const row = (id: string, access: AccessEntry[]): MatrixRow => ({ id, kind: 'named', label: id, access });
const key = (id: string, rows: MatrixRow[]): KeyAccess => ({
  id,
  stack: 'S',
  logicalId: id,
  path: `S/${id}`,
  type: 'AWS::KMS::Key',
  account: '111111111111',
  region: 'us-east-1',
  usage: 'ENCRYPT_DECRYPT',
  policySource: 'template',
  unresolved: [],
  columns: columnsFor('ENCRYPT_DECRYPT'),
  rows,
  identityPolicies: [],
});
const report = (...keys: KeyAccess[]): KeyAccessReportData => ({ schema: REPORT_SCHEMA, source: 'x', keys, warnings: [] });

const base = report(key('K', [row('reader', [entry('kms:Decrypt', 'via s3.us-east-1.amazonaws.com', 'allowed'), entry('kms:Encrypt', 'direct', 'depends')])]));

test.each<[string, KeyAccessReportData, string[]]>([
  ['the same report', base, []],
  ['depends → allowed', report(key('K', [row('reader', [entry('kms:Decrypt', 'via s3.us-east-1.amazonaws.com', 'allowed'), entry('kms:Encrypt', 'direct', 'allowed')])])),
    ['depends → allowed Encrypt kms:Encrypt direct']],
  ['a new action', report(key('K', [row('reader', [...base.keys[0].rows[0].access, entry('kms:ReEncryptFrom', 'direct', 'depends')])])),
    ['new action ReEncrypt* kms:ReEncryptFrom direct']],
  ['another service', report(key('K', [row('reader', [...base.keys[0].rows[0].access, entry('kms:Decrypt', 'via sqs.us-east-1.amazonaws.com', 'allowed')])])),
    ['another service Use through services kms:Decrypt via sqs.us-east-1.amazonaws.com']],
  ['a new principal', report(key('K', [...base.keys[0].rows, row('writer', [entry('kms:Encrypt', 'direct', 'allowed')])])),
    ['new principal Encrypt kms:Encrypt direct']],
  ['a new key', report(base.keys[0], key('L', [row('reader', [entry('kms:PutKeyPolicy', 'direct', 'allowed')])])),
    ['new key Change policy kms:PutKeyPolicy direct']],
])('%s', (_name, current, widenings) => {
  const comparison = compareReports(base, current);
  expect(comparison.widenings.map((w) => `${w.kind} ${w.column} ${w.action} ${w.context}`)).toEqual(widenings);
});

test.each<[string, KeyAccessReportData]>([
  ['allowed → depends', report(key('K', [row('reader', [entry('kms:Decrypt', 'via s3.us-east-1.amazonaws.com', 'depends'), entry('kms:Encrypt', 'direct', 'depends')])]))],
  ['an action fewer', report(key('K', [row('reader', [entry('kms:Encrypt', 'direct', 'depends')])]))],
  ['a principal fewer', report(key('K', []))],
  ['a key fewer', report()],
])('a narrowing passes: %s', (_name, current) => {
  const comparison = compareReports(base, current);
  expect(comparison.widenings).toEqual([]);
  expect(comparison.narrowings.length).toBeGreaterThan(0);
});
