import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { MAX_READ_BYTES, readRegularFile, readRegularFileHead } from './read-file.js';

/*
 * The one store for every file other than the one being linted.
 *
 * A file is read at most once per change, and what is derived from its text (a light scan, a
 * parse) hangs off that read, so it is computed at most once per change too. Existence checks,
 * folder listings and real paths are cached with the modification time of the folder that holds
 * the answer, negative answers included: creating, deleting or renaming a file changes that
 * folder, and the answers it held are asked again.
 *
 * The disk is checked against the cache at most once per interval (a second when a file is linted
 * again, as an editor does, half a minute for first lints, as a CLI run does; longer when the
 * check itself is slow), from syncWithDisk(), which every linted file calls once. A CLI run
 * therefore pays one `stat` per cached path and half minute, and an editor session follows the disk.
 */

/** What a derived tier of a file is: a name for statistics and a builder from the file's text. */
export interface Tier<T> {
  readonly name: string;
  /** `complete` is false when the file was over the size cap and only its head was read. */
  build(file: string, text: string, complete: boolean): T;
}

interface FileEntry {
  mtimeMs: number;
  size: number;
  text: string | undefined;
  complete: boolean;
  tiers: Map<Tier<unknown>, unknown>;
}

export interface DirectoryEntry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
}

/** Large enough for the prologue and the imports of a generated file over the size cap. */
const HEAD_BYTES = 64 * 1024;
const MIN_CHECK_INTERVAL_MS = 1000;
const BATCH_CHECK_INTERVAL_MS = 30_000;
/** The disk check takes at most 1/CHECK_SHARE of the time between checks (2 %). */
const CHECK_SHARE = 50;
const CONFIG_FILE = /^(?:[tj]sconfig(?:\..+)?\.json|package\.json)$/;

const files = new Map<string, FileEntry>();
/** Existence answers: `file` / `dir` / `none`. */
const kinds = new Map<string, 'file' | 'dir' | 'none'>();
const listings = new Map<string, DirectoryEntry[]>();
const realpaths = new Map<string, string>();
/** The folders whose modification time the cached answers above rest on. */
const folderStamps = new Map<string, number>();
/** The paths whose existence or real path is cached, by the folder that holds them. */
const pathsByFolder = new Map<string, Set<string>>();

const counters = { reads: 0, builds: 0, stats: 0, checks: 0 };
let layoutGeneration = 0;
let contentGeneration = 0;
let lastCheck = -Infinity;
let checkInterval = MIN_CHECK_INTERVAL_MS;

function statOf(target: string) {
  counters.stats++;
  try {
    return statSync(target, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function stampOf(dir: string): number {
  return statOf(dir)?.mtimeMs ?? -1;
}

function watchFolder(dir: string): void {
  if (!folderStamps.has(dir)) folderStamps.set(dir, stampOf(dir));
}

function watchPath(target: string): void {
  const dir = path.dirname(target);
  watchFolder(dir);
  let paths = pathsByFolder.get(dir);
  if (!paths) pathsByFolder.set(dir, (paths = new Set()));
  paths.add(target);
}

function statKind(target: string): 'file' | 'dir' | 'none' {
  const stats = statOf(target);
  return stats?.isFile() ? 'file' : stats?.isDirectory() ? 'dir' : 'none';
}

function kindOf(target: string): 'file' | 'dir' | 'none' {
  let kind = kinds.get(target);
  if (kind === undefined) {
    watchPath(target);
    kind = statKind(target);
    kinds.set(target, kind);
  }
  return kind;
}

export function fileExists(file: string): boolean {
  return kindOf(file) === 'file';
}

export function directoryExists(dir: string): boolean {
  return kindOf(dir) === 'dir';
}

export function realpath(file: string): string {
  let known = realpaths.get(file);
  if (known === undefined) {
    watchPath(file);
    try {
      known = realpathSync.native(file);
    } catch {
      known = file;
    }
    realpaths.set(file, known);
  }
  return known;
}

/** The entries of a folder (empty when it cannot be read), cached until the folder changes. */
export function listDirectory(dir: string): readonly DirectoryEntry[] {
  let known = listings.get(dir);
  if (known === undefined) {
    watchFolder(dir);
    known = readListing(dir);
    listings.set(dir, known);
  }
  return known;
}

function readListing(dir: string): DirectoryEntry[] {
  let entries: Dirent[] = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    entries = [];
  }
  return entries.map(entry => ({ name: entry.name, isFile: entry.isFile(), isDirectory: entry.isDirectory() }));
}

function sameListing(a: readonly DirectoryEntry[], b: readonly DirectoryEntry[]): boolean {
  return a.length === b.length && a.every((entry, index) => entry.name === b[index]!.name && entry.isFile === b[index]!.isFile && entry.isDirectory === b[index]!.isDirectory);
}

function entryOf(file: string): FileEntry | undefined {
  const cached = files.get(file);
  if (cached) return cached;
  if (kinds.get(file) === 'none' || kinds.get(file) === 'dir') return undefined;
  watchPath(file);
  const stats = statOf(file);
  const kind = stats?.isFile() ? 'file' : stats?.isDirectory() ? 'dir' : 'none';
  kinds.set(file, kind);
  if (!stats || kind !== 'file') return undefined;
  const complete = stats.size <= MAX_READ_BYTES;
  const text = complete ? readRegularFile(file) : readRegularFileHead(file, HEAD_BYTES);
  if (text !== undefined) counters.reads++;
  const entry: FileEntry = { mtimeMs: stats.mtimeMs, size: stats.size, text, complete, tiers: new Map() };
  files.set(file, entry);
  return entry;
}

/** The whole text of a file of at most 1 MB; undefined when it is missing, larger or not a regular file. */
export function readText(file: string): string | undefined {
  const entry = entryOf(file);
  return entry?.complete ? entry.text : undefined;
}

/**
 * What `tier` derives from a file's text, built once per change of the file. Undefined when the
 * file cannot be read; files over the size cap are given their first 64 KB with `complete` false.
 */
export function derive<T>(file: string, tier: Tier<T>): T | undefined {
  const entry = entryOf(file);
  if (entry?.text === undefined) return undefined;
  if (entry.tiers.has(tier)) return entry.tiers.get(tier) as T;
  counters.builds++;
  let value: T | undefined;
  try {
    value = tier.build(file, entry.text, entry.complete);
  } catch {
    value = undefined;
  }
  entry.tiers.set(tier, value);
  return value;
}

/**
 * Re-asks what a changed folder holds: the cached existence answers, real paths and listing of
 * its entries. Only an answer that differs counts as a change: a folder outside the app (the
 * parent of the project, the temp folder) changes all the time without changing any answer.
 */
function recheckFolder(dir: string): boolean {
  let changed = false;
  for (const target of pathsByFolder.get(dir) ?? []) {
    const kind = kinds.get(target);
    if (kind !== undefined) {
      const now = statKind(target);
      if (now !== kind) {
        kinds.set(target, now);
        changed = true;
      }
    }
    if (realpaths.has(target)) {
      let now: string;
      try {
        now = realpathSync.native(target);
      } catch {
        now = target;
      }
      if (now !== realpaths.get(target)) {
        realpaths.set(target, now);
        changed = true;
      }
    }
  }
  const listing = listings.get(dir);
  if (listing) {
    const now = readListing(dir);
    if (!sameListing(listing, now)) {
      listings.set(dir, now);
      changed = true;
    }
  }
  return changed;
}

/** Drops what the disk no longer backs: changed answers about folders, changed files and what was derived from them. */
function checkDisk(): void {
  counters.checks++;
  let layoutChanged = false;
  for (const [dir, stamp] of folderStamps) {
    const now = stampOf(dir);
    if (now === stamp) continue;
    folderStamps.set(dir, now);
    if (recheckFolder(dir)) layoutChanged = true;
  }
  let contentChanged = false;
  for (const [file, entry] of files) {
    const stats = statOf(file);
    if (stats?.isFile() && stats.mtimeMs === entry.mtimeMs && stats.size === entry.size) continue;
    files.delete(file);
    contentChanged = true;
    // Compiler options and package manifests decide how imports resolve.
    if (CONFIG_FILE.test(path.basename(file))) layoutChanged = true;
  }
  if (layoutChanged) layoutGeneration++;
  if (contentChanged || layoutChanged) contentGeneration++;
}

/** Files linted so far: a file linted again is an editor at work, the first lint of each is a batch run. */
const lintedFiles = new Set<string>();

/**
 * Checks the cache against the disk when the last check is older than the interval. Called once
 * per linted file; cheap when it has nothing to do. A CLI run lints each file once, while the
 * disk stands still, so first lints check only every BATCH_CHECK_INTERVAL_MS; a file linted again
 * (an editor re-linting the buffer being typed in) checks on the short interval, so that a route
 * created or an importer edited a moment ago is seen at the next keystroke.
 */
export function syncWithDisk(lintedFile?: string): void {
  const relint = lintedFile === undefined || lintedFiles.has(lintedFile);
  if (lintedFile !== undefined) lintedFiles.add(lintedFile);
  const now = Date.now();
  if (now - lastCheck < (relint ? checkInterval : Math.max(checkInterval, BATCH_CHECK_INTERVAL_MS))) return;
  const started = performance.now();
  checkDisk();
  lastCheck = Date.now();
  checkInterval = Math.max(MIN_CHECK_INTERVAL_MS, (performance.now() - started) * CHECK_SHARE);
}

/**
 * Numbers that change when the disk changed: `layout` when files or folders appeared, went away
 * or were renamed (or a tsconfig or package.json changed), `content` on any change. What was
 * concluded from older answers is stale once they move.
 */
export function getStoreGeneration(): { layout: number; content: number } {
  return { layout: layoutGeneration, content: contentGeneration };
}

/** How much disk work the store has let through so far. */
export function getStoreStats(): Readonly<typeof counters> {
  return { ...counters };
}

/** Forget everything, so that a test can change a tree and start from a cold store. */
export function clearStore(): void {
  files.clear();
  kinds.clear();
  listings.clear();
  realpaths.clear();
  folderStamps.clear();
  pathsByFolder.clear();
  layoutGeneration++;
  contentGeneration++;
  lintedFiles.clear();
  lastCheck = -Infinity;
  checkInterval = MIN_CHECK_INTERVAL_MS;
  counters.reads = 0;
  counters.builds = 0;
  counters.stats = 0;
  counters.checks = 0;
}
