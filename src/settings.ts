import { statSync } from 'node:fs';
import path from 'node:path';
import type { TSESLint } from '@typescript-eslint/utils';
import { packageName } from './utils/create-rule.js';
import { compileNamePattern } from './utils/patterns.js';

/** What users may put under `settings['next-actions']`. Every key is optional. */
export interface NextActionsSettings {
  /**
   * The Next.js project root. Default: `settings.next.rootDir` (`@next/eslint-plugin-next`'s key)
   * when it names one folder, else the nearest folder upwards with a `package.json`.
   */
  rootDir?: string;
  /** The App Router folder, relative to `rootDir`. Default: `app`, else `src/app`. */
  appDir?: string;
  /** `basePath` from next.config; stripped from URLs before they are matched against routes. Default: the string next.config sets. */
  basePath?: string;
  /** Extra calls that count as an authentication check. */
  authFunctions?: string[];
  /** The project's own helpers that write data. */
  mutationFunctions?: string[];
  /** The project's own helpers that read data. */
  readFunctions?: string[];
  /** The project's own wrappers around `revalidatePath`/`revalidateTag`/`updateTag`. */
  revalidateFunctions?: string[];
}

export interface ResolvedSettings {
  rootDir: string | undefined;
  appDir: string | undefined;
  basePath: string;
  authFunctions: readonly string[];
  mutationFunctions: readonly string[];
  readFunctions: readonly string[];
  revalidateFunctions: readonly string[];
}

export const SETTINGS_KEY = 'next-actions';

const stringKeys = ['rootDir', 'appDir', 'basePath'] as const;
const listKeys = ['authFunctions', 'mutationFunctions', 'readFunctions', 'revalidateFunctions'] as const;
const knownKeys = new Set<string>([...stringKeys, ...listKeys]);

/**
 * A settings mistake is a configuration error, not a crash: the stack is replaced by the message
 * so that the ESLint CLI prints one line the user can act on.
 */
export class SettingsError extends Error {
  constructor(detail: string) {
    super(`${packageName}: invalid settings['${SETTINGS_KEY}']: ${detail}`);
    this.name = 'SettingsError';
    this.stack = this.message;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

export function parseSettings(raw: unknown): ResolvedSettings {
  const resolved: ResolvedSettings = {
    rootDir: undefined,
    appDir: undefined,
    basePath: '',
    authFunctions: [],
    mutationFunctions: [],
    readFunctions: [],
    revalidateFunctions: [],
  };
  if (raw === undefined) return resolved;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SettingsError(`expected an object, got ${describe(raw)}.`);
  }
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!knownKeys.has(key)) {
      throw new SettingsError(
        `unknown key '${key}'. Known keys: ${[...knownKeys].join(', ')}.`,
      );
    }
  }
  for (const key of stringKeys) {
    const value = record[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      throw new SettingsError(`'${key}' must be a string, got ${describe(value)}.`);
    }
    resolved[key] = value;
  }
  if (resolved.rootDir === '') {
    throw new SettingsError(`'rootDir' must name the Next.js project folder (absolute, or relative to the working directory), got "".`);
  }
  if (resolved.appDir !== undefined) {
    const normalized = path.normalize(resolved.appDir);
    // "" and "." would make the project root the App Router, "/" or "../.." a folder outside it.
    if (resolved.appDir === '' || path.isAbsolute(resolved.appDir) || normalized === '.' || normalized.split(/[\\/]/)[0] === '..') {
      throw new SettingsError(
        `'appDir' must be the App Router folder relative to the project root (such as 'app' or 'src/app'), got ${JSON.stringify(resolved.appDir)}.`,
      );
    }
  }
  if (resolved.basePath !== '' && !/^\/[^?#]*[^/?#]$/.test(resolved.basePath)) {
    throw new SettingsError(
      `'basePath' must start with '/' and must not end with '/', got ${JSON.stringify(resolved.basePath)}.`,
    );
  }
  for (const key of listKeys) {
    const value = record[key];
    if (value === undefined) continue;
    if (!Array.isArray(value)) {
      throw new SettingsError(`'${key}' must be an array of names or patterns such as 'db.*.create', got ${describe(value)}.`);
    }
    const index = value.findIndex(item => typeof item !== 'string' || item.trim() === '');
    if (index !== -1) {
      throw new SettingsError(
        `'${key}[${index}]' must be a non-empty name or pattern such as 'db.*.create', got ${describe(value[index])}.`,
      );
    }
    resolved[key] = value as string[];
  }
  return resolved;
}

function isDirectory(folder: string): boolean {
  try {
    return statSync(folder, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/**
 * Folders that are configured but do not exist: every route would be missed and every location
 * shown relative to the wrong place, so the run stops with the key and the path.
 */
function checkFolders(settings: ResolvedSettings, cwd: string): void {
  if (settings.rootDir === undefined) return;
  const rootDir = path.resolve(cwd, settings.rootDir);
  if (!isDirectory(rootDir)) {
    throw new SettingsError(`'rootDir' is ${JSON.stringify(settings.rootDir)}, but there is no folder ${rootDir}.`);
  }
  if (settings.appDir === undefined) return;
  const appDir = path.resolve(rootDir, settings.appDir);
  if (!isDirectory(appDir)) {
    throw new SettingsError(`'appDir' is ${JSON.stringify(settings.appDir)}, but there is no folder ${appDir}.`);
  }
}

const cache = new WeakMap<object, ResolvedSettings>();
const emptySettings = parseSettings(undefined);

/** The validated shared settings of a lint context, parsed once per settings object. */
export function getSettings(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): ResolvedSettings {
  const settings = context.settings as Record<string, unknown> | undefined;
  const own = ownSettings(settings?.[SETTINGS_KEY], context.cwd);
  if (own.rootDir !== undefined || settings?.next === undefined) return own;
  let resolved = withNextRoot.get(settings);
  if (!resolved) {
    const rootDir = nextRootDir(settings.next);
    resolved = rootDir === undefined ? own : { ...own, rootDir };
    withNextRoot.set(settings, resolved);
  }
  return resolved;
}

function ownSettings(raw: unknown, cwd: string): ResolvedSettings {
  if (raw === undefined) return emptySettings;
  if (raw !== null && typeof raw === 'object') {
    const cached = cache.get(raw);
    if (cached) return cached;
    const parsed = parseSettings(raw);
    checkFolders(parsed, cwd);
    cache.set(raw, parsed);
    return parsed;
  }
  return parseSettings(raw);
}

const withNextRoot = new WeakMap<object, ResolvedSettings>();

/**
 * `settings.next.rootDir` of `@next/eslint-plugin-next`, which monorepo users already set: a path
 * or a list of paths and globs. Only one plain path names one root; anything else is left to the
 * default (the nearest package.json), since a glob names no single root for a file.
 */
function nextRootDir(next: unknown): string | undefined {
  if (next === null || typeof next !== 'object') return undefined;
  const value = (next as { rootDir?: unknown }).rootDir;
  const paths = Array.isArray(value) ? value : [value];
  const [only] = paths;
  return paths.length === 1 && typeof only === 'string' && only !== '' && !/[*?{}[\]!]/.test(only) ? only : undefined;
}

/**
 * Matches a call's dotted callee path (`db.user.create`, `createPost`) against the names and
 * `*` patterns users configure. A pattern without a dot also matches the last segment, so
 * `savePost` matches both `savePost(…)` and `posts.savePost(…)`.
 */
export function createNameMatcher(patterns: readonly string[]): (calleePath: string) => boolean {
  if (patterns.length === 0) return () => false;
  const compiled = patterns.map(pattern => ({ matches: compileNamePattern(pattern), dotted: pattern.includes('.') }));
  return calleePath => {
    const last = calleePath.slice(calleePath.lastIndexOf('.') + 1);
    return compiled.some(({ matches, dotted }) => matches(calleePath) || (!dotted && matches(last)));
  };
}
