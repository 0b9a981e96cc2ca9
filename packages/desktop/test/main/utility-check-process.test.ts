import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createCheckpointValidator, DEFAULT_CHECKPOINT_CHECK_LIMITS } from '../../src/main/checkpoint-validation.js';
import { utilityCheckProcess } from '../../src/main/utility-check-process.js';
import { DesktopErrorCode } from '../../src/shared/desktop-error.js';
import { builtCheckpointChecker, checkpointBytes, packageRoot } from '../helpers/fixtures.js';

/**
 * The utilityProcess glue, against a stand-in `utilityProcess` that behaves as Electron documents
 * it (postMessage, 'message', 'exit' with a code only, a stderr stream) but runs the process with
 * Node's fork, since Electron cannot run here.
 */
const forks = vi.hoisted(() => [] as Array<{ entry: string; options: any }>);

vi.mock('electron', async () => {
  const { fork } = await import('node:child_process');
  const { EventEmitter } = await import('node:events');
  class StandInUtilityProcess extends EventEmitter {
    readonly stderr;
    private readonly child: import('node:child_process').ChildProcess;
    constructor(entry: string, options: { execArgv?: string[]; stdio?: string[] }) {
      super();
      this.child = fork(entry, [], { execArgv: options.execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', options.stdio?.[2] === 'pipe' ? 'pipe' : 'ignore', 'ipc'] });
      this.stderr = this.child.stderr;
      this.child.on('message', (message) => this.emit('message', message));
      // Electron reports a waitpid status as a code: 128 + the signal for a killed process.
      this.child.on('exit', (code, signal) => this.emit('exit', code ?? (signal === 'SIGABRT' ? 134 : signal === 'SIGKILL' ? 137 : 1)));
    }
    postMessage(message: unknown) {
      this.child.send(message as never);
    }
    kill() {
      return this.child.kill('SIGKILL');
    }
  }
  return {
    utilityProcess: {
      fork: (entry: string, _args: string[], options: any) => {
        forks.push({ entry, options });
        return new StandInUtilityProcess(entry, options);
      },
    },
  };
});

describe('utilityCheckProcess', () => {
  it('runs the built checker: a valid checkpoint passes, with the heap limit and stderr piped', async () => {
    const validate = createCheckpointValidator(utilityCheckProcess(builtCheckpointChecker()));
    const bytes = checkpointBytes();
    expect(await validate(bytes, 'ok.safetensors')).toBe(bytes);
    expect(forks.at(-1)!.options).toMatchObject({ execArgv: [`--max-old-space-size=${DEFAULT_CHECKPOINT_CHECK_LIMITS.maxHeapMb}`], stdio: ['ignore', 'ignore', 'pipe'] });
  });

  it('passes model-format’s error code through', async () => {
    const validate = createCheckpointValidator(utilityCheckProcess(builtCheckpointChecker()));
    const tampered = checkpointBytes();
    tampered[tampered.length - 1] ^= 0xff;
    await expect(validate(tampered, 'tampered.safetensors')).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
  });

  it('reports a process that ran out of heap as VALIDATION_OUT_OF_MEMORY', async () => {
    const hungry = join(packageRoot, 'test', 'fixtures', 'hungry-checker.mjs');
    const validate = createCheckpointValidator(utilityCheckProcess(hungry), { ...DEFAULT_CHECKPOINT_CHECK_LIMITS, maxHeapMb: 32 });
    await expect(validate(checkpointBytes(), 'hungry.safetensors')).rejects.toMatchObject({ code: DesktopErrorCode.VALIDATION_OUT_OF_MEMORY });
  });

  it('kills a process past its time limit', async () => {
    const endless = join(packageRoot, 'test', 'fixtures', 'endless-checker.mjs');
    const validate = createCheckpointValidator(utilityCheckProcess(endless), { ...DEFAULT_CHECKPOINT_CHECK_LIMITS, timeoutMs: () => 300 });
    await expect(validate(checkpointBytes(), 'endless.safetensors')).rejects.toMatchObject({ code: DesktopErrorCode.VALIDATION_TIMEOUT });
  });
});
