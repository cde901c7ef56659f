// File-type icons for the explorer: a short glyph and a colour class per kind, no icon font to bundle.

interface Icon {
  glyph: string;
  kind: string;
}

const BY_EXTENSION: Record<string, Icon> = {
  ts: { glyph: 'TS', kind: 'ts' },
  tsx: { glyph: 'TX', kind: 'ts' },
  js: { glyph: 'JS', kind: 'js' },
  jsx: { glyph: 'JX', kind: 'js' },
  mjs: { glyph: 'JS', kind: 'js' },
  cjs: { glyph: 'JS', kind: 'js' },
  json: { glyph: '{}', kind: 'json' },
  md: { glyph: 'M↓', kind: 'md' },
  css: { glyph: '#', kind: 'css' },
  scss: { glyph: '#', kind: 'css' },
  html: { glyph: '<>', kind: 'html' },
  py: { glyph: 'PY', kind: 'py' },
  rs: { glyph: 'RS', kind: 'rs' },
  go: { glyph: 'GO', kind: 'go' },
  sh: { glyph: '$', kind: 'sh' },
  yml: { glyph: 'Y', kind: 'yaml' },
  yaml: { glyph: 'Y', kind: 'yaml' },
  png: { glyph: '▣', kind: 'img' },
  jpg: { glyph: '▣', kind: 'img' },
  svg: { glyph: '▣', kind: 'img' },
};

const FILE: Icon = { glyph: '·', kind: 'file' };

export function fileIcon(name: string, opts: { directory?: boolean; open?: boolean; symlink?: boolean } = {}): Icon {
  if (opts.directory) return { glyph: opts.open ? '▾' : '▸', kind: 'dir' };
  if (opts.symlink) return { glyph: '↪', kind: 'link' };
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? BY_EXTENSION[name.slice(dot + 1).toLowerCase()] : undefined) ?? FILE;
}
