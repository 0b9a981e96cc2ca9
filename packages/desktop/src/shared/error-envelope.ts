import { type ErrorNamespace, ScratchnetError, errorEntry, qualifiedErrorCode } from '@scratchnet/core';

/**
 * An error as it crosses a boundary (IPC, the training worker): the namespaced code of core's one
 * error table ('dataset/NOT_A_FILE', 'format/DUPLICATE_KEY', 'desktop/FILE_ACCESS'), the message,
 * and the table's hint — the same code and hint the CLI prints for the same failure.
 */
export interface ErrorEnvelope {
  code: string;
  message: string;
  hint?: string;
}

/** Anything thrown, as an envelope; only scratchnet's typed errors keep their code. */
export function toEnvelope(error: unknown): ErrorEnvelope {
  const message = error instanceof Error ? error.message : String(error);
  const entry = error instanceof ScratchnetError ? errorEntry(error) : undefined;
  if (entry) return { code: entry.code, message, ...(entry.hint ? { hint: entry.hint } : {}) };
  const code = error instanceof ScratchnetError ? qualifiedErrorCode(error) : undefined;
  return { code: code ?? 'desktop/INTERNAL', message };
}

/** An error rebuilt on the other side of a boundary: its namespace and code are the original's. */
export class RemoteError extends ScratchnetError {
  override readonly namespace: ErrorNamespace;
  readonly hint: string | undefined;

  constructor(envelope: ErrorEnvelope) {
    const slash = envelope.code.indexOf('/');
    super(slash < 0 ? envelope.code : envelope.code.slice(slash + 1), envelope.message);
    this.name = 'RemoteError';
    this.namespace = (slash < 0 ? 'desktop' : envelope.code.slice(0, slash)) as ErrorNamespace;
    this.hint = envelope.hint;
  }
}

/** What the app shows for a failure: the message, what to do, and the code (as the CLI shows them). */
export function describeFailure(error: unknown): string {
  const envelope = toEnvelope(error);
  const hint = envelope.hint ?? (error as { hint?: unknown } | null)?.hint;
  return `${envelope.message}${typeof hint === 'string' && hint ? ` — ${hint}` : ''} (${envelope.code})`;
}
