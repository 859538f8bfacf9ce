import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { clearModuleCaches } from '../../src/analysis/modules.js';
import rule from '../../src/rules/no-parallel-actions.js';
import { ruleTester } from '../rule-tester.js';
import { makeTempDir } from '../support/temp-tree.js';

// A small project on disk, so that imports resolve the way they do in an app: the rule only
// knows that `createPost` is a Server Action by reading the "use server" file it comes from.
const root = makeTempDir('next-actions-parallel-');
const files: Record<string, string> = {
  'package.json': '{ "name": "parallel-app", "private": true }',
  'tsconfig.json': '{ "compilerOptions": { "moduleResolution": "bundler", "paths": { "@/*": ["./*"] } } }',
  'app/posts/actions.ts': `'use server';
export async function createPost(data: FormData) {}
export async function publishPost(id: string) {}
export async function deletePost(id: string) {}
`,
  'app/stats/actions.ts': `'use server';
export async function getViews(id: string) { return 1; }
export async function getLikes(id: string) { return 1; }
`,
  'lib/format.ts': `export async function track(event: string) {}\n`,
  // No directive of their own: the first is imported by a "use client" module, the second only by a page.
  'app/posts/save-both.ts': `import { createPost, publishPost } from './actions';
export async function saveBoth(data: FormData, id: string) {
  await Promise.all([createPost(data), publishPost(id)]);
}
`,
  'app/posts/save-form.tsx': `'use client';
import { saveBoth } from './save-both';
export function SaveForm() {
  return <form action={data => saveBoth(data, '1')} />;
}
`,
  'app/posts/server-both.ts': `import { createPost, publishPost } from './actions';
export async function serverBoth(data: FormData, id: string) {
  await Promise.all([createPost(data), publishPost(id)]);
}
`,
  // Client Components on disk, as the app graph sees them: actions reached through a path alias
  // and through a barrel's namespace, and a form that imports none.
  'app/posts/index.ts': "export * from './actions';\n",
  'app/posts/alias-form.tsx': `'use client';
import { createPost, publishPost } from '@/app/posts/actions';
export function AliasForm({ data }: { data: FormData }) {
  return <button onClick={() => Promise.all([createPost(data), publishPost('1')])}>Go</button>;
}
`,
  'app/posts/barrel-list.tsx': `'use client';
import * as posts from '@/app/posts';
export function BarrelList({ ids }: { ids: string[] }) {
  async function removeAll() {
    for (const id of ids) posts.deletePost(id);
  }
  return <button onClick={removeAll}>Remove</button>;
}
`,
  'app/posts/plain-form.tsx': `'use client';
import { track } from '@/lib/format';
export function PlainForm() {
  return <button onClick={() => Promise.all([track('a'), track('b')])}>Go</button>;
}
`,
  'app/posts/page.tsx': `import { serverBoth } from './server-both';
export default async function Page() {
  await serverBoth(new FormData(), '1');
  return null;
}
`,
};
for (const [file, text] of Object.entries(files)) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}
clearModuleCaches();
afterAll(() => {
  clearModuleCaches();
  rmSync(root, { recursive: true, force: true });
});

const editor = path.join(root, 'app/posts/editor.tsx');
const page = path.join(root, 'app/posts/page.tsx');

const fromDisk = (file: string) => ({
  filename: path.join(root, file),
  code: files[file]!,
  settings: { 'next-actions': { rootDir: root } },
});

ruleTester.run('no-parallel-actions (client environment)', rule, {
  // Server code: actions called from the server are plain function calls.
  valid: [fromDisk('app/posts/server-both.ts')],
  invalid: [
    {
      // Client code without a directive: save-form.tsx ("use client") imports it.
      ...fromDisk('app/posts/save-both.ts'),
      errors: [{ messageId: 'parallelPromise', data: { method: 'all', calls: '`createPost` and `publishPost`' }, line: 3, column: 9 }],
    },
  ],
});

ruleTester.run('no-parallel-actions (imports that let a Client Component through)', rule, {
  valid: [fromDisk('app/posts/plain-form.tsx')],
  invalid: [
    {
      // Imported through the tsconfig path alias.
      ...fromDisk('app/posts/alias-form.tsx'),
      errors: [{ messageId: 'parallelPromise', data: { method: 'all', calls: '`createPost` and `publishPost`' }, line: 4, column: 33 }],
    },
    {
      // A namespace import of a barrel that re-exports the actions.
      ...fromDisk('app/posts/barrel-list.tsx'),
      errors: [{ messageId: 'loopCalls', data: { loop: '`for…of` loop', calls: '`posts.deletePost`' }, line: 5, column: 27 }],
    },
    {
      // Edited and not saved: the text being linted imports the actions, the file on disk does not.
      ...fromDisk('app/posts/plain-form.tsx'),
      code: `'use client';
import { track } from '@/lib/format';
import { createPost, publishPost } from './actions';
export function PlainForm({ data }: { data: FormData }) {
  return <button onClick={() => Promise.all([createPost(data), publishPost('1')])}>Go</button>;
}
`,
      errors: [{ messageId: 'parallelPromise', data: { method: 'all', calls: '`createPost` and `publishPost`' }, line: 5, column: 33 }],
    },
  ],
});

ruleTester.run('no-parallel-actions', rule, {
  valid: [
    // One action per transition: nothing waits in line.
    {
      filename: editor,
      code: `
'use client';
import { useTransition } from 'react';
import { createPost } from './actions';
export function Editor({ data }: { data: FormData }) {
  const [, startTransition] = useTransition();
  return <button onClick={() => startTransition(() => createPost(data))}>Save</button>;
}
`,
    },
    // Awaited one after another: the code already runs them in sequence.
    {
      filename: editor,
      code: `
'use client';
import { createPost, publishPost } from './actions';
export async function save(data: FormData, id: string) {
  await createPost(data);
  await publishPost(id);
  createPost(data).then(() => publishPost(id));
}
`,
    },
    // Separate event handlers and separate branches never start together.
    {
      filename: editor,
      code: `
'use client';
import { createPost, publishPost } from './actions';
export function Editor({ data, id, draft }: { data: FormData; id: string; draft: boolean }) {
  if (draft) createPost(data);
  else publishPost(id);
  return <input onChange={() => createPost(data)} onBlur={() => publishPost(id)} />;
}
`,
    },
    // Only one of the calls is a Server Action: `fetch` and plain helpers run in parallel as written.
    {
      filename: editor,
      code: `
'use client';
import { createPost } from '@/app/posts/actions';
import { track } from '@/lib/format';
export async function save(data: FormData) {
  await Promise.all([createPost(data), fetch('/api/log'), track('save')]);
  await Promise.all([track('a'), track('b')]);
  track('a');
  track('b');
}
`,
    },
    // An awaited or exited loop paces its calls.
    {
      filename: editor,
      code: `
'use client';
import { deletePost } from './actions';
declare function hasMore(id: string): Promise<boolean>;
export async function clear(ids: string[], target: string) {
  for (const id of ids) {
    await deletePost(id);
  }
  for (const id of ids) {
    if (id === target) {
      deletePost(id);
      break;
    }
  }
  let more = true;
  do {
    deletePost(target);
  } while (await hasMore(target));
  while (more) {
    deletePost(target);
    more = await hasMore(target);
  }
  await ids.reduce((previous, id) => previous.then(() => deletePost(id)), Promise.resolve());
}
`,
    },
    // A single un-awaited call, an await between two calls, and calls inside per-item handlers.
    {
      filename: editor,
      code: `
'use client';
import { createPost, publishPost, deletePost } from './actions';
export function List({ ids, data }: { ids: string[]; data: FormData }) {
  async function onSave() {
    await createPost(data);
    publishPost('x');
  }
  async function onPublish() {
    createPost(data);
    await new Promise(resolve => setTimeout(resolve, 10));
    publishPost('x');
  }
  return <ul>{ids.map(id => <li key={id}><button onClick={() => deletePost(id)}>Delete</button></li>)}</ul>;
}
`,
    },
    // Binding an action per row creates references; nothing is called until a row submits.
    {
      filename: editor,
      code: `
'use client';
import * as actions from './actions';
import { deletePost } from './actions';
export function Rows({ ids }: { ids: string[] }) {
  return ids.map(id => (
    <form key={id} action={deletePost.bind(null, id)}>
      <button formAction={actions.publishPost.bind(null, id)}>Publish</button>
    </form>
  ));
}
`,
    },
    // Server code calls actions as plain functions, so parallel calls there are parallel.
    {
      filename: page,
      code: `
import { getViews, getLikes } from '@/app/stats/actions';
export default async function Page() {
  const [views, likes] = await Promise.all([getViews('1'), getLikes('1')]);
  return <p>{views} {likes}</p>;
}
`,
    },
    // Props of an exported component may come from anywhere; imports that do not resolve are unknown.
    {
      filename: editor,
      code: `
'use client';
import { createPost } from './missing-actions';
export function Toolbar({ onSave, onPublish }: { onSave: () => Promise<void>; onPublish: () => Promise<void> }) {
  return <button onClick={() => Promise.all([onSave(), onPublish(), createPost(), createPost()])}>Go</button>;
}
`,
    },
    // A prop filled with a wrapper function is not itself an action.
    {
      filename: editor,
      code: `
'use client';
import { createPost, publishPost } from './actions';
function Toolbar({ onSave, onPublish }: { onSave: () => Promise<void>; onPublish: () => Promise<void> }) {
  return <button onClick={() => Promise.all([onSave(), onPublish()])}>Go</button>;
}
export function Editor({ data, id }: { data: FormData; id: string }) {
  return <Toolbar onSave={() => createPost(data)} onPublish={() => publishPost(id)} />;
}
`,
    },
    // A local `Promise` is not the global one.
    {
      filename: editor,
      code: `
'use client';
import { createPost, publishPost } from './actions';
import { Promise } from './my-promise';
export const run = (data: FormData) => Promise.all([createPost(data), publishPost('1')]);
`,
    },
  ],
  invalid: [
    {
      filename: editor,
      code: `
'use client';
import { createPost, publishPost } from './actions';
export async function save(data: FormData, id: string) {
  await Promise.all([createPost(data), publishPost(id)]);
}
`,
      errors: [
        {
          messageId: 'parallelPromise',
          data: { method: 'all', calls: '`createPost` and `publishPost`' },
          line: 5,
          column: 9,
          endLine: 5,
          endColumn: 57,
        },
      ],
    },
    {
      filename: editor,
      code: `
'use client';
import { deletePost, publishPost } from '@/app/posts/actions';
export async function clear(ids: string[]) {
  const results = await Promise.allSettled(ids.map(id => deletePost(id)));
  const pending = ids.map(async id => {
    await (id ? deletePost(id) : publishPost(id));
  });
  await Promise.all(pending);
}
`,
      errors: [
        {
          messageId: 'parallelPromise',
          data: { method: 'allSettled', calls: 'the calls to `deletePost` for each item' },
          line: 5,
          column: 25,
          endLine: 5,
          endColumn: 74,
        },
        {
          messageId: 'parallelPromise',
          data: { method: 'all', calls: 'the calls to `deletePost` and `publishPost` for each item' },
          line: 9,
          column: 9,
          endLine: 9,
          endColumn: 29,
        },
      ],
    },
    {
      filename: editor,
      code: `
'use client';
import * as stats from '@/app/stats/actions';
import { getViews } from '@/app/stats/actions';
export async function load(id: string) {
  return Promise.race([getViews(id), getViews(id).then(Number), stats.getLikes(id)]);
}
`,
      errors: [
        {
          messageId: 'parallelPromise',
          data: { method: 'race', calls: '`getViews` and `stats.getLikes`' },
          line: 6,
          column: 10,
          endLine: 6,
          endColumn: 85,
        },
      ],
    },
    {
      filename: editor,
      code: `
'use client';
import { getViews } from '@/app/stats/actions';
export const loadTwice = () => Promise.any([getViews('a'), getViews('b')]);
`,
      errors: [
        {
          messageId: 'parallelPromise',
          data: { method: 'any', calls: 'the 2 calls to `getViews`' },
          line: 4,
          column: 32,
          endLine: 4,
          endColumn: 75,
        },
      ],
    },
    {
      filename: editor,
      code: `
'use client';
import { useEffect, useState } from 'react';
import { getViews, getLikes } from '@/app/stats/actions';
export function Stats({ id }: { id: string }) {
  const [views, setViews] = useState(0);
  const [likes, setLikes] = useState(0);
  useEffect(() => {
    getViews(id).then(setViews);
    getLikes(id).then(setLikes);
  }, [id]);
  return <p>{views} {likes}</p>;
}
`,
      errors: [
        {
          messageId: 'unawaitedCalls',
          data: { current: 'getLikes', previous: '`getViews`' },
          line: 10,
          column: 5,
          endLine: 10,
          endColumn: 17,
        },
      ],
    },
    {
      filename: editor,
      code: `
'use client';
import { useTransition } from 'react';
import { createPost, publishPost } from './actions';
export function Editor({ data }: { data: FormData }) {
  const [, startTransition] = useTransition();
  const save = () =>
    startTransition(() => {
      void createPost(data);
      void createPost(data);
    });
  return <button onClick={save}>Save</button>;
}
`,
      errors: [
        {
          messageId: 'unawaitedCalls',
          data: { current: 'createPost', previous: 'an earlier call to `createPost`' },
          line: 10,
          column: 12,
          endLine: 10,
          endColumn: 28,
        },
      ],
    },
    {
      filename: editor,
      code: `
'use client';
import { getViews, getLikes } from '@/app/stats/actions';
export async function load(id: string) {
  const views = getViews(id);
  const likes = getLikes(id);
  return [await views, await likes];
}
`,
      errors: [
        {
          messageId: 'unawaitedCalls',
          data: { current: 'getLikes', previous: '`getViews`' },
          line: 6,
          column: 17,
          endLine: 6,
          endColumn: 29,
        },
      ],
    },
    {
      filename: editor,
      code: `
'use client';
import { deletePost, publishPost } from './actions';
export function clear(ids: string[]) {
  for (const id of ids) {
    deletePost(id);
  }
  let index = 0;
  while (index < ids.length) {
    publishPost(ids[index++]);
  }
}
`,
      errors: [
        {
          messageId: 'loopCalls',
          data: { loop: '`for…of` loop', calls: '`deletePost`' },
          line: 6,
          column: 5,
          endLine: 6,
          endColumn: 19,
        },
        {
          messageId: 'loopCalls',
          data: { loop: '`while` loop', calls: '`publishPost`' },
          line: 10,
          column: 5,
          endLine: 10,
          endColumn: 30,
        },
      ],
    },
    {
      filename: editor,
      code: `
'use client';
import { deletePost, publishPost } from './actions';
export function clear(ids: string[]) {
  ids.forEach(async id => {
    await deletePost(id);
    await publishPost(id);
  });
  ids.forEach(deletePost);
  return ids.map(id => publishPost(id));
}
`,
      errors: [
        {
          messageId: 'loopCalls',
          data: { loop: '`forEach` callback', calls: '`deletePost` and `publishPost`' },
          line: 6,
          column: 11,
          endLine: 6,
          endColumn: 25,
        },
        {
          messageId: 'loopCalls',
          data: { loop: '`forEach` callback', calls: '`deletePost`' },
          line: 9,
          column: 15,
          endLine: 9,
          endColumn: 25,
        },
        {
          messageId: 'loopCalls',
          data: { loop: '`map` callback', calls: '`publishPost`' },
          line: 10,
          column: 24,
          endLine: 10,
          endColumn: 39,
        },
      ],
    },
    // Actions that arrive as props of a local component, or bound to their first argument.
    {
      filename: editor,
      code: `
'use client';
import { createPost, publishPost } from './actions';
function Toolbar({ onSave, onPublish }: { onSave: () => Promise<void>; onPublish: () => Promise<void> }) {
  return <button onClick={() => Promise.all([onSave(), onPublish()])}>Go</button>;
}
export function Editor({ id }: { id: string }) {
  const publish = publishPost.bind(null, id);
  return <Toolbar onSave={createPost.bind(null, new FormData())} onPublish={publish} />;
}
`,
      errors: [
        {
          messageId: 'parallelPromise',
          data: { method: 'all', calls: '`onSave` and `onPublish`' },
          line: 5,
          column: 33,
          endLine: 5,
          endColumn: 69,
        },
      ],
    },
  ],
});
