import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdir, open, readdir, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { type DatasetSpec, downloadCapBytes, MNIST } from '@scratchnet/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode } from './reliability/helpers/child-process.js';
import { MiB } from './reliability/helpers/memory.js';
import { childScript, tempDir } from './reliability/helpers/paths.js';

/**
 * Hostile data files and lying servers, against the real MNIST registry entry (its sizes and
 * digests), each case in a fresh child process that reports the operation's time and its own
 * peak RSS. Bounds: every file case (all under 64 MB on disk, or sparse) ends with a typed
 * DatasetError within 2 s and 256 MB RSS; every server case stops within its configured deadline
 * (or at once), and the `.part` file never exceeds the official size plus the margin.
 */
const TIME_BOUND_MS = 2000;
const RSS_BOUND_MIB = 256;
/** A child that has not answered after this is hung (code that opens a FIFO for reading). */
const CHILD_KILL_MS = 20_000;
const TRAIN = MNIST.files.trainImages.fileName;
const TRAIN_CAP = downloadCapBytes(MNIST.files.trainImages);

interface Outcome {
  ok: boolean;
  code?: string;
  name?: string;
  message?: string;
  ms: number;
  maxRssMiB: number;
}

const figures: Record<string, string> = {};
afterAll(() => {
  console.log(`[reliability] hostile-data: ${JSON.stringify(figures)}`);
});

/** Runs one job in a child; a child that hangs is killed and the case fails with 'hung'. */
async function runCase(job: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  const child = startNode([childScript('hostile-data-case.mjs'), JSON.stringify(job)], { env });
  const killer = setTimeout(() => child.process.kill('SIGKILL'), CHILD_KILL_MS);
  const exit = await child.exited;
  clearTimeout(killer);
  if (exit.signal) return { ok: false, code: 'hung', ms: CHILD_KILL_MS, maxRssMiB: Number.NaN };
  const line = child.lines.find((l) => l.startsWith('{'));
  if (!line) throw new Error(`no outcome from the child: ${child.stderr()}`);
  return JSON.parse(line) as Outcome;
}

/** MNIST train images' own IDX header: ubyte [60000, 28, 28]. */
const MNIST_HEADER = Uint8Array.from([0, 0, 0x08, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28]);

/** gzip of `header` and then `zeroBytes` zeros, built by streaming (never holding the zeros whole). */
async function zeroBomb(header: Uint8Array, zeroBytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  gzip.write(header);
  const zeros = Buffer.alloc(MiB);
  for (let left = zeroBytes; left > 0; left -= MiB) {
    if (!gzip.write(zeros.subarray(0, Math.min(MiB, left)))) await new Promise((r) => gzip.once('drain', r));
  }
  gzip.end();
  await done;
  return Buffer.concat(out);
}

function record(name: string, outcome: Outcome, extra = '') {
  figures[name] = `${outcome.code ?? 'ok'} in ${Math.round(outcome.ms)} ms, peak RSS ${Math.round(outcome.maxRssMiB)} MiB${extra}`;
}

describe('hostile local data files (MNIST names, sizes and digests)', () => {
  let root: string;
  beforeAll(async () => {
    root = await tempDir('hostile-data');
  });

  /** A fresh data dir holding only `TRAIN` (or `name`) made by `make`. */
  async function dataDir(make: (path: string) => Promise<unknown>, name = TRAIN): Promise<string> {
    const dir = join(root, `case-${Math.random().toString(16).slice(2)}`);
    await mkdir(dir);
    await make(join(dir, name));
    return dir;
  }
  const load = (dir: string) => runCase({ op: 'load', spec: MNIST, options: { dataDir: dir, systemDataDirs: [] } });
  const verify = (dir: string) => runCase({ op: 'verify', spec: MNIST, options: { dir } });

  const cases: Array<{ name: string; make: (path: string) => Promise<unknown>; fileName?: string; codes: string[] }> = [
    { name: 'FIFO', make: async (path) => execFileSync('mkfifo', [path]), codes: ['NOT_A_FILE'] },
    { name: '/dev/zero via a symlink', make: (path) => symlink('/dev/zero', path), codes: ['NOT_A_FILE'] },
    { name: 'directory', make: (path) => mkdir(path), codes: ['NOT_A_FILE'] },
    // A data dir holds the user's own files: loading reads their structure (zeros are no IDX type), verifying refuses the size.
    { name: '2 GiB sparse file', make: (path) => writeFile(path, '').then(() => truncate(path, 2 * 1024 * MiB)), codes: ['TOO_LARGE', 'UNKNOWN_TYPE'] },
    { name: '60 MB sparse file (over the 11.2 MB any copy can have)', make: (path) => writeFile(path, '').then(() => truncate(path, 60 * 1e6)), codes: ['TOO_LARGE', 'UNKNOWN_TYPE'] },
    {
      name: 'gzip bomb, header declaring 512 MiB',
      make: async (path) => writeFile(path, await zeroBomb(Uint8Array.of(0, 0, 0x08, 1, 0x20, 0, 0, 0), 512 * MiB)),
      // Loading reads the header (TOO_LARGE); verifying only hashes, and stops inflating at the payload size.
      codes: ['TOO_LARGE', 'INFLATE_TOO_LARGE'],
    },
    {
      name: "gzip bomb, MNIST's own header, 512 MiB of zeros",
      make: async (path) => writeFile(path, await zeroBomb(MNIST_HEADER, 512 * MiB)),
      // Verifying stops inflating at the official size; loading it as the user's own stops where the payload outgrows its header.
      codes: ['INFLATE_TOO_LARGE', 'LENGTH_MISMATCH'],
    },
  ];

  it.each(cases)('$name under the official name → $codes, within 2 s and 256 MB RSS, for load and for verify', async ({ name, make, codes }) => {
    const dir = await dataDir(make);
    const onDisk = await stat(join(dir, TRAIN)).catch(() => undefined);
    if (onDisk?.isFile()) expect((await stat(join(dir, TRAIN))).blocks * 512).toBeLessThan(64 * 1e6);
    // Unblocks a reader of the FIFO after 5 s (only code that opened it for reading is waiting), so such code fails instead of hanging.
    const unblock = setTimeout(() => void open(join(dir, TRAIN), constants.O_WRONLY | constants.O_NONBLOCK).then((h) => h.close(), () => {}), 5000);
    const loaded = await load(dir);
    const verified = await verify(dir);
    clearTimeout(unblock);
    record(`load: ${name}`, loaded);
    record(`verify: ${name}`, verified);
    for (const [what, outcome] of [['load', loaded], ['verify', verified]] as const) {
      expect(codes, `${what}: ${outcome.message}`).toContain(outcome.code);
      expect(outcome.ms, what).toBeLessThan(TIME_BOUND_MS);
      expect(outcome.maxRssMiB, what).toBeLessThan(RSS_BOUND_MIB);
    }
  });

  it('an unpacked IDX file declaring 47 MB in 1,000 bytes is refused by its length, without reading it', async () => {
    const dir = await dataDir(async (path) => {
      const liar = new Uint8Array(1000);
      liar.set(MNIST_HEADER);
      await writeFile(path, liar);
    }, 'train-images-idx3-ubyte');
    const outcome = await runCase({ op: 'readIdx', path: join(dir, 'train-images-idx3-ubyte') });
    record('readIdxFile: 1,000 bytes declaring 47 MB', outcome);
    expect(outcome.code).toBe('TRUNCATED');
    expect(outcome.message).toMatch(/declares 47040016 bytes .* the file has 1000/);
    expect(outcome.ms).toBeLessThan(TIME_BOUND_MS);
  });
});

describe('lying servers (MNIST train images from a mirror on 127.0.0.1)', () => {
  const sockets = new Set<Socket>();
  let url = '';
  let behave: (res: ServerResponse) => void = (res) => res.writeHead(404).end();
  let closeServer: () => Promise<void>;
  beforeAll(async () => {
    const server = createServer((req, res) => {
      if (!(req.url ?? '').endsWith(TRAIN)) return void res.writeHead(404).end();
      behave(res);
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    closeServer = () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
  });
  afterAll(() => closeServer());

  /** Writes `piece` until the client goes, respecting backpressure; stops at `guard` bytes so that code without a cap still ends. */
  const endless = (res: ServerResponse, piece: Uint8Array, guard = 256 * MiB) => {
    let sent = 0;
    const pump = () => {
      while (!res.destroyed && sent < guard) {
        sent += piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };

  /** Loads MNIST from the server alone into a fresh cache, watching the .part file's size. */
  async function download(env: NodeJS.ProcessEnv = {}, options: Record<string, unknown> = {}): Promise<Outcome & { largestPart: number }> {
    const cacheDir = await tempDir('hostile-server-cache');
    const entry = join(cacheDir, 'datasets', 'mnist');
    await mkdir(entry, { recursive: true });
    let largestPart = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const name of await readdir(entry).catch(() => [] as string[])) {
          if (name.endsWith('.part')) largestPart = Math.max(largestPart, (await stat(join(entry, name)).catch(() => ({ size: 0 }))).size);
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const spec: DatasetSpec = { ...MNIST, mirrors: [url] };
    const outcome = await runCase({ op: 'load', spec, options: { cacheDir, systemDataDirs: [], retries: 0, offlineFallback: false, ...options } }, env);
    watching = false;
    await watcher;
    expect((await readdir(entry)).filter((n) => n.endsWith('.part')), 'a failed download leaves no .part').toEqual([]);
    return { ...outcome, largestPart };
  }

  it(`an endless body stops at MNIST's .gz size plus the margin (${TRAIN_CAP} bytes), within 2 s and 256 MB RSS`, async () => {
    behave = (res) => {
      res.writeHead(200);
      endless(res, new Uint8Array(256 * 1024).fill(0x1f));
    };
    const outcome = await download();
    record('endless body', outcome, `, largest .part ${outcome.largestPart} bytes`);
    expect(outcome.code, outcome.message).toBe('DOWNLOAD_TOO_LARGE');
    expect(outcome.largestPart).toBeLessThanOrEqual(TRAIN_CAP);
    expect(outcome.ms).toBeLessThan(TIME_BOUND_MS);
    expect(outcome.maxRssMiB).toBeLessThan(RSS_BOUND_MIB);
  });

  it('a Content-Length of 10 GiB is refused before a byte of the body is written', async () => {
    behave = (res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * MiB) });
      endless(res, new Uint8Array(256 * 1024));
    };
    const outcome = await download();
    record('Content-Length 10 GiB', outcome, `, largest .part ${outcome.largestPart} bytes`);
    expect(outcome.code, outcome.message).toBe('DOWNLOAD_TOO_LARGE');
    expect(outcome.largestPart).toBe(0);
    expect(outcome.ms).toBeLessThan(TIME_BOUND_MS);
  });

  it('a mirror trickling 20 bytes/s stops at the deadline set by SCRATCHNET_DOWNLOAD_DEADLINE_MS (1,000 ms), although never idle', async () => {
    behave = (res) => {
      res.writeHead(200, { 'content-length': MNIST.files.trainImages.compressedBytes! });
      let sent = 0;
      // Gives up after 8 s so that code without a deadline still ends, and fails the bound.
      const timer = setInterval(() => {
        if (res.destroyed || sent++ >= 160) {
          clearInterval(timer);
          res.destroy();
          return;
        }
        res.write(Uint8Array.of(0x1f));
      }, 50);
    };
    const outcome = await download({ SCRATCHNET_DOWNLOAD_DEADLINE_MS: '1000' });
    record('trickle 20 B/s, deadline 1 s', outcome);
    expect(outcome.code, outcome.message).toBe('TIMEOUT');
    expect(outcome.message).toMatch(/deadline/);
    expect(outcome.ms).toBeLessThan(1000 + 1000);
  });

  it("a served gzip bomb (MNIST's header, 1 GiB of zeros in 1 MB) stops at the registry payload size", async () => {
    const bomb = await zeroBomb(MNIST_HEADER, 1024 * MiB);
    expect(bomb.length).toBeLessThan(TRAIN_CAP);
    behave = (res) => res.writeHead(200, { 'content-length': bomb.length }).end(bomb);
    const outcome = await download();
    record('served gzip bomb (1 GiB)', outcome);
    expect(outcome.code, outcome.message).toBe('INFLATE_TOO_LARGE');
    expect(outcome.ms).toBeLessThan(TIME_BOUND_MS);
    expect(outcome.maxRssMiB).toBeLessThan(RSS_BOUND_MIB);
  });
});
