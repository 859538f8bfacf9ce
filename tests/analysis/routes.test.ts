import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { clearProjectCaches, getProjectLayout, type ProjectLayout } from '../../src/analysis/project.js';
import {
  clearRouteCaches,
  DYNAMIC_PART,
  exportedHttpMethods,
  getRouteTable,
  matchRoute,
  stripBasePath,
} from '../../src/analysis/routes.js';
import { parseSettings } from '../../src/settings.js';
import { letTimePass } from '../support/disk.js';

let root: string;

function write(file: string, text: string): void {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
}

function layoutOf(project: string, settings: Record<string, unknown> = {}): ProjectLayout {
  return getProjectLayout(path.join(root, project, 'package.json'), root, parseSettings(settings));
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'next-actions-routes-'));
  write('web/package.json', '{ "name": "web", "private": true }');
  write('web/app/page.tsx', 'export default function Page() { return null; }\n');
  write('web/app/api/posts/route.ts', 'export async function GET() {}\nexport async function POST() {}\n');
  write('web/app/api/posts/[id]/route.ts', 'const handler = async () => {};\nexport const DELETE = handler;\nexport { handler as PATCH };\n');
  write('web/app/api/posts/new/route.ts', 'export function GET() {}\n');
  write('web/app/(admin)/api/users/route.js', 'export async function GET() {}\n');
  write('web/app/api/files/[...path]/route.ts', 'export async function PUT() {}\n');
  write('web/app/api/docs/[[...slug]]/route.ts', 'export async function GET() {}\n');
  write('web/app/api/auth/[...nextauth]/route.ts', "import { handlers } from '@/auth';\nexport const { GET, POST } = handlers;\n");
  write('web/app/api/reexport/route.ts', "export * from './impl';\nexport { GET } from './impl';\n");
  write('web/app/@modal/api/modal/route.ts', 'export async function GET() {}\n');
  write('web/app/feed/(..)photo/route.ts', 'export async function GET() {}\n');
  write('web/app/_lib/route.ts', 'export async function GET() {}\n');
  write('web/app/api/_internal/jobs/route.ts', 'export async function POST() {}\n');
  write('web/app/%5Fhidden/route.ts', 'export async function GET() {}\n');
  write('web/app/feed.xml/route.ts', 'export async function GET() {}\n');
  write('web/app/api/posts/[id]/route.test.ts', 'export async function POST() {}\n');
  write('web/pages/api/health.ts', 'export default function handler() {}\n');
  write('web/pages/api/users/index.ts', 'export default function handler() {}\n');
  write('web/pages/api/legacy/[id].ts', 'export default function handler() {}\n');
  write('web/pages/api/types.d.ts', 'export type X = 1;\n');
  write('web/pages/about.tsx', 'export default function About() { return null; }\n');
  write('src-app/package.json', '{ "name": "src-app", "private": true }');
  write('src-app/src/app/api/items/route.ts', 'export async function POST() {}\n');
  write('pages-only/package.json', '{ "name": "pages-only", "private": true }');
  write('pages-only/src/pages/api/hello.js', 'export default function handler(req, res) {}\n');
  write('empty/package.json', '{ "name": "empty", "private": true }');
  clearProjectCaches();
  clearRouteCaches();
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  clearProjectCaches();
  clearRouteCaches();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('getRouteTable', () => {
  it('lists App Router handlers and pages/api files, relative to the project root', () => {
    const table = getRouteTable(layoutOf('web'));
    expect(table).toMatchObject({ onDisk: true, hasAppRouter: true });
    expect(table.rootDir).toBe(path.join(root, 'web'));
    const listed = table.routes.map(route => `${route.pattern} ${route.file}`).sort();
    expect(listed).toEqual(
      [
        '/api/auth/[...nextauth] app/api/auth/[...nextauth]/route.ts',
        '/api/docs/[[...slug]] app/api/docs/[[...slug]]/route.ts',
        '/api/files/[...path] app/api/files/[...path]/route.ts',
        '/api/health pages/api/health.ts',
        '/api/legacy/[id] pages/api/legacy/[id].ts',
        '/api/modal app/@modal/api/modal/route.ts',
        '/api/posts app/api/posts/route.ts',
        '/api/posts/[id] app/api/posts/[id]/route.ts',
        '/api/posts/new app/api/posts/new/route.ts',
        '/api/reexport app/api/reexport/route.ts',
        '/api/users app/(admin)/api/users/route.js',
        '/api/users pages/api/users/index.ts',
        '/%5Fhidden app/%5Fhidden/route.ts',
        '/feed.xml app/feed.xml/route.ts',
      ].sort(),
    );
  });

  it('tells a Pages Router app, where Server Actions do not exist, from an App Router one', () => {
    expect(getRouteTable(layoutOf('pages-only'))).toMatchObject({ onDisk: true, hasAppRouter: false });
    expect(matchRoute(getRouteTable(layoutOf('pages-only')), '/api/hello')?.file).toBe('src/pages/api/hello.js');
  });

  it('reads src/app when there is no root app folder', () => {
    const table = getRouteTable(layoutOf('src-app'));
    expect(table.routes.map(route => route.file)).toEqual(['src/app/api/items/route.ts']);
  });

  it('says when no router folder exists, so an empty table means nothing was read', () => {
    const table = getRouteTable(layoutOf('empty'));
    expect(table).toMatchObject({ onDisk: false, hasAppRouter: false, routes: [] });
  });

  it('is cached per process and re-read once the store sees a folder change', () => {
    const layout = layoutOf('web');
    const first = getRouteTable(layout);
    expect(getRouteTable(layout)).toBe(first);

    write('web/app/api/comments/route.ts', 'export async function POST() {}\n');
    // Until the store checks the disk again, the table is trusted without looking at it.
    expect(getRouteTable(layout)).toBe(first);
    letTimePass();
    const second = getRouteTable(layout);
    expect(second).not.toBe(first);
    expect(matchRoute(second, '/api/comments')?.file).toBe('app/api/comments/route.ts');
    rmSync(path.join(root, 'web/app/api/comments'), { recursive: true });
  });

  it('re-reads a handler\'s methods when the file changes', () => {
    const table = getRouteTable(layoutOf('web'));
    expect(matchRoute(table, '/api/posts/new')?.methods).toEqual(['GET']);
    write('web/app/api/posts/new/route.ts', 'export function GET() {}\nexport function POST() {}\n');
    const later = new Date(Date.now() + 10_000);
    utimesSync(path.join(root, 'web/app/api/posts/new/route.ts'), later, later);
    letTimePass();
    expect(matchRoute(table, '/api/posts/new')?.methods).toEqual(['GET', 'POST']);
    write('web/app/api/posts/new/route.ts', 'export function GET() {}\n');
  });
});

describe('matchRoute', () => {
  let table: ReturnType<typeof getRouteTable>;
  beforeAll(() => {
    clearRouteCaches();
    table = getRouteTable(layoutOf('web'));
  });

  it('matches static paths and names the handler file', () => {
    expect(matchRoute(table, '/api/posts')).toMatchObject({ router: 'app', file: 'app/api/posts/route.ts', pattern: '/api/posts', methods: ['GET', 'POST'] });
    expect(matchRoute(table, '/feed.xml')?.file).toBe('app/feed.xml/route.ts');
    expect(matchRoute(table, '/_hidden')?.file).toBe('app/%5Fhidden/route.ts');
  });

  it('prefers a static segment to a dynamic one, as Next.js does', () => {
    expect(matchRoute(table, '/api/posts/new')?.pattern).toBe('/api/posts/new');
    expect(matchRoute(table, '/api/posts/42')?.pattern).toBe('/api/posts/[id]');
  });

  it('matches a runtime value only against dynamic segments', () => {
    expect(matchRoute(table, `/api/posts/${DYNAMIC_PART}`)?.pattern).toBe('/api/posts/[id]');
    expect(matchRoute(table, `/api/posts/item-${DYNAMIC_PART}`)?.pattern).toBe('/api/posts/[id]');
    expect(matchRoute(table, `/api/${DYNAMIC_PART}`)).toBeUndefined();
  });

  it('tries a runtime value glued to the end of the path as a query string', () => {
    expect(matchRoute(table, `/api/posts${DYNAMIC_PART}`)?.pattern).toBe('/api/posts');
  });

  it('matches catch-all and optional catch-all segments', () => {
    expect(matchRoute(table, '/api/files/a/b/c.txt')?.pattern).toBe('/api/files/[...path]');
    expect(matchRoute(table, '/api/files')).toBeUndefined();
    expect(matchRoute(table, '/api/docs')?.pattern).toBe('/api/docs/[[...slug]]');
    expect(matchRoute(table, '/api/docs/guide/intro')?.pattern).toBe('/api/docs/[[...slug]]');
  });

  it('drops route groups and parallel-route slots, and skips private and intercepting folders', () => {
    expect(matchRoute(table, '/api/users')).toMatchObject({ router: 'app', file: 'app/(admin)/api/users/route.js' });
    expect(matchRoute(table, '/api/modal')?.file).toBe('app/@modal/api/modal/route.ts');
    expect(matchRoute(table, '/feed/photo')).toBeUndefined();
    expect(matchRoute(table, '/_lib')).toBeUndefined();
    expect(matchRoute(table, '/api/_internal/jobs')).toBeUndefined();
  });

  it('matches pages/api routes, which answer every method', () => {
    const health = matchRoute(table, '/api/health');
    expect(health).toMatchObject({ router: 'pages', file: 'pages/api/health.ts' });
    expect(health?.exportsMethod('DELETE')).toBe(true);
    expect(matchRoute(table, '/api/legacy/7')?.file).toBe('pages/api/legacy/[id].ts');
    expect(matchRoute(table, '/about')).toBeUndefined();
  });

  it('ignores the query string, the hash and a trailing slash', () => {
    expect(matchRoute(table, '/api/posts/?page=2#top')?.pattern).toBe('/api/posts');
  });

  it('strips the configured basePath, and still matches a URL written without it', () => {
    expect(matchRoute(table, '/docs/api/posts', '/docs')?.pattern).toBe('/api/posts');
    expect(matchRoute(table, '/api/posts', '/docs')?.pattern).toBe('/api/posts');
    expect(matchRoute(table, '/docsx/api/posts', '/docs')).toBeUndefined();
  });

  it('says whether the handler exports a method', () => {
    const item = matchRoute(table, '/api/posts/1')!;
    expect(item.methods).toEqual(['PATCH', 'DELETE']);
    expect(item.exportsMethod('DELETE')).toBe(true);
    expect(item.exportsMethod('PUT')).toBe(false);
    expect(matchRoute(table, '/api/auth/signin')?.methods).toEqual(['GET', 'POST']);
    // `export *` may bring more methods than the file names.
    const reexport = matchRoute(table, '/api/reexport')!;
    expect(reexport.exportsMethod('GET')).toBe(true);
    expect(reexport.exportsMethod('POST')).toBeUndefined();
  });

  it('finds nothing in an empty table', () => {
    expect(matchRoute(getRouteTable(layoutOf('empty')), '/api/posts')).toBeUndefined();
  });
});

describe('exportedHttpMethods', () => {
  it('finds every way a route file exports a method', () => {
    const text = `
export async function GET(request: Request) {}
export function* HEAD() {}
export const POST = withAuth(async () => {});
export const dynamic = 'force-dynamic';
const remove = async () => {};
export { remove as DELETE, type Options };
export { PUT } from './shared';
`;
    expect(exportedHttpMethods(text)).toEqual({ methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'], complete: true });
  });

  it('reads destructured exports, where only bindings count', () => {
    expect(exportedHttpMethods('export const { handlers: { GET, POST }, auth } = NextAuth(config);').methods).toEqual(['GET', 'POST']);
    expect(exportedHttpMethods('export const { GET: get } = handlers;').methods).toEqual([]);
  });

  it('ignores comments, strings and type-only exports', () => {
    const text = `
// export async function POST() {}
/* export function PUT() {} */
const doc = 'export function PATCH() {}';
export type { DELETE } from './types';
export { type OPTIONS } from './types';
export async function GET() {}
`;
    expect(exportedHttpMethods(text)).toEqual({ methods: ['GET'], complete: true });
  });

  it('says when `export *` may hide more methods', () => {
    expect(exportedHttpMethods("export * from './handlers';")).toEqual({ methods: [], complete: false });
    expect(exportedHttpMethods("export * as handlers from './handlers';").complete).toBe(true);
  });
});

describe('stripBasePath', () => {
  it('removes the base path only as a whole leading segment', () => {
    expect(stripBasePath('/docs/api/posts', '/docs')).toBe('/api/posts');
    expect(stripBasePath('/docs', '/docs')).toBe('/');
    expect(stripBasePath('/docs?x=1', '/docs')).toBe('/?x=1');
    expect(stripBasePath('/docsite/api', '/docs')).toBe('/docsite/api');
    expect(stripBasePath('/api/posts', '')).toBe('/api/posts');
  });
});

describe('exportedHttpMethods on hostile text', () => {
  it.each([
    ['unclosed destructuring exports', 'export const {\n'],
    ['unclosed export lists', 'export {\n'],
    ['unclosed block comments', '/* x\n'],
    ['unclosed strings', "'\\'\\'\\'\\'\\'\\'\\'\\'\\'\\'"],
    ['unclosed templates', '`${\n'],
  ])('reads 20,000 lines of %s in linear time', (_, line) => {
    const text = `export async function GET() {}\n${line.repeat(20_000)}`;
    const started = performance.now();
    const { methods } = exportedHttpMethods(text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(methods).toEqual(['GET']);
  });

  it('still reads exports after a string that ends with its line', () => {
    expect(exportedHttpMethods("const a = 'oops\nexport const POST = handler;\n").methods).toEqual(['POST']);
    expect(exportedHttpMethods('export { handler as GET, type Body }\nexport const { POST } = handlers').methods).toEqual(['GET', 'POST']);
  });
});
