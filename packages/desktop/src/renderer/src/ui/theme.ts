import { h } from './dom.js';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

/** Where the choice is kept between sessions (the page's own localStorage; nothing leaves the machine). */
export const THEME_STORAGE_KEY = 'scratchnet.theme';
const CHOICES: ReadonlyArray<{ value: ThemeChoice; label: string }> = [
  { value: 'system', label: 'System theme' },
  { value: 'light', label: 'Light theme' },
  { value: 'dark', label: 'Dark theme' },
];

function storedChoice(): ThemeChoice {
  try {
    const value = localStorage.getItem(THEME_STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

/**
 * Light and dark themes: the system setting (prefers-color-scheme) unless the user picked one
 * with the switch, which is remembered. The theme is `data-theme` on <html>; styles.css keys
 * every colour off it, and views that paint canvases listen for changes (`onThemeChange`).
 */
export function createThemeSwitch(): { element: HTMLSelectElement; readonly theme: Theme } {
  const media = window.matchMedia('(prefers-color-scheme: light)');
  let choice = storedChoice();
  const current = (): Theme => (choice === 'system' ? (media.matches ? 'light' : 'dark') : choice);
  const apply = () => {
    const theme = current();
    if (document.documentElement.dataset.theme === theme) return;
    document.documentElement.dataset.theme = theme;
    window.dispatchEvent(new CustomEvent('scratchnet-theme', { detail: theme }));
  };
  const element = h('select', { class: 'theme-switch', 'data-testid': 'theme-switch', 'aria-label': 'Colour theme', title: 'Colour theme (T cycles)' });
  for (const option of CHOICES) element.appendChild(h('option', { value: option.value, selected: option.value === choice }, option.label));
  element.addEventListener('change', () => {
    choice = element.value as ThemeChoice;
    try {
      if (choice === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
      else localStorage.setItem(THEME_STORAGE_KEY, choice);
    } catch {
      // Storage can be disabled; the switch still works for this session.
    }
    apply();
  });
  media.addEventListener('change', apply);
  apply();
  return {
    element,
    get theme() {
      return current();
    },
  };
}

/** The theme in effect now. */
export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'light' ? 'light' : 'dark';
}

/** Calls `listener` whenever the theme changes; returns an unsubscribe function. */
export function onThemeChange(listener: (theme: Theme) => void): () => void {
  const handler = (event: Event) => listener((event as CustomEvent<Theme>).detail);
  window.addEventListener('scratchnet-theme', handler);
  return () => window.removeEventListener('scratchnet-theme', handler);
}

/** A CSS custom property's value on <html> (theme colours for canvas drawing). */
export function themeColour(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}
