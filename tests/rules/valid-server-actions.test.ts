import rule from '../../src/rules/valid-server-actions.js';
import { ruleTester } from '../rule-tester.js';

ruleTester.run('valid-server-actions', rule, {
  valid: [
    // Async exports of every shape Next.js accepts.
    `
'use server';
export async function createPost(data: FormData) {}
export const deletePost = async (id: string) => {};
export default async function () {}
`,
    `
'use server';
async function a() {}
const b = async () => {};
export { a, b as c };
`,
    // Types are erased before Next.js looks at the exports.
    `
'use server';
export type State = { ok: boolean };
export interface Input { id: string }
export type { Other } from './types';
export async function act(state: State) {}
`,
    // Wrapped actions: the wrapper's function is the action body.
    `
'use server';
export const updateName = authClient.schema(schema).action(async ({ parsedInput }) => {});
export const remove = withAuth(async (id: string) => {});
`,
    // Imports re-exported by name are checked by Next.js at runtime only, and may well be actions.
    `
'use server';
import { a } from './other';
export { a };
`,
    // 'use strict' may come before the directive; comments too.
    `
// actions for the posts page
'use strict';
'use server';
export async function a() {}
`,
    // \`import type\` is erased before Next.js reads the prologue.
    `
import type { Post } from './types';
'use server';
export async function save(post: Post) {}
`,
    // Inline actions in a Server Component.
    `
export default function Page() {
  async function save(formData: FormData) {
    'use server';
    await db.post.create({ data: {} });
  }
  return <form action={save} />;
}
`,
    `
export default function Page() {
  return <form action={async () => { 'use server'; await run(); }} />;
}
`,
    // Static methods and object methods may carry "use server".
    `
class Actions { static async save() { 'use server'; } }
const actions = { async save() { 'use server'; } };
`,
    // Arrow functions share the action's scope, nested functions have their own \`this\`.
    `
export async function action() {
  'use server';
  function helper() { return this; }
  const read = () => 1;
}
`,
    // Non-exported helpers of a "use server" file are not actions.
    `
'use server';
const limit = 10;
function helper() {}
export async function list() { helper(); return limit; }
`,
    // Client components and other files may export anything.
    `
'use client';
export const config = { a: 1 };
export function Button() { return null; }
`,
    // Not in a prologue position and not a directive: plain strings elsewhere are fine.
    `
const message = 'use server';
if (ready) { 'use server'; }
`,
    // Next.js compiles these and its load check sees functions: nothing fails.
    `
'use server';
function impl() {}
export const run = impl;
export const Store = class {};
export const wrapped = (() => {});
`,
    // "use client" means nothing inside a function; Next.js ignores it there.
    `function A() { const a = 1; 'use client'; }`,
    // Known directives of other tools are not misspellings.
    `'use memo';\nexport function Component() {}`,
    `'use cache: remote';\nexport async function getPosts() {}`,
  ],
  invalid: [
    {
      code: `
'use server';
export function createPost() {}
`,
      errors: [
        {
          messageId: 'syncExport',
          data: { name: 'createPost' },
          line: 3,
          column: 17,
          endLine: 3,
          endColumn: 27,
          suggestions: [
            {
              messageId: 'addAsync',
              data: { name: 'createPost' },
              output: `
'use server';
export async function createPost() {}
`,
            },
          ],
        },
      ],
    },
    {
      code: `
'use server';
export const remove = (id: string) => {};
export default function () {}
`,
      errors: [
        {
          messageId: 'syncExport',
          data: { name: 'remove' },
          line: 3,
          column: 14,
          endColumn: 20,
          suggestions: [
            {
              messageId: 'addAsync',
              data: { name: 'remove' },
              output: `
'use server';
export const remove = async (id: string) => {};
export default function () {}
`,
            },
          ],
        },
        {
          messageId: 'syncExport',
          data: { name: 'default' },
          line: 4,
          column: 16,
          suggestions: [
            {
              messageId: 'addAsync',
              data: { name: 'default' },
              output: `
'use server';
export const remove = (id: string) => {};
export default async function () {}
`,
            },
          ],
        },
      ],
    },
    {
      code: `
'use server';
function helper() {}
export { helper };
`,
      errors: [{ messageId: 'syncExport', data: { name: 'helper' }, line: 4, column: 10, suggestions: [{ messageId: 'addAsync', data: { name: 'helper' }, output: `
'use server';
async function helper() {}
export { helper };
` }] }],
    },
    {
      code: `
'use server';
import { z } from 'zod';
export const limit = 10;
export const schema = z.object({ name: z.string() });
export const initialState = { message: '' };
export const steps = ['a'];
export const greeting = \`hi\`;
export class Service {}
export enum Status { Draft }
`,
      errors: [
        { messageId: 'valueExportBuild', data: { name: 'limit', description: 'a number literal', typeOf: 'number' }, line: 4, column: 14 },
        { messageId: 'valueExportRuntime', data: { name: 'schema', description: 'a schema built with `zod`', typeOf: 'object' }, line: 5, column: 14 },
        { messageId: 'valueExportRuntime', data: { name: 'initialState', description: 'an object', typeOf: 'object' }, line: 6, column: 14 },
        { messageId: 'valueExportRuntime', data: { name: 'steps', description: 'an array', typeOf: 'object' }, line: 7, column: 14 },
        { messageId: 'valueExportRuntime', data: { name: 'greeting', description: 'a template string', typeOf: 'string' }, line: 8, column: 14 },
        { messageId: 'valueExportBuild', data: { name: 'Service', description: 'a class', typeOf: 'function' }, line: 9, column: 14 },
        { messageId: 'valueExportRuntime', data: { name: 'Status', description: 'an enum', typeOf: 'object' }, line: 10, column: 13 },
      ],
    },
    {
      code: `
'use server';
const limit = 10;
export const pageSize = limit;
export default limit;
`,
      errors: [
        { messageId: 'valueExportRuntime', data: { name: 'pageSize', description: 'a number literal', typeOf: 'number' }, line: 4, column: 14, endColumn: 22 },
        { messageId: 'valueExportRuntime', data: { name: 'default', description: 'a number literal', typeOf: 'number' }, line: 5, column: 16, endColumn: 21 },
      ],
    },
    {
      code: `
'use server';
export default { save: async () => {} };
`,
      errors: [{ messageId: 'valueExportBuild', data: { name: 'default', description: 'an object', typeOf: 'object' }, line: 3, column: 16, endColumn: 40 }],
    },
    {
      code: `
'use server';
export * from './posts';
export { a, type B } from './other';
`,
      errors: [
        { messageId: 'reexport', data: { statement: "export * from './posts';", source: '"./posts"' }, line: 3, column: 1, endColumn: 25 },
        { messageId: 'reexport', data: { statement: "export { a, type B } from './other';", source: '"./other"' }, line: 4, column: 1 },
      ],
    },
    {
      code: `
export default function Page() {
  function save() {
    'use server';
  }
  return <form action={save} />;
}
`,
      output: `
export default function Page() {
  async function save() {
    'use server';
  }
  return <form action={save} />;
}
`,
      errors: [{ messageId: 'syncInlineAction', data: { name: '`save`' }, line: 3, column: 12, endColumn: 16 }],
    },
    {
      code: `const Form = () => <form action={() => { 'use server'; }} />;`,
      output: `const Form = () => <form action={async () => { 'use server'; }} />;`,
      errors: [{ messageId: 'syncInlineAction', data: { name: 'This inline Server Action' }, line: 1, column: 34, endColumn: 39 }],
    },
    {
      code: `
'use server';
export async function save() {
  console.log(this, arguments);
  const inner = () => super.x;
}
`,
      errors: [
        { messageId: 'forbiddenExpression', data: { keyword: 'this' }, line: 4, column: 15, endColumn: 19 },
        { messageId: 'forbiddenExpression', data: { keyword: 'arguments' }, line: 4, column: 21, endColumn: 30 },
        { messageId: 'forbiddenExpression', data: { keyword: 'super' }, line: 5, column: 23, endColumn: 28 },
      ],
    },
    {
      code: `
'use client';
export function Button() {
  async function save() {
    'use server';
  }
  return <button formAction={save} />;
}
`,
      errors: [{ messageId: 'inlineActionInClientComponent', line: 5, column: 5, endColumn: 18 }],
    },
    {
      code: `
class Store {
  async save() {
    'use server';
  }
}
`,
      errors: [{ messageId: 'instanceMethodAction', line: 4, column: 5 }],
    },
    {
      code: `
'use client';
'use server';
export async function a() {}
`,
      errors: [{ messageId: 'clientAndServer', line: 3, column: 1, endColumn: 14 }],
    },
    {
      code: `
'use server';
'use cache';
export async function a() {}
`,
      errors: [{ messageId: 'serverAndCache', data: { cache: '"use cache"' }, line: 2, column: 1 }],
    },
    {
      filename: 'app/api/posts/route.ts',
      code: `'use server';
export async function POST() { return Response.json({}); }
`,
      errors: [
        {
          messageId: 'serverDirectiveInRoute',
          line: 1,
          column: 1,
          endColumn: 14,
          suggestions: [{ messageId: 'removeDirective', output: `export async function POST() { return Response.json({}); }
` }],
        },
      ],
    },
    {
      code: `import { db } from './db';
'use server';
export async function a() {}
`,
      errors: [
        {
          messageId: 'misplacedDirective',
          data: { directive: '"use server"', place: 'file' },
          line: 2,
          column: 1,
          endColumn: 14,
          suggestions: [
            {
              messageId: 'moveDirectiveToTop',
              data: { directive: '"use server"', place: 'file' },
              output: `"use server";
import { db } from './db';
export async function a() {}
`,
            },
          ],
        },
      ],
    },
    {
      code: `
async function save() {
  const id = 1;
  'use server';
}
`,
      errors: [{ messageId: 'misplacedDirective', data: { directive: '"use server"', place: 'function body' }, line: 4, column: 3, suggestions: [{ messageId: 'moveDirectiveToTop', data: { directive: '"use server"', place: 'function body' }, output: `
async function save() {
  "use server";
  const id = 1;
}
` }] }],
    },
    {
      code: `('use server');\nexport async function a() {}`,
      errors: [{ messageId: 'wrappedDirective', data: { directive: '"use server"', andMove: '' }, line: 1, column: 1, suggestions: [{ messageId: 'replaceDirective', data: { directive: '"use server"' }, output: `"use server";\nexport async function a() {}` }] }],
    },
    {
      code: `'use sever';\nexport async function a() {}`,
      errors: [{ messageId: 'misspelledDirective', data: { written: '"use sever"', directive: '"use server"' }, line: 1, column: 1, endColumn: 13, suggestions: [{ messageId: 'replaceDirective', data: { directive: '"use server"' }, output: `"use server";\nexport async function a() {}` }] }],
    },
    {
      code: `'use-server';\n'use server;';\n"use action";\n'use cache:remote';`,
      errors: [
        { messageId: 'misspelledDirective', data: { written: '"use-server"', directive: '"use server"' }, line: 1, column: 1, suggestions: [{ messageId: 'replaceDirective', data: { directive: '"use server"' }, output: `"use server";\n'use server;';\n"use action";\n'use cache:remote';` }] },
        { messageId: 'misspelledDirective', data: { written: '"use server;"', directive: '"use server"' }, line: 2, column: 1, suggestions: [{ messageId: 'replaceDirective', data: { directive: '"use server"' }, output: `'use-server';\n"use server";\n"use action";\n'use cache:remote';` }] },
        { messageId: 'misspelledDirective', data: { written: '"use action"', directive: '"use server"' }, line: 3, column: 1, suggestions: [{ messageId: 'replaceDirective', data: { directive: '"use server"' }, output: `'use-server';\n'use server;';\n"use server";\n'use cache:remote';` }] },
        { messageId: 'misspelledDirective', data: { written: '"use cache:remote"', directive: '"use cache: remote"' }, line: 4, column: 1, suggestions: [{ messageId: 'replaceDirective', data: { directive: '"use cache: remote"' }, output: `'use-server';\n'use server;';\n"use action";\n"use cache: remote";` }] },
      ],
    },
    {
      code: '`use server`;\nexport async function a() {}',
      errors: [{ messageId: 'backtickDirective', data: { directive: '"use server"' }, line: 1, column: 1, suggestions: [{ messageId: 'replaceDirective', data: { directive: '"use server"' }, output: '"use server";\nexport async function a() {}' }] }],
    },
    {
      code: `import React from 'react';\n'use client';\nexport function A() {}`,
      errors: [{ messageId: 'misplacedClientDirective', line: 2, column: 1, endColumn: 14, suggestions: [{ messageId: 'moveDirectiveToTop', data: { directive: '"use client"', place: 'file' }, output: `"use client";\nimport React from 'react';\nexport function A() {}` }] }],
    },
    // Moving the directive up would put two file directives together, or an inline action in a Client Component.
    {
      code: `'use client';\nimport { db } from './db';\n'use server';\nexport async function a() {}`,
      errors: [
        {
          messageId: 'misplacedConflictingDirective',
          data: { directive: '"use server"', place: 'file', conflict: 'the file starts with "use client", and a file cannot be both' },
          line: 3,
          column: 1,
          suggestions: [],
        },
      ],
    },
    {
      code: `"use server"\nimport React from 'react'\n'use client'\nexport async function a() {}`,
      errors: [
        {
          messageId: 'misplacedConflictingDirective',
          data: { directive: '"use client"', place: 'file', conflict: 'the file starts with "use server", and a file cannot be both' },
          line: 3,
          suggestions: [],
        },
      ],
    },
    {
      code: `'use client';\nexport function Form() {\n  async function save() {\n    const id = 1;\n    'use server';\n  }\n  return <form action={save} />;\n}`,
      errors: [
        {
          messageId: 'misplacedConflictingDirective',
          data: { directive: '"use server"', place: 'function body', conflict: 'this is a Client Component, and Next.js rejects inline Server Actions there' },
          line: 5,
          suggestions: [],
        },
      ],
    },
    // The moved directive keeps the file's line endings.
    {
      code: `import { db } from './db';\r\n'use server';\r\nexport async function a() {}\r\n`,
      errors: [{ messageId: 'misplacedDirective', line: 2, suggestions: [{ messageId: 'moveDirectiveToTop', data: { directive: '"use server"', place: 'file' }, output: `"use server";\r\nimport { db } from './db';\r\nexport async function a() {}\r\n` }] }],
    },
    {
      code: `import { db } from './db';\r'use server';\rexport async function a() {}\r`,
      errors: [{ messageId: 'misplacedDirective', line: 2, suggestions: [{ messageId: 'moveDirectiveToTop', data: { directive: '"use server"', place: 'file' }, output: `"use server";\rimport { db } from './db';\rexport async function a() {}\r` }] }],
    },
    {
      code: `'use clinet';\nexport function A() {}`,
      errors: [{ messageId: 'misspelledClientDirective', data: { written: '"use clinet"' }, line: 1, column: 1, endColumn: 14, suggestions: [{ messageId: 'replaceDirective', data: { directive: '"use client"' }, output: `"use client";\nexport function A() {}` }] }],
    },
    {
      code: `'use client';\n'use cache';\nexport async function a() {}`,
      errors: [{ messageId: 'clientAndCache', data: { cache: '"use cache"' }, line: 2, column: 1, endColumn: 13 }],
    },
    {
      code: `'use server';\nexport async function a() { return { arguments }; }`,
      errors: [{ messageId: 'forbiddenExpression', data: { keyword: 'arguments' }, line: 2, column: 38, endColumn: 47 }],
    },
  ],
});
