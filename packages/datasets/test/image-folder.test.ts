import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadImageFolder } from '../src/node.js';
import { tempDir } from './helpers/fixture-dataset.js';
import { jpegBytes, pngBytes, put } from './helpers/image-files.js';

const grey = (v: number) => () => [v, v, v] as [number, number, number];

describe('loadImageFolder', () => {
  it('reads class subfolders of grey PNGs at their own size, class names from the folders, a seeded test split', async () => {
    const dir = await tempDir('scratchnet-folder-');
    for (let i = 0; i < 10; i++) {
      await put(join(dir, 'circle', `${i}.png`), pngBytes(28, 28, grey(10 + i), true));
      await put(join(dir, 'square', `${i}.png`), pngBytes(28, 28, grey(200 + i), true));
    }
    const cacheDir = await tempDir('scratchnet-folder-cache-');
    const loaded = await loadImageFolder(dir, { cacheDir });
    expect(loaded.classNames).toEqual(['circle', 'square']);
    expect(loaded.shape).toEqual([1, 28, 28]);
    expect(loaded.train.size + loaded.test.size).toBe(20);
    expect(loaded.test.size).toBe(2);
    expect(loaded.hasTestFolder).toBe(false);
    expect(loaded.fromCache).toBe(false);
    // Every image is uniform: its bytes are its grey value, and its label matches.
    for (const set of [loaded.train, loaded.test]) {
      for (let i = 0; i < set.size; i++) {
        const { pixels, label } = set.image(i);
        expect(label).toBe(pixels[0] >= 200 ? 1 : 0);
        expect(pixels.every((p) => p === pixels[0])).toBe(true);
      }
    }
    const again = await loadImageFolder(dir, { cacheDir });
    expect(again.fromCache).toBe(true);
    expect(Buffer.from(again.train.images).equals(Buffer.from(loaded.train.images))).toBe(true);
    expect(Buffer.from(again.test.images).equals(Buffer.from(loaded.test.images))).toBe(true);
    // A changed file (its mtime here) is a new cache key: decoded again.
    await utimes(join(dir, 'circle', '3.png'), new Date(), new Date(2001, 1, 1));
    expect((await loadImageFolder(dir, { cacheDir })).fromCache).toBe(false);
  });

  it('colour, mixed sizes and modes, PNG and JPEG: 3 channels by default, resized by area; --channels 1 gives luma', async () => {
    const dir = await tempDir('scratchnet-folder-');
    for (const split of ['train', 'test']) {
      await put(join(dir, split, 'red', 'a.png'), pngBytes(32, 32, () => [250, 0, 0]));
      await put(join(dir, split, 'red', 'b.jpg'), jpegBytes(64, 48, () => [250, 0, 0]));
      await put(join(dir, split, 'grey', 'c.png'), pngBytes(16, 16, grey(128), true));
      // Left half black, right half white: shrinking 64 → 32 keeps the edge sharp; 63 wide makes a mixed column.
      await put(join(dir, split, 'grey', 'd.png'), pngBytes(64, 64, (x) => (x < 32 ? [0, 0, 0] : [255, 255, 255])));
    }
    const loaded = await loadImageFolder(dir, { cache: false, imageSize: [32, 32] });
    expect(loaded.hasTestFolder).toBe(true);
    expect(loaded.classNames).toEqual(['grey', 'red']);
    expect(loaded.shape).toEqual([3, 32, 32]);
    expect(loaded.train.size).toBe(4);
    expect(loaded.test.size).toBe(4);
    const byName = (i: number) => loaded.train.image(i);
    // Sorted order: grey/c.png, grey/d.png, red/a.png, red/b.jpg.
    expect(Array.from(byName(0).pixels.subarray(0, 3))).toEqual([128, 128, 128]);
    const edge = byName(1).pixels;
    expect([edge[15], edge[16]]).toEqual([0, 255]);
    const red = byName(2).pixels;
    expect([red[0], red[1024], red[2048]]).toEqual([250, 0, 0]);
    const jpegRed = byName(3).pixels;
    expect(Math.abs(jpegRed[500] - 250)).toBeLessThan(6);
    expect(jpegRed[1024 + 500]).toBeLessThan(6);

    const greyOnly = await loadImageFolder(dir, { cache: false, imageSize: 8, channels: 1 });
    expect(greyOnly.shape).toEqual([1, 8, 8]);
    // Luma of (250, 0, 0) is 0.299 · 250 = 74.75.
    expect(greyOnly.train.image(2).pixels[0]).toBe(75);
  });

  it('classes.txt fixes the class order', async () => {
    const dir = await tempDir('scratchnet-folder-');
    for (const name of ['apple', 'banana', 'cherry']) for (let i = 0; i < 5; i++) await put(join(dir, name, `${i}.png`), pngBytes(4, 4, grey(i), true));
    await put(join(dir, 'classes.txt'), 'cherry\napple\n\nbanana\n');
    const loaded = await loadImageFolder(dir, { cache: false });
    expect(loaded.classNames).toEqual(['cherry', 'apple', 'banana']);
    expect(loaded.train.classCounts().map((n, c) => n + loaded.test.classCounts()[c])).toEqual([5, 5, 5]);
  });
});

describe('loadImageFolder on hostile folders: a counted skip or a one-line error saying what to do', () => {
  it('non-image files are skipped and counted; truncated and corrupt images are skipped and counted, naming one', async () => {
    const dir = await tempDir('scratchnet-folder-');
    for (const name of ['a', 'b']) for (let i = 0; i < 4; i++) await put(join(dir, name, `${i}.png`), pngBytes(8, 8, grey(i * 10), true));
    await put(join(dir, 'a', 'notes.txt'), 'hello');
    await put(join(dir, 'b', '.DS_Store'), 'x');
    const good = pngBytes(8, 8, grey(7), true);
    await put(join(dir, 'a', 'truncated.png'), good.subarray(0, good.length - 20));
    await put(join(dir, 'b', 'fake.jpg'), 'not a jpeg at all');
    const notices: string[] = [];
    const loaded = await loadImageFolder(dir, { cache: false, onNotice: (m) => notices.push(m) });
    expect(loaded.skipped).toEqual({ nonImages: 2, unreadable: 2 });
    expect(loaded.train.size + loaded.test.size).toBe(8);
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatch(/skipped 2 files that are not PNG or JPEG \(e\.g\. a\/notes\.txt\)$/);
    expect(notices[1]).toMatch(/skipped 2 images that could not be decoded \(e\.g\. a\/truncated\.png: .+\); re-save or remove them$/);
    for (const n of notices) expect(n).not.toContain('\n');
  });

  it('a single class, no classes, and an empty class are NOT_ENOUGH_DATA errors that say what to do', async () => {
    const one = await tempDir('scratchnet-folder-');
    await put(join(one, 'only', '0.png'), pngBytes(4, 4, grey(1), true));
    const single = await loadImageFolder(one, { cache: false }).catch((e) => e);
    expect(single.code).toBe('NOT_ENOUGH_DATA');
    expect(single.message).toMatch(/one class folder \('only'\); a classifier needs at least two: put each class's images in a subfolder/);
    const none = await loadImageFolder(await tempDir('scratchnet-folder-'), { cache: false }).catch((e) => e);
    expect(none.message).toMatch(/found no class folders/);
    await put(join(one, 'empty', 'readme.md'), 'nothing here');
    const empty = await loadImageFolder(one, { cache: false }).catch((e) => e);
    expect(empty.code).toBe('NOT_ENOUGH_DATA');
    expect(empty.message).toMatch(/class 'empty' has no PNG or JPEG images; add images or remove the folder$/);
    // Images that all fail to decode leave the class empty too.
    await put(join(one, 'empty', 'x.png'), 'garbage');
    const undecodable = await loadImageFolder(one, { cache: false }).catch((e) => e);
    expect(undecodable.message).toMatch(/no image of class 'empty' could be decoded \(e\.g\. empty\/x\.png: .+\); re-save them as PNG or JPEG$/);
  });
});
