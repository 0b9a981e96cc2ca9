import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from '../shared/bridge-api.js';
import { createPreloadApi } from './preload-api.js';

// The only thing the page gets from Electron: a handful of functions, each sending one message.
contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createPreloadApi(ipcRenderer));
