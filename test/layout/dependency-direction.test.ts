import * as fs from 'fs';
import * as path from 'path';

/**
 * Dependencies run one way (DESIGN.md, Layout): resources/ stands on audit/ (resources register
 * with the trail) and keys/; audit/ stands on keys/ and never on resources/. What both need
 * lives below both (src/private).
 */
const SRC = path.join(__dirname, '..', '..', 'src');

function importsOf(dir: string): Array<{ file: string; target: string }> {
  const out: Array<{ file: string; target: string }> = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {out.push(...importsOf(full));} else if (entry.name.endsWith('.ts')) {
      for (const [, spec] of fs.readFileSync(full, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        out.push({ file: path.relative(SRC, full), target: path.relative(SRC, path.resolve(path.dirname(full), spec)) });
      }
    }
  }
  return out;
}

test('nothing under src/audit imports from src/resources', () => {
  const upward = importsOf(path.join(SRC, 'audit')).filter(i => i.target.startsWith(`resources${path.sep}`) || i.target === 'resources');
  expect(upward).toEqual([]);
});

test('nothing under src/keys imports from src/resources or src/audit', () => {
  const upward = importsOf(path.join(SRC, 'keys')).filter(i => /^(resources|audit)(\/|$)/.test(i.target));
  expect(upward).toEqual([]);
});

test('the test can see an import: src/resources imports the trail (where resources and the trail meet)', () => {
  expect(importsOf(path.join(SRC, 'resources')).map(i => i.target)).toContain(path.join('audit', 'key-audit-trail'));
});
