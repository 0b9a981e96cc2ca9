import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeCheckpoint, exportOnnx } from '@scratchnet/model-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckProcessExit, forkCheckProcess, type LaunchCheckProcess } from '../../src/main/check-process.js';
import { createCheckpointStore } from '../../src/main/checkpoint-store.js';
import { type CheckpointCheckLimits, createCheckpointValidator, DEFAULT_CHECKPOINT_CHECK_LIMITS } from '../../src/main/checkpoint-validation.js';
import { createDatasetStore } from '../../src/main/dataset-store.js';
import { registerIpcHandlers } from '../../src/main/ipc.js';
import { IpcChannel } from '../../src/shared/bridge-api.js';
import { DesktopError, DesktopErrorCode } from '../../src/shared/desktop-error.js';
import { APP_PAGE, FakeIpcMain } from '../helpers/fake-ipc.js';
import { appCheckpointValidator, builtCheckpointChecker, checkpointBytes, hostileV1Checkpoint, packageRoot, tempDir } from '../helpers/fixtures.js';
import { tmpdir } from 'node:os';
import { createHandwritingStore } from '../../src/main/handwriting-store.js';

/**
 * Checkpoint validation runs in a process of its own with a time and memory limit: the main event
 * loop (Electron's main thread, which also runs the window) never waits on a decode.
 */
const fixtureChecker = (name: string) => join(packageRoot, 'test', 'fixtures', name);

/** Forks `entry` and records how each check process ended. */
function recordingLauncher(entry: string): { launch: LaunchCheckProcess; exits: Array<CheckProcessExit & { atMs: number }> } {
  const exits: Array<CheckProcessExit & { atMs: number }> = [];
  const fork = forkCheckProcess(entry);
  const launch: LaunchCheckProcess = (options) =>
    fork({
      ...options,
      onExit: (exit) => {
        exits.push({ ...exit, atMs: performance.now() });
        options.onExit(exit);
      },
    });
  return { exits, launch };
}
const limits = (overrides: Partial<CheckpointCheckLimits>): CheckpointCheckLimits => ({ ...DEFAULT_CHECKPOINT_CHECK_LIMITS, ...overrides });

/**
 * Runs `work` while a 10 ms timer ticks on this thread. Returns its outcome, the time taken, the
 * longest wall-clock gap between ticks, and the longest stretch this thread was blocked: between
 * two ticks, the smaller of the time the event loop was busy (not waiting for events) and the CPU
 * time this process used. On this shared 2-core machine, run at load averages of 10–20, the OS
 * deschedules a thread for 50–110 ms at a time, idle or mid-callback; such a pause shows up as a
 * gap, or as a busy loop, but not as CPU time. Blocked by our own code it would be all three.
 */
async function whileTicking<T>(work: () => Promise<T>): Promise<{ outcome: T | unknown; elapsedMs: number; longestGapMs: number; longestBlockMs: number; ticks: number }> {
  let last = performance.now();
  let lastUtilization = performance.eventLoopUtilization();
  let lastCpu = process.cpuUsage();
  let longestGapMs = 0;
  let longestBlockMs = 0;
  let ticks = 0;
  const sample = () => {
    const now = performance.now();
    const utilization = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const busyMs = performance.eventLoopUtilization(utilization, lastUtilization).active;
    const cpuMs = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
    longestGapMs = Math.max(longestGapMs, now - last);
    longestBlockMs = Math.max(longestBlockMs, Math.min(busyMs, cpuMs));
    last = now;
    lastUtilization = utilization;
    lastCpu = cpu;
    ticks++;
  };
  const ticker = setInterval(sample, 10);
  const start = performance.now();
  let outcome: T | unknown;
  try {
    outcome = await work();
  } catch (error) {
    outcome = error;
  }
  const elapsedMs = performance.now() - start;
  clearInterval(ticker);
  sample();
  return { outcome, elapsedMs, longestGapMs, longestBlockMs, ticks };
}

describe('validating a hostile checkpoint off the main thread', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hostilePath: string;

  beforeAll(async () => {
    dir = await tempDir();
    hostilePath = join(dir.path, 'hostile-v1.safetensors');
    await writeFile(hostilePath, hostileV1Checkpoint());
  });
  afterAll(() => dir.cleanup());

  it('keeps the event loop responsive (never blocked 50 ms between two ticks of a 10 ms timer) and refuses the file with a typed error', async () => {
    const ipc = new FakeIpcMain();
    const dialogs = { chooseCheckpointToOpen: async () => hostilePath, chooseCheckpointSavePath: async () => null, chooseDatasetFiles: async () => null, chooseDatasetFolder: async () => null };
    const datasets = createDatasetStore(async () => {
      throw new Error('unused');
    });
    registerIpcHandlers(ipc, { dialogs, checkpoints: createCheckpointStore(appCheckpointValidator()), datasets, handwriting: createHandwritingStore(() => tmpdir()) }, APP_PAGE);
    const { outcome, elapsedMs, longestGapMs, longestBlockMs, ticks } = await whileTicking(() => ipc.invoke(IpcChannel.openCheckpoint, []));
    console.log(
      `[desktop] hostile 15.8 MB v1 checkpoint: refused in ${elapsedMs.toFixed(0)} ms with ${(outcome as any).error?.code}; ` +
        `main thread: ${ticks} ticks of a 10 ms timer, longest block ${longestBlockMs.toFixed(1)} ms, longest gap ${longestGapMs.toFixed(1)} ms`,
    );
    expect(outcome).toMatchObject({ ok: false });
    expect((outcome as any).error.code).not.toBe(DesktopErrorCode.INTERNAL);
    expect(longestBlockMs).toBeLessThan(50);
    // Wall-clock gaps include the OS descheduling this process on a loaded machine; blocked, it would be seconds.
    expect(longestGapMs).toBeLessThan(500);
    expect(ticks).toBeGreaterThan(elapsedMs / 10 / 2);
  });
});

describe('the worker limits', () => {
  it('a check that exceeds its time limit is killed and reported as VALIDATION_TIMEOUT', async () => {
    const { launch, exits } = recordingLauncher(fixtureChecker('endless-checker.mjs'));
    const validate = createCheckpointValidator(launch, limits({ timeoutMs: () => 300 }));
    const { outcome, elapsedMs, longestBlockMs } = await whileTicking(() => validate(checkpointBytes(), 'endless.safetensors'));
    expect(outcome).toBeInstanceOf(DesktopError);
    expect(outcome).toMatchObject({ code: DesktopErrorCode.VALIDATION_TIMEOUT });
    expect((outcome as Error).message).toMatch(/endless\.safetensors took longer than 0\.3 s/);
    expect(elapsedMs).toBeLessThan(2000);
    expect(longestBlockMs).toBeLessThan(50);
    const answeredAt = performance.now();
    await expect.poll(() => exits.length, { timeout: 2000 }).toBe(1);
    console.log(`[desktop] endless check stopped after ${elapsedMs.toFixed(0)} ms (limit 300 ms); its process was gone ${(exits[0].atMs - answeredAt).toFixed(0)} ms later (${exits[0].signal})`);
    expect(exits[0].signal).toBe('SIGKILL');
  });

  it('a check that exceeds its heap limit ends only its own process, reported as VALIDATION_OUT_OF_MEMORY', async () => {
    const { launch, exits } = recordingLauncher(fixtureChecker('hungry-checker.mjs'));
    const validate = createCheckpointValidator(launch, limits({ maxHeapMb: 32 }));
    const { outcome, elapsedMs } = await whileTicking(() => validate(checkpointBytes(), 'hungry.safetensors'));
    console.log(`[desktop] hungry check stopped after ${elapsedMs.toFixed(0)} ms (heap limit 32 MB; ${exits[0]?.signal ?? exits[0]?.code})`);
    expect(outcome).toMatchObject({ code: DesktopErrorCode.VALIDATION_OUT_OF_MEMORY });
    expect((outcome as Error).message).toContain('more than 32 MB');
  });

  it('refuses more bytes than the size cap without starting a process', async () => {
    const validate = createCheckpointValidator(forkCheckProcess(fixtureChecker('endless-checker.mjs')), limits({ maxBytes: 1000 }));
    await expect(validate(new Uint8Array(1001), 'big.safetensors')).rejects.toMatchObject({ code: DesktopErrorCode.INVALID_FILE });
  });

  it('the default time limit grows with the file: 10 s, and 61.2 s at the 512 MB cap', () => {
    expect(DEFAULT_CHECKPOINT_CHECK_LIMITS.timeoutMs(0)).toBe(10_000);
    expect(DEFAULT_CHECKPOINT_CHECK_LIMITS.timeoutMs(DEFAULT_CHECKPOINT_CHECK_LIMITS.maxBytes)).toBe(61_200);
  });
});

describe('the built checker', () => {
  const validate = createCheckpointValidator(forkCheckProcess(builtCheckpointChecker()));

  it('hands a valid checkpoint back byte for byte', async () => {
    const bytes = checkpointBytes();
    const start = performance.now();
    const checked = await validate(bytes.slice(), 'ok.safetensors');
    console.log(`[desktop] a valid 26 kB checkpoint checked in a check process in ${(performance.now() - start).toFixed(0)} ms (start-up included)`);
    expect(Buffer.from(checked).equals(Buffer.from(bytes))).toBe(true);
  });

  it('accepts an ONNX model (the file "Export ONNX" writes) and refuses a hostile one with its typed code', async () => {
    const onnx = exportOnnx(decodeCheckpoint(checkpointBytes()));
    expect(Buffer.from(await validate(onnx.slice(), 'ok.onnx')).equals(Buffer.from(onnx))).toBe(true);
    // The same file with its first node's op renamed: refused, naming the op and the node.
    const hostile = Buffer.from(onnx);
    // (op_type is field 4: key 0x22, then the length 4, then the name)
    hostile.write('Xemm', hostile.indexOf(Buffer.from('\x22\x04Gemm', 'latin1')) + 2, 'latin1');
    await expect(validate(new Uint8Array(hostile), 'bad.onnx')).rejects.toMatchObject({ code: 'UNSUPPORTED_OP', message: expect.stringMatching(/ONNX node "\/0\/Gemm" \(Xemm\): op Xemm is not supported/) });
  });

  it('accepts the largest preset network (784-784-784-784-10, 7.1 MB) under the default limits', async () => {
    const bytes = checkpointBytes(1, '784-784-784-784-10');
    const start = performance.now();
    const checked = await validate(bytes.slice(), 'large.safetensors');
    console.log(`[desktop] a valid ${(bytes.length / 1048576).toFixed(1)} MB checkpoint checked in a check process in ${(performance.now() - start).toFixed(0)} ms`);
    expect(checked.length).toBe(bytes.length);
  });

  it('streams 64 MB to the checker without holding up the main thread', async () => {
    const bytes = new Uint8Array(64 * 1048576);
    bytes.set(checkpointBytes());
    const { outcome, elapsedMs, longestBlockMs, longestGapMs } = await whileTicking(() => validate(bytes, 'padded.safetensors'));
    console.log(`[desktop] 64 MB streamed to the checker and refused in ${elapsedMs.toFixed(0)} ms; main thread: longest block ${longestBlockMs.toFixed(1)} ms, longest gap ${longestGapMs.toFixed(1)} ms`);
    expect(outcome).toBeInstanceOf(DesktopError);
    expect((outcome as DesktopError).code).not.toBe(DesktopErrorCode.INTERNAL);
    expect(longestBlockMs).toBeLessThan(50);
    expect(longestGapMs).toBeLessThan(500);
  });

  it('checks a view into a larger buffer and hands back the same bytes', async () => {
    const bytes = checkpointBytes();
    const larger = new Uint8Array(bytes.length + 16);
    larger.set(bytes, 8);
    const view = larger.subarray(8, 8 + bytes.length);
    expect(await validate(view, 'view.safetensors')).toBe(view);
  });

  it('passes model-format’s error code through', async () => {
    await expect(validate(new TextEncoder().encode('not a checkpoint at all'), 'notes.safetensors')).rejects.toMatchObject({ name: 'DesktopError', code: expect.stringMatching(/^[A-Z_]+$/) });
    const tampered = checkpointBytes();
    tampered[tampered.length - 1] ^= 0xff;
    await expect(validate(tampered, 'tampered.safetensors')).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
  });
});
