import { createRequire } from 'node:module';
import path from 'node:path';
import { nextHome } from './next-install.js';

// Next.js ships its compiler (the SWC transforms `next build` runs) as a native registry package.
// Telemetry is only sent when the binary fails to load; it must never phone home from a test.
process.env.NEXT_TELEMETRY_DISABLED = '1';

// Installed by the global setup in next-install.ts.
const require = createRequire(path.join(nextHome, 'package.json'));

interface SwcOptions {
  [key: string]: unknown;
}
interface NextSwc {
  transformSync(source: string, options: SwcOptions): { code: string };
}
interface NextSwcOptions {
  getLoaderSWCOptions(input: Record<string, unknown>): SwcOptions;
}

const swc = require('next/dist/build/swc/index.js') as NextSwc;
const { getLoaderSWCOptions } = require('next/dist/build/swc/options.js') as NextSwcOptions;
const { ensureServerEntryExports } = require('next/dist/build/webpack/loaders/next-flight-loader/action-validate.js') as {
  ensureServerEntryExports(actions: unknown[]): void;
};

export const nextVersion = (require('next/package.json') as { version: string }).version;

/**
 * The bundle layers of an App Router build: `rsc` compiles Server Components, Route Handlers and
 * "use server" modules; a "use client" module becomes a proxy there and is compiled for real on
 * the `ssr` and `app-pages-browser` layers.
 */
export type Layer = 'rsc' | 'ssr' | 'app-pages-browser';

export interface NextDiagnostic {
  layer: Layer;
  message: string;
  line: number;
}

export interface NextVerdict {
  accepted: boolean;
  diagnostics: NextDiagnostic[];
  /** The `rsc` output when that layer accepted the file. */
  serverCode: string | undefined;
  isClientModule: boolean;
}

const CLIENT_ENTRY = '__next_internal_client_entry_do_not_use__';

function optionsFor(filename: string, projectRoot: string, layer: Layer): SwcOptions {
  const options = getLoaderSWCOptions({
    filename,
    development: false,
    isServer: layer !== 'app-pages-browser',
    pagesDir: undefined,
    appDir: path.join(projectRoot, 'app'),
    isPageFile: false,
    // Next.js 16 defaults: Cache Components off; "use cache" compiled as in an app that enables it.
    isCacheComponents: false,
    useCacheEnabled: true,
    hasReactRefresh: false,
    configDir: projectRoot,
    relativeFilePathFromRoot: path.relative(projectRoot, filename),
    serverComponents: true,
    serverReferenceHashSalt: '',
    bundleLayer: layer,
    esm: true,
    pageExtensions: ['tsx', 'ts', 'jsx', 'js'],
  });
  return { ...options, filename, sourceFileName: filename };
}

/** Next.js prints each error as `  x <message>` followed by a code frame `,-[file:line:col]`. */
function parseDiagnostics(text: string, layer: Layer): NextDiagnostic[] {
  const report = text.split('Stack backtrace:')[0]!;
  return report
    .split(/^\s*x /m)
    .slice(1)
    .map(block => {
      const frame = /,-\[.*:(\d+):\d+\]/.exec(block);
      const end = block.search(/\n\s*(?:,-\[|\n)/);
      return {
        layer,
        message: (end === -1 ? block : block.slice(0, end)).replace(/\s+/g, ' ').trim(),
        line: frame ? Number(frame[1]) : 0,
      };
    });
}

function compileOn(source: string, filename: string, projectRoot: string, layer: Layer): { code?: string; diagnostics: NextDiagnostic[] } {
  try {
    return { code: swc.transformSync(source, optionsFor(filename, projectRoot, layer)).code, diagnostics: [] };
  } catch (error) {
    const text = String((error as Error).message ?? error);
    const diagnostics = parseDiagnostics(text, layer);
    // An error without a diagnostic is the harness calling SWC wrongly, never a verdict on the code.
    if (diagnostics.length === 0) throw new Error(`Next.js SWC failed without a diagnostic for ${filename}:\n${text}`);
    return { diagnostics };
  }
}

/** Compiles a file the way `next build` does for every layer that would compile it. */
export function compileWithNext(source: string, filename: string, projectRoot: string): NextVerdict {
  const server = compileOn(source, filename, projectRoot, 'rsc');
  const isClientModule = server.code?.includes(CLIENT_ENTRY) ?? false;
  const diagnostics = [...server.diagnostics];
  if (isClientModule) {
    for (const layer of ['ssr', 'app-pages-browser'] as const) {
      diagnostics.push(...compileOn(source, filename, projectRoot, layer).diagnostics);
    }
  }
  return { accepted: diagnostics.length === 0, diagnostics, serverCode: server.code, isClientModule };
}

/** The error Next.js throws when a "use server" module exports a value of this `typeof` at load. */
export function nextRuntimeError(value: unknown): string | undefined {
  try {
    ensureServerEntryExports([value]);
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}
