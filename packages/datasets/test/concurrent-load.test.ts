import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDataset } from '../src/node.js';
import { makeFixture, tempDir } from './helpers/fixture-dataset.js';
import { type Behaviour, startTestServer, type TestServer } from './helpers/test-server.js';

const run = promisify(execFile);
// Child processes run the built package (turbo builds it before tests).
const distNode = resolve(__dirname, '..', 'dist', 'node.js');

const childScript = `
const { loadDataset } = await import(process.env.DIST_URL);
const spec = JSON.parse(process.env.SPEC);
const loaded = await loadDataset(spec, { cacheDir: process.env.CACHE_DIR, systemDataDirs: [], retries: 0, timeoutMs: 10000, validationSplit: 0 });
let sum = 0;
for (const b of loaded.train.images) sum += b;
console.log(JSON.stringify({ source: loaded.source, size: loaded.train.size, test: loaded.test.size, sum }));
`;

describe('two processes loading into one empty cache at the same time', () => {
  let server: TestServer;
  const fixture = makeFixture('concurrent');
  beforeAll(async () => {
    // The first file is held back until both processes have asked for it, so the two downloads
    // really overlap however the processes are scheduled; slow responses keep them overlapping.
    let bothAsked!: () => void;
    const gate = new Promise<void>((resolve) => {
      bothAsked = resolve;
    });
    server = await startTestServer(fixture.files, async (file, attempt): Promise<Behaviour> => {
      if (file === 'train-images-idx3-ubyte.gz') {
        if (attempt === 1) bothAsked();
        await gate;
      }
      return 'slow';
    });
  });
  afterAll(() => server.close());

  it('both finish with the same verified data and the cache holds only verified files', async () => {
    if (!existsSync(distNode)) throw new Error(`${distNode} is missing: build @scratchnet/datasets first`);
    const cacheDir = await tempDir('scratchnet-concurrent-');
    const spec = { ...fixture.spec, mirrors: [server.url] };
    const env = { ...process.env, DIST_URL: pathToFileURL(distNode).href, SPEC: JSON.stringify(spec), CACHE_DIR: cacheDir };
    const child = () => run(process.execPath, ['--input-type=module', '-e', childScript], { env, timeout: 30_000 });
    const [a, b] = await Promise.all([child(), child()]);
    const results = [a, b].map((r) => JSON.parse(r.stdout.trim()));
    const expectedSum = fixture.trainImages.reduce((s, v) => s + v, 0);
    for (const r of results) expect(r).toEqual({ source: 'download', size: 120, test: 40, sum: expectedSum });
    // Both really downloaded the held-back file at the same time, each into its own temp file, and
    // renamed atomically. The other three files may reach the cache before the slower process asks
    // for them (it then reads them from there), so there are 5 to 8 requests in all.
    expect(server.requests.filter((url) => url.endsWith('/train-images-idx3-ubyte.gz'))).toHaveLength(2);
    expect(server.requests.length).toBeGreaterThanOrEqual(5);
    expect(server.requests.length).toBeLessThanOrEqual(8);
    const report = await verifyDataset(spec, { cacheDir });
    expect(report.files.map((f) => f.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect((await readdir(join(cacheDir, 'datasets', 'concurrent'))).sort()).toEqual([...fixture.files.keys()].sort());
  });
});
