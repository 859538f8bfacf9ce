import path from 'node:path';
import { isPrivateSegment, type ProjectLayout } from './project.js';
import { clearStore, derive, directoryExists, getStoreGeneration, listDirectory, type Tier } from './store.js';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * Stands for a part of a URL that is only known at runtime (a template expression). It matches a
 * dynamic or catch-all segment, never a static one.
 */
export const DYNAMIC_PART = '\u0000';

type RouteSegment =
  | { kind: 'static'; value: string }
  | { kind: 'dynamic' }
  | { kind: 'catchAll' }
  | { kind: 'optionalCatchAll' };

export interface RouteEntry {
  router: 'app' | 'pages';
  absolutePath: string;
  /** The handler file relative to the project root, with `/` separators: `app/api/posts/route.ts`. */
  file: string;
  /** The URL pattern as the folders spell it: `/api/posts/[id]`. */
  pattern: string;
  segments: readonly RouteSegment[];
}

export interface RouteTable {
  rootDir: string;
  /**
   * Whether an App Router or Pages Router folder exists on disk. When neither does, the table is
   * empty because nothing could be read, not because the app has no routes.
   */
  onDisk: boolean;
  /** Whether the App Router folder exists on disk (Server Actions need it). */
  hasAppRouter: boolean;
  routes: readonly RouteEntry[];
}

export interface RouteMatch {
  router: 'app' | 'pages';
  file: string;
  pattern: string;
  /** The methods the handler answers: the exported ones for App Router files, all for `pages/api`. */
  methods: readonly HttpMethod[];
  /** Whether the handler exports `method`; undefined when its exports cannot be read (`export *`). */
  exportsMethod(method: HttpMethod): boolean | undefined;
}

export interface MethodExports {
  methods: HttpMethod[];
  /** False when the file re-exports a whole module (`export * from …`), so more may exist. */
  complete: boolean;
}

const ROUTE_FILE = /^route\.[cm]?[jt]sx?$/;
const SOURCE_FILE = /\.[cm]?[jt]sx?$/;
const INTERCEPTION = /^\(\.{1,3}\)/;
const methodNames = new Set<string>(HTTP_METHODS);

function parseSegment(name: string): RouteSegment {
  if (name.startsWith('[[...') && name.endsWith(']]')) return { kind: 'optionalCatchAll' };
  if (name.startsWith('[...') && name.endsWith(']')) return { kind: 'catchAll' };
  if (name.startsWith('[') && name.endsWith(']')) return { kind: 'dynamic' };
  return { kind: 'static', value: decodeSegment(name) };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function isUrlLess(folder: string): boolean {
  return (folder.startsWith('(') && folder.endsWith(')')) || folder.startsWith('@');
}

interface Scan {
  routes: RouteEntry[];
}

function relativeFile(rootDir: string, file: string): string {
  return path.relative(rootDir, file).split(path.sep).join('/');
}

function addRoute(scan: Scan, layout: ProjectLayout, router: 'app' | 'pages', file: string, folders: string[]): void {
  scan.routes.push({
    router,
    absolutePath: file,
    file: relativeFile(layout.rootDir, file),
    pattern: `/${folders.join('/')}`,
    segments: folders.map(parseSegment),
  });
}

function scanAppDir(scan: Scan, layout: ProjectLayout, dir: string, folders: string[]): void {
  const entries = listDirectory(dir);
  const routeFile = entries.find(entry => entry.isFile && ROUTE_FILE.test(entry.name));
  if (routeFile) addRoute(scan, layout, 'app', path.join(dir, routeFile.name), folders);
  for (const entry of entries) {
    const { name } = entry;
    // Private folders are not routed; intercepting folders only catch client-side navigation,
    // a request still reaches the route they shadow.
    if (!entry.isDirectory || name.startsWith('.') || name === 'node_modules' || isPrivateSegment(name) || INTERCEPTION.test(name)) {
      continue;
    }
    scanAppDir(scan, layout, path.join(dir, name), isUrlLess(name) ? folders : [...folders, name]);
  }
}

function scanPagesApi(scan: Scan, layout: ProjectLayout, dir: string, folders: string[]): void {
  for (const entry of listDirectory(dir)) {
    const { name } = entry;
    if (name.startsWith('.') || name === 'node_modules') continue;
    if (entry.isDirectory) {
      scanPagesApi(scan, layout, path.join(dir, name), [...folders, name]);
    } else if (entry.isFile && SOURCE_FILE.test(name) && !/\.d\.[cm]?ts$/.test(name)) {
      const base = name.replace(SOURCE_FILE, '');
      addRoute(scan, layout, 'pages', path.join(dir, name), base === 'index' ? folders : [...folders, base]);
    }
  }
}

function scanLayout(layout: ProjectLayout): RouteTable {
  const scan: Scan = { routes: [] };
  const hasAppRouter = layout.appDir !== undefined && directoryExists(layout.appDir);
  const hasPagesRouter = layout.pagesDir !== undefined && directoryExists(layout.pagesDir);
  if (hasAppRouter) scanAppDir(scan, layout, layout.appDir!, []);
  if (hasPagesRouter) scanPagesApi(scan, layout, path.join(layout.pagesDir!, 'api'), ['api']);
  return { rootDir: layout.rootDir, onDisk: hasAppRouter || hasPagesRouter, hasAppRouter, routes: scan.routes };
}

/** Tables by layout, with the store's layout generation they were read in. */
const tables = new Map<string, { table: RouteTable; generation: number }>();

/**
 * Every Route Handler of the project: `route.*` files under the App Router folder (route groups
 * and parallel-route slots dropped, `_private` and intercepting folders skipped) and every file
 * under `pages/api`. The folders are listed through the store, so the table is read once and read
 * again only when the store sees a file or folder appear, go away or be renamed.
 */
export function getRouteTable(layout: ProjectLayout): RouteTable {
  const key = `${layout.rootDir}\0${layout.appDir ?? ''}\0${layout.pagesDir ?? ''}`;
  const generation = getStoreGeneration().layout;
  const cached = tables.get(key);
  if (cached?.generation === generation) return cached.table;
  const table = scanLayout(layout);
  tables.set(key, { table, generation });
  return table;
}

/**
 * The text with comments blanked and string literals emptied, in one pass. An unterminated string
 * runs to the end of its line and an unterminated comment or template to the end of the file, so
 * no character is looked at twice (a regular expression retried at every quote is quadratic).
 */
function stripCommentsAndStrings(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let index = 0;
  const blank = (end: number, replacement: string) => {
    parts.push(text.slice(copied, index), replacement);
    copied = index = end;
  };
  const endOf = (found: number, length: number) => (found === -1 ? text.length : found + length);
  while (index < text.length) {
    const char = text[index];
    const next = text[index + 1];
    if (char === '/' && next === '/') {
      blank(endOf(text.indexOf('\n', index), 0), ' ');
    } else if (char === '/' && next === '*') {
      blank(endOf(text.indexOf('*/', index + 2), 2), ' ');
    } else if (char === '"' || char === "'" || char === '`') {
      let end = index + 1;
      while (end < text.length && text[end] !== char && (char === '`' || text[end] !== '\n')) end += text[end] === '\\' ? 2 : 1;
      blank(Math.min(text[end] === char ? end + 1 : end, text.length), '""');
    } else {
      index++;
    }
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** The end of a bracketed destructuring pattern that starts at `start`. */
function closingBracket(code: string, start: number): number {
  let depth = 0;
  for (let index = start; index < code.length; index++) {
    const char = code[index];
    if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return index;
    }
  }
  return code.length;
}

/**
 * The HTTP methods a route file exports, read with a text scan rather than a parse: `export
 * (async) function GET`, `export const POST = …`, `export const { GET, POST } = handlers`,
 * `export { handler as GET }` and `export { GET } from '…'`. Comments and strings are skipped.
 * Linear in the file: a bracket or list that another one already covered is not read again.
 */
export function exportedHttpMethods(text: string): MethodExports {
  const code = stripCommentsAndStrings(text);
  const found = new Set<string>();
  for (const match of code.matchAll(/\bexport\s+(?:async\s+)?function\b\s*\*?\s*([A-Za-z_$][\w$]*)/g)) found.add(match[1]!);
  for (const match of code.matchAll(/\bexport\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g)) found.add(match[1]!);
  let covered = 0;
  for (const match of code.matchAll(/\bexport\s+(?:const|let|var)\s*(?=[{[])/g)) {
    const start = match.index + match[0].length;
    if (start < covered) continue;
    covered = closingBracket(code, start);
    const pattern = code.slice(start + 1, covered);
    // In `{ handlers: { GET, POST } }` the names before a colon are keys, the others bindings.
    for (const name of pattern.matchAll(/([A-Za-z_$][\w$]*)\s*(:?)/g)) if (name[2] === '') found.add(name[1]!);
  }
  covered = 0;
  for (const match of code.matchAll(/\bexport\s+(type\s+)?\{/g)) {
    const start = match.index + match[0].length;
    if (start < covered) continue;
    const end = code.indexOf('}', start);
    if (end === -1) break;
    covered = end;
    if (match[1]) continue;
    for (const specifier of code.slice(start, end).split(',')) {
      const words = specifier.trim().split(/\s+/);
      // `type X` exports a type only; otherwise the last word is the exported name (`handler as GET`).
      if (words[0] === 'type' && words.length > 1) continue;
      const exported = words.at(-1);
      if (exported) found.add(exported);
    }
  }
  return {
    methods: HTTP_METHODS.filter(method => found.has(method)),
    complete: !/\bexport\s*\*\s*from\b/.test(code),
  };
}

const methodsTier: Tier<MethodExports> = {
  name: 'route-methods',
  build: (_file, text, complete) => (complete ? exportedHttpMethods(text) : { methods: [], complete: false }),
};

function methodsOf(file: string): MethodExports {
  return derive(file, methodsTier) ?? { methods: [], complete: false };
}

/** The path of a URL inside the app: `basePath` removed when the URL starts with it. */
export function stripBasePath(urlPath: string, basePath: string): string {
  if (basePath === '' || !urlPath.startsWith(basePath)) return urlPath;
  const rest = urlPath.slice(basePath.length);
  if (rest === '' || rest.startsWith('/')) return rest || '/';
  return /^[?#]/.test(rest) ? `/${rest}` : urlPath;
}

function urlSegments(urlPath: string): string[] {
  const end = urlPath.search(/[?#]/);
  const pathname = end === -1 ? urlPath : urlPath.slice(0, end);
  return pathname.split('/').filter(Boolean).map(decodeSegment);
}

function matches(segments: readonly RouteSegment[], url: readonly string[]): boolean {
  let index = 0;
  for (const segment of segments) {
    if (segment.kind === 'optionalCatchAll') return true;
    if (segment.kind === 'catchAll') return index < url.length;
    const part = url[index];
    if (part === undefined || (segment.kind === 'static' && part !== segment.value)) return false;
    index++;
  }
  return index === url.length;
}

const rank = { static: 0, dynamic: 1, catchAll: 2, optionalCatchAll: 3 } as const;

/** Next.js prefers static segments to dynamic ones, and those to catch-alls, level by level. */
function compareSpecificity(a: RouteEntry, b: RouteEntry): number {
  const length = Math.min(a.segments.length, b.segments.length);
  for (let index = 0; index < length; index++) {
    const difference = rank[a.segments[index]!.kind] - rank[b.segments[index]!.kind];
    if (difference !== 0) return difference;
  }
  if (a.segments.length !== b.segments.length) return a.segments.length - b.segments.length;
  return a.router === b.router ? 0 : a.router === 'app' ? -1 : 1;
}

/** Best matches by URL, per table: every request of a file is matched again at each re-lint. */
const bestMatches = new WeakMap<RouteTable, Map<string, RouteEntry | undefined>>();

function bestMatch(table: RouteTable, url: readonly string[]): RouteEntry | undefined {
  let known = bestMatches.get(table);
  if (!known) bestMatches.set(table, (known = new Map()));
  const key = url.join('\0');
  if (known.has(key)) return known.get(key);
  let best: RouteEntry | undefined;
  for (const route of table.routes) {
    if (matches(route.segments, url) && (!best || compareSpecificity(route, best) < 0)) best = route;
  }
  known.set(key, best);
  return best;
}

function toMatch(route: RouteEntry): RouteMatch {
  if (route.router === 'pages') {
    return { router: 'pages', file: route.file, pattern: route.pattern, methods: HTTP_METHODS, exportsMethod: () => true };
  }
  const { methods, complete } = methodsOf(route.absolutePath);
  return {
    router: 'app',
    file: route.file,
    pattern: route.pattern,
    methods,
    exportsMethod: method => (methods.includes(method) ? true : complete ? false : undefined),
  };
}

/**
 * The handler that answers `urlPath` (a path such as `/api/posts/42?x=1`; `DYNAMIC_PART` marks
 * values known only at runtime), or undefined. `basePath` is stripped first when the URL carries
 * it. A runtime value glued to the end of the path (`/api/posts${query}`) is also tried as a
 * query string.
 */
export function matchRoute(table: RouteTable, urlPath: string, basePath = ''): RouteMatch | undefined {
  if (table.routes.length === 0) return undefined;
  const url = urlSegments(stripBasePath(urlPath, basePath));
  let route = bestMatch(table, url);
  const last = url.at(-1);
  if (!route && last !== undefined && last.endsWith(DYNAMIC_PART)) {
    const known = last.slice(0, last.indexOf(DYNAMIC_PART));
    if (known !== '') route = bestMatch(table, [...url.slice(0, -1), known]);
  }
  return route ? toMatch(route) : undefined;
}

/** Test helper: forget every table and method list read from disk. */
export function clearRouteCaches(): void {
  tables.clear();
  clearStore();
}

export function isHttpMethod(value: string): value is HttpMethod {
  return methodNames.has(value);
}
