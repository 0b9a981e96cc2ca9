/**
 * Shared set-up for the CLI end-to-end tests: the BUILT CLI run as a subprocess in a temporary
 * directory, offline, with its cache in the temp dir and a local HTTP mirror on 127.0.0.1 that
 * serves a small IDX data set ("tiny") made here. The data set is registered through
 * SCRATCHNET_DATASETS with the real SHA-256 of each file, so downloads are verified end to end.
 * The environment is built from nothing (PATH only): HOME is the temp dir and there are no system
 * data dirs, so nothing on the machine (its cache, /usr/share/datasets) can change a result.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync, gunzipSync, gzipSync } from 'node:zlib';

export const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../packages/cli/bin/scratchnet-cli.js');

/** For runs that touch mnist: no network at all, so it falls back to the bundled offline digits. */
export const OFFLINE = { SCRATCHNET_OFFLINE: '1' };

export const TINY_CLASSES = ['left', 'mid-left', 'centre', 'mid-right', 'right'];

/** IDX bytes: magic (0, 0, ubyte 0x08, ndims), big-endian dimensions, then the data. */
function idx(dims: number[], data: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  view.setUint8(2, 0x08);
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}

/**
 * A learnable 28×28 set: class k is a vertical bar around column 4 + 5k with random height,
 * brightness and speckle noise, so a tiny network reaches high accuracy in a few epochs.
 */
function tinyImages(count: number, seed: number): { images: Uint8Array; labels: Uint8Array } {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % TINY_CLASSES.length;
    labels[n] = label;
    const column = 4 + 5 * label + Math.floor(rand() * 3) - 1;
    const top = 3 + Math.floor(rand() * 6);
    const bottom = 19 + Math.floor(rand() * 6);
    const ink = 150 + Math.floor(rand() * 105);
    for (let y = top; y < bottom; y++) for (let x = column; x < column + 3; x++) images[n * 784 + y * 28 + x] = ink;
    for (let k = 0; k < 20; k++) images[n * 784 + Math.floor(rand() * 784)] = Math.floor(rand() * 120);
  }
  return { images, labels };
}

export interface Harness {
  root: string;
  /** Folder served by the mirror (also usable as --data-dir / data import source). */
  mirrorDir: string;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** Makes the tiny data set, starts the mirror and returns the environment for the CLI. */
export async function startHarness(options: { train?: number; test?: number } = {}): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'scratchnet-cli-'));
  const mirrorDir = join(root, 'mirror');
  mkdirSync(mirrorDir);
  const train = tinyImages(options.train ?? 400, 1);
  const test = tinyImages(options.test ?? 100, 2);
  const files = {
    trainImages: ['train-images-idx3-ubyte.gz', idx([train.labels.length, 28, 28], train.images)],
    trainLabels: ['train-labels-idx1-ubyte.gz', idx([train.labels.length], train.labels)],
    testImages: ['t10k-images-idx3-ubyte.gz', idx([test.labels.length, 28, 28], test.images)],
    testLabels: ['t10k-labels-idx1-ubyte.gz', idx([test.labels.length], test.labels)],
  } as const;
  const specFiles: Record<string, unknown> = {};
  for (const [role, [fileName, bytes]] of Object.entries(files)) {
    const gz = gzipSync(bytes);
    writeFileSync(join(mirrorDir, fileName), gz);
    specFiles[role] = { fileName, compressed: [{ sha256: createHash('sha256').update(gz).digest('hex'), source: 'test' }] };
  }
  const server: Server = createServer((req, res) => {
    try {
      const body = readFileSync(join(mirrorDir, (req.url ?? '/').split('/').pop() ?? ''));
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  const specPath = join(root, 'datasets.json');
  writeFileSync(
    specPath,
    JSON.stringify([
      { name: 'tiny', title: 'tiny test bars', classNames: TINY_CLASSES, imageShape: [28, 28], files: specFiles, mirrors: [`http://127.0.0.1:${port}`] },
    ]),
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: root,
    SCRATCHNET_CACHE_DIR: join(root, 'cache'),
    SCRATCHNET_DATASETS: specPath,
    // No system data dirs (unset would mean /usr/share/datasets): what the machine has installed
    // must not change a result. A test that wants one passes it in runCli's `env`.
    SCRATCHNET_SYSTEM_DATA_DIRS: '',
  };
  const close = () =>
    new Promise<void>((ok) => server.close(() => ok())).then(() => rmSync(root, { recursive: true, force: true }));
  return { root, mirrorDir, env, close };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI; `input` is piped to stdin; `onStdout` sees output as it arrives. */
export function runCli(
  harness: Harness,
  args: string[],
  options: { input?: string; onStdout?: (chunk: string, child: ReturnType<typeof spawn>) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: harness.root, env: { ...harness.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(chunk, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code, signal) => ok({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** The JSON lines of a --json run. */
export function jsonLines(stdout: string): Array<Record<string, any>> {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

/** A minimal greyscale PNG encoder (8-bit, filter 0) so tests need no image library. */
export function encodeGreyPng(width: number, height: number, pixels: ArrayLike<number>): Buffer {
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = pixels[y * width + x];
  return greyPng(width, height, deflateSync(raw));
}

/**
 * A greyscale PNG (8-bit, no interlace) whose header declares width × height around the given
 * compressed image data, which need not match it (hostile-file tests build bombs this way).
 */
export function greyPng(width: number, height: number, idat: Buffer): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Test image `index` of the tiny set, as 784 bytes. */
export function tinyTestImage(harness: Harness, index: number): Uint8Array {
  const bytes = gunzipSync(readFileSync(join(harness.mirrorDir, 't10k-images-idx3-ubyte.gz')));
  return bytes.subarray(16 + index * 784, 16 + (index + 1) * 784);
}
