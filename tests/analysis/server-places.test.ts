import { rmSync } from 'node:fs';
import path from 'node:path';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverPlace } from '../../src/analysis/server-places.js';
import { walkNodes } from '../../src/utils/ast.js';
import { withContext } from '../support/probe.js';
import { makeTempDir, writeInto } from '../support/temp-tree.js';

let root: string;

beforeAll(() => {
  root = makeTempDir('next-actions-server-places-');
  writeInto(root, 'package.json', '{ "name": "app", "private": true }');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** For each `fetch(…)` call of `code` linted as `file`, the place serverPlace names. */
const placesOf = (code: string, file: string) =>
  withContext(code, path.join(root, file), context => {
    const calls: TSESTree.CallExpression[] = [];
    walkNodes(context.sourceCode.ast, context.sourceCode.visitorKeys, node => {
      if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === 'fetch') calls.push(node);
    });
    return calls.map(call => serverPlace(context, call) ?? 'browser');
  }, { cwd: root });

describe('serverPlace', () => {
  it('names the server code of an App Router page: the component, metadata, and an inline action', () => {
    expect(
      placesOf(
        `export async function generateMetadata() { return fetch('/api/meta'); }
export default async function Page() {
  await fetch('/api/posts');
  async function save() {
    'use server';
    await fetch('/api/save', { method: 'POST' });
  }
  return null;
}
`,
        'app/posts/page.tsx',
      ),
    ).toEqual(['`generateMetadata`', 'a Server Component', 'a Server Action']);
  });

  it('names Route Handlers and "use server" files by their kind, and leaves client code to the browser', () => {
    expect(placesOf(`export async function GET() { return fetch('/api/other'); }\n`, 'app/api/posts/route.ts')).toEqual(['a Route Handler']);
    expect(placesOf(`'use server';\nconst load = () => fetch('/api/x');\n`, 'app/actions.ts')).toEqual(['a "use server" file']);
    expect(placesOf(`'use client';\nexport function Button() { fetch('/api/x'); return null; }\n`, 'app/button.tsx')).toEqual(['browser']);
  });
});
