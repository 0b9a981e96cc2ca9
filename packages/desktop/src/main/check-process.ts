import { fork } from 'node:child_process';

/** How a check process ended: its exit code or signal, and the start of its stderr (V8 reports running out of heap there). */
export interface CheckProcessExit {
  code: number | null;
  signal: string | null;
  stderr: string;
}

export interface CheckProcessOptions {
  /** V8's old-space limit for the process (`--max-old-space-size`). */
  heapMb: number;
  onMessage(message: unknown): void;
  onExit(exit: CheckProcessExit): void;
}

/** A running check process: send it messages (resolves when the next one may go), kill it. */
export interface CheckProcess {
  send(message: unknown): Promise<void>;
  kill(): void;
}

/** Starts the checker entry in a process of its own (Electron's utilityProcess in the app, Node's fork in tests). */
export type LaunchCheckProcess = (options: CheckProcessOptions) => CheckProcess;

const STDERR_KEPT = 4096;

/** Node's `child_process.fork` with V8's structured serialisation, so a Uint8Array arrives as one. */
export function forkCheckProcess(entry: string | URL): LaunchCheckProcess {
  return ({ heapMb, onMessage, onExit }) => {
    const child = fork(entry, [], {
      execArgv: [`--max-old-space-size=${heapMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEPT) stderr += chunk.toString('utf8', 0, STDERR_KEPT - stderr.length);
    });
    child.on('message', onMessage);
    child.on('error', (error) => onExit({ code: null, signal: null, stderr: stderr || error.message }));
    // 'close' comes after stderr has been read to its end.
    child.on('close', (code, signal) => onExit({ code, signal, stderr }));
    return {
      // The callback comes once the message is written: waiting for it is the back-pressure.
      send: (message) => new Promise<void>((resolve, reject) => child.send(message as never, (error) => (error ? reject(error) : resolve()))),
      kill: () => child.kill('SIGKILL'),
    };
  };
}
