/**
 * Acceptance: on the example app and on an app of plain `kms.Key`s, the matrix of every key agrees,
 * cell by cell, with the IAM evaluation engine wherever the report is definite (engine-check.ts).
 */
import { synthExample, synthPlainKeys } from './apps';
import { crossCheck, CheckResult } from './engine-check';
import { reportOfAssembly } from '../../src/report/report';

jest.mock('@cloud-copilot/iam-utils', () =>
  jest.requireActual('../policy/engine-memo').withMemoizedResourceTypes(jest.requireActual('@cloud-copilot/iam-utils')));
jest.mock('@cloud-copilot/iam-simulate', () =>
  jest.requireActual('../policy/engine-memo').withMemoizedContextKeys(jest.requireActual('@cloud-copilot/iam-simulate')));

function summary(name: string, result: CheckResult): string {
  return `${name}: ${result.cells} cells, ${result.engineRequests} engine requests, ${result.disagreements.length} disagreements, ` +
    `${result.depends} depends (${result.dependsWhereDefinite} where the engine is definite)`;
}

describe.each([
  ['the example app', () => synthExample()],
  ['an app of plain kms.Keys', () => synthPlainKeys()],
])('%s', (name, synth) => {
  let result: CheckResult;
  let keys: number;

  beforeAll(async () => {
    const dir = synth();
    const report = reportOfAssembly(dir);
    keys = report.keys.length;
    result = await crossCheck(dir, report);
    // The figures the acceptance note quotes.
    console.log(summary(name, result));
  });

  test('every key has a matrix, and every cell was asked of the engine', () => {
    expect(keys).toBeGreaterThanOrEqual(6);
    expect(result.cells).toBeGreaterThan(keys * 50);
  });

  test('no definite cell disagrees with the engine', () => {
    expect(result.disagreements.slice(0, 20)).toEqual([]);
  });
});
