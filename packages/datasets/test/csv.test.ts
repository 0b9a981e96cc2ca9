import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCsv } from '../src/node.js';
import { tempDir } from './helpers/fixture-dataset.js';
import { put } from './helpers/image-files.js';

/** A Kaggle-style CSV: header `label,pixel0,…`, then rows of a label and 16 pixels (4×4). */
function kaggleCsv(rows: number, header = true): string {
  const lines = header ? [['label', ...Array.from({ length: 16 }, (_, i) => `pixel${i}`)].join(',')] : [];
  for (let r = 0; r < rows; r++) lines.push([r % 3, ...Array.from({ length: 16 }, (_, i) => (r + i * 7) % 256)].join(','));
  return `${lines.join('\n')}\n`;
}

describe('loadCsv', () => {
  it('reads label + pixel columns with a header, shapes square rows as 1×n×n, holds out a fixed-seed test set', async () => {
    const dir = await tempDir('scratchnet-csv-');
    const file = join(dir, 'train.csv');
    await put(file, kaggleCsv(30));
    const loaded = await loadCsv(file);
    expect(loaded.header).toBe(true);
    expect(loaded.shape).toEqual([1, 4, 4]);
    expect(loaded.classNames).toEqual(['0', '1', '2']);
    expect(loaded.train.size).toBe(27);
    expect(loaded.test.size).toBe(3);
    // Row r's first pixel is r: find row 1 wherever the split put it.
    const all = [loaded.train, loaded.test].flatMap((d) => Array.from({ length: d.size }, (_, i) => d.image(i)));
    const row1 = all.find((v) => v.pixels[0] === 1)!;
    expect(row1.label).toBe(1);
    expect(Array.from(row1.pixels)).toEqual(Array.from({ length: 16 }, (_, i) => 1 + i * 7));
    // Same file, same split.
    const again = await loadCsv(file);
    expect(Buffer.from(again.test.images).equals(Buffer.from(loaded.test.images))).toBe(true);
  });

  it('no header, a test file, string labels, a label column by name, 0–1 floats', async () => {
    const dir = await tempDir('scratchnet-csv-');
    await put(join(dir, 'a.csv'), kaggleCsv(5, false));
    await put(join(dir, 'b.csv'), kaggleCsv(4, false));
    const two = await loadCsv(join(dir, 'a.csv'), { testFile: join(dir, 'b.csv') });
    expect([two.header, two.train.size, two.test.size]).toEqual([false, 5, 4]);
    await put(join(dir, 'c.csv'), 'r,g,b,kind\n"0.5",0,1,cat\n0,0,0,dog\n1,1,1,cat\n');
    const named = await loadCsv(join(dir, 'c.csv'), { labelColumn: 'kind', shape: [3, 1, 1], testSplit: 1 });
    expect(named.classNames).toEqual(['cat', 'dog']);
    const rows = [named.train, named.test].flatMap((d) => Array.from({ length: d.size }, (_, i) => [d.image(i).className, ...d.image(i).pixels]));
    expect(rows.sort()).toEqual([['cat', 128, 0, 255], ['cat', 255, 255, 255], ['dog', 0, 0, 0]].sort());
  });

  it('a ragged row, a non-numeric cell, a value out of range and an empty file are one-line BAD_CSV errors naming the line', async () => {
    const dir = await tempDir('scratchnet-csv-');
    const lines = kaggleCsv(6).trim().split('\n');
    const cases: Array<[string, string[], RegExp]> = [
      ['ragged.csv', [...lines.slice(0, 4), `${lines[4]},7`, ...lines.slice(5)], /ragged\.csv:5: has 18 cells where the header has 17; every row needs a label and the same number of pixel values$/],
      ['text.csv', [...lines.slice(0, 3), lines[3].replace(/,(\d+)$/, ',abc')], /text\.csv:4: column 17 is 'abc', not a number; pixel values must be numbers/],
      ['range.csv', [...lines.slice(0, 2), lines[2].replace(/^(\d+),\d+/, '$1,300')], /range\.csv:3: column 2 is 300, outside 0–255/],
    ];
    for (const [name, content, message] of cases) {
      await put(join(dir, name), `${content.join('\n')}\n`);
      const error = await loadCsv(join(dir, name)).catch((e) => e);
      expect(error.code, name).toBe('BAD_CSV');
      expect(error.message, name).toMatch(message);
      expect(error.message, name).not.toContain('\n');
    }
    await put(join(dir, 'empty.csv'), '');
    expect((await loadCsv(join(dir, 'empty.csv')).catch((e) => e)).code).toBe('NOT_ENOUGH_DATA');
  });
});
