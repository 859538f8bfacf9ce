import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFileFacts, isProxyFile, isServerComponentFile, mayDefineServerActions } from '../../src/analysis/file-kind.js';
import { clearProjectCaches } from '../../src/analysis/project.js';
import { withContext } from '../support/probe.js';

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'next-actions-kind-'));
  writeFileSync(path.join(root, 'package.json'), '{}');
  for (const dir of ['src/app/api/posts', 'src/app/(shop)/cart', 'src/app/_lib', 'src/pages/api']) {
    mkdirSync(path.join(root, dir), { recursive: true });
  }
  clearProjectCaches();
});
afterAll(() => clearProjectCaches());

const factsOf = (code: string, file: string, settings?: Record<string, unknown>) =>
  withContext(code, path.join(root, file), context => {
    const facts = getFileFacts(context);
    return { kind: facts.kind, appRoute: facts.appRoute, serverComponent: isServerComponentFile(facts), isClient: facts.isClient, mayHaveInlineActions: facts.mayHaveInlineActions };
  }, { cwd: root, ...(settings ? { settings } : {}) });

describe('getFileFacts', () => {
  it('finds route handlers in src/app, with route groups dropped from the URL', () => {
    expect(factsOf('export async function GET() {}', 'src/app/api/posts/route.ts')).toMatchObject({ kind: 'route-handler', appRoute: '/api/posts' });
    expect(factsOf('export async function GET() {}', 'src/app/(shop)/cart/route.js')).toMatchObject({ kind: 'route-handler', appRoute: '/cart' });
  });

  it('does not take route files in private folders or outside the app dir for route handlers', () => {
    expect(factsOf('export async function GET() {}', 'src/app/_lib/route.ts').kind).toBe('other');
    expect(factsOf('export async function GET() {}', 'lib/route.ts').kind).toBe('other');
  });

  it('finds pages API routes', () => {
    expect(factsOf('export default function handler() {}', 'src/pages/api/health.ts').kind).toBe('pages-api');
    expect(factsOf('export default function Page() {}', 'src/pages/about.tsx').kind).toBe('other');
  });

  it('reads the kind of the other files from their directives', () => {
    expect(factsOf(`'use client';\nexport function A() {}`, 'src/app/(shop)/cart/button.tsx')).toMatchObject({ kind: 'client', isClient: true, serverComponent: false });
    expect(factsOf(`'use server';\nexport async function a() {}`, 'src/app/(shop)/cart/actions.ts')).toMatchObject({ kind: 'server-actions', appRoute: '/cart' });
    expect(factsOf('export default function Page() {}', 'src/app/(shop)/cart/page.tsx')).toMatchObject({ kind: 'other', serverComponent: true });
    expect(factsOf('export const a = 1;', 'lib/util.ts')).toMatchObject({ kind: 'other', serverComponent: false, appRoute: undefined });
  });

  it('knows cheaply whether inline actions can exist', () => {
    expect(factsOf('export const a = 1;', 'lib/util.ts').mayHaveInlineActions).toBe(false);
    expect(factsOf(`function a() { 'use server'; }`, 'lib/util.ts').mayHaveInlineActions).toBe(true);
  });

  it('honours a configured appDir', () => {
    mkdirSync(path.join(root, 'web/routes/api/x'), { recursive: true });
    expect(factsOf('export async function GET() {}', 'web/routes/api/x/route.ts', { 'next-actions': { appDir: 'web/routes' } })).toMatchObject({
      kind: 'route-handler',
      appRoute: '/api/x',
    });
  });

  it('knows the proxy file, at the project root or in src/, and nothing else', () => {
    const proxy = (file: string) => withContext('', path.join(root, file), context => isProxyFile(getFileFacts(context)), { cwd: root });
    expect(['proxy.ts', 'middleware.ts', 'src/proxy.ts', 'src/middleware.js'].map(proxy)).toEqual([true, true, true, true]);
    expect(['lib/middleware.ts', 'src/app/proxy.ts', 'src/lib/proxy.ts', 'proxy-utils.ts'].map(proxy)).toEqual([false, false, false, false]);
  });

  it('says which files can hold Server Actions', () => {
    const may = (code: string, file: string) =>
      withContext(code, path.join(root, file), context => mayDefineServerActions(getFileFacts(context)), { cwd: root });
    expect(may(`'use server';\nexport async function a() {}`, 'src/app/(shop)/cart/actions.ts')).toBe(true);
    expect(may(`export default function P() { async function a() { 'use server'; } }`, 'src/app/(shop)/cart/page.tsx')).toBe(true);
    expect(may('export const a = 1;', 'lib/util.ts')).toBe(false);
    expect(may(`'use server';\nexport async function GET() {}`, 'src/app/api/posts/route.ts')).toBe(false);
    expect(may(`'use server';\nexport default function handler() {}`, 'src/pages/api/health.ts')).toBe(false);
    expect(may(`'use server';\nexport function proxy() {}`, 'proxy.ts')).toBe(false);
  });
});
