/**
 * Draws the picture of each construct from the example app's cloud assembly.
 *
 *   npx projen docs:diagrams            (synthesizes the example app first)
 *   ts-node --transpile-only -P tsconfig.dev.json projenrc/diagrams/generate.ts [assembly] [--png dir]
 *
 * Writes docs/images/<name>.dot and, through Graphviz `dot`, docs/images/<name>.svg; `--png dir`
 * also writes PNGs there, to look at. The same assembly gives byte-identical files;
 * test/docs/diagrams.proof.ts fails when the checked-in ones are not what the app gives now.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { IMAGES_DIR, renderPictures, sourceComment } from './pictures';

function main(argv: string[]): void {
  const pngAt = argv.indexOf('--png');
  const pngDir = pngAt >= 0 ? argv[pngAt + 1] : undefined;
  const positional = argv.filter((a, i) => !a.startsWith('--') && (pngAt < 0 || i !== pngAt + 1));
  const assembly = positional[0] ?? 'examples/cdk.out';
  if (!fs.existsSync(path.join(assembly, 'manifest.json'))) {
    throw new Error(`No cloud assembly at '${assembly}': run \`npx projen synth:example\` first (docs:diagrams does)`);
  }
  fs.mkdirSync(IMAGES_DIR, { recursive: true });
  if (pngDir) {fs.mkdirSync(pngDir, { recursive: true });}
  for (const [name, dot] of renderPictures(assembly)) {
    const dotFile = path.join(IMAGES_DIR, `${name}.dot`);
    fs.writeFileSync(dotFile, dot);
    const svg = execFileSync('dot', ['-Tsvg', `-Gcomment=${sourceComment(name, dot)}`, dotFile]);
    fs.writeFileSync(path.join(IMAGES_DIR, `${name}.svg`), svg);
    if (pngDir) {execFileSync('dot', ['-Tpng', '-Gdpi=96', dotFile, '-o', path.join(pngDir, `${name}.png`)]);}
    console.log(`${IMAGES_DIR}/${name}.svg`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2));
}
