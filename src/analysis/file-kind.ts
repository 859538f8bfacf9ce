import path from 'node:path';
import type { TSESTree } from '@typescript-eslint/utils';
import { getSettings, type ResolvedSettings } from '../settings.js';
import { type Directive, getPrologue, hasDirective } from './directives.js';
import { syncWithDisk } from './store.js';
import { getProjectLayout, isPrivateSegment, type ProjectLayout, routePatternOf, segmentsWithin } from './project.js';
import type { Context } from '../utils/context.js';

export type FileKind =
  | 'route-handler'
  | 'pages-api'
  | 'client'
  | 'server-actions'
  /** Anything else; see isServerComponentFile for the App Router files among them. */
  | 'other';

export interface FileFacts {
  filename: string;
  kind: FileKind;
  prologue: readonly Directive[];
  /** The file starts with `"use client"`. */
  isClient: boolean;
  /** The file starts with `"use server"`: every export is a Server Action. */
  isServerActionsFile: boolean;
  /** The source text mentions `use server` at all; when false no inline action can exist. */
  mayHaveInlineActions: boolean;
  settings: ResolvedSettings;
  /** Lazily read from disk, cached per folder. */
  readonly layout: ProjectLayout;
  /** For files inside the App Router: the URL pattern of the folder (`/posts/[id]`). */
  readonly appRoute: string | undefined;
}

const ROUTE_FILE = /^route\.(?:[cm]?[jt]sx?)$/;
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?)$/;

const cache = new WeakMap<TSESTree.Program, FileFacts>();

function mentionsUseServer(text: string): boolean {
  // Escaped directives (`'use\x20server'`) are rare enough to accept a second, cheap test.
  return text.includes('use server') || (text.includes('\\') && /['"]use\\/.test(text));
}

/**
 * What every rule needs to know about a file, computed once: its directive prologue, its kind,
 * and where it sits in the project. Only the prologue and the path are looked at here.
 */
export function getFileFacts(context: Context): FileFacts {
  const program = context.sourceCode.ast;
  const cached = cache.get(program);
  if (cached) return cached;

  const filename = path.resolve(context.cwd, context.filename);
  syncWithDisk(filename);
  const settings = getSettings(context);
  const prologue = getPrologue(program.body);
  const isClient = hasDirective(prologue, 'use client');
  const isServerActionsFile = hasDirective(prologue, 'use server');
  const basename = path.basename(filename);
  const looksLikeRoute = ROUTE_FILE.test(basename);
  const looksLikePagesApi = filename.split(path.sep).includes('api') && SOURCE_FILE.test(basename);

  let layout: ProjectLayout | undefined;
  const getLayout = () => (layout ??= getProjectLayout(filename, context.cwd, settings));
  const appSegments = () => segmentsWithin(getLayout().appDir, filename);

  let kind: FileKind;
  const inApp = looksLikeRoute ? appSegments() : undefined;
  const pagesSegments = looksLikePagesApi ? segmentsWithin(getLayout().pagesDir ?? inferPagesDir(filename), filename) : undefined;
  if (inApp && !inApp.slice(0, -1).some(isPrivateSegment)) kind = 'route-handler';
  else if (pagesSegments?.[0] === 'api') kind = 'pages-api';
  else if (isClient) kind = 'client';
  else if (isServerActionsFile) kind = 'server-actions';
  else kind = 'other';

  let appRoute: string | undefined | null = null;
  const facts: FileFacts = {
    filename,
    kind,
    prologue,
    isClient,
    isServerActionsFile,
    mayHaveInlineActions: mentionsUseServer(context.sourceCode.text),
    settings,
    get layout() {
      return getLayout();
    },
    get appRoute() {
      if (appRoute === null) {
        const segments = appSegments();
        appRoute = segments ? routePatternOf(segments.slice(0, -1)) : undefined;
      }
      return appRoute;
    },
  };
  cache.set(program, facts);
  return facts;
}

/** Whether a file that is neither client nor route is rendered as a Server Component. */
export function isServerComponentFile(facts: FileFacts): boolean {
  return facts.kind === 'other' && facts.appRoute !== undefined && !facts.isClient;
}

const PROXY_FILE = /^(?:middleware|proxy)\.[cm]?[jt]sx?$/;

/**
 * Whether the file is the app's `proxy.ts` (formerly `middleware.ts`), at the project root or in
 * `src/`. Directives have no effect there, so a stray "use server" does not make its exports actions.
 */
export function isProxyFile(facts: FileFacts): boolean {
  if (!PROXY_FILE.test(path.basename(facts.filename))) return false;
  const directory = path.dirname(facts.filename);
  const { rootDir } = facts.layout;
  return directory === rootDir || directory === path.join(rootDir, 'src');
}

/**
 * Whether code in this file can run as a Server Action: it mentions "use server", and it is not a
 * Route Handler, a Pages API route or the proxy, which answer HTTP themselves (a "use server" on
 * top of those is a mistake valid-server-actions reports, not an action to judge).
 */
export function mayDefineServerActions(facts: FileFacts): boolean {
  if (!facts.isServerActionsFile && !facts.mayHaveInlineActions) return false;
  return facts.kind !== 'route-handler' && facts.kind !== 'pages-api' && !isProxyFile(facts);
}

function inferPagesDir(filename: string): string | undefined {
  const segments = filename.split(path.sep);
  const index = segments.lastIndexOf('pages');
  return index === -1 ? undefined : segments.slice(0, index + 1).join(path.sep);
}
