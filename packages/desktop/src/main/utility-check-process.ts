import { utilityProcess } from 'electron';
import type { LaunchCheckProcess } from './check-process.js';

const STDERR_KEPT = 4096;
/** How long an exit waits for the rest of stderr (where V8 says it ran out of heap). */
const STDERR_GRACE_MS = 200;

/**
 * The app's check processes: Electron's utilityProcess, which works even with the RunAsNode fuse
 * off (child_process.fork would need it). Tests fork under Node instead (check-process.ts) and
 * run this glue against a stand-in `utilityProcess` only.
 */
export function utilityCheckProcess(entry: string): LaunchCheckProcess {
  return ({ heapMb, onMessage, onExit }) => {
    const child = utilityProcess.fork(entry, [], {
      execArgv: [`--max-old-space-size=${heapMb}`],
      stdio: ['ignore', 'ignore', 'pipe'],
      serviceName: 'scratchnet checkpoint check',
    });
    let stderr = '';
    let stderrEnded = child.stderr === null;
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEPT) stderr += chunk.toString('utf8', 0, STDERR_KEPT - stderr.length);
    });
    child.stderr?.on('end', () => (stderrEnded = true));
    child.on('message', onMessage);
    child.on('exit', (code) => {
      // utilityProcess reports only a code; an abort (V8 out of heap) is 128 + SIGABRT on POSIX.
      const report = () => onExit({ code, signal: code === 134 ? 'SIGABRT' : null, stderr });
      if (stderrEnded) report();
      else {
        const timer = setTimeout(report, STDERR_GRACE_MS);
        child.stderr!.once('end', () => {
          clearTimeout(timer);
          report();
        });
      }
    });
    return {
      // postMessage queues without a callback: yield to the event loop between messages.
      send: (message) => {
        child.postMessage(message);
        return new Promise<void>((resolve) => setImmediate(resolve));
      },
      kill: () => void child.kill(),
    };
  };
}
