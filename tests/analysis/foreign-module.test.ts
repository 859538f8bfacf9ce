import { rmSync } from 'node:fs';
import path from 'node:path';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clearForeignModuleCaches,
  contextFile,
  getForeignModuleStats,
  isForeignContext,
  resolveImportedFunction,
} from '../../src/analysis/foreign-module.js';
import { clearModuleCaches } from '../../src/analysis/modules.js';
import { withContext } from '../support/probe.js';
import { makeTempDir, writeInto } from '../support/temp-tree.js';

let root: string;

const write = (file: string, text: string): string => writeInto(root, file, text);

beforeAll(() => {
  root = makeTempDir('next-actions-foreign-');
  write('package.json', '{ "name": "app", "private": true }');
  write('tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }));
  write(
    'lib/exports.ts',
    `import { cache } from 'react';
import { helper as imported } from './more';
export type Shape = { id: string };
export interface Options { id: string }
export function declared() {}
export const arrow = async () => {};
export const cached = cache(async (id: string) => id);
export const typed = (async () => {}) as () => Promise<void>;
export const client = actionClient.action(async () => {});
export class Repository {}
export const settings = { save() {} };
let reassigned = () => {};
reassigned = () => {};
export { reassigned };
function local() {}
export { local as renamed, imported };
export * as namespace from './more';
export * from './more';
export default function () {}
`,
  );
  write('lib/more.ts', `export function helper() {}\nexport function fromStar() {}\n`);
  write('lib/component.tsx', `export function Badge() {\n  return <span />;\n}\n`);
  write('lib/legacy.js', `export function legacy() {\n  return <div />;\n}\n`);
  write('lib/broken.ts', `export function broken( {\n`);
  // TypeScript parses it; only the ESTree grammar check (and \`tsc\`) would object to the modifier.
  write('lib/odd-modifier.ts', `export function kept() {}\nexport abstract const stray = 1;\n`);
  write('lib/loop-a.ts', `export * from './loop-b';\n`);
  write('lib/loop-b.ts', `export * from './loop-a';\n`);
  clearModuleCaches();
  clearForeignModuleCaches();
});

afterAll(() => {
  clearModuleCaches();
  clearForeignModuleCaches();
  rmSync(root, { recursive: true, force: true });
});

/** For each `[source, name]`: `file:line` of the function found, or undefined. */
const resolveAll = (pairs: [string, string][]) =>
  withContext(
    `'use server';\nexport async function action() {}\n`,
    path.join(root, 'app/actions.ts'),
    context =>
      pairs.map(([source, name]) => {
        const found = resolveImportedFunction(context, source, name);
        return found && `${path.relative(root, found.file)}:${found.fn.loc.start.line}`;
      }),
    { cwd: root },
  );

describe('resolveImportedFunction', () => {
  it('finds functions however the module exports them', () => {
    expect(
      resolveAll([
        ['@/lib/exports', 'declared'],
        ['@/lib/exports', 'arrow'],
        ['@/lib/exports', 'cached'],
        ['@/lib/exports', 'typed'],
        ['@/lib/exports', 'renamed'],
        ['@/lib/exports', 'imported'],
        ['@/lib/exports', 'fromStar'],
        ['@/lib/exports', 'default'],
        ['../lib/more', 'helper'],
        ['@/lib/component', 'Badge'],
        ['@/lib/legacy', 'legacy'],
        ['@/lib/odd-modifier', 'kept'],
      ]),
    ).toEqual([
      'lib/exports.ts:5',
      'lib/exports.ts:6',
      'lib/exports.ts:7',
      'lib/exports.ts:8',
      'lib/exports.ts:15',
      'lib/more.ts:1',
      'lib/more.ts:2',
      'lib/exports.ts:19',
      'lib/more.ts:1',
      'lib/component.tsx:1',
      'lib/legacy.js:1',
      'lib/odd-modifier.ts:1',
    ]);
  });

  it('answers undefined for what is not a plain function, and for files it cannot use', () => {
    expect(
      resolveAll([
        ['@/lib/exports', 'Shape'],
        ['@/lib/exports', 'client'],
        ['@/lib/exports', 'Repository'],
        ['@/lib/exports', 'settings'],
        ['@/lib/exports', 'reassigned'],
        ['@/lib/exports', 'namespace'],
        ['@/lib/exports', 'missing'],
        ['@/lib/exports', '*'],
        ['@/lib/broken', 'broken'],
        ['@/lib/loop-a', 'anything'],
        ['@/lib/missing', 'anything'],
        ['react', 'cache'],
        ['./actions', 'action'],
      ]),
    ).toEqual(Array.from({ length: 13 }, () => undefined));
  });

  it('hands back a context for the module that the analysis can use like a rule context', () => {
    const result = withContext(
      `'use server';\nexport async function action() {}\n`,
      path.join(root, 'app/actions.ts'),
      context => {
        const found = resolveImportedFunction(context, '@/lib/component', 'Badge')!;
        const jsx = found.fn.body.type === AST_NODE_TYPES.BlockStatement ? found.fn.body.body[0] : undefined;
        return {
          foreign: isForeignContext(found.context),
          linted: isForeignContext(context),
          file: path.relative(root, contextFile(found.context)),
          settings: found.context.settings === context.settings,
          parent: jsx?.parent === found.fn.body,
          scope: found.context.sourceCode.getScope(found.fn).type,
          text: found.context.sourceCode.getText(found.fn.id!),
        };
      },
      { cwd: root, settings: { 'next-actions': { mutationFunctions: ['save*'] } } },
    );
    expect(result).toEqual({ foreign: true, linted: false, file: 'lib/component.tsx', settings: true, parent: true, scope: 'function', text: 'Badge' });
  });

  it('reads and parses each module once', () => {
    clearForeignModuleCaches();
    resolveAll([
      ['@/lib/exports', 'declared'],
      ['@/lib/exports', 'imported'],
    ]);
    resolveAll([['@/lib/more', 'helper']]);
    expect(getForeignModuleStats()).toEqual({ reads: 2, parses: 2 });
  });
});
