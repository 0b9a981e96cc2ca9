import type { z } from 'zod';
import { IpcChannel, type IpcResult } from '../shared/bridge-api.js';
import { DesktopError, DesktopErrorCode } from '../shared/desktop-error.js';
import { type ErrorEnvelope, toEnvelope } from '../shared/error-envelope.js';
import type { HostServices } from './host-services.js';
import { describeIssues, loadDatasetArgs, noArgs, saveCheckpointArgs, saveHandwritingArgs } from './ipc-schemas.js';
import { isTrustedSender, type SenderInfo } from './trusted-sender.js';

/** The parts of an invoke event the handlers use. */
export interface InvokeEvent extends SenderInfo {
  sender: { send(channel: string, ...args: unknown[]): void; isDestroyed?(): boolean };
}

/** The parts of Electron's `ipcMain` used here (a fake stands in for it in tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/**
 * Registers one handler per channel. Each one checks that the message comes from the app's own
 * page, validates its arguments, runs, and answers with an `IpcResult` envelope so the
 * renderer gets a typed error code instead of Electron's flattened message.
 * Returns a function that removes the handlers again.
 */
export function registerIpcHandlers(ipcMain: IpcMainLike, services: HostServices, rendererUrl: string): () => void {
  function handle<S extends z.ZodType<unknown[]>, R>(
    channel: string,
    schema: S,
    run: (args: z.infer<S>, event: InvokeEvent) => Promise<R>,
  ): void {
    ipcMain.handle(channel, async (event, ...raw): Promise<IpcResult<R>> => {
      if (!isTrustedSender(event, rendererUrl)) {
        return failure(new DesktopError(DesktopErrorCode.UNTRUSTED_SENDER, `${channel}: refused a message from ${event.senderFrame?.url ?? 'an unknown frame'}`));
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        return failure(new DesktopError(DesktopErrorCode.INVALID_REQUEST, `${channel}: ${describeIssues(parsed.error)}`));
      }
      try {
        return { ok: true, value: await run(parsed.data, event) };
      } catch (error) {
        return failure(error);
      }
    });
  }

  handle(IpcChannel.loadDataset, loadDatasetArgs, async ([request], event) =>
    services.datasets.load(request, (progress) => {
      if (!event.sender.isDestroyed?.()) event.sender.send(IpcChannel.datasetProgress, progress);
    }),
  );

  handle(IpcChannel.pickDatasetFiles, noArgs, async () => {
    const paths = await services.dialogs.chooseDatasetFiles();
    return paths ? services.datasets.readFiles(paths) : null;
  });

  handle(IpcChannel.pickDatasetFolder, noArgs, async () => {
    const path = await services.dialogs.chooseDatasetFolder();
    return path ? services.datasets.readFolder(path) : null;
  });

  handle(IpcChannel.openCheckpoint, noArgs, async () => {
    const path = await services.dialogs.chooseCheckpointToOpen();
    return path ? services.checkpoints.read(path) : null;
  });

  handle(IpcChannel.saveCheckpoint, saveCheckpointArgs, async ([request]) => {
    const path = await services.dialogs.chooseCheckpointSavePath(request.suggestedName);
    return path ? services.checkpoints.write(path, request.bytes) : null;
  });

  handle(IpcChannel.loadHandwriting, noArgs, async () => services.handwriting.load());

  handle(IpcChannel.saveHandwriting, saveHandwritingArgs, async ([splits]) => services.handwriting.save(splits));

  const channels = [
    IpcChannel.loadDataset,
    IpcChannel.pickDatasetFiles,
    IpcChannel.pickDatasetFolder,
    IpcChannel.openCheckpoint,
    IpcChannel.saveCheckpoint,
    IpcChannel.loadHandwriting,
    IpcChannel.saveHandwriting,
  ];
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/**
 * Any thrown value as an error envelope: scratchnet's typed errors keep their namespaced code and
 * the table's hint (Node's errno errors also have a string `code` but become desktop/INTERNAL).
 */
function failure(error: unknown): { ok: false; error: ErrorEnvelope } {
  return { ok: false, error: toEnvelope(error) };
}
