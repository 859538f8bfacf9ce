import path from 'node:path';
import { getModuleInfo, isPathAlias, type ModuleInfo, resolveImport } from './modules.js';
import { isPrivateSegment, type ProjectLayout, routePatternOf, segmentsWithin } from './project.js';
import { derive, getStoreGeneration, listDirectory, type Tier } from './store.js';

/*
 * The app graph: every source file of the app under `rootDir`, who imports whom (both ways), and
 * so where each module runs. Built from the store's cheap tier only (prologue, import and
 * export specifiers from a light scan), on the first question a rule asks about the app, and
 * rebuilt from the cached scans when the store sees the disk change.
 */

/** Where a module's code runs: bits, so that a module reached from both sides is both. */
export const CLIENT = 1;
export const SERVER = 2;
export type Environment = number;

export type EdgeKind = 'import' | 'reexport' | 'dynamic';

export interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
  /**
   * For `import`: imported name → local name, with `*` for a namespace import. For `reexport`:
   * exported name → name in `to`, or `*` for `export * from`. Empty for a side-effect import and
   * for `import()`.
   */
  names: ReadonlyMap<string, string> | '*';
}

export interface GraphModule {
  file: string;
  info: ModuleInfo;
  imports: Edge[];
  importers: Edge[];
  env: Environment;
  /** An App Router file Next.js renders or serves itself: page, layout, route, … */
  appEntry: 'page' | 'route' | 'other' | undefined;
}

export interface AppGraph {
  layout: ProjectLayout;
  modules: ReadonlyMap<string, GraphModule>;
}

/** An import statement as the light scan sees it. */
interface ScannedImport {
  specifier: string;
  kind: 'import' | 'dynamic';
  /** Imported name → local name (`*` for a namespace); undefined for side-effect imports. */
  names: Map<string, string> | undefined;
}

interface ImportScan {
  imports: ScannedImport[];
  serverOnly: boolean;
}

const SOURCE_FILE = /\.(?:[cm]?[jt]sx?)$/;
const RESOLVED_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** ESM TypeScript imports name the emitted file: `./db.js` is `./db.ts` on disk. */
const EMITTED_EXTENSION = /\.([cm]?)js(x?)$/;

/**
 * A relative import that names an app source file directly, as a file, with an extension or an
 * index file: most imports of an app, answered from the graph's own file list instead of
 * TypeScript's resolver (which stays the answer for everything else: package.json `main`, paths).
 */
function relativeModule(modules: ReadonlyMap<string, unknown>, from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  if (modules.has(base)) return base;
  const emitted = EMITTED_EXTENSION.exec(base);
  if (emitted) {
    const source = `${base.slice(0, emitted.index)}.${emitted[1]}ts${emitted[2]}`;
    if (modules.has(source)) return source;
  }
  for (const extension of RESOLVED_EXTENSIONS) if (modules.has(base + extension)) return base + extension;
  for (const extension of RESOLVED_EXTENSIONS) if (modules.has(path.join(base, `index${extension}`))) return path.join(base, `index${extension}`);
  return undefined;
}
const DECLARATION_FILE = /\.d\.[cm]?ts$/;
/** Imports of files the graph does not hold: styles, images, fonts, data. */
const ASSET = /\.(?:css|scss|sass|less|styl|svg|png|jpe?g|gif|webp|avif|ico|bmp|woff2?|ttf|otf|json|md|mdx|txt|html|wasm)$/i;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', 'public', 'storybook-static']);
/** Beyond this many files the folder is not one app, and questions about callers stay unknown. */
const MAX_FILES = 20_000;
const APP_ENTRY = /^(page|layout|template|default|not-found|forbidden|unauthorized|global-error|global-not-found|error|loading|route|opengraph-image|twitter-image|icon|apple-icon|sitemap|robots|manifest)\.[cm]?[jt]sx?$/;
const ROOT_SERVER_FILE = /^(?:middleware|proxy|instrumentation)\.[cm]?[jt]s$/;

// ---------------------------------------------------------------------------------------------
// The light scan of imports

const STATIC_IMPORT = /(?:^|[;}\n])[ \t]*import\s+(type\s+)?([^'"`;()=]*?)\s*from\s*(['"])([^'"\n]+)\3/g;
const SIDE_EFFECT_IMPORT = /(?:^|[;}\n])[ \t]*import\s*(['"])([^'"\n]+)\1/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*[,)]/g;
const WORD = '[\\w$\\u00a0-\\uffff]+';
const NAMESPACE = new RegExp(`^\\*\\s*as\\s+(${WORD})$`);
const DEFAULT = new RegExp(`^${WORD}$`);
const SPECIFIER = new RegExp(`^(?:type\\s+)?(${WORD}|'[^']*'|"[^"]*")(?:\\s+as\\s+(${WORD}))?$`);

function importedNames(clause: string): Map<string, string> {
  const names = new Map<string, string>();
  const braces = /\{([^}]*)\}/.exec(clause);
  const outside = (braces ? clause.replace(braces[0], '') : clause).split(',').map(part => part.trim()).filter(Boolean);
  for (const part of outside) {
    const namespace = NAMESPACE.exec(part);
    if (namespace) names.set('*', namespace[1]!);
    else if (DEFAULT.test(part)) names.set('default', part);
  }
  for (const item of braces?.[1]!.split(',').map(part => part.trim()).filter(Boolean) ?? []) {
    if (/^type\s/.test(item)) continue;
    const parts = SPECIFIER.exec(item);
    if (!parts) continue;
    const imported = parts[1]!.replace(/^['"]|['"]$/g, '');
    names.set(imported, parts[2] ?? imported);
  }
  return names;
}

/**
 * Import statements and `import()` calls of a module's text. Linear in its length. Statements
 * are only taken at line starts (or after `;`/`}`), so `// import …` and ` * import …` in comments
 * are not imports; an `import(…)` written in a comment is, which at worst adds an edge.
 */
export function scanImports(code: string): ImportScan {
  const imports: ScannedImport[] = [];
  let serverOnly = false;
  for (const match of code.matchAll(STATIC_IMPORT)) {
    if (match[1]) continue;
    imports.push({ specifier: match[4]!, kind: 'import', names: importedNames(match[2]!) });
  }
  for (const match of code.matchAll(SIDE_EFFECT_IMPORT)) {
    if (match[2] === 'server-only') serverOnly = true;
    imports.push({ specifier: match[2]!, kind: 'import', names: undefined });
  }
  for (const match of code.matchAll(DYNAMIC_IMPORT)) imports.push({ specifier: match[2]!, kind: 'dynamic', names: undefined });
  return { imports, serverOnly };
}

const importTier: Tier<ImportScan> = {
  name: 'imports',
  build: (_file, text) => scanImports(text),
};

// ---------------------------------------------------------------------------------------------
// Building

/**
 * Bare specifiers are mostly packages; resolving each from every folder would cost more than the
 * whole graph. A prefix (`components`, `@scope/name`) that has never led into the app after a few
 * tries is a package, and is no longer resolved. Tries that say nothing about the prefix do not
 * count: a stylesheet or image (`components/card.css`), and any specifier under a tsconfig `paths`
 * alias (`@/app/globals.css`), which names the project's own files however often it fails.
 */
interface PrefixStats {
  hits: number;
  misses: number;
  /** Misses that led to a project file outside the graph (a workspace package). */
  outside: number;
}

function prefixOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') && parts.length > 1 && parts[0] !== '@' ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function listSources(rootDir: string): string[] | undefined {
  const found: string[] = [];
  const stack = [rootDir];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const entry of listDirectory(dir)) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory) {
        if (!SKIPPED_FOLDERS.has(entry.name)) stack.push(full);
      } else if (entry.isFile && SOURCE_FILE.test(entry.name) && !DECLARATION_FILE.test(entry.name)) {
        found.push(full);
        if (found.length > MAX_FILES) return undefined;
      }
    }
  }
  return found;
}

function appEntryOf(layout: ProjectLayout, file: string): GraphModule['appEntry'] {
  const segments = segmentsWithin(layout.appDir, file);
  if (!segments || segments.slice(0, -1).some(isPrivateSegment)) return undefined;
  const match = APP_ENTRY.exec(segments.at(-1)!);
  if (!match) return undefined;
  return match[1] === 'page' ? 'page' : match[1] === 'route' ? 'route' : 'other';
}

function rootEnvironment(layout: ProjectLayout, module: GraphModule, serverOnly: boolean): Environment {
  const { directives } = module.info;
  if (directives.includes('use client')) return CLIENT;
  if (directives.includes('use server') || serverOnly || module.appEntry) return SERVER;
  const dir = path.dirname(module.file);
  if ((dir === layout.rootDir || dir === path.join(layout.rootDir, 'src')) && ROOT_SERVER_FILE.test(path.basename(module.file))) return SERVER;
  const pages = segmentsWithin(layout.pagesDir, module.file);
  if (pages) return pages[0] === 'api' ? SERVER : CLIENT | SERVER;
  return 0;
}

function build(layout: ProjectLayout): AppGraph | undefined {
  const sources = listSources(layout.rootDir);
  if (!sources) return undefined;
  const modules = new Map<string, GraphModule>();
  const serverOnly = new Set<string>();
  const scans = new Map<string, ImportScan>();
  for (const file of sources) {
    const info = getModuleInfo(file);
    const scan = derive(file, importTier);
    if (!info || !scan) continue;
    scans.set(file, scan);
    if (scan.serverOnly) serverOnly.add(file);
    modules.set(file, { file, info, imports: [], importers: [], env: 0, appEntry: appEntryOf(layout, file) });
  }
  const prefixes = new Map<string, PrefixStats>();
  const resolve = (from: string, specifier: string): string | undefined => {
    if (specifier.startsWith('.')) return relativeModule(modules, from, specifier) ?? resolveImport(from, specifier);
    if (specifier.startsWith('/')) return resolveImport(from, specifier);
    if (isPathAlias(from, specifier)) return resolveImport(from, specifier);
    const prefix = prefixOf(specifier);
    let stats = prefixes.get(prefix);
    if (!stats) prefixes.set(prefix, (stats = { hits: 0, misses: 0, outside: 0 }));
    if (stats.hits === 0 && stats.misses >= 3) return undefined;
    const target = resolveImport(from, specifier);
    if (target !== undefined && modules.has(target)) stats.hits++;
    else if (target !== undefined || !ASSET.test(specifier)) stats.misses++;
    if (target !== undefined && !modules.has(target)) stats.outside++;
    return target;
  };
  const outside = new Map<string, string[]>();
  const link = (edge: Edge) => {
    const target = modules.get(edge.to);
    if (!target) {
      const list = outside.get(edge.from);
      if (list) list.push(edge.to);
      else outside.set(edge.from, [edge.to]);
      return;
    }
    if (edge.to === edge.from) return;
    modules.get(edge.from)!.imports.push(edge);
    target.importers.push(edge);
  };
  for (const [file, module] of modules) {
    for (const scanned of scans.get(file)!.imports) {
      const to = resolve(file, scanned.specifier);
      if (to !== undefined) link({ from: file, to, kind: scanned.kind, names: scanned.names ?? new Map() });
    }
    for (const reexport of module.info.reexports) {
      const to = resolve(file, reexport.specifier);
      if (to !== undefined) link({ from: file, to, kind: 'reexport', names: reexport.names });
    }
  }
  propagate(layout, modules, serverOnly);
  const graph = { layout, modules };
  const leaving = new Set([...prefixes].filter(([, stats]) => stats.hits === 0 && stats.misses >= 3 && stats.outside > 0).map(([prefix]) => prefix));
  leavingImports.set(graph, { outside, leaving });
  return graph;
}

/**
 * Client code is a "use client" module and everything it imports, up to "use server" modules,
 * whose exports cross the boundary as references. Server code starts at what Next.js runs on
 * the server (App Router files, "use server" and `server-only` modules, the proxy) and stops at
 * "use client" modules.
 */
function propagate(layout: ProjectLayout, modules: Map<string, GraphModule>, serverOnly: ReadonlySet<string>): void {
  const roots = new Map<GraphModule, Environment>();
  for (const module of modules.values()) {
    const env = rootEnvironment(layout, module, serverOnly.has(module.file));
    if (env) roots.set(module, env);
  }
  for (const side of [CLIENT, SERVER]) {
    const stack = [...roots].filter(([, env]) => env & side).map(([module]) => module);
    for (const module of stack) module.env |= side;
    while (stack.length > 0) {
      const module = stack.pop()!;
      for (const edge of module.imports) {
        const target = modules.get(edge.to)!;
        if (target.env & side) continue;
        const { directives } = target.info;
        if (side === CLIENT && directives.includes('use server')) continue;
        if (side === SERVER && directives.includes('use client')) continue;
        target.env |= side;
        stack.push(target);
      }
    }
  }
}

const graphs = new Map<string, { generation: number; graph: AppGraph | undefined }>();

/**
 * The graph of the app a file belongs to, or undefined when the app has no App Router folder or
 * more than 20,000 source files. Built on first use, rebuilt after the store sees a change.
 */
export function getAppGraph(layout: ProjectLayout): AppGraph | undefined {
  if (layout.appDir === undefined) return undefined;
  const key = `${layout.rootDir}\0${layout.appDir}\0${layout.pagesDir ?? ''}`;
  const { content } = getStoreGeneration();
  const cached = graphs.get(key);
  if (cached?.generation === content) return cached.graph;
  const graph = build(layout);
  graphs.set(key, { generation: content, graph });
  return graph;
}

/** Where the code of `file` runs; undefined when the graph cannot say (the file is not in it). */
export function environmentOf(layout: ProjectLayout, file: string): Environment | undefined {
  return getAppGraph(layout)?.modules.get(file)?.env;
}

/** A route whose UI a module is part of: a page, or a layout (which renders for every page under it). */
export interface RenderingRoute {
  pattern: string;
  type: 'page' | 'layout';
}

/**
 * The App Router pages and layouts that render `file`, directly or through what they import
 * (client boundaries included), sorted by pattern. Stops at "use server" modules and at pages.
 */
export function routesRendering(graph: AppGraph, file: string): RenderingRoute[] {
  const found = new Map<string, RenderingRoute>();
  const seen = new Set<string>([file]);
  const stack = [file];
  while (stack.length > 0) {
    const module = graph.modules.get(stack.pop()!);
    if (!module) continue;
    const segments = module.appEntry ? segmentsWithin(graph.layout.appDir, module.file)! : undefined;
    const type = module.appEntry === 'page' ? 'page' : segments && /^layout\./.test(segments.at(-1)!) ? 'layout' : undefined;
    if (type) {
      const pattern = routePatternOf(segments!.slice(0, -1));
      found.set(`${type}\0${pattern}`, { pattern, type });
      continue;
    }
    for (const edge of module.importers) {
      if (seen.has(edge.from)) continue;
      if (graph.modules.get(edge.from)?.info.isServerActionsFile) continue;
      seen.add(edge.from);
      stack.push(edge.from);
    }
  }
  return [...found.values()].sort((a, b) => a.pattern.localeCompare(b.pattern) || a.type.localeCompare(b.type));
}

/**
 * What the build saw of imports that leave the graph: the project files outside it that each
 * module imports, and the bare prefixes it stopped resolving although they led out of it.
 */
const leavingImports = new WeakMap<AppGraph, { outside: Map<string, string[]>; leaving: ReadonlySet<string> }>();
const outsideByGraph = new WeakMap<AppGraph, ReadonlyMap<string, readonly string[]>>();

/**
 * For each module, the project source files outside the graph it imports (a workspace package's
 * sources, a file beyond `rootDir`): the edges the graph leaves out. The build's resolutions,
 * completed for a workspace package whose prefix the build stopped resolving after a few imports.
 */
export function outsideImports(graph: AppGraph): ReadonlyMap<string, readonly string[]> {
  const known = outsideByGraph.get(graph);
  if (known) return known;
  const { outside, leaving } = leavingImports.get(graph) ?? { outside: new Map<string, string[]>(), leaving: new Set<string>() };
  if (leaving.size > 0) {
    for (const [file, module] of graph.modules) {
      const specifiers = [...(derive(file, importTier)?.imports ?? []).map(item => item.specifier), ...module.info.reexports.map(item => item.specifier)];
      for (const specifier of specifiers) {
        if (specifier.startsWith('.') || specifier.startsWith('/') || !leaving.has(prefixOf(specifier))) continue;
        const target = resolveImport(file, specifier);
        if (target === undefined || graph.modules.has(target)) continue;
        const list = outside.get(file);
        if (!list) outside.set(file, [target]);
        else if (!list.includes(target)) list.push(target);
      }
    }
  }
  outsideByGraph.set(graph, outside);
  return outside;
}
