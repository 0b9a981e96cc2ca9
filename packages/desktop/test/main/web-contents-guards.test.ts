import { describe, expect, it } from 'vitest';
import { EXTERNAL_LINK_ALLOW_LIST, isAllowedExternalLink } from '../../src/main/external-links.js';
import { rendererLocation } from '../../src/main/renderer-location.js';
import { guardWebContents } from '../../src/main/web-contents-guards.js';

describe('external links', () => {
  it('the app allows none: its allow-list is empty', () => {
    expect(EXTERNAL_LINK_ALLOW_LIST).toEqual([]);
    expect(isAllowedExternalLink('https://example.com/')).toBe(false);
  });

  const docs = ['https://docs.example.org/scratchnet/', 'https://example.org/guide.html'];

  it.each([
    'https://docs.example.org/scratchnet/',
    'https://docs.example.org/scratchnet/desktop/security.html#ipc',
    'https://example.org/guide.html',
    'https://example.org/guide.html?x=1',
  ])('opens %s when it is on the list', (url) => {
    expect(isAllowedExternalLink(url, docs)).toBe(true);
  });

  it.each([
    'https://docs.example.org/scratchnetwork/',
    'https://docs.example.org/other/',
    'https://docs.example.org/scratchnet/../other/',
    'http://docs.example.org/scratchnet/',
    'https://docs.example.org:8443/scratchnet/',
    'https://evil.example@docs.example.org/scratchnet/',
    'https://docs.example.org.evil.example/scratchnet/',
    'https://example.org/guide.html/more',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalLink(url, docs)).toBe(false);
  });

  it('window.open hands an allowed link to the system browser and always denies the window', () => {
    let handler: ((details: { url: string }) => { action: string }) | undefined;
    const opened: string[] = [];
    guardWebContents(
      { on: () => undefined, setWindowOpenHandler: (h) => (handler = h) },
      { rendererUrl: 'app://scratchnet/index.html', openExternal: async (url) => void opened.push(url), allowList: docs },
    );
    expect(handler!({ url: 'https://docs.example.org/scratchnet/a.html' })).toEqual({ action: 'deny' });
    expect(handler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://docs.example.org/scratchnet/a.html']);
  });
});

describe('renderer location', () => {
  it('a packaged app ignores ELECTRON_RENDERER_URL', () => {
    expect(rendererLocation(true, { ELECTRON_RENDERER_URL: 'https://evil.example/' })).toEqual({ url: 'app://scratchnet/index.html', devServerUrl: undefined });
  });

  it('electron-vite dev loads the dev server; without it, app://', () => {
    expect(rendererLocation(false, { ELECTRON_RENDERER_URL: 'http://localhost:5173/' })).toEqual({
      url: 'http://localhost:5173/',
      devServerUrl: 'http://localhost:5173/',
    });
    expect(rendererLocation(false, { ELECTRON_RENDERER_URL: '' }).url).toBe('app://scratchnet/index.html');
    expect(rendererLocation(false, {}).url).toBe('app://scratchnet/index.html');
  });
});
