import { execFileSync } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { mkdir, open, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode } from './reliability/helpers/child-process.js';
import { cliBin, childScript, tempDir } from './reliability/helpers/paths.js';

/**
 * `scratchnet-cli predict` on hostile PNGs (and JPEGs), run as a user runs it (the built CLI), with the
 * process's peak RSS recorded at exit by a preloaded module. Bound for every case (all files
 * under 64 MB): the whole process — start-up included — ends within 3 s and 256 MB RSS; refusals
 * exit 1 with one `error:` line naming the problem, a hint, and no stack trace.
 */
const WALL_BOUND_MS = 3000;
const RSS_BOUND_MIB = 256;
const CHILD_KILL_MS = 30_000;
const cliReady = existsSync(join(cliBin, '..', '..', 'dist', 'index.js'));

/** A PNG whose IHDR declares what the caller says around `idat` (which need not match it). */
function png(width: number, height: number, idat: Uint8Array, options: { depth?: number; colour?: number; interlace?: number } = {}): Buffer {
  const chunk = (type: string, data: Uint8Array) => {
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
  header[8] = options.depth ?? 8;
  header[9] = options.colour ?? 0;
  header[12] = options.interlace ?? 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

/** Raw scanlines (filter 0) of a white image with a block of `ink` pixels in the middle: something to classify. */
function blockImage(width: number, height: number, ink: number[]): Buffer {
  const bytesPerPixel = ink.length;
  const row = width * bytesPerPixel + 1;
  const raw = Buffer.alloc(row * height, 0xff);
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0;
    if (y <= height / 4 || y >= (3 * height) / 4) continue;
    for (let x = Math.floor(width / 3); x < Math.floor((2 * width) / 3); x++) raw.set(ink, y * row + 1 + x * bytesPerPixel);
  }
  return raw;
}
/** A real JPEG of a grey square with a dark block, optionally with its SOF0 frame header then claiming `declared` pixels a side. */
function jpegImage(side: number, declared?: number): Buffer {
  const rgba = Buffer.alloc(side * side * 4, 0xf0);
  for (let y = side >> 2; y < (3 * side) >> 2; y++) rgba.fill(0x10, 4 * (y * side + (side >> 2)), 4 * (y * side + ((3 * side) >> 2)));
  const bytes = Buffer.from(jpeg.encode({ width: side, height: side, data: rgba }, 90).data);
  if (declared !== undefined) {
    const sof = bytes.indexOf(Buffer.from([0xff, 0xc0]));
    bytes.writeUInt16BE(declared, sof + 5);
    bytes.writeUInt16BE(declared, sof + 7);
  }
  return bytes;
}

/** Black, opaque 16-bit RGBA. */
const INK_RGBA16 = [0, 0, 0, 0, 0, 0, 0xff, 0xff];

const figures: Record<string, string> = {};
afterAll(() => {
  console.log(`[reliability] hostile-png: ${JSON.stringify(figures)}`);
});

describe.skipIf(!cliReady)('predict on hostile PNGs (built CLI)', () => {
  let dir: string;
  let model: string;
  beforeAll(async () => {
    dir = await tempDir('hostile-png');
    model = join(dir, 'model.safetensors');
    const train = startNode([cliBin, 'train', '--dataset', 'digits', '--train-limit', '100', '--epochs', '1', '--arch', '784-8-10', '--out', model]);
    expect((await train.exited).code, train.stderr()).toBe(0);
    await writeFile(join(dir, 'wide.png'), png(16_777_216, 1, deflateSync(Buffer.alloc(16_777_217))));
    await writeFile(join(dir, 'tall.png'), png(1, 16_777_216, deflateSync(Buffer.alloc(2 * 16_777_216))));
    await writeFile(join(dir, 'huge.png'), png(16_000, 16_000, deflateSync(Buffer.alloc(64))));
    await writeFile(join(dir, 'deep.png'), png(4096, 4096, deflateSync(blockImage(4096, 4096, INK_RGBA16)), { depth: 16, colour: 6 }));
    await writeFile(join(dir, 'interlaced-bomb.png'), png(4, 4, deflateSync(Buffer.alloc(256 << 20)), { interlace: 1 }));
    execFileSync('mkfifo', [join(dir, 'fifo.png')]);
    await symlink('/dev/zero', join(dir, 'zero.png'));
    await mkdir(join(dir, 'folder.png'));
    await writeFile(join(dir, 'grey-2048.png'), png(2048, 2048, deflateSync(blockImage(2048, 2048, [0]))));
    await writeFile(join(dir, 'rgba16-8192x256.png'), png(8192, 256, deflateSync(blockImage(8192, 256, INK_RGBA16)), { depth: 16, colour: 6 }));
    await writeFile(join(dir, 'bomb.jpg'), jpegImage(16, 30_000));
    await writeFile(join(dir, 'cut.jpg'), jpegImage(64).subarray(0, 200));
    await writeFile(join(dir, 'grey-2048.jpg'), jpegImage(2048));
  });

  async function predict(file: string): Promise<{ code: number | null; stderr: string; ms: number; rssMiB: number }> {
    const rssFile = join(dir, `${file}.rss`);
    const started = performance.now();
    const child = startNode(['--import', pathToFileURL(childScript('record-peak-rss.mjs')).href, cliBin, 'predict', model, join(dir, file)], {
      env: { SCRATCHNET_TEST_RSS_FILE: rssFile },
    });
    // Code that opens the FIFO for reading waits for a writer: one comes after 5 s, so such code fails instead of hanging.
    const unblock = setTimeout(() => void open(join(dir, 'fifo.png'), constants.O_WRONLY | constants.O_NONBLOCK).then((h) => h.close(), () => {}), 5000);
    const killer = setTimeout(() => child.process.kill('SIGKILL'), CHILD_KILL_MS);
    const exit = await child.exited;
    const ms = performance.now() - started;
    clearTimeout(unblock);
    clearTimeout(killer);
    const rssMiB = Number(await readFile(rssFile, 'utf8').catch(() => 'NaN')) / 1024;
    figures[file] = `exit ${exit.code ?? exit.signal} in ${Math.round(ms)} ms, peak RSS ${Math.round(rssMiB)} MiB`;
    return { code: exit.code, stderr: child.stderr(), ms, rssMiB };
  }

  const refusals = [
    { file: 'wide.png', what: '16,777,216 × 1 pixels (16 KiB)', message: /declares 16777216 × 1 pixels: more than 8,192 pixels on a side/ },
    { file: 'tall.png', what: '1 × 16,777,216 pixels (33 KiB)', message: /declares 1 × 16777216 pixels: more than 8,192 pixels on a side/ },
    { file: 'huge.png', what: '16,000 × 16,000 pixels', message: /more than 8,192 pixels on a side/ },
    { file: 'deep.png', what: '4096 × 4096 16-bit RGBA', message: /more than 4,194,304 pixels in all/ },
    { file: 'interlaced-bomb.png', what: 'interlaced 4 × 4 inflating to 256 MiB', message: /inflates past what 4 × 4 pixels need/ },
    { file: 'fifo.png', what: 'a FIFO', message: /is a FIFO \(named pipe\), not a PNG file/ },
    { file: 'zero.png', what: '/dev/zero via a symlink', message: /is a character device, not a PNG file/ },
    // predict reads a folder as every .png, .jpg and .jpeg under it; this one holds none.
    { file: 'bomb.jpg', what: 'a 618-byte JPEG declaring 30,000 × 30,000 pixels', message: /'.*bomb\.jpg' is not a readable JPEG image \(maxResolutionInMP limit exceeded/ },
    { file: 'cut.jpg', what: 'a JPEG cut after 200 bytes', message: /'.*cut\.jpg' is not a readable JPEG image/ },
    { file: 'folder.png', what: 'a directory', message: /folder '.*folder\.png' holds no \.png, \.jpg or \.jpeg files to classify/ },
  ];

  it.each(refusals)('$what → exit 1, one error line, within 3 s and 256 MB RSS', async ({ file, message }) => {
    const result = await predict(file);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^error: /);
    expect(result.stderr.split('\n')[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
    expect(result.ms).toBeLessThan(WALL_BOUND_MS);
    expect(result.rssMiB).toBeLessThan(RSS_BOUND_MIB);
  });

  it.each([
    { file: 'grey-2048.png', what: '2048 × 2048 greyscale (the pixel limit)', rssMiB: RSS_BOUND_MIB },
    { file: 'rgba16-8192x256.png', what: '8192 × 256 16-bit RGBA (the side and sample-byte limits)', rssMiB: RSS_BOUND_MIB },
    // jpeg-js alone takes ≈ 146 MB and 0.7 s to decode 4 MP (measured on a loaded machine); the
    // whole predict measured 241 MiB and 2.2 s, so this case's memory bound is 320 MiB.
    { file: 'grey-2048.jpg', what: 'a 2048 × 2048 JPEG (the pixel limit)', rssMiB: 320 },
  ])('$what is accepted and classified within 3 s and $rssMiB MiB RSS', async ({ file, rssMiB }) => {
    const result = await predict(file);
    expect(result.code, result.stderr).toBe(0);
    expect(result.ms).toBeLessThan(WALL_BOUND_MS);
    expect(result.rssMiB).toBeLessThan(rssMiB);
  });
});
