import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../errors/cli-error.js';
import { readPng } from './read-png.js';

/** A PNG around `idat` whose IHDR declares what the caller says (it need not match the data). */
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

/** Runs readPng and returns the CliError it throws, with the time it took. */
function refusal(path: string): { error: CliError; ms: number } {
  const started = performance.now();
  try {
    readPng(path);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return { error: error as CliError, ms: performance.now() - started };
  }
  throw new Error(`${path} was accepted`);
}

describe('readPng refuses hostile images before decoding them', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scratchnet-png-'));
  });

  it('a tiny PNG declaring 1 × 16,777,216 pixels (unfixed: 25 s, 2.1 GB) is refused at once by its width', async () => {
    const path = join(dir, 'one-row.png');
    const file = png(16_777_216, 1, deflateSync(Buffer.alloc(64)));
    expect(file.length).toBeLessThan(100);
    await writeFile(path, file);
    const { error, ms } = refusal(path);
    expect(error.code).toBe('BAD_IMAGE');
    expect(error.message).toMatch(/declares 16777216 × 1 pixels: more than 8,192 pixels on a side.*scale it down/);
    expect(error.message).not.toContain('\n');
    // "At once" against the unfixed 25 s; the bound leaves room for a loaded CI machine (259 ms seen at load 9).
    expect(ms).toBeLessThan(2000);
    await writeFile(path, png(1, 16_777_216, deflateSync(Buffer.alloc(64))));
    expect(refusal(path).error.message).toMatch(/1 × 16777216 pixels/);
    // With all its 16 MiB of image data present (16 KiB deflated) it is refused just as fast.
    await writeFile(path, png(16_777_216, 1, deflateSync(Buffer.alloc(16_777_217))));
    expect(refusal(path).ms).toBeLessThan(2000);
  }, 10000);

  it('caps the total pixels and the decoded sample bytes as well as each side', async () => {
    const square = join(dir, 'square.png');
    await writeFile(square, png(4096, 4096, deflateSync(Buffer.alloc(64))));
    expect(refusal(square).error.message).toMatch(/more than 4,194,304 pixels in all/);
    const deep = join(dir, 'deep.png');
    await writeFile(deep, png(8192, 512, deflateSync(Buffer.alloc(64)), { depth: 16, colour: 6 }));
    expect(refusal(deep).error.message).toMatch(/33,554,432 bytes of 16-bit samples/);
  });

  it('a 2048 × 2048 greyscale image, at the limit, still decodes', async () => {
    const path = join(dir, 'big-ok.png');
    await writeFile(path, png(2048, 2048, deflateSync(Buffer.alloc(2049 * 2048, 0))));
    const image = readPng(path);
    expect([image.width, image.height]).toEqual([2048, 2048]);
  });

  it('an interlaced 4 × 4 PNG whose data inflates to 256 MiB is refused without inflating it all', async () => {
    const path = join(dir, 'interlaced-bomb.png');
    await writeFile(path, png(4, 4, deflateSync(Buffer.alloc(256 << 20)), { interlace: 1 }));
    const before = process.memoryUsage().arrayBuffers;
    const { error, ms } = refusal(path);
    expect(error.code).toBe('BAD_IMAGE');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 << 20);
    expect(ms).toBeLessThan(2000);
  });

  it('a FIFO is refused without opening it for reading (an open would wait for a writer forever)', async () => {
    const fifo = join(dir, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    // Code that does open it blocks the whole process: unblock it after 3 s so the test fails instead of hanging.
    const child = execFileSync('sh', ['-c', `(sleep 3; exec 3>'${fifo}') >/dev/null 2>&1 & echo $!`]).toString().trim();
    const { error, ms } = refusal(fifo);
    process.kill(Number(child));
    expect(error.message).toMatch(/FIFO/);
    expect(ms).toBeLessThan(2000);
  });

  it('/dev/zero (via a symlink named like a PNG) and a directory are refused without reading', async () => {
    const link = join(dir, 'zero.png');
    await symlink('/dev/zero', link);
    const before = process.memoryUsage().arrayBuffers;
    expect(refusal(link).error.message).toMatch(/character device/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 << 20);
    const folder = join(dir, 'folder.png');
    await mkdir(folder);
    expect(refusal(folder).error.message).toMatch(/a directory/);
  });

  it('random bytes and a bare signature are still "not a readable PNG image"', async () => {
    const path = join(dir, 'random.png');
    await writeFile(path, Uint8Array.from({ length: 200 }, (_, i) => (i * 113 + 5) & 0xff));
    expect(refusal(path).error.message).toMatch(/is not a readable PNG image/);
  });
});
