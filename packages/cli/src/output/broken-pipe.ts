/**
 * `scratchnet-cli data list | head -1`: once the reader has gone, writing gives EPIPE. A program
 * killed by SIGPIPE says nothing, and Node ignores SIGPIPE, so do the same by hand: stop at once,
 * with status 0 and no stack trace. Anything else on the stream is still an error. Neither applies
 * when another listener is attached: train, after SIGHUP, ignores failed writes so that its
 * resumable save can finish and it can exit 129.
 */
export function exitQuietlyOnBrokenPipe(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      // Someone else listens (train after SIGHUP, finishing its save): leave the failed write to them.
      if (stream.listenerCount('error') > 1) return;
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
}
