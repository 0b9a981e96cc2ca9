import { BRIDGE_GLOBAL, type PreloadApi, type ScratchnetBridge } from '../../../shared/bridge-api.js';
import { createElectronBridge } from './electron-bridge.js';
import { createWebBridge } from './web-bridge.js';

/** Which host the page runs in; decides a few labels (e.g. "Save…" vs "Download"). */
export type HostKind = 'electron' | 'web';

/** The Electron preload's bridge when present, otherwise the web bridge. */
export function connectHost(): { kind: HostKind; bridge: ScratchnetBridge } {
  const api = (globalThis as Record<string, unknown>)[BRIDGE_GLOBAL] as PreloadApi | undefined;
  return api ? { kind: 'electron', bridge: createElectronBridge(api) } : { kind: 'web', bridge: createWebBridge() };
}
