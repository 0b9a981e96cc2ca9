import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DatasetError, DatasetErrorCode, type DatasetFileSpec, IdxType, decodeIdx, encodeIdx, parseIdx } from '@scratchnet/datasets';
import { nodeDecompressor, readIdxFile, readVerifiedIdx, verifyIdxFile } from '@scratchnet/datasets/node';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FuzzTally, runHostileCase } from './reliability/helpers/hostile-runner.js';
import { KiB, MiB } from './reliability/helpers/memory.js';
import { tempDir } from './reliability/helpers/paths.js';
import { scaled } from './reliability/helpers/scale.js';

/**
 * Hostile IDX files: random bytes, headers with nasty dimensions and types, mutated and
 * truncated valid files, and the same gzip-compressed or with broken gzip. Every case must end in
 * a decoded array or a DatasetError with a code — no other exception, no hang, and no ArrayBuffer
 * growth beyond the stated cap while the result is alive.
 */
const RUNS = scaled('RELIABILITY_FUZZ_RUNS', 3000, 60_000);
const GZIP_RUNS = Math.max(200, Math.floor(RUNS / 6));
const SEED = Number(process.env.RELIABILITY_SEED ?? 20261122);
/** The reader's payload cap for these cases (`maxBytes`). */
const MAX_BYTES = 64 * KiB;
/** Allowed ArrayBuffer growth per case: the payload cap, its decoded copy (≤ 2× for wider types), input copies, slack. */
const capFor = (input: Uint8Array) => 3 * MAX_BYTES + 4 * input.length + 256 * KiB;
/** Gunzip adds its output chunk buffer: 1 MiB for the Node decompressor (`chunkSize`), whatever the input. */
const GUNZIP_CHUNK = 1 * MiB;
/** Longest a single case may take before it counts as a hang. */
const HANG_MS = 2000;

const tally = new FuzzTally();
afterAll(() => {
  console.log(`[reliability] fuzz-idx: ${JSON.stringify({ seed: SEED, capBytes: `3×${MAX_BYTES} + 4×input + 256 KiB (+1 MiB gunzip chunk)`, ...tally.summary() })}`);
});

/** Element size by IDX type byte. */
const ELEMENT_BYTES = new Map([
  [0x08, 1],
  [0x09, 1],
  [0x0b, 2],
  [0x0c, 4],
  [0x0d, 4],
  [0x0e, 8],
]);
const typeCodes = [...Object.values(IdxType), 0x00, 0x07, 0x0a, 0x0f, 0xff];
const nastyDim = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.constantFrom(0, 1, 255, 256, 65_535, 65_536, 2 ** 16 + 1, 2 ** 24, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1),
);

/** A header with chosen type and dims, then a payload whose length is right, short, long or random. */
const craftedFile = fc
  .record({
    type: fc.constantFrom(...typeCodes),
    ndims: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom(64, 255)),
    dims: fc.array(nastyDim, { minLength: 0, maxLength: 6 }),
    payloadDelta: fc.oneof(fc.constant(0), fc.integer({ min: -16, max: 16 }), fc.integer({ min: -4096, max: 4096 })),
  })
  .map(({ type, ndims, dims, payloadDelta }) => {
    const header = new Uint8Array(4 + 4 * ndims);
    header[2] = type;
    header[3] = ndims;
    const view = new DataView(header.buffer);
    for (let d = 0; d < ndims; d++) view.setUint32(4 + 4 * d, dims[d % Math.max(1, dims.length)] ?? 1, false);
    const elementBytes = ELEMENT_BYTES.get(type) ?? 1;
    let declared = elementBytes;
    for (let d = 0; d < ndims; d++) declared *= view.getUint32(4 + 4 * d, false);
    // Never build a real payload near the cap: the point is what the header claims.
    const length = Math.max(0, Math.min(declared, MAX_BYTES + 64) + payloadDelta);
    const file = new Uint8Array(header.length + length);
    file.set(header);
    return file;
  });

/** A small valid file, then some bytes overwritten, cut off or appended. */
const mutatedValid = fc
  .record({
    type: fc.constantFrom('ubyte', 'byte', 'short', 'int', 'float', 'double' as const),
    dims: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
    edits: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 6 }),
    cut: fc.option(fc.nat(), { nil: undefined }),
    extra: fc.uint8Array({ maxLength: 16 }),
  })
  .map(({ type, dims, edits, cut, extra }) => {
    const count = dims.reduce((a, b) => a * b, 1);
    const valid = encodeIdx({ type, dims, data: new (dataCtor(type))(count).map((_, i) => i % 100) } as never);
    const bytes = new Uint8Array([...valid, ...extra]);
    for (const { at, value } of edits) bytes[at % bytes.length] = value;
    return cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
  });

const anyIdx = fc.oneof(fc.uint8Array({ maxLength: 600 }), craftedFile, mutatedValid);

describe('hostile IDX files', () => {
  it(`parseIdx: ${RUNS} cases, each a decoded array or a coded DatasetError, within the allocation cap`, async () => {
    await fc.assert(
      fc.asyncProperty(anyIdx, async (bytes) => {
        const outcome = await runHostileCase(tally, capFor(bytes), HANG_MS, () => checkDecoded(parseIdx(bytes, { maxBytes: MAX_BYTES, name: 'fuzz.idx' })));
        if (outcome.kind === 'rejected') expect(outcome.code).toMatch(/^DatasetError:/);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(tally.maxCaseMs).toBeLessThan(HANG_MS);
  });

  it(`decodeIdx on gzip data: 2 × ${GZIP_RUNS} cases (node:zlib and DecompressionStream) of compressed, truncated and damaged gzip`, async () => {
    const gzipped = fc.record({ file: anyIdx, damage: fc.constantFrom('none', 'truncate', 'flip', 'trailing') , at: fc.nat() }).map(({ file, damage, at }) => {
      const gz = new Uint8Array(gzipSync(file));
      if (damage === 'truncate') return gz.subarray(0, 2 + (at % (gz.length - 1)));
      if (damage === 'flip') {
        const copy = gz.slice();
        copy[10 + (at % (copy.length - 10))] ^= 0xff;
        return copy;
      }
      if (damage === 'trailing') return new Uint8Array([...gz, 1, 2, 3]);
      return gz;
    });
    for (const decompress of [nodeDecompressor, undefined]) {
      await fc.assert(
        fc.asyncProperty(gzipped, async (bytes) => {
          const outcome = await runHostileCase(tally, capFor(bytes) + GUNZIP_CHUNK, HANG_MS, async () =>
            checkDecoded(await decodeIdx(bytes, { maxBytes: MAX_BYTES, name: 'fuzz.idx.gz', decompress })),
          );
          if (outcome.kind === 'rejected') expect(outcome.code).toMatch(/^DatasetError:/);
        }),
        { numRuns: GZIP_RUNS, seed: SEED },
      );
    }
  });

  it('a gzip bomb (8 MiB of zeros behind a small header) stops at the cap with TOO_LARGE or LENGTH_MISMATCH', async () => {
    const header = new Uint8Array([0, 0, 0x08, 1, 0, 0, 0x10, 0]); // ubyte [4096]
    const bomb = new Uint8Array(gzipSync(new Uint8Array([...header, ...new Uint8Array(8 * MiB)])));
    expect(bomb.length).toBeLessThan(16 * KiB);
    const error = await decodeIdx(bomb, { maxBytes: MAX_BYTES, decompress: nodeDecompressor }).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect(error.code).toBe(DatasetErrorCode.LENGTH_MISMATCH);
    const huge = new Uint8Array(gzipSync(new Uint8Array([0, 0, 0x08, 1, 0x7f, 0xff, 0xff, 0xff])));
    const tooLarge = await decodeIdx(huge, { maxBytes: MAX_BYTES, decompress: nodeDecompressor }).catch((e) => e);
    expect(tooLarge.code).toBe(DatasetErrorCode.TOO_LARGE);
  });

  it('a truncated in-memory file is rejected without allocating what its header claims', async () => {
    // 8 bytes declaring a 1 GiB - 1 byte payload (just under the default 1 GiB cap), and no payload.
    const liar = new Uint8Array([0, 0, 0x08, 1, 0x3f, 0xff, 0xff, 0xff]);
    const tallyOne = new FuzzTally();
    const outcome = await runHostileCase(tallyOne, 16 * MiB, HANG_MS, () => parseIdx(liar)).catch((e: Error) => e.message);
    expect(outcome).toEqual({ kind: 'rejected', code: `DatasetError:${DatasetErrorCode.TRUNCATED}` });
  });
});

describe('hostile IDX files on disk', () => {
  const DISK_RUNS = Math.max(200, Math.floor(RUNS / 6));
  let dir: string;
  let n = 0;
  const fileFor = async (bytes: Uint8Array) => {
    const path = join(dir, `case-${n++}.idx`);
    await writeFile(path, bytes);
    return path;
  };
  /** A registry entry the fuzzed files are checked against: a 1,000-byte payload, so inflation stops there. */
  const official = encodeIdx({ type: 'ubyte', dims: [10, 10, 10], data: new Uint8Array(1000).fill(7) });
  const spec: DatasetFileSpec = {
    fileName: 'fuzz-idx3-ubyte.gz',
    compressed: [{ sha256: createHash('sha256').update(gzipSync(official)).digest('hex'), source: 'fuzz' }],
    payloadSha256: createHash('sha256').update(official).digest('hex'),
    payloadBytes: official.length,
  };

  it(`readIdxFile, readVerifiedIdx and verifyIdxFile: ${DISK_RUNS} files each (raw or gzip, huge declared dimensions), typed results within the caps`, async () => {
    dir = await tempDir('fuzz-idx-disk');
    const onDisk = fc.record({ file: anyIdx, gzip: fc.boolean() }).map(({ file, gzip }) => (gzip ? new Uint8Array(gzipSync(file)) : file));
    await fc.assert(
      fc.asyncProperty(onDisk, async (bytes) => {
        const path = await fileFor(bytes);
        const cap = capFor(bytes) + GUNZIP_CHUNK;
        for (const outcome of [
          await runHostileCase(tally, cap, HANG_MS, async () => checkDecoded(await readIdxFile(path, { maxBytes: MAX_BYTES }))),
          await runHostileCase(tally, cap, HANG_MS, () => readVerifiedIdx(path, spec, MAX_BYTES)),
          await runHostileCase(tally, cap, HANG_MS, () => verifyIdxFile(path, spec, MAX_BYTES)),
        ]) {
          if (outcome.kind === 'rejected') expect(outcome.code).toMatch(/^DatasetError:/);
        }
      }),
      { numRuns: DISK_RUNS, seed: SEED },
    );
  });

  it('one huge dimension (2^31, 2^32 − 1) in a short file: refused by the file length or the cap, allocating nothing', async () => {
    dir ??= await tempDir('fuzz-idx-disk');
    for (const dims of [[2 ** 31], [1, 2 ** 32 - 1], [2 ** 32 - 1, 1, 1], [1, 1, 16_777_216], [60_000, 28, 28]]) {
      const header = new Uint8Array(4 + 4 * dims.length);
      header[2] = 0x08;
      header[3] = dims.length;
      for (const [i, d] of dims.entries()) new DataView(header.buffer).setUint32(4 + 4 * i, d);
      const path = await fileFor(new Uint8Array([...header, ...new Uint8Array(100)]));
      const outcome = await runHostileCase(tally, 256 * KiB, HANG_MS, () => readIdxFile(path));
      expect(outcome, `dims [${dims.join(', ')}]`).toMatchObject({ kind: 'rejected' });
      expect(['DatasetError:TRUNCATED', 'DatasetError:TOO_LARGE']).toContain((outcome as { code: string }).code);
    }
  });

  it('FIFOs, /dev/zero, symlinks to them and directories are NOT_A_FILE within the hang bound, never read', async () => {
    const specials = await tempDir('fuzz-idx-special');
    const fifo = join(specials, 'fifo.idx');
    execFileSync('mkfifo', [fifo]);
    await symlink(fifo, join(specials, 'link-to-fifo.idx'));
    await symlink('/dev/zero', join(specials, 'zero.idx'));
    await mkdir(join(specials, 'folder.idx'));
    const paths = [fifo, join(specials, 'link-to-fifo.idx'), '/dev/zero', join(specials, 'zero.idx'), join(specials, 'folder.idx')];
    // Code that opens the FIFO for reading would wait for a writer for ever: this one comes after
    // 3 s (past the hang bound, so such code still fails) and is harmless otherwise.
    const unblock = setInterval(() => void open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).then((h) => h.close(), () => {}), 3000);
    try {
      for (const path of paths) {
        for (const [name, run] of [
          ['readIdxFile', () => readIdxFile(path)],
          ['readVerifiedIdx', () => readVerifiedIdx(path, spec)],
          ['verifyIdxFile', () => verifyIdxFile(path, spec)],
        ] as const) {
          const outcome = await runHostileCase(tally, 256 * KiB, HANG_MS, run);
          expect(outcome, `${name}(${path})`).toEqual({ kind: 'rejected', code: 'DatasetError:NOT_A_FILE' });
        }
      }
    } finally {
      clearInterval(unblock);
    }
  });
});

/** An accepted file must be self-consistent and inside the cap. */
function checkDecoded(idx: ReturnType<typeof parseIdx>) {
  const count = idx.dims.reduce((a, b) => a * b, 1);
  if (idx.data.length !== count) throw new Error(`decoded ${idx.data.length} values for dims [${idx.dims.join(', ')}]`);
  if (idx.data.byteLength > MAX_BYTES * 2) throw new Error(`decoded ${idx.data.byteLength} bytes, over the cap`);
  return idx;
}

function dataCtor(type: string) {
  return { ubyte: Uint8Array, byte: Int8Array, short: Int16Array, int: Int32Array, float: Float32Array, double: Float64Array }[type]!;
}
