import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearModuleCaches } from '../../src/analysis/modules.js';
import {
  ACTION_ONLY_API,
  AFTER_CALL,
  apisReachedByFile,
  apisReachedFrom,
  CACHE_API,
  COOKIE_WRITE,
  mentionedApis,
  throughAfter,
} from '../../src/analysis/next-api-reach.js';
import { clearProjectCaches, getProjectLayout, type ProjectLayout } from '../../src/analysis/project.js';
import { clearStore } from '../../src/analysis/store.js';
import { parseSettings } from '../../src/settings.js';
import { makeTempDir, writeInto } from '../support/temp-tree.js';

/** The names of the bits in `apis`, for readable expectations. */
function names(apis: number): string[] {
  const found: string[] = [];
  for (const [bit, name] of [
    [CACHE_API, 'cache'],
    [ACTION_ONLY_API, 'action-only'],
    [COOKIE_WRITE, 'cookie'],
    [AFTER_CALL, 'after'],
    [throughAfter(CACHE_API), 'cache in after'],
    [throughAfter(ACTION_ONLY_API), 'action-only in after'],
    [throughAfter(COOKIE_WRITE), 'cookie in after'],
  ] as const) {
    if (apis & bit) found.push(name);
  }
  return found;
}

describe('mentionedApis', () => {
  it('knows the APIs by their imports, as the rule does', () => {
    expect(names(mentionedApis("import { revalidatePath } from 'next/cache';\nrevalidatePath('/');\n"))).toEqual(['cache']);
    expect(names(mentionedApis("import { updateTag as expire } from 'next/cache';\nexpire('x');\n"))).toEqual(['cache', 'action-only']);
    expect(names(mentionedApis("import * as cache from 'next/cache';\ncache.refresh();\n"))).toEqual(['cache', 'action-only']);
    expect(names(mentionedApis("import { cookies } from 'next/headers';\n(await cookies()).set('a', '1');\n"))).toEqual(['cookie']);
    expect(names(mentionedApis("import { after } from 'next/server';\nafter(() => {});\n"))).toEqual(['after']);
  });

  it('is not misled by a name in a comment, a type import, or a cookie read', () => {
    // `refresh` only in a comment: revalidateTag is imported, updateTag and refresh are not.
    expect(names(mentionedApis("import { revalidateTag } from 'next/cache';\n// refresh the LRU cache\nrevalidateTag('x', 'max');\n"))).toEqual(['cache']);
    expect(mentionedApis("import { type revalidatePath, unstable_cache } from 'next/cache';\n")).toBe(0);
    expect(mentionedApis("import { cookies } from 'next/headers';\nconst theme = (await cookies()).get('theme');\n")).toBe(0);
    // A `.set(` call and `next/headers` without `cookies` (headers().get, a Map): no cookie write.
    expect(mentionedApis("import { headers } from 'next/headers';\nconst map = new Map();\nmap.set('a', (await headers()).get('b'));\n")).toBe(0);
    expect(mentionedApis('export const x = 1;\n')).toBe(0);
  });

  it('falls back to the names when the light scan cannot take an import apart', () => {
    expect(names(mentionedApis("import { revalidatePath, /* don't */ } from 'next/cache';\nrevalidatePath('/');\n"))).toEqual(['cache']);
  });
});

const app: Record<string, string> = {
  'package.json': '{ "name": "reach-app", "private": true }\n',
  'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }\n',
  'app/page.tsx': "import { a } from '@/lib/a';\nexport default async function Page() { await a(); return <main />; }\n",
  // A chain of helpers: e revalidates, a is four imports away from it, f five.
  'lib/a.ts': "import { b } from './b';\nexport const a = () => b();\n",
  'lib/b.ts': "import { c } from './c';\nexport const b = () => c();\n",
  'lib/c.ts': "import { d } from './d';\nexport const c = () => d();\n",
  'lib/d.ts': "import { e } from './e';\nexport const d = () => e();\n",
  'lib/e.ts': "import { revalidatePath } from 'next/cache';\nexport const e = () => revalidatePath('/');\n",
  'lib/f.ts': "import { a } from './a';\nexport const f = () => a();\n",
  // A "use client" module ends the search: its functions never run on the server.
  'lib/client-save.ts': "'use client';\nimport { revalidatePath } from 'next/cache';\nexport const save = () => revalidatePath('/');\n",
  'lib/through-client.ts': "import { save } from './client-save';\nexport const go = () => save();\n",
  // A cookie write, and a module that calls it inside after().
  'lib/cookie.ts': "import { cookies } from 'next/headers';\nexport async function remember() { (await cookies()).set('seen', '1'); }\n",
  'lib/later.ts': "import { after } from 'next/server';\nimport { remember } from './cookie';\nexport const later = () => after(remember);\n",
};

let root: string;
let layout: ProjectLayout;
let bare: string;
let bareLayout: ProjectLayout;

beforeAll(() => {
  root = makeTempDir('next-actions-reach-');
  for (const [file, text] of Object.entries(app)) writeInto(root, file, text);
  // The same modules in a package without an App Router folder: no app graph, searched forwards.
  bare = makeTempDir('next-actions-reach-bare-');
  for (const [file, text] of Object.entries(app)) if (!file.startsWith('app/')) writeInto(bare, file, text);
  clearStore();
  clearModuleCaches();
  clearProjectCaches();
  layout = getProjectLayout(path.join(root, 'app/page.tsx'), root, parseSettings({}));
  bareLayout = getProjectLayout(path.join(bare, 'lib/a.ts'), bare, parseSettings({}));
});

afterAll(() => {
  clearModuleCaches();
  rmSync(root, { recursive: true, force: true });
  rmSync(bare, { recursive: true, force: true });
});

describe.each([
  ['an app graph', () => ({ dir: root, layout })],
  ['a search forwards (no App Router)', () => ({ dir: bare, layout: bareLayout })],
])('apisReachedFrom, through %s', (_name, setup) => {
  const reached = (file: string) => {
    const { dir, layout: where } = setup();
    return names(apisReachedFrom(where, path.join(dir, file)));
  };

  it('reaches an API at most four imports away', () => {
    expect(bareLayout.appDir).toBeUndefined();
    expect(layout.appDir).toBe(path.join(root, 'app'));
    expect(reached('lib/e.ts')).toEqual(['cache']);
    expect(reached('lib/a.ts')).toEqual(['cache']);
    expect(reached('lib/f.ts')).toEqual([]);
  });

  it('does not go into "use client" modules', () => {
    expect(reached('lib/client-save.ts')).toEqual([]);
    expect(reached('lib/through-client.ts')).toEqual([]);
  });

  it('tells a cookie write reached through an after() import from one that is not', () => {
    expect(reached('lib/cookie.ts')).toEqual(['cookie']);
    expect(reached('lib/later.ts')).toEqual(['cookie', 'cookie in after']);
  });
});

describe('apisReachedByFile', () => {
  it('allows the linted file one more import than a call target, from the graph or import by import', () => {
    const page = path.join(root, 'lib/f.ts');
    // On disk: the graph's edges.
    expect(names(apisReachedByFile(layout, page, app['lib/f.ts']!, ['./a']))).toEqual(['cache']);
    // An unsaved buffer that imports something else: its own imports, resolved.
    expect(names(apisReachedByFile(layout, page, "import { remember } from './cookie';\n", ['./cookie']))).toEqual(['cookie']);
    expect(names(apisReachedByFile(layout, page, "import { after } from 'next/server';\nimport { remember } from './cookie';\n", ['next/server', './cookie']))).toEqual([
      'cookie',
      'cookie in after',
    ]);
  });
});
