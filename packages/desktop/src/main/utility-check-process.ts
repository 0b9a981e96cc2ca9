import { utilityProcess } from 'electron';
import type { LaunchCheckProcess } from './check-process.js';

/**
 * The app's check processes: Electron's utilityProcess, which works even with the RunAsNode fuse
 * off (child_process.fork would need it). Not run in tests, which fork under Node instead
 * (check-process.ts); the two differ only in this glue.
 */
export function utilityCheckProcess(entry: string): LaunchCheckProcess {
  return ({ heapMb, onMessage, onExit }) => {
    const child = utilityProcess.fork(entry, [], {
      execArgv: [`--max-old-space-size=${heapMb}`],
      stdio: ['ignore', 'ignore', 'pipe'],
      serviceName: 'scratchnet checkpoint check',
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8', 0, 4096 - stderr.length);
    });
    child.on('message', onMessage);
    child.on('exit', (code) => onExit({ code, signal: null, stderr }));
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
