import { type AppGraph, getAppGraph, outsideImports, scanImports } from './app-graph.js';
import { MAX_HELPER_DEPTH } from './effects.js';
import { getModuleInfo, resolveImport } from './modules.js';
import type { ProjectLayout } from './project.js';
import { derive, getStoreGeneration, readText, type Tier } from './store.js';

/*
 * Which project modules can change the cache or write a cookie when their functions run: the
 * module calls the API itself, or imports, at most MAX_HELPER_DEPTH imports away, a module that
 * does. valid-revalidation-context parses and follows a call into another module only when the
 * answer can matter where the call runs, and skips a file whose own text and imports lead to
 * nothing it reports.
 *
 * Judged from text: a module "mentions" an API when it imports it (`revalidatePath` from
 * `next/cache`, `cookies` from `next/headers` with a `.set(`/`.delete(` call, `after` from
 * `next/server`), as the rule only knows these calls by their imports. For the modules of an app
 * graph the answers are computed once per graph, backwards from the modules that mention an API;
 * for other files (outside any app, or reached through a workspace package) by a search forwards
 * through their imports. "use client" modules end both searches: their functions never run on
 * the server, so a call into one is not followed.
 */

/** `revalidatePath`, `revalidateTag`, `updateTag` or `refresh` from `next/cache`. */
export const CACHE_API = 1;
/** `updateTag` or `refresh`, which only Server Actions may call. */
export const ACTION_ONLY_API = 2;
/** `cookies().set` or `cookies().delete`. */
export const COOKIE_WRITE = 4;
/** `after()` from `next/server`: its callback runs once the response has been sent. */
export const AFTER_CALL = 8;
const APIS = [CACHE_API, ACTION_ONLY_API, COOKIE_WRITE] as const;
const ALL_APIS = CACHE_API | ACTION_ONLY_API | COOKIE_WRITE;

/**
 * The APIs reached through a chain of imports on which some module imports `after()` (the
 * module at either end included): only then can a call of the chain run in an `after()`
 * callback that the calls before it did not open.
 */
export function throughAfter(apis: number): number {
  return (apis & ALL_APIS) << 4;
}

/** The reach of a module's own mentions: its API calls, and them in `after()` when it imports that. */
function reachOfMentions(mentions: number): number {
  return (mentions & ALL_APIS) | (mentions & AFTER_CALL ? throughAfter(mentions) : 0);
}

/** Beyond every distance: not reached. */
const FAR = Number.POSITIVE_INFINITY;

const CACHE_APIS = ['revalidatePath', 'revalidateTag', 'updateTag', 'refresh'];
const ACTION_ONLY_APIS = ['updateTag', 'refresh'];
const AFTER_NAMES = ['after', 'unstable_after'];
const NEXT_MODULE = /next\/(?:cache|headers|server)/;
const COOKIE_WRITE_CALL = /\.(?:set|delete)\s*\(/;
const WORDS = new Map([...CACHE_APIS, ...AFTER_NAMES, 'cookies'].map(name => [name, new RegExp(`\\b${name}\\b`)]));
const QUOTED = new Map(['next/cache', 'next/headers', 'next/server'].map(source => [source, new RegExp(`['"]${source}['"]`)]));

type ScannedImport = ReturnType<typeof scanImports>['imports'][number];

/**
 * Whether the text imports one of `names` from `source`: by name, or as a member of a namespace
 * import that the text names (importedCallee knows no other way). An import the light scan
 * cannot take apart (a comment inside its braces) leaves the names alone to decide.
 */
function importsAny(text: string, imports: readonly ScannedImport[], source: string, names: readonly string[]): boolean {
  const named = (name: string) => WORDS.get(name)!.test(text);
  const found = imports.filter(item => item.kind === 'import' && item.specifier === source);
  if (found.length === 0) return QUOTED.get(source)!.test(text) && names.some(named);
  return found.some(({ names: bound }) => bound !== undefined && names.some(name => bound.has(name) || (bound.has('*') && named(name))));
}

/**
 * The APIs a module's text can call (bits, AFTER_CALL included). A cookie write is only
 * recognised on the store of a `cookies()` call made in the same module.
 */
export function mentionedApis(text: string): number {
  // One pass over the text decides for nearly every module.
  if (!NEXT_MODULE.test(text)) return 0;
  const cache = text.includes('next/cache');
  const headers = text.includes('next/headers') && text.includes('cookies');
  const server = text.includes('next/server') && text.includes('after');
  if (!cache && !headers && !server) return 0;
  const { imports } = scanImports(text);
  let apis = 0;
  if (cache && importsAny(text, imports, 'next/cache', CACHE_APIS)) apis |= CACHE_API;
  if (cache && importsAny(text, imports, 'next/cache', ACTION_ONLY_APIS)) apis |= ACTION_ONLY_API;
  if (headers && COOKIE_WRITE_CALL.test(text) && importsAny(text, imports, 'next/headers', ['cookies'])) apis |= COOKIE_WRITE;
  if (server && importsAny(text, imports, 'next/server', AFTER_NAMES)) apis |= AFTER_CALL;
  return apis;
}

// Files over the size cap are generated code: only their head is read, and it is not searched.
const mentionsTier: Tier<number> = {
  name: 'next-api-mentions',
  build: (_file, text, complete) => (complete ? mentionedApis(text) : 0),
};

function mentionsOf(file: string): number {
  return derive(file, mentionsTier) ?? 0;
}

// Every `from '…'`, `import '…'` and `import('…')`, type imports and comments included: a search
// that takes an import too many only parses a module more.
const IMPORT_SPECIFIER = /\b(?:from|import)\s*\(?\s*['"]([^'"\n\r]+)['"]/g;

const specifiersTier: Tier<readonly string[]> = {
  name: 'import-specifiers',
  build: (_file, text, complete) => (complete ? [...new Set(Array.from(text.matchAll(IMPORT_SPECIFIER), match => match[1]!))] : []),
};

function isClientModule(file: string): boolean {
  return getModuleInfo(file)?.directives.includes('use client') ?? false;
}

/**
 * Fewest imports from a module to one that mentions each API: indexes 0-2 follow APIS along any
 * chain, 3-5 along chains on which a module imports `after()`.
 */
type Distances = readonly number[];

function apisWithin(distances: Distances, limit: number): number {
  let apis = 0;
  APIS.forEach((api, index) => {
    if (distances[index]! <= limit) apis |= api;
    if (distances[index + APIS.length]! <= limit) apis |= throughAfter(api);
  });
  return apis;
}

// ---------------------------------------------------------------------------------------------
// Files outside any app graph: a search forwards from each

interface ForwardCaches {
  generation: number;
  /** The project modules each module imports. */
  imports: Map<string, readonly string[]>;
  distances: Map<string, Distances>;
}

let forward: ForwardCaches = { generation: -1, imports: new Map(), distances: new Map() };

/** Answers rest on every module a search read: they hold until the store sees any change. */
function forwardCaches(): ForwardCaches {
  const { content } = getStoreGeneration();
  if (forward.generation !== content) forward = { generation: content, imports: new Map(), distances: new Map() };
  return forward;
}

function importedModules(caches: ForwardCaches, file: string): readonly string[] {
  let targets = caches.imports.get(file);
  if (!targets) {
    const found = new Set<string>();
    for (const specifier of derive(file, specifiersTier) ?? []) {
      const target = resolveImport(file, specifier);
      if (target !== undefined && target !== file) found.add(target);
    }
    targets = [...found];
    caches.imports.set(file, targets);
  }
  return targets;
}

/**
 * The distances from `start` through its imports, searched breadth first up to MAX_HELPER_DEPTH.
 * A module is visited once without and once with an `after()` importer behind it on the chain.
 */
function searchForwards(start: string): Distances {
  const caches = forwardCaches();
  const known = caches.distances.get(start);
  if (known) return known;
  const distances = [...APIS, ...APIS].map(() => FAR);
  const seen = [new Set<string>(), new Set<string>()];
  let layer: { file: string; after: boolean }[] = [];
  const visit = (file: string, afterBefore: boolean, into: typeof layer) => {
    const after = afterBefore || (mentionsOf(file) & AFTER_CALL) !== 0;
    if (seen[1]!.has(file) || (!after && seen[0]!.has(file)) || isClientModule(file)) return;
    seen[after ? 1 : 0]!.add(file);
    into.push({ file, after });
  };
  visit(start, false, layer);
  for (let depth = 0; depth <= MAX_HELPER_DEPTH && layer.length > 0 && distances.includes(FAR); depth++) {
    const next: typeof layer = [];
    for (const { file, after } of layer) {
      const mentions = mentionsOf(file);
      APIS.forEach((api, index) => {
        if (!(mentions & api)) return;
        distances[index] = Math.min(distances[index]!, depth);
        if (after) distances[index + APIS.length] = Math.min(distances[index + APIS.length]!, depth);
      });
      if (depth < MAX_HELPER_DEPTH) for (const target of importedModules(caches, file)) visit(target, after, next);
    }
    layer = next;
  }
  caches.distances.set(start, distances);
  return distances;
}

// ---------------------------------------------------------------------------------------------
// The modules of an app graph: once per graph, backwards from the modules that mention an API

const byGraph = new WeakMap<AppGraph, Map<string, Distances>>();

/**
 * The distances of every module of the graph that reaches an API in at most MAX_HELPER_DEPTH + 1
 * imports (one more than a call target may take, for the imports of a linted file): 0 when it
 * mentions the API, else one more than the nearest module it imports, through the graph's edges
 * or into a project module outside the graph (searched forwards).
 */
function graphDistances(graph: AppGraph): Map<string, Distances> {
  const known = byGraph.get(graph);
  if (known) return known;
  const limit = MAX_HELPER_DEPTH + 1;
  const outside = [...outsideImports(graph)].map(([file, targets]) => ({ file, targets: targets.map(searchForwards) }));
  const mentions = new Map<string, number>();
  for (const module of graph.modules.values()) if (!module.info.directives.includes('use client')) mentions.set(module.file, mentionsOf(module.file));
  const result = new Map<string, number[]>();
  APIS.forEach((api, index) => {
    // A module is reached once without and once with an `after()` importer on the chain behind it.
    const found = [new Map<string, number>(), new Map<string, number>()];
    const layers: { file: string; after: boolean }[][] = Array.from({ length: limit + 1 }, () => []);
    const reach = (file: string, afterBefore: boolean, value: number) => {
      const after = afterBefore || (mentions.get(file)! & AFTER_CALL) !== 0;
      if (value > limit || (found[1]!.get(file) ?? FAR) <= value || (!after && (found[0]!.get(file) ?? FAR) <= value)) return;
      found[after ? 1 : 0]!.set(file, value);
      layers[value]!.push({ file, after });
    };
    for (const file of mentions.keys()) if (mentions.get(file)! & api) reach(file, false, 0);
    for (const { file, targets } of outside) {
      if (!mentions.has(file)) continue;
      for (const distances of targets) {
        reach(file, false, 1 + distances[index]!);
        reach(file, true, 1 + distances[index + APIS.length]!);
      }
    }
    for (let value = 0; value < limit; value++) {
      for (const { file, after } of layers[value]!) {
        if (found[after ? 1 : 0]!.get(file) !== value) continue;
        for (const edge of graph.modules.get(file)!.importers) if (mentions.has(edge.from)) reach(edge.from, after, value + 1);
      }
    }
    const distanceOf = (file: string) => {
      let distances = result.get(file);
      if (!distances) result.set(file, (distances = [...APIS, ...APIS].map(() => FAR)));
      return distances;
    };
    for (const [file, value] of found[0]!) distanceOf(file)[index] = value;
    for (const [file, value] of found[1]!) {
      const distances = distanceOf(file);
      distances[index] = Math.min(distances[index]!, value);
      distances[index + APIS.length] = value;
    }
  });
  byGraph.set(graph, result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Questions

/**
 * The APIs (bits, with throughAfter's) a call into the project module `file` can lead to: the
 * module or one it imports, at most MAX_HELPER_DEPTH imports away, mentions them. Zero for a
 * "use client" module.
 */
export function apisReachedFrom(layout: ProjectLayout, file: string): number {
  const graph = getAppGraph(layout);
  if (!graph?.modules.has(file)) return apisWithin(searchForwards(file), MAX_HELPER_DEPTH);
  const distances = graphDistances(graph).get(file);
  return distances ? apisWithin(distances, MAX_HELPER_DEPTH) : 0;
}

function sameText(file: string, text: string): boolean {
  const disk = readText(file);
  return disk === text || (disk?.charCodeAt(0) === 0xfeff && disk.slice(1) === text);
}

/**
 * The APIs (bits, with throughAfter's) the linted file `file` can reach: through its own `text`
 * and the modules it imports from `specifiers`. When the text is the file's text on disk, its
 * imports are the graph's edges; an editor's unsaved buffer is resolved import by import.
 */
export function apisReachedByFile(layout: ProjectLayout, file: string, text: string, specifiers: readonly string[]): number {
  const mentions = mentionedApis(text);
  const graph = getAppGraph(layout);
  if (graph?.modules.has(file) && sameText(file, text)) {
    const distances = graphDistances(graph).get(file);
    return reachOfMentions(mentions) | (distances ? apisWithin(distances, MAX_HELPER_DEPTH + 1) : 0);
  }
  let reached = 0;
  for (const specifier of specifiers) {
    const target = resolveImport(file, specifier);
    if (target !== undefined && target !== file) reached |= apisReachedFrom(layout, target);
  }
  return reachOfMentions(mentions) | reached | (mentions & AFTER_CALL ? throughAfter(reached) : 0);
}

/** The reach of a linted file's own text alone, for a first decision without its imports. */
export function apisOfText(text: string): number {
  return reachOfMentions(mentionedApis(text));
}
