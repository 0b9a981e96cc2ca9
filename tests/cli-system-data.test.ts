import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, OFFLINE, runCli, startHarness } from './cli-harness.js';

/**
 * System data dirs (Debian's /usr/share/datasets) are configurable with
 * SCRATCHNET_SYSTEM_DATA_DIRS, and the tests set it to '' so an installed dataset-fashion-mnist
 * cannot turn the "uncached data set while offline" failure into a successful run. Here a fake
 * "system" folder proves both sides: the CLI uses it when pointed at it, and ignores it otherwise.
 */
let h: Harness;
let system: string;
beforeAll(async () => {
  h = await startHarness({ train: 100, test: 50 });
  system = join(h.root, 'system');
  // The tiny set (registered with its digests) and a synthetic Fashion-MNIST with the official
  // file names and valid IDX structure, which cannot match the published digests.
  for (const name of ['tiny', 'fashion-mnist']) {
    mkdirSync(join(system, name), { recursive: true });
    cpSync(h.mirrorDir, join(system, name), { recursive: true });
  }
});
afterAll(() => h?.close());

const trainTiny = ['train', '--dataset', 'tiny', '--arch', '784-8-5', '--epochs', '1'];
const trainFashion = ['train', '--dataset', 'fashion-mnist', '--train-limit', '50', '--epochs', '1'];
const cached = (name: string) => existsSync(join(h.env.SCRATCHNET_CACHE_DIR!, 'datasets', name));

describe('SCRATCHNET_SYSTEM_DATA_DIRS', () => {
  it('is empty in the shared harness, so no CLI test sees the machine’s /usr/share/datasets', () => {
    expect(h.env.SCRATCHNET_SYSTEM_DATA_DIRS).toBe('');
    expect(process.env.SCRATCHNET_SYSTEM_DATA_DIRS).toBe(''); // tests/setup-env.ts, for children that inherit it
  });

  it('offline, a data set in the fake system folder is trained on from there (nothing cached)', async () => {
    const run = await runCli(h, [...trainTiny, '--out', 'system.safetensors'], { env: { ...OFFLINE, SCRATCHNET_SYSTEM_DATA_DIRS: system } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/error|warning/); // progress only
    expect(cached('tiny')).toBe(false);
    const info = await runCli(h, ['info', 'system.safetensors']);
    expect(info.stdout).toContain('tiny (local)');
  });

  it('offline with no system dirs, the same data set is "not in the cache", exit 1', async () => {
    const run = await runCli(h, [...trainTiny, '--out', 'none.safetensors'], { env: OFFLINE });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^(?:loading [^\n]*\n)*error: .*not in the cache .* downloads are off/);
    expect(existsSync(join(h.root, 'none.safetensors'))).toBe(false);
  });

  it('fashion-mnist: a system copy is consulted only when pointed at (and verified, so a fake one is refused)', async () => {
    const pointed = await runCli(h, [...trainFashion, '--out', 'f1.safetensors'], { env: { ...OFFLINE, SCRATCHNET_SYSTEM_DATA_DIRS: system } });
    expect(pointed.code).toBe(1);
    expect(pointed.stderr).toContain(join(system, 'fashion-mnist'));
    expect(pointed.stderr).toMatch(/checksum mismatch/);

    // The hostile-CLI case "an uncached data set while offline", with a system folder present but not named.
    const empty = await runCli(h, [...trainFashion, '--out', 'f2.safetensors'], { env: OFFLINE });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^(?:loading [^\n]*\n)*error: .*not in the cache .* downloads are off/);
    expect(empty.stderr).not.toContain(system);
    expect(readdirSync(h.root).filter((f) => f.startsWith('f'))).toEqual([]);
  });
});
