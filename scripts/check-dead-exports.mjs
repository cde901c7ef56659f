#!/usr/bin/env node
// Lists exports under src/ that nothing uses. Part of `npm run lint`: exits 1 on any finding that is not in the
// baseline (see the end of this comment).
//
// The rule:
// - Checked: every export (values and types alike) of every .ts/.tsx module under src/, except test files and
//   declaration files (*.d.ts). "Export" means `export const/function/class/interface/type/enum`, `export { x }`,
//   `export default` and re-exports (`export { x } from`, `export * from`).
// - Used: another file imports the name (`import { x }`, `import type { x }`, `import x` for a default,
//   `import * as ns` followed by `ns.x`, `import('./m').x` in a type, `export { x } from`, `export * from` when some
//   file imports x through it). A dynamic `import('./m')` or a namespace object passed around uses every export of
//   `./m`. A use inside the exporting file itself does not count: such a name only needs to lose its `export`.
// - Tests do not keep production code alive. Test code is: *.test.ts(x), everything under e2e/, bench/ and any
//   `__fixtures__/` folder (tests run fixtures by path; they are not checked), the test-runner configs, and the
//   test-support modules under src/: files in a `testing/` or `__tests__/` folder, `testing.ts` and `*test-kit.ts` files, and those
//   listed in TEST_SUPPORT below. An export of a production module that only test code imports is reported, unless
//   its declaration carries the JSDoc tag `@visibleForTesting`; then at least one test-code file must import it.
// - Test-support modules are checked too, with test code counted as a consumer.
// - Roots are never reported: the build's entry points (files named in electron.vite.config.ts, in the renderer's
//   index.html and in scripts/*.mjs) and the explicit ROOTS below. Their exports are used by the runtime or a bundler.
// - A non-root module under src/ that no file imports at all is reported once, as `<module>`.
//
// Output: one `file:line name  reason` line per finding, sorted. The reason says whether the name is used nowhere
// (delete it), only inside its own file (drop `export`), or only by tests. Syntax only (no type checking), so it runs
// in about a second.
//
// The repository has no findings. scripts/dead-exports-baseline.txt (`file name` per line), when present, lists
// findings that are tolerated while being fixed: they are not reported, but an entry no longer found fails the run
// (the list only shrinks). The file was emptied and deleted once every finding was fixed; do not bring it back to
// hide a new one.
// `--all` lists every finding, baseline or not; `--prune-baseline` rewrites the baseline without its stale entries.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Loaded through require: an ESM import of the 9 MB CommonJS file first scans it for export names, which costs more
// than the whole check.
const ts = createRequire(import.meta.url)('typescript');

const argv = process.argv.slice(2);
const rootArg = argv.indexOf('--root');
/** The repository to check; `--root DIR` points it elsewhere (the script's own test uses a small fixture). */
const root =
  rootArg >= 0 && argv[rootArg + 1]
    ? path.resolve(argv[rootArg + 1])
    : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Entry points that no config file names as a plain `src/...` path. */
const ROOTS = [
  'src/main/electron/main.ts',
  'src/main/cli/index.ts',
  'src/preload/index.ts',
  'src/renderer/src/main.tsx',
  'src/plugin-hook/main.ts',
];
/** Files whose `src/...` paths (relative to the repo, or to the file's folder) are build entry points. */
const ROOT_SOURCES = ['electron.vite.config.ts', 'src/renderer/index.html'];
const SCAN_DIRS = ['src', 'e2e', 'bench', 'scripts'];
const TEST_CONFIGS = new Set(['vitest.config.ts', 'playwright.config.ts']);
/** Test helpers under src/ whose path does not say so. */
const TEST_SUPPORT = new Set(['src/plugin-hook/hook-process.ts']);
const SOURCE_EXT = /\.(ts|tsx|mts|mjs)$/;
const RESOLVE_EXT = ['.ts', '.tsx', '.mts', '.mjs', '.d.ts', '/index.ts', '/index.tsx'];
const MARKER = 'visibleForTesting';
const BASELINE = 'scripts/dead-exports-baseline.txt';
/** Stands for "every export of the module". */
const ALL = '*';

const rel = (abs) => path.relative(root, abs).split(path.sep).join('/');

function listFiles() {
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (SOURCE_EXT.test(entry.name)) out.push(abs);
    }
  };
  for (const dir of SCAN_DIRS) {
    const abs = path.join(root, dir);
    if (fs.existsSync(abs)) walk(abs);
  }
  for (const name of fs.readdirSync(root)) {
    if (/\.config\.(ts|mts|mjs)$/.test(name)) out.push(path.join(root, name));
  }
  return out;
}

function isTestCode(file) {
  const r = rel(file);
  return (
    /\.test\.(ts|tsx|mts|mjs)$/.test(r) ||
    r.startsWith('e2e/') ||
    r.includes('/__fixtures__/') ||
    r.startsWith('bench/') ||
    TEST_CONFIGS.has(r) ||
    isTestSupport(r)
  );
}

function isTestSupport(r) {
  return (
    r.startsWith('src/') &&
    (/\/(testing|__tests__)\//.test(r) ||
      /\/testing\.tsx?$/.test(r) ||
      /test-kit\.tsx?$/.test(r) ||
      TEST_SUPPORT.has(r))
  );
}

function isChecked(file) {
  const r = rel(file);
  return (
    r.startsWith('src/') &&
    /\.tsx?$/.test(r) &&
    !r.endsWith('.d.ts') &&
    !/\.test\.tsx?$/.test(r) &&
    !r.includes('/__fixtures__/')
  );
}

function findRoots() {
  const roots = new Set(ROOTS.map((r) => path.join(root, r)));
  const sources = [...ROOT_SOURCES];
  const scripts = path.join(root, 'scripts');
  for (const name of fs.existsSync(scripts) ? fs.readdirSync(scripts) : []) {
    if (name.endsWith('.mjs') && name !== path.basename(fileURLToPath(import.meta.url)))
      sources.push(`scripts/${name}`);
  }
  for (const source of sources) {
    const abs = path.join(root, source);
    if (!fs.existsSync(abs)) continue;
    const text = fs.readFileSync(abs, 'utf8');
    for (const m of text.matchAll(/['"`](\.{0,2}\/?(?:[\w.-]+\/)*src\/[\w./-]+\.tsx?)['"`]/g)) {
      const spec = m[1];
      for (const candidate of [path.join(root, spec), path.join(path.dirname(abs), spec)]) {
        if (fs.existsSync(candidate)) roots.add(candidate);
      }
    }
  }
  return roots;
}

const isFile = (() => {
  const cache = new Map();
  return (p) => {
    let hit = cache.get(p);
    if (hit === undefined) cache.set(p, (hit = fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false));
    return hit;
  };
})();

function resolveImport(fromFile, spec) {
  if (!spec.startsWith('.')) return null;
  const clean = spec.replace(/[?#].*$/, '');
  const base = path.resolve(path.dirname(fromFile), clean);
  const candidates = [base, ...RESOLVE_EXT.map((ext) => base + ext)];
  if (/\.(m?js)$/.test(base)) candidates.push(base.replace(/\.(m?)js$/, '.$1ts'), base.replace(/\.js$/, '.tsx'));
  return candidates.find(isFile) ?? null;
}

const hasExport = (node) => ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
const hasDefault = (node) => ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ?? false;
const isMarked = (node) => ts.getJSDocTags(node).some((t) => t.tagName.text === MARKER);

function bindingNames(name, out) {
  if (ts.isIdentifier(name)) out.push(name);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
}

/**
 * What one file declares and uses. `exports`: name → { line, marked, local, selfRefs, reexport } for names declared
 * here; `reexports`: name → { from, name, line } for `export { a as b } from`; `stars`: modules re-exported whole;
 * `uses`: list of { target, name } (name is ALL for every export, null for none); `refs`: identifier → how often the
 * file refers to it.
 */
function analyze(file) {
  const text = fs.readFileSync(file, 'utf8');
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : file.endsWith('.mjs') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const info = { exports: new Map(), reexports: new Map(), stars: [], uses: [], refs: new Map() };
  const lineOf = (node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  /** Identifier nodes that name a declaration rather than refer to it. */
  const declNames = new Set();
  /**
   * `local` is the name the file uses for it, and `selfRefs` how many of that name's identifiers are its own
   * declaration (1 for `export { a }`, whose `const a` or `import { a }` is seen as a reference).
   */
  const declare = (name, node, marked, local = name, selfRefs = 0) => {
    if (ts.isIdentifier(node)) declNames.add(node);
    const prev = info.exports.get(name);
    if (prev) prev.marked ||= marked;
    else info.exports.set(name, { line: lineOf(node), marked, local, selfRefs, reexport: false });
  };
  const use = (spec, name) => {
    const target = resolveImport(file, spec);
    if (target) info.uses.push({ target, name });
  };
  /** Local name → module for `import * as ns`. */
  const namespaces = new Map();

  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt) && ts.isStringLiteral(stmt.moduleSpecifier)) {
      const spec = stmt.moduleSpecifier.text;
      const clause = stmt.importClause;
      if (!clause) {
        use(spec, null); // Side-effect import: the module is used, no name is.
        continue;
      }
      if (clause.name) use(spec, 'default');
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) namespaces.set(bindings.name.text, spec);
      else if (bindings) for (const el of bindings.elements) use(spec, (el.propertyName ?? el.name).text);
      if (!bindings && !clause.name) use(spec, null);
      continue;
    }
    if (ts.isExportDeclaration(stmt)) {
      const from = stmt.moduleSpecifier && ts.isStringLiteral(stmt.moduleSpecifier) ? stmt.moduleSpecifier.text : null;
      const clause = stmt.exportClause;
      if (from && !clause) {
        const target = resolveImport(file, from);
        if (target) info.stars.push(target);
        use(from, null);
      } else if (from && clause && ts.isNamespaceExport(clause)) {
        declare(clause.name.text, clause.name, isMarked(stmt));
        info.exports.get(clause.name.text).reexport = true;
        use(from, ALL);
      } else if (clause && ts.isNamedExports(clause)) {
        for (const el of clause.elements) {
          const local = (el.propertyName ?? el.name).text;
          if (from) {
            const target = resolveImport(file, from);
            if (target) info.reexports.set(el.name.text, { from: target, name: local, line: lineOf(el) });
            use(from, null);
          } else {
            declare(el.name.text, el.name, isMarked(stmt), local, 1);
            if (el.propertyName) declNames.add(el.propertyName);
          }
        }
      }
      continue;
    }
    if (ts.isExportAssignment(stmt)) {
      declare('default', stmt, isMarked(stmt));
      continue;
    }
    if (!hasExport(stmt)) continue;
    const marked = isMarked(stmt);
    if (hasDefault(stmt)) declare('default', stmt, marked);
    else if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        const ids = [];
        bindingNames(d.name, ids);
        for (const id of ids) declare(id.text, id, marked);
      }
    } else if (stmt.name && ts.isIdentifier(stmt.name)) declare(stmt.name.text, stmt.name, marked);
  }

  // Uses deeper in the tree: dynamic imports, `import('./m').X` types, and members of namespace imports. Also counts
  // references to each name inside the file, to tell "used nowhere" from "used only here".
  const visit = (node) => {
    if (ts.isIdentifier(node) && !declNames.has(node) && isReference(node)) {
      info.refs.set(node.text, (info.refs.get(node.text) ?? 0) + 1);
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) use(arg.text, ALL);
    } else if (ts.isImportTypeNode(node)) {
      const lit = node.argument;
      if (ts.isLiteralTypeNode(lit) && ts.isStringLiteral(lit.literal)) {
        let q = node.qualifier;
        while (q && ts.isQualifiedName(q)) q = q.left;
        use(lit.literal.text, q ? q.text : ALL);
      }
    } else if (ts.isIdentifier(node) && namespaces.has(node.text)) {
      const parent = node.parent;
      const spec = namespaces.get(node.text);
      if (ts.isNamespaceImport(parent)) {
        // The declaration itself.
      } else if (ts.isPropertyAccessExpression(parent) && parent.expression === node) use(spec, parent.name.text);
      else if (ts.isQualifiedName(parent) && parent.left === node) use(spec, parent.right.text);
      else use(spec, ALL);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return info;
}

/** False for identifiers that name a property or member, which cannot refer to a module-level declaration. */
function isReference(id) {
  const p = id.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  if (
    (ts.isPropertyAssignment(p) ||
      ts.isPropertySignature(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isMethodDeclaration(p) ||
      ts.isMethodSignature(p) ||
      ts.isGetAccessorDeclaration(p) ||
      ts.isSetAccessorDeclaration(p) ||
      ts.isEnumMember(p)) &&
    p.name === id
  ) {
    return false;
  }
  if ((ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) && p.propertyName === id) return false;
  return true;
}

function readBaseline() {
  const abs = path.join(root, BASELINE);
  if (!fs.existsSync(abs)) return { header: [], entries: [] };
  const header = [];
  const entries = [];
  for (const raw of fs.readFileSync(abs, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      if (entries.length === 0) header.push(raw);
      continue;
    }
    const [file, name] = line.split(/\s+/);
    entries.push({ file, name, key: `${file} ${name}` });
  }
  return { header, entries };
}

function main() {
  const args = new Set(argv);
  const started = performance.now();
  const files = listFiles();
  const roots = findRoots();
  const infos = new Map(files.map((f) => [f, analyze(f)]));

  // usedBy: file → name → { prod, test } (which kinds of other files use it); imported: files imported at all.
  const usedBy = new Map();
  const imported = new Set();
  const mark = (target, name, fromTest, seen = new Set()) => {
    const key = `${target}\0${name}`;
    if (seen.has(key)) return;
    seen.add(key);
    const info = infos.get(target);
    if (!info) return;
    const names = name === ALL ? [...info.exports.keys(), ...info.reexports.keys()] : [name];
    for (const n of names) {
      let entry = usedBy.get(target);
      if (!entry) usedBy.set(target, (entry = new Map()));
      const flags = entry.get(n) ?? { prod: false, test: false };
      if (fromTest) flags.test = true;
      else flags.prod = true;
      entry.set(n, flags);
      const re = info.reexports.get(n);
      if (re) mark(re.from, re.name, fromTest, seen);
    }
    if (name === ALL) {
      for (const star of info.stars) mark(star, ALL, fromTest, seen);
    } else if (!info.exports.has(name) && !info.reexports.has(name)) {
      for (const star of info.stars) mark(star, name, fromTest, seen);
    }
  };
  for (const [file, info] of infos) {
    const fromTest = isTestCode(file);
    for (const { target, name } of info.uses) {
      if (target === file) continue;
      imported.add(target);
      if (name !== null) mark(target, name, fromTest);
    }
  }

  const findings = [];
  for (const [file, info] of infos) {
    if (!isChecked(file) || roots.has(file)) continue;
    const r = rel(file);
    const support = isTestSupport(r);
    if (!imported.has(file)) {
      findings.push({ file: r, line: 1, name: '<module>', why: 'no file imports this module' });
      continue;
    }
    const used = usedBy.get(file) ?? new Map();
    const entries = [
      ...[...info.exports].map(([name, e]) => ({ name, ...e })),
      ...[...info.reexports].map(([name, e]) => ({ name, line: e.line, marked: false, reexport: true })),
    ];
    for (const { name, line, marked, local, selfRefs, reexport } of entries) {
      const flags = used.get(name) ?? { prod: false, test: false };
      let why = null;
      if (support) {
        if (!flags.prod && !flags.test) why = 'not imported by any other file';
      } else if (!flags.prod) {
        if (marked && !flags.test) why = `@${MARKER}, but no test imports it`;
        else if (!marked && flags.test) why = `imported only by tests (delete it, or tag it @${MARKER})`;
        else if (!marked) why = 'not imported by any other file';
      }
      if (why === 'not imported by any other file') {
        if (reexport) why = 're-exported, but no other file imports it from here (delete the re-export)';
        else if ((info.refs.get(local) ?? 0) > selfRefs) why = 'used only in its own file (drop `export`)';
        else why = 'used nowhere (delete it)';
      }
      if (why) findings.push({ file: r, line, name, why });
    }
  }

  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.name.localeCompare(b.name));
  const baseline = readBaseline();
  const known = new Set(baseline.entries.map((e) => e.key));
  const found = new Set(findings.map((f) => `${f.file} ${f.name}`));
  const stale = baseline.entries.filter((e) => !found.has(e.key));
  const fresh = findings.filter((f) => !known.has(`${f.file} ${f.name}`));
  for (const f of args.has('--all') ? findings : fresh) console.log(`${f.file}:${f.line} ${f.name}  ${f.why}`);

  if (args.has('--prune-baseline') && stale.length > 0) {
    const keep = baseline.entries.filter((e) => found.has(e.key)).map((e) => `${e.file} ${e.name}`);
    fs.writeFileSync(path.join(root, BASELINE), [...baseline.header, ...keep, ''].join('\n'));
    console.error(`check-dead-exports: removed ${stale.length} stale entries from ${BASELINE}`);
  } else {
    for (const e of stale) console.log(`${BASELINE}: ${e.file} ${e.name}  no longer found; remove this entry`);
  }
  const failed = fresh.length > 0 || (stale.length > 0 && !args.has('--prune-baseline'));
  const ms = Math.round(performance.now() - started);
  const knownNote = found.size - fresh.length > 0 ? `, ${found.size - fresh.length} known (in ${BASELINE})` : '';
  console.error(`check-dead-exports: ${fresh.length} new unused export(s)${knownNote}; ${infos.size} files, ${ms} ms`);
  if (failed) process.exitCode = 1;
}

main();
