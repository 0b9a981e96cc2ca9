import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdir, open, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatasetSpec, listDatasets, registerDataset, loadDataset, readIdxFile, verifyDataset } from '../src/node.js';
import { type Fixture, makeFixture, tempDir, writeFixtureDir } from './helpers/fixture-dataset.js';

/**
 * Servers that lie and local files that are not what their names say. Every case must end with a
 * typed DatasetError within a stated time, never write more than a stated number of bytes, and
 * never hang. Codes are string literals so that these tests also run (and fail) against code that
 * does not define them yet.
 */
const TRAIN = 'train-images-idx3-ubyte.gz';
const UNPACKED_TRAIN = 'train-images-idx3-ubyte';
/** The fixture's train images file has no registry .gz size, so its cap is the payload plus gzip's worst-case overhead. */
const capFor = (f: Fixture) => f.spec.files.trainImages.payloadBytes! + Math.ceil(f.spec.files.trainImages.payloadBytes! / 1024) + 64 * 1024;
/** Whatever a buggy client does, no test server sends more than this (so a failing run still ends). */
const SERVER_GUARD_BYTES = 64 << 20;

type Misbehaviour = (res: import('node:http').ServerResponse, body: Uint8Array) => void;

/** A server on 127.0.0.1 that serves the fixture, except that `lie` answers for the train images. */
async function startLyingServer(fixture: Fixture, lie: Misbehaviour): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').split('/').pop() ?? '');
    requests.push(name);
    const body = fixture.files.get(name);
    if (!body) return void res.writeHead(404).end();
    if (name === TRAIN) return lie(res, body);
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes `piece` again and again (respecting backpressure) until the client goes or the guard is reached. */
function endless(res: import('node:http').ServerResponse, piece: Uint8Array): void {
  let sent = 0;
  const pump = () => {
    while (!res.destroyed && sent < SERVER_GUARD_BYTES) {
      sent += piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

/** Samples the size of every .part file in `dir` until stopped; returns the largest seen. */
function watchParts(dir: string): { stop(): number } {
  let largest = 0;
  let running = true;
  const tick = async () => {
    while (running) {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (!name.endsWith('.part')) continue;
        const info = await stat(join(dir, name)).catch(() => undefined);
        if (info) largest = Math.max(largest, info.size);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  void tick();
  return {
    stop() {
      running = false;
      return largest;
    },
  };
}

describe('servers that lie', () => {
  let fixture: Fixture;
  let cacheDir: string;
  const servers: Array<{ close(): Promise<void> }> = [];
  beforeEach(async () => {
    fixture = makeFixture('lying');
    cacheDir = await tempDir('scratchnet-lying-');
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    delete process.env.SCRATCHNET_DOWNLOAD_DEADLINE_MS;
    delete process.env.SCRATCHNET_DOWNLOAD_TIMEOUT_MS;
  });
  const entryDir = () => join(cacheDir, 'datasets', 'lying');
  const load = (url: string, options: Record<string, unknown> = {}) =>
    loadDataset({ ...fixture.spec, mirrors: [url] } as DatasetSpec, { cacheDir, systemDataDirs: [], retries: 1, backoffMs: 10, timeoutMs: 5000, ...options });

  it('an endless body (no Content-Length) stops at the official size plus a margin; the .part never exceeds it and is removed', async () => {
    const server = await startLyingServer(fixture, (res) => {
      res.writeHead(200);
      endless(res, new Uint8Array(64 * 1024).fill(0x1f));
    });
    servers.push(server);
    await mkdir(entryDir(), { recursive: true });
    const watch = watchParts(entryDir());
    const started = performance.now();
    const error = await load(server.url).catch((e) => e);
    const seconds = (performance.now() - started) / 1000;
    const largestPart = watch.stop();
    expect(error.code).toBe('DOWNLOAD_TOO_LARGE');
    expect(error.message).toMatch(/more than/);
    expect(seconds).toBeLessThan(2);
    expect(largestPart).toBeLessThanOrEqual(capFor(fixture));
    // A mirror that sends too much is not asked again for that file.
    expect(server.requests.filter((r) => r === TRAIN)).toHaveLength(1);
    expect((await readdir(entryDir())).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  it('a Content-Length over the cap is refused before any body byte is written', async () => {
    const server = await startLyingServer(fixture, (res) => {
      res.writeHead(200, { 'content-length': String(10 * 2 ** 30) });
      endless(res, new Uint8Array(64 * 1024));
    });
    servers.push(server);
    await mkdir(entryDir(), { recursive: true });
    const watch = watchParts(entryDir());
    const error = await load(server.url, { retries: 0 }).catch((e) => e);
    expect(error.code).toBe('DOWNLOAD_TOO_LARGE');
    expect(error.message).toMatch(/announced 10737418240 bytes/);
    expect(watch.stop()).toBe(0);
  });

  it('a mirror trickling a byte every 50 ms stops at the overall deadline although it is never idle', async () => {
    const server = await startLyingServer(fixture, (res, body) => {
      res.writeHead(200, { 'content-length': body.length });
      let at = 0;
      const timer = setInterval(() => {
        // Gives up after 4 s so that a client without a deadline still ends (and fails the time bound).
        if (res.destroyed || at >= 80) {
          clearInterval(timer);
          res.destroy();
          return;
        }
        res.write(body.subarray(at, ++at));
      }, 50);
    });
    servers.push(server);
    const started = performance.now();
    const error = await load(server.url, { retries: 0, timeoutMs: 1000, deadlineMs: 700 }).catch((e) => e);
    const ms = performance.now() - started;
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/deadline/);
    expect(ms).toBeLessThan(700 + 500);
  });

  it('the deadline and the idle timeout can be set from the environment', async () => {
    const server = await startLyingServer(fixture, (res, body) => {
      res.writeHead(200, { 'content-length': body.length });
      let at = 0;
      const timer = setInterval(() => {
        if (res.destroyed || at >= 80) {
          clearInterval(timer);
          res.destroy();
          return;
        }
        res.write(body.subarray(at, ++at));
      }, 50);
    });
    servers.push(server);
    process.env.SCRATCHNET_DOWNLOAD_DEADLINE_MS = '600';
    const started = performance.now();
    const error = await loadDataset({ ...fixture.spec, mirrors: [server.url] }, { cacheDir, systemDataDirs: [], retries: 0 }).catch((e) => e);
    expect(error.code).toBe('TIMEOUT');
    expect(performance.now() - started).toBeLessThan(600 + 500);
    delete process.env.SCRATCHNET_DOWNLOAD_DEADLINE_MS;
    process.env.SCRATCHNET_DOWNLOAD_TIMEOUT_MS = '300';
    const hang = await startLyingServer(fixture, () => {});
    servers.push(hang);
    const idle = await loadDataset({ ...fixture.spec, mirrors: [hang.url] }, { cacheDir, systemDataDirs: [], retries: 0 }).catch((e) => e);
    expect(idle.code).toBe('TIMEOUT');
    expect(idle.message).toContain('no answer for 300 ms');
  });

  it('a served gzip bomb (honest header, 32 MiB of zeros behind it) stops at the registry payload size', async () => {
    const header = fixture.raw.get(TRAIN)!.subarray(0, 16);
    const bomb = gzipSync(Buffer.concat([header, Buffer.alloc(32 << 20)]));
    expect(bomb.length).toBeLessThan(capFor(fixture));
    const server = await startLyingServer(fixture, (res) => res.writeHead(200, { 'content-length': bomb.length }).end(bomb));
    servers.push(server);
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    const error = await load(server.url, { retries: 0 }).catch((e) => e);
    expect(error.code).toBe('INFLATE_TOO_LARGE');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
  });
});

describe('local data files that are not what their names say', () => {
  let fixture: Fixture;
  beforeEach(() => {
    fixture = makeFixture('local-hostile');
  });
  // A data dir holds the user's own files, so the official size caps do not apply there: maxBytes does.
  const loadFrom = (dataDir: string) => loadDataset(fixture.spec, { dataDir, systemDataDirs: [], maxBytes: 8 << 20 });

  /** A data dir with the fixture, except that the train images entry is replaced by `make(path)`. */
  async function dirWith(make: (path: string) => Promise<unknown>, name = TRAIN): Promise<string> {
    const dir = await writeFixtureDir(fixture);
    await import('node:fs/promises').then((fs) => fs.rm(join(dir, TRAIN)));
    await make(join(dir, name));
    return dir;
  }

  /**
   * Against code that opens a FIFO for reading, that open blocks until a writer comes: this
   * opens the write end after `ms` and closes it at once, so such code sees an empty file and
   * the test fails on its time bound instead of hanging. Fixed code never opens it for reading,
   * so the non-blocking write open finds no reader (ENXIO) and does nothing.
   */
  function unblockFifoAfter(path: string, ms: number): { cancel(): void } {
    const timer = setTimeout(() => {
      open(path, constants.O_WRONLY | constants.O_NONBLOCK).then((h) => h.close(), () => {});
    }, ms);
    return { cancel: () => clearTimeout(timer) };
  }

  it('a FIFO under an official name is refused at once (NOT_A_FILE), never opened for reading', async () => {
    let fifo = '';
    const dir = await dirWith(async (path) => {
      fifo = path;
      execFileSync('mkfifo', [path]);
    });
    const guard = unblockFifoAfter(fifo, 3000);
    const started = performance.now();
    const error = await loadFrom(dir).catch((e) => e);
    guard.cancel();
    expect(error.code).toBe('NOT_A_FILE');
    expect(error.message).toContain(fifo);
    expect(error.message).toMatch(/FIFO/);
    expect(performance.now() - started).toBeLessThan(2000);
    const guard2 = unblockFifoAfter(fifo, 3000);
    const direct = await readIdxFile(fifo).catch((e) => e);
    guard2.cancel();
    expect(direct.code).toBe('NOT_A_FILE');
  });

  it('/dev/zero behind a symlink with an official name is refused without reading a byte', async () => {
    const dir = await dirWith((path) => symlink('/dev/zero', path), UNPACKED_TRAIN);
    const before = process.memoryUsage().arrayBuffers;
    const error = await loadFrom(dir).catch((e) => e);
    expect(error.code).toBe('NOT_A_FILE');
    expect(error.message).toMatch(/character device/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 << 20);
    expect((await readIdxFile('/dev/zero').catch((e) => e)).code).toBe('NOT_A_FILE');
  });

  it('a directory under an official name is NOT_A_FILE, and verify reports it as such', async () => {
    const dir = await dirWith((path) => mkdir(path));
    expect((await loadFrom(dir).catch((e) => e)).code).toBe('NOT_A_FILE');
    const report = await verifyDataset(fixture.spec, { dir });
    expect(report.files.find((f) => f.fileName === TRAIN)).toMatchObject({ status: 'corrupt', error: { code: 'NOT_A_FILE' } });
  });

  it('a gzip bomb in a data folder is INFLATE_TOO_LARGE or TOO_LARGE, within 2 s and bounded memory, for load and for verify', async () => {
    const header = fixture.raw.get(TRAIN)!.subarray(0, 16);
    const honest = gzipSync(Buffer.concat([header, Buffer.alloc(48 << 20)]));
    // ubyte [2^25]: a header declaring 32 MiB, far over the registry's 94,096 bytes.
    const liar = gzipSync(Buffer.concat([Buffer.from([0, 0, 0x08, 1, 0x02, 0, 0, 0]), Buffer.alloc(48 << 20)]));
    for (const [kind, bomb] of [['honest header', honest], ['lying header', liar]] as const) {
      const dir = await dirWith((path) => writeFile(path, bomb));
      const before = process.memoryUsage().arrayBuffers;
      const started = performance.now();
      const error = await loadFrom(dir).catch((e) => e);
      expect(['INFLATE_TOO_LARGE', 'TOO_LARGE', 'LENGTH_MISMATCH'], kind).toContain(error.code);
      expect(performance.now() - started, kind).toBeLessThan(2000);
      expect(process.memoryUsage().arrayBuffers - before, kind).toBeLessThan(16 << 20);
      const report = await verifyDataset(fixture.spec, { dir });
      expect(['INFLATE_TOO_LARGE', 'TOO_LARGE'], kind).toContain(report.files.find((f) => f.fileName === TRAIN)?.error?.code);
    }
  });

  it('an unpacked IDX file whose header declares more than the file holds is refused by its length before reading it', async () => {
    const dir = await dirWith(async (path) => {
      const liar = new Uint8Array(1000);
      liar.set([0, 0, 0x08, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28]);
      await writeFile(path, liar);
    }, UNPACKED_TRAIN);
    const error = await readIdxFile(join(dir, UNPACKED_TRAIN)).catch((e) => e);
    expect(error.code).toBe('TRUNCATED');
    expect(error.message).toMatch(/declares 47040016 bytes .* has 1000/);
  });

  it('a small gzip IDX file (own data, no digest) declaring more than deflate can inflate it to is TOO_LARGE before its buffer is allocated', async () => {
    // ubyte [900 MB]: a 1 GiB cap would allocate 900 MB and then find the stream short.
    const liar = gzipSync(Buffer.from([0, 0, 0x08, 1, 0x35, 0xa4, 0xe9, 0x00, 1, 2, 3]));
    const dir = await tempDir();
    await writeFile(join(dir, 'own-images.idx1-ubyte.gz'), liar);
    const before = process.memoryUsage().arrayBuffers;
    const error = await readIdxFile(join(dir, 'own-images.idx1-ubyte.gz')).catch((e) => e);
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toMatch(new RegExp(`= 900000000 bytes, over the ${liar.length * 1032}-byte limit; a ${liar.length}-byte gzip file cannot inflate to more \\(1032:1 at most\\), so the header is corrupt$`));
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
    // A genuine file compressed as far as deflate goes (zeros: ≈ 1030:1) still loads.
    const zeros = gzipSync(Buffer.concat([Buffer.from([0, 0, 0x08, 1, 0x00, 0xa0, 0, 0]), Buffer.alloc(10 << 20)]), { level: 9 });
    await writeFile(join(dir, 'zeros.idx1-ubyte.gz'), zeros);
    expect(10 << 20).toBeGreaterThan(1000 * zeros.length); // as dense as gzip gets
    expect((await readIdxFile(join(dir, 'zeros.idx1-ubyte.gz'))).dims).toEqual([10 << 20]);
  });
});

describe('.part files left by killed downloads', () => {
  it('are counted by listDatasets and verifyDataset, and those of dead processes are removed at the next load', async () => {
    const fixture = makeFixture('parts');
    const cacheDir = await tempDir('scratchnet-parts-');
    const source = await writeFixtureDir(fixture);
    const spec = { ...fixture.spec, mirrors: [`file://${source}`] };
    registerDataset(spec);
    await loadDataset(spec, { cacheDir, systemDataDirs: [] });
    const entry = join(cacheDir, 'datasets', 'parts');
    // A process that has exited: its pid names the dead download's temp file.
    const dead = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', '0']);
      child.on('exit', () => resolve(child.pid!));
    });
    await writeFile(join(entry, `${TRAIN}.${dead}-0badf00d.part`), Buffer.alloc(5000));
    await writeFile(join(entry, `t10k-labels-idx1-ubyte.gz.${dead}-0badf00e.part`), Buffer.alloc(700));
    await writeFile(join(entry, `${TRAIN}.${process.pid}-0ddba11a.part`), Buffer.alloc(300));

    const listed = (await listDatasets({ cacheDir })).find((d) => d.name === 'parts');
    expect(listed?.partFiles).toEqual({ count: 3, bytes: 6000, live: 1 });
    const report = await verifyDataset(spec, { cacheDir });
    expect(report.ok).toBe(true);
    expect(report.partFiles).toEqual({ count: 3, bytes: 6000, live: 1 });

    // Everything is cached, so this load downloads nothing, yet it clears the dead downloads' files.
    const again = await loadDataset(spec, { cacheDir, systemDataDirs: [] });
    expect(again.source).toBe('cache');
    expect((await readdir(entry)).filter((n) => n.endsWith('.part'))).toEqual([`${TRAIN}.${process.pid}-0ddba11a.part`]);
  });
});
