import path from 'node:path';
import type { ResolvedSettings } from '../settings.js';
import { clearStore, directoryExists as isDirectory, fileExists, getStoreGeneration, readText } from './store.js';

/** Where a Next.js project keeps its routers, as found on disk (cached until the store sees the disk change). */
export interface ProjectLayout {
  rootDir: string;
  /** Absolute App Router folder, when one exists (or is configured). */
  appDir: string | undefined;
  /** Absolute Pages Router folder, when one exists. */
  pagesDir: string | undefined;
}

const rootCache = new Map<string, string | undefined>();
const layoutCache = new Map<string, ProjectLayout>();
let cachedInLayout = -1;

/** Answers found in an older layout generation may name folders that are gone, or miss new ones. */
function forgetStaleLayouts(): void {
  const { layout } = getStoreGeneration();
  if (layout === cachedInLayout) return;
  cachedInLayout = layout;
  rootCache.clear();
  layoutCache.clear();
}

/** The nearest folder upwards from `dir` that has a package.json. */
function findPackageRoot(dir: string): string | undefined {
  forgetStaleLayouts();
  if (rootCache.has(dir)) return rootCache.get(dir);
  const parent = path.dirname(dir);
  const found = fileExists(path.join(dir, 'package.json')) ? dir : parent === dir ? undefined : findPackageRoot(parent);
  rootCache.set(dir, found);
  return found;
}

/**
 * The layout for a linted file. Configured `rootDir`/`appDir` win; otherwise the project root is
 * the nearest package.json and the routers are `app`/`src/app` and `pages`/`src/pages`.
 * Files with no project on disk (in-memory code) fall back to the `app` segment in their path.
 */
export function getProjectLayout(filename: string, cwd: string, settings: ResolvedSettings): ProjectLayout {
  const fileDir = path.dirname(path.resolve(cwd, filename));
  const configuredRoot = settings.rootDir === undefined ? undefined : path.resolve(cwd, settings.rootDir);
  const key = `${configuredRoot ?? ''}\0${settings.appDir ?? ''}\0${fileDir}`;
  forgetStaleLayouts();
  const cached = layoutCache.get(key);
  if (cached) return cached;

  const rootDir = configuredRoot ?? findPackageRoot(fileDir) ?? cwd;
  const firstExisting = (...candidates: string[]) =>
    candidates.map(candidate => path.join(rootDir, candidate)).find(isDirectory);
  const layout: ProjectLayout = {
    rootDir,
    appDir:
      settings.appDir === undefined
        ? (firstExisting('app', path.join('src', 'app')) ?? inferAppDirFromPath(fileDir, rootDir))
        : path.resolve(rootDir, settings.appDir),
    pagesDir: firstExisting('pages', path.join('src', 'pages')),
  };
  layoutCache.set(key, layout);
  return layout;
}

function inferAppDirFromPath(fileDir: string, rootDir: string): string | undefined {
  const relative = path.relative(rootDir, fileDir);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const segments = relative.split(path.sep);
  const index = segments[0] === 'src' && segments[1] === 'app' ? 1 : segments[0] === 'app' ? 0 : -1;
  return index === -1 ? undefined : path.join(rootDir, ...segments.slice(0, index + 1));
}

/** Path segments of `file` inside `dir`, or undefined when it lies outside. */
export function segmentsWithin(dir: string | undefined, file: string): string[] | undefined {
  if (dir === undefined) return undefined;
  const relative = path.relative(dir, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep);
}

/**
 * The URL pattern of an App Router folder: route groups, parallel-route slots and interception
 * markers are dropped, dynamic segments are kept as written (`/posts/[id]`).
 */
export function routePatternOf(folderSegments: readonly string[]): string {
  const kept = folderSegments.filter(
    segment => !(segment.startsWith('(') && segment.endsWith(')')) && !segment.startsWith('@'),
  ).map(segment => segment.replace(/^(\(\.{1,3}\))+/, ''));
  return `/${kept.filter(Boolean).join('/')}`;
}

/** True when a folder is excluded from routing (`_private`). */
export function isPrivateSegment(segment: string): boolean {
  return segment.startsWith('_');
}

/** Test helper: forget what was read from disk so a test can change a tree. */
export function clearProjectCaches(): void {
  clearStore();
  rootCache.clear();
  layoutCache.clear();
  nextMajorCache.clear();
}

const nextMajorCache = new Map<string, number | undefined>();

/** The major version a `next` version or range names: 15 for `^15.2.0`, `15.4.0-canary.47`, `~15`; undefined for `latest`, `workspace:*`, `catalog:`. */
function majorOf(version: string): number | undefined {
  const match = /^\s*(?:[~^]|>=?|=)?\s*v?(\d+)(?:\.|\s*$|-)/.exec(version);
  return match ? Number(match[1]) : undefined;
}

/**
 * The major version of Next.js the project runs: the installed package when it is on disk, else
 * the range its package.json asks for. Undefined when neither says (no `next`, a tag such as
 * `latest`, a workspace or catalog reference). Cached per project root.
 */
export function getNextMajor(rootDir: string): number | undefined {
  if (nextMajorCache.has(rootDir)) return nextMajorCache.get(rootDir);
  const version = (file: string, keys: readonly string[]): string | undefined => {
    const text = readText(path.join(rootDir, file));
    if (text === undefined) return undefined;
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      for (const key of keys) {
        const value = key === 'version' ? json.version : (json[key] as Record<string, unknown> | undefined)?.next;
        if (typeof value === 'string') return value;
      }
    } catch {
      // A package.json that does not parse tells nothing about the version.
    }
    return undefined;
  };
  const installed = version(path.join('node_modules', 'next', 'package.json'), ['version']);
  const declared = version('package.json', ['dependencies', 'devDependencies', 'peerDependencies']);
  const major = (installed === undefined ? undefined : majorOf(installed)) ?? (declared === undefined ? undefined : majorOf(declared));
  nextMajorCache.set(rootDir, major);
  return major;
}
