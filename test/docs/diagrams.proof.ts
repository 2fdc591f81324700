/**
 * The pictures in docs/images are what the example app gives now. Each picture's DOT is drawn
 * again from a fresh synth of the app and must be byte for byte the checked-in one, and each SVG
 * must carry the digest of that DOT (so no Graphviz is needed here). After a change of the app,
 * of a construct or of projenrc/diagrams: `npx projen docs:diagrams`, then look at the pictures.
 */
import * as fs from 'fs';
import * as path from 'path';
import { IMAGES_DIR, PICTURES, renderPictures, sourceDigest } from '../../projenrc/diagrams/pictures';
import { synthExample } from '../report/apps';

const images = path.join(__dirname, '..', '..', IMAGES_DIR);
const drawn = renderPictures(synthExample());
const checkedIn = (file: string) => {
  const at = path.join(images, file);
  return fs.existsSync(at) ? fs.readFileSync(at, 'utf8') : `(no ${IMAGES_DIR}/${file}: run npx projen docs:diagrams)`;
};

describe.each(PICTURES.map(p => [p.name]))('%s', name => {
  test('the checked-in DOT is the one the example app gives', () => {
    expect(checkedIn(`${name}.dot`)).toEqual(drawn.get(name));
  });

  test('the checked-in SVG was drawn from that DOT', () => {
    expect(checkedIn(`${name}.svg`)).toContain(`sha256 ${sourceDigest(drawn.get(name)!)}`);
  });
});

test('docs/images holds the pictures of PICTURES and nothing else (no picture of a construct that is gone)', () => {
  const expected = PICTURES.flatMap(p => [`${p.name}.dot`, `${p.name}.svg`]).sort();
  expect(fs.readdirSync(images).sort()).toEqual(expected);
});

test('every construct of the README has its picture, each of an instance of its own', () => {
  expect(PICTURES.map(p => p.construct).sort()).toEqual(
    ['EncryptedBucket', 'EncryptedQueue', 'EncryptedTable', 'KeyAuditTrail', 'MultiRegionKeySet', 'SeparatedDutyKey']);
  expect(new Set(PICTURES.map(p => p.instance)).size).toBe(PICTURES.length);
});
