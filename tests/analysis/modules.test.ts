import { chmodSync, mkdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import type * as NodeModule from 'node:module';
import path from 'node:path';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  clearModuleCaches,
  getModuleCacheStats,
  getModuleInfo,
  importsServerAction,
  isServerActionExpression,
  isServerActionReference,
  resolveImport,
  scanPrologue,
} from '../../src/analysis/modules.js';
import { clearProjectCaches } from '../../src/analysis/project.js';
import { withContext } from '../support/probe.js';
import { makeTempDir, writeInto } from '../support/temp-tree.js';
import { letTimePass } from '../support/disk.js';

let root: string;

const write = (file: string, text: string): string => writeInto(root, file, text);

const at = (file: string) => path.join(root, file);

beforeAll(() => {
  // The real path, because TypeScript answers with real paths (macOS puts tmp behind a symlink).
  root = makeTempDir('next-actions-modules-');
  write('package.json', '{ "name": "app", "private": true }');
  write('tsconfig.base.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./src/*'] } } }));
  write('tsconfig.json', JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { jsx: 'preserve', moduleResolution: 'node10' } }));
  write('src/app/actions.ts', `'use server';\n\nimport { db } from '@/lib/db';\n\nexport async function createPost(data: FormData) {}\nexport const deletePost = async (id: string) => {};\nexport type Post = { id: string };\nexport default async function archive() {}\n`);
  write('src/app/posts/actions/index.ts', `"use server"\nexport async function likePost() {}\n`);
  write('src/app/form.tsx', `'use client';\nexport function Form() { return null; }\n`);
  write('src/components/button.tsx', `export function Button() { return null; }\n`);
  write('src/lib/legacy.js', `'use server';\nexports.legacy = async function () {};\n`);
  write('src/lib/db.ts', `export const db = {};\n`);
  write('lib/util.ts', `export const util = 1;\n`);
  write('src/barrel/index.ts', `export { createPost as create, deletePost } from '../app/actions';\nexport * from './more';\nexport * from '../components/button';\n`);
  write('src/barrel/more.ts', `'use server';\nexport async function publish() {}\n`);
  write('src/cycle/a.ts', `export * from './b';\n`);
  write('src/cycle/b.ts', `export * from './a';\nexport { loop } from './a';\n`);
  write('src/client-actions.ts', `'use client';\nexport async function notAnAction() {}\nexport * from './app/actions';\n`);
  mkdirSync(at('src/folder.ts'), { recursive: true });
  write('js-app/jsconfig.json', JSON.stringify({ compilerOptions: { paths: { '@/*': ['./*'] } } }));
  write('js-app/app/actions.js', `'use server';\nexport async function save() {}\n`);
  write('js-app/app/page.jsx', `export default function Page() {}\n`);
  write('node_modules/some-lib/package.json', JSON.stringify({ name: 'some-lib', main: 'index.js' }));
  write('node_modules/some-lib/index.js', `'use server';\nexport async function external() {}\n`);
  write('packages/actions/package.json', JSON.stringify({ name: '@acme/actions', main: 'src/index.ts' }));
  write('packages/actions/src/index.ts', `'use server';\nexport async function shared() {}\n`);
  mkdirSync(at('node_modules/@acme'), { recursive: true });
  symlinkSync(at('packages/actions'), at('node_modules/@acme/actions'), 'dir');
  clearModuleCaches();
  clearProjectCaches();
});

afterAll(() => {
  clearModuleCaches();
  clearProjectCaches();
  rmSync(root, { recursive: true, force: true });
});

describe('resolveImport', () => {
  const from = () => at('src/app/form.tsx');

  it('resolves relative imports with extension probing', () => {
    expect(resolveImport(from(), './actions')).toBe(at('src/app/actions.ts'));
    expect(resolveImport(from(), '../components/button')).toBe(at('src/components/button.tsx'));
    expect(resolveImport(from(), '../lib/legacy')).toBe(at('src/lib/legacy.js'));
    expect(resolveImport(from(), './actions.ts')).toBe(at('src/app/actions.ts'));
  });

  it('resolves `@/` paths from a tsconfig that inherits them through `extends`', () => {
    expect(resolveImport(from(), '@/app/actions')).toBe(at('src/app/actions.ts'));
    expect(resolveImport(from(), '@/components/button')).toBe(at('src/components/button.tsx'));
    expect(resolveImport(from(), '@/lib/legacy')).toBe(at('src/lib/legacy.js'));
  });

  it('resolves index files of folders', () => {
    expect(resolveImport(from(), '@/app/posts/actions')).toBe(at('src/app/posts/actions/index.ts'));
    expect(resolveImport(from(), './posts/actions')).toBe(at('src/app/posts/actions/index.ts'));
  });

  it('resolves bare specifiers from `baseUrl`', () => {
    expect(resolveImport(from(), 'lib/util')).toBe(at('lib/util.ts'));
  });

  it('uses the nearest jsconfig.json in JavaScript projects', () => {
    expect(resolveImport(at('js-app/app/page.jsx'), '@/app/actions')).toBe(at('js-app/app/actions.js'));
  });

  it('leaves out installed packages but follows workspace packages to their sources', () => {
    expect(resolveImport(from(), 'some-lib')).toBeUndefined();
    expect(resolveImport(from(), '@acme/actions')).toBe(at('packages/actions/src/index.ts'));
  });

  it('answers undefined for missing files, JSON and folders that look like files', () => {
    expect(resolveImport(from(), './missing')).toBeUndefined();
    expect(resolveImport(from(), '@/missing/actions')).toBeUndefined();
    expect(resolveImport(from(), 'react')).toBeUndefined();
    expect(resolveImport(from(), '../../package.json')).toBeUndefined();
    expect(resolveImport(from(), '@/folder')).toBeUndefined();
    expect(resolveImport(from(), '')).toBeUndefined();
  });

  it('parses each config once, resolves an alias once per config and a relative specifier once per folder', () => {
    clearModuleCaches();
    const actions = resolveImport(from(), '@/app/actions');
    expect(actions).toBeDefined();
    resolveImport(from(), '@/app/actions');
    // A `paths` alias means the same file from every folder.
    expect(resolveImport(at('src/components/button.tsx'), '@/app/actions')).toBe(actions);
    expect(getModuleCacheStats()).toMatchObject({ configParses: 1, resolutions: 1 });
    resolveImport(from(), './button');
    resolveImport(at('src/components/button.tsx'), './button');
    expect(getModuleCacheStats()).toMatchObject({ configParses: 1, resolutions: 3 });
  });

  it('resolves relative imports with defaults when no config exists or the config is broken', () => {
    const bare = makeTempDir('next-actions-bare-');
    try {
      writeFileSync(path.join(bare, 'a.ts'), '');
      writeFileSync(path.join(bare, 'b.ts'), '');
      expect(resolveImport(path.join(bare, 'a.ts'), './b')).toBe(path.join(bare, 'b.ts'));
      writeFileSync(path.join(bare, 'tsconfig.json'), '{ "compilerOptions": { ');
      clearModuleCaches();
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      expect(resolveImport(path.join(bare, 'a.ts'), './b')).toBe(path.join(bare, 'b.ts'));
      expect(resolveImport(path.join(bare, 'a.ts'), './a')).toBe(path.join(bare, 'a.ts'));
      // Once, naming the file: a broken config switches path aliases off, which must not go unnoticed.
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(`eslint-plugin-next-actions: ${path.join(bare, 'tsconfig.json')} cannot be read (`);
      warn.mockRestore();
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});

describe('scanPrologue', () => {
  it('reads directives after comments, a hashbang and `use strict`', () => {
    expect(scanPrologue(`#!/usr/bin/env node\n// actions\n/* for the posts page */\n'use strict';\n"use server"\nexport async function a() {}`)).toEqual(['use strict', 'use server']);
    expect(scanPrologue(`\uFEFF'use client'`)).toEqual(['use client']);
  });

  it('cooks escapes the way Next.js compares directives', () => {
    expect(scanPrologue(`'use\\x20server';`)).toEqual(['use server']);
  });

  it('skips `import type` lines, which are erased before Next.js looks', () => {
    expect(scanPrologue(`import type { Post } from './types';\nimport type {\n  User,\n} from './user'\n'use server';\n`)).toEqual(['use server']);
    expect(scanPrologue(`import type from './value';\n'use server';\n`)).toEqual([]);
  });

  it('stops at strings that continue as expressions', () => {
    expect(scanPrologue(`'use server'.length;`)).toEqual([]);
    expect(scanPrologue(`'use server' + suffix;`)).toEqual([]);
    expect(scanPrologue(`'use server'\n.trim()`)).toEqual([]);
    expect(scanPrologue(`'use server'\n++count`)).toEqual(['use server']);
    expect(scanPrologue(`import x from 'y';\n'use server';`)).toEqual([]);
    expect(scanPrologue(`'unterminated`)).toEqual([]);
  });
});

describe('getModuleInfo', () => {
  it('lists the directives and the value exports of a "use server" file', () => {
    const info = getModuleInfo(at('src/app/actions.ts'));
    expect(info).toMatchObject({ directives: ['use server'], isServerActionsFile: true });
    expect([...info!.exportedNames!].sort()).toEqual(['createPost', 'default', 'deletePost']);
  });

  it('does not list exports of files without "use server", but keeps their re-exports', () => {
    expect(getModuleInfo(at('src/app/form.tsx'))).toMatchObject({ directives: ['use client'], isServerActionsFile: false, exportedNames: undefined });
    expect(getModuleInfo(at('src/barrel/index.ts'))!.reexports).toEqual([
      { specifier: '../app/actions', names: new Map([['create', 'createPost'], ['deletePost', 'deletePost']]) },
      { specifier: './more', names: '*' },
      { specifier: '../components/button', names: '*' },
    ]);
  });

  it('gives up on the name list when the exports cannot be listed', () => {
    expect(getModuleInfo(at('src/lib/legacy.js'))).toMatchObject({ isServerActionsFile: true, exportedNames: undefined });
    const destructured = write('src/app/destructured.ts', `'use server';\nexport const { a, b } = makeActions();\n`);
    expect(getModuleInfo(destructured)!.exportedNames).toBeUndefined();
    const lists = write('src/app/lists.ts', `'use server';\nasync function a() {}\nasync function b() {}\nexport { a, b as 'c', type T };\nexport * as ns from './ns';\n`);
    expect([...getModuleInfo(lists)!.exportedNames!].sort()).toEqual(['a', 'c', 'ns']);
  });

  it('tells whether a module names next/navigation, so that only those are parsed for redirecting helpers', () => {
    const guard = write('src/lib/guard.ts', `import { redirect } from 'next/navigation';\nexport function toLogin() {\n  redirect('/login');\n}\n`);
    expect(getModuleInfo(guard)!.mentionsNavigation).toBe(true);
    expect(getModuleInfo(at('src/app/actions.ts'))!.mentionsNavigation).toBe(false);
  });

  it('answers undefined for missing files and folders, and never throws', () => {
    expect(getModuleInfo(at('src/app/missing.ts'))).toBeUndefined();
    expect(getModuleInfo(at('src/folder.ts'))).toBeUndefined();
  });

  it.skipIf(process.getuid?.() === 0)('answers undefined for unreadable files', () => {
    const locked = write('src/app/locked.ts', `'use server';\n`);
    chmodSync(locked, 0o000);
    try {
      expect(getModuleInfo(locked)).toBeUndefined();
    } finally {
      chmodSync(locked, 0o644);
    }
  });

  it('reads a file once while it is unchanged, and again after it changes', () => {
    const file = write('src/app/changing.ts', `'use server';\nexport async function one() {}\n`);
    const before = getModuleCacheStats().fileReads;
    expect(getModuleInfo(file)!.isServerActionsFile).toBe(true);
    expect(getModuleInfo(file)!.isServerActionsFile).toBe(true);
    expect(getModuleCacheStats().fileReads).toBe(before + 1);
    writeFileSync(file, `export async function one() {}\n`);
    const later = new Date(statSync(file).mtimeMs + 5000);
    utimesSync(file, later, later);
    letTimePass();
    expect(getModuleInfo(file)!.isServerActionsFile).toBe(false);
    expect(getModuleCacheStats().fileReads).toBe(before + 2);
  });

  it('reads only the head of very large files, for their prologue', () => {
    const big = write('src/generated/huge.ts', `'use server';\n${'// filler\n'.repeat(120_000)}export async function late() {}\n`);
    expect(getModuleInfo(big)).toMatchObject({ isServerActionsFile: true, exportedNames: undefined, reexports: [] });
  });
});

describe('importsServerAction', () => {
  const from = () => at('src/app/form.tsx');

  it('knows the exports of "use server" files, and nothing else', () => {
    expect(importsServerAction(from(), '@/app/actions', 'createPost')).toBe(true);
    expect(importsServerAction(from(), '@/app/actions', 'default')).toBe(true);
    expect(importsServerAction(from(), '@/app/actions', 'Post')).toBe(false);
    expect(importsServerAction(from(), '@/components/button', 'Button')).toBe(false);
    expect(importsServerAction(from(), '@/client-actions', 'notAnAction')).toBe(false);
    expect(importsServerAction(from(), './missing', 'x')).toBe(false);
    expect(importsServerAction(from(), 'some-lib', 'external')).toBe(false);
    expect(importsServerAction(from(), '@acme/actions', 'shared')).toBe(true);
  });

  it('follows barrels, by name and through `export *`', () => {
    expect(importsServerAction(from(), '@/barrel', 'create')).toBe(true);
    expect(importsServerAction(from(), '@/barrel', 'deletePost')).toBe(true);
    expect(importsServerAction(from(), '@/barrel', 'publish')).toBe(true);
    expect(importsServerAction(from(), '@/barrel', 'createPost')).toBe(false);
    expect(importsServerAction(from(), '@/barrel', 'Button')).toBe(false);
  });

  it('follows "use client" barrels too: what they re-export stays an action reference', () => {
    expect(importsServerAction(from(), '@/client-actions', 'createPost')).toBe(true);
  });

  it('stops on circular re-exports', () => {
    expect(importsServerAction(from(), '@/cycle/a', 'loop')).toBe(false);
  });
});

/** Every called identifier or member in `code`, by its source text, with the answer for it. */
function calleesOf(code: string, file = 'src/app/client.tsx'): Record<string, boolean> {
  return withContext(code, at(file), context => {
    const answers: Record<string, boolean> = {};
    const visit = (node: TSESTree.Node): void => {
      if (node.type === AST_NODE_TYPES.CallExpression) {
        const text = context.sourceCode.getText(node.callee);
        answers[text] =
          node.callee.type === AST_NODE_TYPES.Identifier
            ? isServerActionReference(context, node.callee)
            : isServerActionExpression(context, node.callee);
      }
      for (const key of context.sourceCode.visitorKeys[node.type] ?? []) {
        const child = (node as unknown as Record<string, unknown>)[key];
        for (const item of (Array.isArray(child) ? child : [child]) as unknown[]) {
          if (item && typeof item === 'object' && 'type' in item) visit(item as TSESTree.Node);
        }
      }
    };
    visit(context.sourceCode.ast);
    return answers;
  }, { cwd: root });
}

describe('isServerActionReference', () => {
  it('recognises imports from "use server" modules, under any local name', () => {
    expect(
      calleesOf(`'use client';
import archive, { createPost, deletePost as remove } from '@/app/actions';
import { likePost } from './posts/actions';
import { Button } from '@/components/button';
createPost(); remove(); archive(); likePost(); Button();
`),
    ).toEqual({ createPost: true, remove: true, archive: true, likePost: true, Button: false });
  });

  it('ignores type-only imports and shadowed names', () => {
    expect(
      calleesOf(`'use client';
import { type createPost } from '@/app/actions';
import type { deletePost } from '@/app/actions';
import { archive } from '@/app/actions';
createPost(); deletePost();
function inner(archive: () => void) { archive(); }
`),
    ).toEqual({ createPost: false, deletePost: false, archive: false });
  });

  it('follows namespace imports, aliases and `bind`', () => {
    expect(
      calleesOf(`'use client';
import * as actions from '@/app/actions';
import * as ui from '@/components/button';
import { createPost } from '@/app/actions';
const save = createPost;
const bound = createPost.bind(null, 'draft');
let changing = createPost;
changing = () => {};
actions.deletePost(); actions['createPost'](); ui.Button(); save(); bound(); changing();
`),
    ).toEqual({
      'actions.deletePost': true,
      "actions['createPost']": true,
      'ui.Button': false,
      'createPost.bind': false,
      save: true,
      bound: true,
      changing: false,
    });
  });

  it('knows inline "use server" functions and the exports of the linted "use server" file', () => {
    expect(
      calleesOf(
        `'use server';
export async function a() {}
async function helper() {}
a(); helper();
`,
        'src/app/more-actions.ts',
      ),
    ).toEqual({ a: true, helper: false });
    expect(
      calleesOf(
        `export default function Page() {
  async function save() { 'use server'; }
  const remove = async () => { 'use server'; };
  function plain() {}
  save(); remove(); plain();
}`,
        'src/app/page.tsx',
      ),
    ).toEqual({ save: true, remove: true, plain: false });
  });

  it('follows props of local components that every caller fills with an action', () => {
    expect(
      calleesOf(`'use client';
import { createPost, deletePost } from '@/app/actions';
function Toolbar({ onSave, onDelete: remove = () => {} }: { onSave: () => void; onDelete?: () => void }) {
  onSave(); remove();
}
const Row = (props: { onRemove: () => void }) => {
  props.onRemove();
  const { onRemove } = props;
  onRemove();
};
export function Editor() {
  return (
    <>
      <Toolbar onSave={createPost} onDelete={deletePost.bind(null, 1)} />
      <Toolbar onSave={createPost} onDelete={deletePost} />
      <Row onRemove={deletePost}></Row>
    </>
  );
}
`),
    ).toEqual({ onSave: true, remove: true, 'props.onRemove': true, onRemove: true, 'deletePost.bind': false });
  });

  it('leaves props open when a caller passes something else, spreads, or the component is exported', () => {
    expect(
      calleesOf(`'use client';
import { createPost } from '@/app/actions';
function Mixed({ onSave }: { onSave: () => void }) { onSave(); }
function Spread({ onKeep }: { onKeep: () => void }) { onKeep(); }
export function Shared({ onShare }: { onShare: () => void }) { onShare(); }
function Unused({ onNothing }: { onNothing: () => void }) { onNothing(); }
export function Editor(rest: object) {
  return (
    <>
      <Mixed onSave={createPost} />
      <Mixed onSave={() => {}} />
      <Spread onKeep={createPost} {...rest} />
      <Shared onShare={createPost} />
    </>
  );
}
`),
    ).toEqual({ onSave: false, onKeep: false, onShare: false, onNothing: false });
  });

  it('follows barrels from the linted file', () => {
    expect(
      calleesOf(`'use client';
import { create, publish, Button } from '@/barrel';
create(); publish(); Button();
`),
    ).toEqual({ create: true, publish: true, Button: false });
  });

  it('answers "no" for in-memory code with nothing on disk', () => {
    expect(withContext(`import { a } from './actions';\na();`, 'file.tsx', context => {
      const statement = context.sourceCode.ast.body[1] as TSESTree.ExpressionStatement;
      return isServerActionReference(context, (statement.expression as TSESTree.CallExpression).callee as TSESTree.Identifier);
    })).toBe(false);
  });
});

describe('without TypeScript', () => {
  it('degrades to "unknown" instead of throwing', async () => {
    vi.resetModules();
    vi.doMock('node:module', async importOriginal => {
      const original = await importOriginal<typeof NodeModule>();
      return {
        ...original,
        createRequire: (from: string | URL) => {
          const real = original.createRequire(from);
          return Object.assign((id: string) => {
            if (id === 'typescript') throw new Error('Cannot find module typescript');
            return real(id);
          }, real);
        },
      };
    });
    try {
      const isolated = await import('../../src/analysis/modules.js');
      expect(isolated.resolveImport(at('src/app/form.tsx'), './actions')).toBeUndefined();
      expect(isolated.importsServerAction(at('src/app/form.tsx'), './actions', 'createPost')).toBe(false);
      expect(isolated.getModuleInfo(at('src/app/actions.ts'))?.isServerActionsFile).toBe(true);
    } finally {
      vi.doUnmock('node:module');
      vi.resetModules();
    }
  });
});
