// xterm colours matching the app's dark palette (styles.css :root).
import type { ITheme } from '@xterm/xterm';

export const TERMINAL_THEME: ITheme = {
  background: '#0c0e12',
  foreground: '#d7dce4',
  cursor: '#5aa9ff',
  cursorAccent: '#0c0e12',
  selectionBackground: '#2f86e855',
  selectionInactiveBackground: '#36405066',
  black: '#161a21',
  red: '#f06a6a',
  green: '#4cc38a',
  yellow: '#e8b34b',
  blue: '#5aa9ff',
  magenta: '#c592ff',
  cyan: '#4fc1d6',
  white: '#d7dce4',
  brightBlack: '#5c6573',
  brightRed: '#ff8a8a',
  brightGreen: '#6fdba6',
  brightYellow: '#ffd27a',
  brightBlue: '#86c1ff',
  brightMagenta: '#d9b5ff',
  brightCyan: '#7fd8e8',
  brightWhite: '#ffffff',
};

export const TERMINAL_FONT_FAMILY = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace";
