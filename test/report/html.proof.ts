/**
 * Acceptance: the HTML page renders in a real headless browser (Chromium from Debian's packages).
 * Without Chromium this suite fails: CI installs it (.ci/run).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { synthExample, tmpDir } from './apps';
import { KeyAccessReport } from '../../src';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome'];

function chromium(): string {
  for (const name of CANDIDATES) {
    try {
      return execFileSync('which', [name], { encoding: 'utf-8' }).trim();
    } catch {
      // next
    }
  }
  throw new Error(`no headless browser found (${CANDIDATES.join(', ')}): install Debian's chromium package (apt-get install -y chromium)`);
}

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars', '--no-first-run'];

describe('the HTML page in headless Chromium', () => {
  let page: string;
  let report: KeyAccessReport;
  const out = tmpDir('html');

  beforeAll(() => {
    report = KeyAccessReport.fromAssembly(synthExample());
    page = path.join(out, 'key-access.html');
    fs.writeFileSync(page, report.toHtml());
  });

  test('the browser builds one matrix per key, with every row and a cell per column', () => {
    const dom = execFileSync(chromium(), [...FLAGS, '--dump-dom', `file://${page}`], { encoding: 'utf-8', timeout: 60_000 });
    const data = report._data();
    expect((dom.match(/<table>/g) ?? []).length).toBe(data.keys.length);
    const rows = data.keys.reduce((n, k) => n + k.rows.length, 0);
    expect((dom.match(/<td class="who">/g) ?? []).length).toBe(rows);
    const cells = data.keys.reduce((n, k) => n + k.rows.length * k.columns.length, 0);
    expect((dom.match(/<td class="(allowed|depends|denied)( services)?">/g) ?? []).length).toBe(cells);
    for (const key of data.keys) expect(dom).toContain(`>${key.path}</h2>`);
  });

  test('the page is self-contained: no script and nothing fetched', () => {
    const html = fs.readFileSync(page, 'utf-8');
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
  });

  test('a screenshot is taken (docs: look at it when the page changes)', () => {
    const shot = path.join(out, 'key-access.png');
    execFileSync(chromium(), [...FLAGS, `--screenshot=${shot}`, '--window-size=1500,2400', `file://${page}`], { timeout: 60_000, stdio: 'pipe' });
    const png = fs.readFileSync(shot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(50_000);
    console.log(`screenshot: ${shot}`);
  });
});
