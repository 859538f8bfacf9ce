// The synthetic Next.js App Router app `npm run bench` lints: deterministic for a given size and
// seed, with components, libs, pages, ≈10 % Client Components, 5 % "use server" files and 5 % Route
// Handlers that import each other through `@/`.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const nouns = ['post', 'comment', 'user', 'order', 'invoice', 'product', 'cart', 'team', 'project', 'task', 'note', 'tag'];
const pascal = text => text.replace(/(^|-)(\w)/g, (_, __, letter) => letter.toUpperCase());

function fieldsOf(rand) {
  const all = ['title', 'body', 'status', 'ownerId', 'dueAt', 'price', 'quantity', 'email', 'name', 'slug'];
  return all.filter(() => rand() < 0.5).concat('id');
}

function libFile(name, rand, deps) {
  const fields = fieldsOf(rand);
  const type = pascal(name);
  return `import { z } from 'zod';
${deps.map(dep => `import { ${dep.exportName} } from '@/${dep.module}';`).join('\n')}

export const ${name.replace(/-/g, '')}Schema = z.object({
${fields.map(field => `  ${field}: z.string(),`).join('\n')}
});

export type ${type} = z.infer<typeof ${name.replace(/-/g, '')}Schema>;

/** Formats a ${name} for display. */
export function format${type}(value: ${type}): string {
  const parts: string[] = [];
${fields.map(field => `  if (value.${field}) parts.push(String(value.${field}));`).join('\n')}
  return parts.join(' · ');
}

export function sort${type}s(values: ${type}[], by: keyof ${type} = 'id'): ${type}[] {
  return [...values].sort((a, b) => String(a[by]).localeCompare(String(b[by])));
}

export function group${type}s(values: ${type}[]): Map<string, ${type}[]> {
  const groups = new Map<string, ${type}[]>();
  for (const value of values) {
    const key = String(value.id).slice(0, 2);
    const group = groups.get(key) ?? [];
    group.push(value);
    groups.set(key, group);
  }
  return groups;
}
${deps.map(dep => `\nexport const uses${pascal(dep.exportName)} = typeof ${dep.exportName};`).join('')}
`;
}

function componentFile(name, rand, deps) {
  const type = pascal(name);
  const items = 2 + Math.floor(rand() * 5);
  return `${deps.map(dep => `import { ${dep.exportName} } from '@/${dep.module}';`).join('\n')}

interface ${type}Props {
  title: string;
  items: { id: string; label: string }[];
  compact?: boolean;
}

export function ${type}({ title, items, compact = false }: ${type}Props) {
  const visible = compact ? items.slice(0, ${items}) : items;
  return (
    <section className="${name}">
      <h2>{title}</h2>
      <ul>
        {visible.map(item => (
          <li key={item.id} data-id={item.id}>
            {item.label}
          </li>
        ))}
      </ul>
      {visible.length === 0 ? <p>Nothing here yet.</p> : null}
    </section>
  );
}
${deps.map(dep => `\nexport const ${name.replace(/-/g, '')}Uses${pascal(dep.exportName)} = Boolean(${dep.exportName});`).join('')}
`;
}

function clientComponentFile(name, rand, actions, lines = 0) {
  const type = pascal(name);
  const action = actions.length > 0 ? actions[Math.floor(rand() * actions.length)] : undefined;
  const handlers = [];
  const handlerCount = lines > 0 ? Math.ceil((lines - 5) / 14) : 1 + Math.floor(rand() * 3);
  for (let index = 0; index < handlerCount; index++) {
    handlers.push(`  function handle${index}(event: React.MouseEvent<HTMLButtonElement>) {
    event.preventDefault();
    setCount(current => current + ${index + 1});
    startTransition(async () => {
      ${action ? `await ${action.exportName}(new FormData());` : 'await Promise.resolve();'}
      setMessage('Saved ${index}');
    });
    if (count > ${10 + index}) {
      setMessage('Too many clicks');
    }
  }
`);
  }
  return `'use client';

import { useState, useTransition } from 'react';
${action ? `import { ${action.exportName} } from '@/${action.module}';` : ''}

export function ${type}({ label }: { label: string }) {
  const [count, setCount] = useState(0);
  const [message, setMessage] = useState('');
  const [pending, startTransition] = useTransition();

${handlers.join('\n')}
  return (
    <div className="${name}">
      <p>{label}: {count}</p>
${handlers.map((_, index) => `      <button type="button" disabled={pending} onClick={handle${index}}>Action ${index}</button>`).join('\n')}
      {message ? <p role="status">{message}</p> : null}
    </div>
  );
}
`;
}

function actionsFile(noun, rand) {
  const type = pascal(noun);
  const reads = rand() < 0.3;
  return `'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { db } from '@/lib/db';
import { auth } from '@/lib/auth';

export async function create${type}(formData: FormData) {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  const title = String(formData.get('title') ?? '');
  if (title.length === 0) return { error: 'Title is required' };
  await db.${noun}.create({ data: { title, ownerId: session.userId } });
  revalidatePath('/${noun}s');
  return { error: null };
}

export async function delete${type}(id: string) {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  await db.${noun}.delete({ where: { id } });
  revalidatePath('/${noun}s');
  redirect('/${noun}s');
}
${
  reads
    ? `
export async function list${type}s() {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  return db.${noun}.findMany({ where: { ownerId: session.userId } });
}
`
    : ''
}`;
}

function routeFile(noun) {
  return `import { db } from '@/lib/db';

export async function GET(request: Request) {
  const url = new URL(request.url);
  const limit = Number(url.searchParams.get('limit') ?? 20);
  const items = await db.${noun}.findMany({ take: limit });
  return Response.json(items);
}

export async function POST(request: Request) {
  const key = request.headers.get('x-api-key');
  if (key !== process.env.API_KEY) return new Response('Unauthorized', { status: 401 });
  const body = (await request.json()) as { title?: string };
  if (!body.title) return Response.json({ error: 'title is required' }, { status: 400 });
  const created = await db.${noun}.create({ data: { title: body.title } });
  return Response.json(created, { status: 201 });
}
`;
}

function pageFile(noun, rand, deps, action) {
  const type = pascal(noun);
  return `import { db } from '@/lib/db';
${deps.map(dep => `import { ${dep.exportName} } from '@/${dep.module}';`).join('\n')}
${action ? `import { ${action.exportName} } from '@/${action.module}';` : ''}

export default async function ${type}Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const items = await db.${noun}.findMany({ where: { groupId: id } });
  return (
    <main>
      <h1>${type}s</h1>
      <ul>
        {items.map(item => (
          <li key={item.id}>{item.title}</li>
        ))}
      </ul>
${action ? `      <form action={${action.exportName}}>\n        <input name="title" />\n        <button type="submit">Add</button>\n      </form>` : ''}
      <p>{${Math.floor(rand() * 100)}} items at most.</p>
    </main>
  );
}
`;
}

/** Writes an app of `count` source files; returns its directory and the file list. */
export function generateApp(count, seed = 1) {
  const rand = random(seed);
  const dir = mkdtempSync(path.join(os.tmpdir(), `next-actions-bench-${count}-`));
  const write = (relative, text) => {
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    writeFileSync(path.join(dir, relative), text);
  };
  write('package.json', JSON.stringify({ name: 'bench-app', private: true, dependencies: { next: '16.4.6' } }, null, 2));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] }, jsx: 'preserve' } }, null, 2));
  write('lib/db.ts', "export const db = {} as Record<string, Record<string, (args?: unknown) => Promise<any>>>;\n");
  write('lib/auth.ts', 'export async function auth() {\n  return { userId: "1" } as { userId: string } | null;\n}\n');

  const libs = [];
  const components = [];
  const actions = [];
  let written = 2;
  const pick = (list, max) => {
    const chosen = [];
    for (let index = 0; index < max && list.length > 0; index++) chosen.push(list[Math.floor(rand() * list.length)]);
    return [...new Set(chosen)];
  };
  // The last file is the 200-line Client Component the editor-latency measurement re-lints.
  for (let index = 0; written < count - 1; index++) {
    const noun = nouns[index % nouns.length];
    const name = `${noun}-${index}`;
    const roll = rand();
    if (roll < 0.05) {
      const module = `app/${noun}s/${index}/actions`;
      write(`${module}.ts`, actionsFile(noun, rand));
      actions.push({ module, exportName: `create${pascal(noun)}` });
    } else if (roll < 0.1) {
      write(`app/api/${noun}s/${index}/route.ts`, routeFile(noun));
    } else if (roll < 0.2) {
      write(`components/client/${name}.tsx`, clientComponentFile(name, rand, actions));
    } else if (roll < 0.45) {
      write(`app/${noun}s/${index}/[id]/page.tsx`, pageFile(noun, rand, pick(components, 3), pick(actions, 1)[0]));
    } else if (roll < 0.75) {
      const module = `components/${name}`;
      write(`${module}.tsx`, componentFile(name, rand, pick(libs, 2)));
      components.push({ module, exportName: pascal(name) });
    } else {
      const module = `lib/${name}`;
      write(`${module}.ts`, libFile(name, rand, pick(libs, 2)));
      libs.push({ module, exportName: `format${pascal(name)}` });
    }
    written++;
  }
  const editorFile = 'components/client/editor-target.tsx';
  write(editorFile, clientComponentFile('editor-target', rand, actions, 200));
  return { dir, editorFile };
}
