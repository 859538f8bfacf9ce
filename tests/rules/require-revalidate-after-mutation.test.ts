import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { clearModuleCaches } from '../../src/analysis/modules.js';
import rule from '../../src/rules/require-revalidate-after-mutation.js';
import { ruleTester } from '../rule-tester.js';
import { writeCallersApp } from '../support/callers-app.js';

ruleTester.run('require-revalidate-after-mutation', rule, {
  valid: [
    // Every way of telling Next.js to re-render counts after the mutation.
    {
      code: `'use server';
import { revalidatePath, revalidateTag, updateTag, refresh } from 'next/cache';
import { redirect, permanentRedirect } from 'next/navigation';
import { db } from '@/lib/db';

export async function a() { await db.post.create({ data: {} }); revalidatePath('/posts'); }
export async function b() { await db.post.create({ data: {} }); revalidateTag('posts', 'max'); }
export async function c() { await db.post.create({ data: {} }); updateTag('posts'); }
export async function d() { await db.post.create({ data: {} }); refresh(); }
export async function e() { await db.post.create({ data: {} }); redirect('/posts'); }
export async function f() { await db.post.create({ data: {} }); permanentRedirect('/posts'); }
`,
      filename: 'app/posts/actions.ts',
    },
    {
      code: `'use server';
import { cookies } from 'next/headers';
import * as cache from 'next/cache';
import { db } from '@/lib/db';

export async function setTheme(theme: string) {
  await db.user.update({ where: { id: 1 }, data: { theme } });
  (await cookies()).set('theme', theme);
}
export async function logout() {
  await db.session.delete({ where: { id: 1 } });
  const jar = await cookies();
  jar.delete('session');
}
export async function rename() {
  await db.post.update({ where: { id: 1 }, data: {} });
  cache.revalidatePath('/posts');
}
`,
      filename: 'app/posts/actions.ts',
    },
    // A configured wrapper, or an imported one named like a revalidation, counts.
    {
      code: `'use server';
import { bust } from '@/lib/cache';
import { revalidatePosts } from '@/lib/posts-cache';
import { db } from '@/lib/db';

export async function a() { await db.post.create({ data: {} }); bust('/posts'); }
export async function b() { await db.post.create({ data: {} }); await revalidatePosts(); }
`,
      filename: 'app/posts/actions.ts',
      settings: { 'next-actions': { revalidateFunctions: ['bust'] } },
    },
    // Paths on which the write failed need no revalidation: error results, throws, catch blocks.
    {
      code: `'use server';
import { revalidatePath } from 'next/cache';

export async function addTodo(formData: FormData) {
  const supabase = await createClient();
  const { error } = await supabase.from('todos').insert({ title: formData.get('title') });
  if (error) return { error: error.message };
  revalidatePath('/');
  return { ok: true };
}
`,
      filename: 'app/posts/actions.ts',
    },
    {
      code: `'use server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { sql } from '@vercel/postgres';

export async function createInvoice(prevState: State, formData: FormData) {
  const validated = CreateInvoice.safeParse(Object.fromEntries(formData));
  if (!validated.success) {
    return { errors: validated.error.flatten().fieldErrors, message: 'Missing Fields. Failed to Create Invoice.' };
  }
  try {
    await sql\`INSERT INTO invoices (customer_id, amount) VALUES (\${validated.data.customerId}, \${validated.data.amount})\`;
  } catch (error) {
    return { message: 'Database Error: Failed to Create Invoice.' };
  }
  revalidatePath('/dashboard/invoices');
  redirect('/dashboard/invoices');
}
`,
      filename: 'app/posts/actions.ts',
    },
    {
      code: `'use server';
import { revalidatePath } from 'next/cache';
import { db } from '@/lib/db';

export async function publish(id: string) {
  const post = await db.post.update({ where: { id }, data: { published: true } }).catch(() => null);
  if (!post) return { success: false };
  const res = await fetch('/api/search-index', { method: 'POST' });
  if (!res.ok) throw new Error('Indexing failed');
  revalidatePath('/posts');
  return { success: true };
}
`,
      filename: 'app/posts/actions.ts',
    },
    {
      code: `'use server';
import { updateTag } from 'next/cache';
import { db } from '@/lib/db';

export async function like(id: string) {
  try {
    await db.post.update({ where: { id }, data: { likes: { increment: 1 } } });
    updateTag('posts');
  } catch (error) {
    console.error(error);
  }
}
`,
      filename: 'app/posts/actions.ts',
    },
    // An Error handed back as a value is an error result too.
    {
      code: `'use server';
import { updateTag } from 'next/cache';

export async function addItem(cartId: string, variantId: string) {
  const item = await db.cartItem.create({ data: { cartId, variantId } });
  if (item.quantity > 99) return new Error('The cart is full.');
  updateTag('cart');
}
`,
      filename: 'app/posts/actions.ts',
    },
    // Order and paths: loops, finally blocks, and callbacks that run after the write.
    {
      code: `'use server';
import { revalidatePath, updateTag } from 'next/cache';
import { db } from '@/lib/db';

export async function removeAll(ids: string[]) {
  for (const id of ids) {
    await db.post.delete({ where: { id } });
  }
  revalidatePath('/posts');
}
export async function archive(id: string) {
  try {
    await db.post.update({ where: { id }, data: { archived: true } });
  } finally {
    updateTag('posts');
  }
}
export async function touch(id: string) {
  await db.post.update({ where: { id }, data: {} }).then(() => revalidatePath('/posts'));
}
`,
      filename: 'app/posts/actions.ts',
    },
    // A same-file helper that writes and revalidates covers the action that calls it.
    {
      code: `'use server';
import { revalidatePath } from 'next/cache';
import { db } from '@/lib/db';

async function savePost(title: string) {
  await db.post.create({ data: { title } });
  revalidatePath('/posts');
}
export async function createPost(formData: FormData) {
  await savePost(String(formData.get('title')));
  return { ok: true };
}
`,
      filename: 'app/posts/actions.ts',
    },
    // Calls to external services are not data-layer writes unless `checkHttp` is on.
    {
      code: `'use server';
export async function subscribe(formData: FormData) {
  await fetch('https://api.resend.com/emails', { method: 'POST', body: JSON.stringify({ to: formData.get('email') }) });
  await stripe.customers.create({ email: String(formData.get('email')) });
  await openai.chat.completions.create({ model: 'gpt-5', messages: [] });
  return { ok: true };
}
`,
      filename: 'app/posts/actions.ts',
    },
    // Unknown calls are never guessed to be writes, and Maps, FormData and URLSearchParams are not databases.
    {
      code: `'use server';
import { createPost } from '@/lib/posts';

export async function submit(formData: FormData) {
  const seen = new Map<string, number>();
  seen.set('a', 1);
  formData.set('title', 'x');
  new URLSearchParams().delete('page');
  await createPost(formData);
  return { ok: true };
}
`,
      filename: 'app/posts/actions.ts',
    },
    // Reads only, in every library of the catalogue.
    {
      code: `'use server';
export async function prisma() { return db.post.findMany({ where: { published: true } }); }
export async function drizzle() { return db.select().from(posts); }
export async function drizzleQuery() { return db.query.posts.findMany(); }
export async function kysely() { return db.selectFrom('person').selectAll().execute(); }
export async function supabase() { return (await createClient()).from('todos').select('*'); }
export async function storage() { return supabase.storage.from('avatars').download('a.png'); }
export async function mongoose() { return Post.find({ published: true }).lean(); }
export async function mongodb() { return db.collection('posts').find({}).toArray(); }
export async function typeorm() { return dataSource.getRepository(Post).find(); }
export async function firestoreClient() { return getDocs(collection(db, 'posts')); }
export async function firestoreAdmin() { return adminDb.collection('posts').doc('1').get(); }
export async function redis() { return kv.get('views'); }
export async function sqlTemplate() { return sql\`SELECT * FROM posts\`; }
export async function sqlWith() { return sql\`WITH recent AS (SELECT * FROM posts) SELECT * FROM recent\`; }
`,
      filename: 'app/posts/actions.ts',
    },
    // Builders that touch no database: TypeORM `create()`, Firestore field sentinels, Drizzle `sql` fragments.
    {
      code: `'use server';
export async function draft() {
  const repo = dataSource.getRepository(Post);
  const post = repo.create({ title: 'Draft' });
  const likes = increment(1);
  const filter = sql\`lower(title) = 'x'\`;
  return { post, likes, filter };
}
`,
      filename: 'app/posts/actions.ts',
    },
    // Functions that are not Server Actions are not checked.
    {
      code: `import { db } from '@/lib/db';
export async function createPost(title: string) { await db.post.create({ data: { title } }); }
`,
      filename: 'lib/posts.ts',
    },
    {
      code: `export default function Page() {
  async function remove() { await db.post.deleteMany({}); }
  return <button onClick={remove} />;
}
`,
      filename: 'app/posts/page.tsx',
    },
    // Bindings that refer to themselves end the search instead of looping.
    {
      code: `'use server';
var db = db || createDb();
var stack = stack || [];
export async function push(item: number) {
  stack.push(item);
  await db.collection('items').find({}).toArray();
}
`,
      filename: 'app/posts/actions.ts',
    },
    // Route Handlers are out of scope unless `checkRouteHandlers` is on.
    {
      code: `import { db } from '@/lib/db';
export async function POST(request: Request) {
  await db.post.create({ data: await request.json() });
  return Response.json({ ok: true }, { status: 201 });
}
`,
      filename: 'app/api/posts/route.ts',
    },
    {
      code: `import { revalidateTag } from 'next/cache';
import { db } from '@/lib/db';
export async function POST(request: Request) {
  const body = await request.json();
  if (!body.title) return Response.json({ error: 'title is required' }, { status: 400 });
  await db.post.create({ data: body });
  revalidateTag('posts', { expire: 0 });
  return Response.json({ ok: true });
}
`,
      filename: 'app/api/posts/route.ts',
      options: [{ checkRouteHandlers: true }],
    },
    // `revalidateTag` with a profile, from another module, or with spread arguments is not the deprecated form.
    {
      code: `import { revalidateTag } from 'next/cache';
export async function refreshPosts(tags: [string, string]) {
  revalidateTag('posts', 'max');
  revalidateTag(...tags);
}
`,
      filename: 'lib/cache.ts',
    },
    {
      code: `import { revalidateTag } from './cache';
export function refreshPosts() { revalidateTag('posts'); }
`,
      filename: 'lib/refresh.ts',
    },
  ],
  invalid: [
    // A local name that shadows the import is never called in its place.
    {
      code: `'use server';\nimport { revalidatePath } from 'next/cache';\nimport { db } from '@/lib/db';\nexport async function createPost() {\n  const revalidatePath = (path: string) => path;\n  await db.post.create({ data: {} });\n}\n`,
      filename: 'app/posts/actions.ts',
      errors: [{ messageId: 'missingRevalidation', line: 4, suggestions: [] }],
    },
    {
      code: `'use server';\nimport * as cache from 'next/cache';\nimport { db } from '@/lib/db';\nexport async function createPost(cache: string) {\n  await db.post.create({ data: { cache } });\n}\n`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 4,
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              output: `'use server';\nimport * as cache from 'next/cache';\nimport { db } from '@/lib/db';\nimport { revalidatePath } from 'next/cache';\nexport async function createPost(cache: string) {\n  await db.post.create({ data: { cache } });\n  revalidatePath('/posts');\n}\n`,
            },
          ],
        },
      ],
    },
    // Inserted lines keep the file's line endings, CRLF or CR.
    {
      code: `'use server'\r\nimport { db } from '@/lib/db'\r\nexport async function createPost() {\r\n  await db.post.create({ data: {} })\r\n}\r\n`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 3,
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              output: `'use server'\r\nimport { db } from '@/lib/db'\r\nimport { revalidatePath } from 'next/cache'\r\nexport async function createPost() {\r\n  await db.post.create({ data: {} })\r\n  revalidatePath('/posts')\r\n}\r\n`,
            },
          ],
        },
      ],
    },
    {
      code: `'use server';\rexport async function createPost() {\r  await db.post.create({ data: {} });\r}\r`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              output: `'use server';\r\rimport { revalidatePath } from 'next/cache';\rexport async function createPost() {\r  await db.post.create({ data: {} });\r  revalidatePath('/posts');\r}\r`,
            },
          ],
        },
      ],
    },
    // A hashbang stays on the first line when the import is added to a file that has none.
    {
      code: `#!/usr/bin/env node
export default function Page() {
  async function save() {
    'use server';
    await db.post.create({ data: {} });
  }
  return save;
}
`,
      filename: 'app/posts/page.tsx',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 3,
          column: 18,
          endLine: 3,
          endColumn: 22,
          data: { target: 'Server Action `save`', mutation: 'db.post.create', where: 'line 5', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.post.create' },
              output: `#!/usr/bin/env node
import { revalidatePath } from 'next/cache';
export default function Page() {
  async function save() {
    'use server';
    await db.post.create({ data: {} });
    revalidatePath('/posts');
  }
  return save;
}
`,
            },
          ],
        },
      ],
    },
    // Prisma: a model write, with the import added and the call placed after it.
    {
      code: `'use server';
import { db } from '@/lib/db';

export async function createPost(formData: FormData) {
  await db.post.create({ data: { title: String(formData.get('title')) } });
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 4,
          column: 23,
          endLine: 4,
          endColumn: 33,
          data: { target: 'Server Action `createPost`', mutation: 'db.post.create', where: 'line 5', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.post.create' },
              output: `'use server';
import { db } from '@/lib/db';
import { revalidatePath } from 'next/cache';

export async function createPost(formData: FormData) {
  await db.post.create({ data: { title: String(formData.get('title')) } });
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // Prisma: writes inside an interactive $transaction count for the action.
    {
      code: `'use server';
export async function transfer(from: string, to: string) {
  await prisma.$transaction(async (tx) => {
    await tx.account.update({ where: { id: from }, data: { balance: { decrement: 10 } } });
    await tx.account.update({ where: { id: to }, data: { balance: { increment: 10 } } });
  });
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 31,
          data: { target: 'Server Action `transfer`', mutation: 'tx.account.update', where: 'line 5', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'tx.account.update' },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function transfer(from: string, to: string) {
  await prisma.$transaction(async (tx) => {
    await tx.account.update({ where: { id: from }, data: { balance: { decrement: 10 } } });
    await tx.account.update({ where: { id: to }, data: { balance: { increment: 10 } } });
  });
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // Prisma: $executeRaw.
    {
      code: `'use server';
export async function bump(id: string) {
  await db.$executeRaw\`UPDATE "Post" SET views = views + 1 WHERE id = \${id}\`;
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 27,
          data: { target: 'Server Action `bump`', mutation: 'db.$executeRaw', where: 'line 3', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.$executeRaw' },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function bump(id: string) {
  await db.$executeRaw\`UPDATE "Post" SET views = views + 1 WHERE id = \${id}\`;
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // Drizzle: insert…returning.
    {
      code: `'use server';
export async function addPost(title: string) {
  const [post] = await db.insert(posts).values({ title }).returning();
  return post;
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 30,
          data: { target: 'Server Action `addPost`', mutation: 'db.insert(posts)', where: 'line 3', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.insert(posts)' },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function addPost(title: string) {
  const [post] = await db.insert(posts).values({ title }).returning();
  revalidatePath('/posts');
  return post;
}
`,
            },
          ],
        },
      ],
    },
    // Kysely: insertInto.
    {
      code: `'use server';
export async function addPerson(name: string) {
  await db.insertInto('person').values({ name }).executeTakeFirst();
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 32,
          data: { target: 'Server Action `addPerson`', mutation: "db.insertInto('person')", where: 'line 3', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: "db.insertInto('person')" },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function addPerson(name: string) {
  await db.insertInto('person').values({ name }).executeTakeFirst();
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // Supabase: `.insert().select()` is a write (the first verb decides).
    {
      code: `'use server';
export async function addTodo(title: string) {
  const supabase = await createClient();
  const { data } = await supabase.from('todos').insert({ title }).select().single();
  return data;
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 30,
          data: { target: 'Server Action `addTodo`', mutation: "supabase.from('todos').insert", where: 'line 4', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: "supabase.from('todos').insert" },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function addTodo(title: string) {
  const supabase = await createClient();
  const { data } = await supabase.from('todos').insert({ title }).select().single();
  revalidatePath('/posts');
  return data;
}
`,
            },
          ],
        },
      ],
    },
    // Supabase Storage: upload.
    {
      code: `'use server';
export async function uploadAvatar(file: File) {
  await supabase.storage.from('avatars').upload(file.name, file);
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 35,
          data: { target: 'Server Action `uploadAvatar`', mutation: "supabase.storage.from('avatars').upload", where: 'line 3', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: "supabase.storage.from('avatars').upload" },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function uploadAvatar(file: File) {
  await supabase.storage.from('avatars').upload(file.name, file);
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // Mongoose: Model.create and document save; the last write is named.
    {
      code: `'use server';
export async function addPost(title: string) {
  const post = await Post.create({ title });
  post.slug = title;
  await post.save();
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 30,
          data: { target: 'Server Action `addPost`', mutation: 'post.save', where: 'line 5', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'post.save' },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function addPost(title: string) {
  const post = await Post.create({ title });
  post.slug = title;
  await post.save();
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // MongoDB driver: insertOne.
    {
      code: `'use server';
export async function addPost(title: string) {
  await db.collection('posts').insertOne({ title });
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 30,
          data: { target: 'Server Action `addPost`', mutation: "db.collection('posts').insertOne", where: 'line 3', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: "db.collection('posts').insertOne" },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function addPost(title: string) {
  await db.collection('posts').insertOne({ title });
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // TypeORM: repository save (create() alone would not be a write).
    {
      code: `'use server';
export async function addPost(title: string) {
  const repo = dataSource.getRepository(Post);
  await repo.save(repo.create({ title }));
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 30,
          data: { target: 'Server Action `addPost`', mutation: 'repo.save', where: 'line 4', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'repo.save' },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function addPost(title: string) {
  const repo = dataSource.getRepository(Post);
  await repo.save(repo.create({ title }));
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // Firestore (modular client): addDoc.
    {
      code: `'use server';
export async function addPost(title: string) {
  await addDoc(collection(db, 'posts'), { title });
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 30,
          data: { target: 'Server Action `addPost`', mutation: 'addDoc', where: 'line 3', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'addDoc' },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function addPost(title: string) {
  await addDoc(collection(db, 'posts'), { title });
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // Firestore (Admin SDK): a document update.
    {
      code: `'use server';
export async function rename(id: string, title: string) {
  await adminDb.collection('posts').doc(id).update({ title });
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 29,
          data: { target: 'Server Action `rename`', mutation: "adminDb.collection('posts').doc(id).update", where: 'line 3', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: "adminDb.collection('posts').doc(id).update" },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function rename(id: string, title: string) {
  await adminDb.collection('posts').doc(id).update({ title });
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // Redis: a counter increment.
    {
      code: `'use server';
export async function like(id: string) {
  await redis.incr(\`likes:\${id}\`);
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 27,
          data: { target: 'Server Action `like`', mutation: 'redis.incr', where: 'line 3', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'redis.incr' },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function like(id: string) {
  await redis.incr(\`likes:\${id}\`);
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // SQL tagged template: INSERT.
    {
      code: `'use server';
export async function addPost(title: string) {
  await sql\`INSERT INTO posts (title) VALUES (\${title})\`;
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 30,
          data: { target: 'Server Action `addPost`', mutation: 'INSERT INTO posts', where: 'line 3', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'INSERT INTO posts' },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function addPost(title: string) {
  await sql\`INSERT INTO posts (title) VALUES (\${title})\`;
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // SQL tagged template: a data-modifying WITH.
    {
      code: `'use server';
export async function purge() {
  await sql\`WITH gone AS (DELETE FROM sessions WHERE expires < now() RETURNING id) SELECT count(*) FROM gone\`;
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 28,
          data: { target: 'Server Action `purge`', mutation: 'WITH … DELETE FROM sessions', where: 'line 3', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'WITH … DELETE FROM sessions' },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function purge() {
  await sql\`WITH gone AS (DELETE FROM sessions WHERE expires < now() RETURNING id) SELECT count(*) FROM gone\`;
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // A write on each branch: the revalidation goes after the whole `if`.
    {
      code: `'use server';
import { db } from '@/lib/db';

export async function toggleLike(id: string, liked: boolean) {
  if (liked) {
    await db.like.create({ data: { postId: id } });
  } else {
    await db.like.deleteMany({ where: { postId: id } });
  }
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 4,
          column: 23,
          endLine: 4,
          endColumn: 33,
          data: { target: 'Server Action `toggleLike`', mutation: 'db.like.deleteMany', where: 'line 8', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.like.deleteMany' },
              output: `'use server';
import { db } from '@/lib/db';
import { revalidatePath } from 'next/cache';

export async function toggleLike(id: string, liked: boolean) {
  if (liked) {
    await db.like.create({ data: { postId: id } });
  } else {
    await db.like.deleteMany({ where: { postId: id } });
  }
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // The statement around the write returns: the revalidation goes right after the write.
    {
      code: `'use server';
import { db } from '@/lib/db';

export async function createPost(title: string) {
  try {
    const post = await db.post.create({ data: { title } });
    return { id: post.id };
  } catch {
    return { error: 'Could not create the post' };
  }
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 4,
          column: 23,
          endLine: 4,
          endColumn: 33,
          data: { target: 'Server Action `createPost`', mutation: 'db.post.create', where: 'line 6', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.post.create' },
              output: `'use server';
import { db } from '@/lib/db';
import { revalidatePath } from 'next/cache';

export async function createPost(title: string) {
  try {
    const post = await db.post.create({ data: { title } });
    revalidatePath('/posts');
    return { id: post.id };
  } catch {
    return { error: 'Could not create the post' };
  }
}
`,
            },
          ],
        },
      ],
    },
    // A revalidation before the write does not count.
    {
      code: `'use server';
import { revalidatePath } from 'next/cache';
import { db } from '@/lib/db';

export async function createPost(formData: FormData) {
  revalidatePath('/posts');
  await db.post.create({ data: {} });
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 5,
          column: 23,
          endLine: 5,
          endColumn: 33,
          data: { target: 'Server Action `createPost`', mutation: 'db.post.create', where: 'line 7', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.post.create' },
              output: `'use server';
import { revalidatePath } from 'next/cache';
import { db } from '@/lib/db';

export async function createPost(formData: FormData) {
  revalidatePath('/posts');
  await db.post.create({ data: {} });
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // A revalidation only in the catch block does not count.
    {
      code: `'use server';
import { revalidatePath } from 'next/cache';
import { db } from '@/lib/db';

export async function createPost(formData: FormData) {
  try {
    await db.post.create({ data: {} });
  } catch (error) {
    revalidatePath('/posts');
    throw error;
  }
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 5,
          column: 23,
          endLine: 5,
          endColumn: 33,
          data: { target: 'Server Action `createPost`', mutation: 'db.post.create', where: 'line 7', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.post.create' },
              output: `'use server';
import { revalidatePath } from 'next/cache';
import { db } from '@/lib/db';

export async function createPost(formData: FormData) {
  try {
    await db.post.create({ data: {} });
  } catch (error) {
    revalidatePath('/posts');
    throw error;
  }
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // An early successful return skips the revalidation on one path.
    {
      code: `'use server';
import { revalidatePath } from 'next/cache';
import { db } from '@/lib/db';

export async function createPost(formData: FormData) {
  const post = await db.post.create({ data: {} });
  if (formData.get('draft')) return { id: post.id };
  revalidatePath('/posts');
  return { id: post.id };
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 5,
          column: 23,
          endLine: 5,
          endColumn: 33,
          data: { target: 'Server Action `createPost`', mutation: 'db.post.create', where: 'line 6', via: '', paths: 'one of its paths returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.post.create' },
              output: `'use server';
import { revalidatePath } from 'next/cache';
import { db } from '@/lib/db';

export async function createPost(formData: FormData) {
  const post = await db.post.create({ data: {} });
  revalidatePath('/posts');
  if (formData.get('draft')) return { id: post.id };
  revalidatePath('/posts');
  return { id: post.id };
}
`,
            },
          ],
        },
      ],
    },
    // A revalidation under a condition leaves the other path stale.
    {
      code: `'use server';
import { updateTag } from 'next/cache';
import { db } from '@/lib/db';

export async function save(id: string, published: boolean) {
  await db.post.update({ where: { id }, data: { published } });
  if (published) updateTag('posts');
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 5,
          column: 23,
          endLine: 5,
          endColumn: 27,
          data: { target: 'Server Action `save`', mutation: 'db.post.update', where: 'line 6', via: '', paths: 'one of its paths returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.post.update' },
              output: `'use server';
import { updateTag, revalidatePath } from 'next/cache';
import { db } from '@/lib/db';

export async function save(id: string, published: boolean) {
  await db.post.update({ where: { id }, data: { published } });
  revalidatePath('/posts');
  if (published) updateTag('posts');
}
`,
            },
          ],
        },
      ],
    },
    // A local function named revalidatePath is not Next.js's; no suggestion, since the name is taken.
    {
      code: `'use server';
import { db } from '@/lib/db';

function revalidatePath(path: string) {
  console.log('would revalidate', path);
}

export async function deletePost(id: string) {
  await db.post.delete({ where: { id } });
  revalidatePath('/posts');
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 8,
          column: 23,
          endLine: 8,
          endColumn: 33,
          data: { target: 'Server Action `deletePost`', mutation: 'db.post.delete', where: 'line 9', via: '', paths: 'returns' },
          suggestions: [
          ],
        },
      ],
    },
    // A write in a same-file helper: named with its line and helper, fixed at the call site.
    {
      code: `'use server';
import { db } from '@/lib/db';

async function persist(title: string) {
  return db.post.create({ data: { title } });
}

export async function createPost(formData: FormData) {
  await persist(String(formData.get('title')));
  return { ok: true };
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 8,
          column: 23,
          endLine: 8,
          endColumn: 33,
          data: { target: 'Server Action `createPost`', mutation: 'db.post.create', where: 'line 5', via: ', in `persist`', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.post.create' },
              output: `'use server';
import { db } from '@/lib/db';
import { revalidatePath } from 'next/cache';

async function persist(title: string) {
  return db.post.create({ data: { title } });
}

export async function createPost(formData: FormData) {
  await persist(String(formData.get('title')));
  revalidatePath('/posts');
  return { ok: true };
}
`,
            },
          ],
        },
      ],
    },
    // An inline action in a dynamic page: revalidate that page.
    {
      code: `import { db } from '@/lib/db';

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  async function like() {
    'use server';
    await db.post.update({ where: { id }, data: { likes: { increment: 1 } } });
  }
  return <form action={like}><button>Like</button></form>;
}
`,
      filename: 'app/posts/[id]/page.tsx',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 5,
          column: 18,
          endLine: 5,
          endColumn: 22,
          data: { target: 'Server Action `like`', mutation: 'db.post.update', where: 'line 7', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts/[id]', 'page'", mutation: 'db.post.update' },
              output: `import { db } from '@/lib/db';
import { revalidatePath } from 'next/cache';

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  async function like() {
    'use server';
    await db.post.update({ where: { id }, data: { likes: { increment: 1 } } });
    revalidatePath('/posts/[id]', 'page');
  }
  return <form action={like}><button>Like</button></form>;
}
`,
            },
          ],
        },
      ],
    },
    // Route groups are not part of the path; an existing next/cache import is extended.
    {
      code: `'use server';
import { updateTag } from 'next/cache';

export async function addToCart(productId: string) {
  await db.cartItem.create({ data: { productId } });
}
`,
      filename: 'app/(shop)/cart/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 4,
          column: 23,
          endLine: 4,
          endColumn: 32,
          data: { target: 'Server Action `addToCart`', mutation: 'db.cartItem.create', where: 'line 5', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/cart'", mutation: 'db.cartItem.create' },
              output: `'use server';
import { updateTag, revalidatePath } from 'next/cache';

export async function addToCart(productId: string) {
  await db.cartItem.create({ data: { productId } });
  revalidatePath('/cart');
}
`,
            },
          ],
        },
      ],
    },
    // Outside app/: revalidate everything; double quotes and no semicolons are kept.
    {
      code: `"use server"
import { db } from "@/lib/db"

export const deletePost = async (id: string) => {
  await db.post.delete({ where: { id } })
}
`,
      filename: 'src/actions/posts.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 4,
          column: 14,
          endLine: 4,
          endColumn: 24,
          data: { target: 'Server Action `deletePost`', mutation: 'db.post.delete', where: 'line 5', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidateEverything',
              data: { arguments: '"/", "layout"', mutation: 'db.post.delete' },
              output: `"use server"
import { db } from "@/lib/db"
import { revalidatePath } from "next/cache"

export const deletePost = async (id: string) => {
  await db.post.delete({ where: { id } })
  revalidatePath("/", "layout")
}
`,
            },
          ],
        },
      ],
    },
    // A tag cached in the same file that names the model: offer updateTag too.
    {
      code: `'use server';
import { cacheTag } from 'next/cache';
import { db } from '@/lib/db';

export async function getPosts() {
  'use cache';
  cacheTag('posts');
  return db.post.findMany();
}

export async function createPost(title: string) {
  await db.post.create({ data: { title } }); // the new post
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 11,
          column: 23,
          endLine: 11,
          endColumn: 33,
          data: { target: 'Server Action `createPost`', mutation: 'db.post.create', where: 'line 12', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.post.create' },
              output: `'use server';
import { cacheTag, revalidatePath } from 'next/cache';
import { db } from '@/lib/db';

export async function getPosts() {
  'use cache';
  cacheTag('posts');
  return db.post.findMany();
}

export async function createPost(title: string) {
  await db.post.create({ data: { title } }); // the new post
  revalidatePath('/posts');
}
`,
            },
            {
              messageId: 'addUpdateTag',
              data: { tag: "'posts'", mutation: 'db.post.create' },
              output: `'use server';
import { cacheTag, updateTag } from 'next/cache';
import { db } from '@/lib/db';

export async function getPosts() {
  'use cache';
  cacheTag('posts');
  return db.post.findMany();
}

export async function createPost(title: string) {
  await db.post.create({ data: { title } }); // the new post
  updateTag('posts');
}
`,
            },
          ],
        },
      ],
    },
    // An expression-bodied action has no statement to add a call after: no suggestion.
    {
      code: `'use server';
export const deletePost = async (id: string) => db.post.delete({ where: { id } });
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 14,
          endLine: 2,
          endColumn: 24,
          data: { target: 'Server Action `deletePost`', mutation: 'db.post.delete', where: 'line 2', via: '', paths: 'returns' },
          suggestions: [
          ],
        },
      ],
    },
    // A wrapped action (next-safe-action): its inner function is the body.
    {
      code: `'use server';
export const createPost = actionClient.inputSchema(schema).action(async ({ parsedInput }) => {
  await db.post.create({ data: parsedInput });
  return { success: true };
});
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 14,
          endLine: 2,
          endColumn: 24,
          data: { target: 'Server Action `createPost`', mutation: 'db.post.create', where: 'line 3', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.post.create' },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export const createPost = actionClient.inputSchema(schema).action(async ({ parsedInput }) => {
  await db.post.create({ data: parsedInput });
  revalidatePath('/posts');
  return { success: true };
});
`,
            },
          ],
        },
      ],
    },
    // settings.mutationFunctions declares the project's own writers.
    {
      code: `'use server';
import { savePost } from '@/lib/posts';

export async function createPost(formData: FormData) {
  await savePost(formData);
}
`,
      filename: 'app/posts/actions.ts',
      settings: { 'next-actions': { mutationFunctions: ['savePost'] } },
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 4,
          column: 23,
          endLine: 4,
          endColumn: 33,
          data: { target: 'Server Action `createPost`', mutation: 'savePost', where: 'line 5', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'savePost' },
              output: `'use server';
import { savePost } from '@/lib/posts';
import { revalidatePath } from 'next/cache';

export async function createPost(formData: FormData) {
  await savePost(formData);
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // A mutating request to the app's own API counts by default.
    {
      code: `'use server';
export async function createPost(formData: FormData) {
  await fetch(\`\${process.env.NEXT_PUBLIC_APP_URL}/api/posts\`, { method: 'POST', body: formData });
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 33,
          data: { target: 'Server Action `createPost`', mutation: 'POST /api/posts', where: 'line 3', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'POST /api/posts' },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function createPost(formData: FormData) {
  await fetch(\`\${process.env.NEXT_PUBLIC_APP_URL}/api/posts\`, { method: 'POST', body: formData });
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // With `checkHttp`, a mutating request to another origin counts.
    {
      code: `'use server';
export async function createPost(formData: FormData) {
  await fetch('https://api.example.com/posts', { method: 'POST', body: formData });
}
`,
      filename: 'app/posts/actions.ts',
      options: [{ checkHttp: true }],
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 33,
          data: { target: 'Server Action `createPost`', mutation: 'POST https://api.example.com/posts', where: 'line 3', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'POST https://api.example.com/posts' },
              output: `'use server';

import { revalidatePath } from 'next/cache';
export async function createPost(formData: FormData) {
  await fetch('https://api.example.com/posts', { method: 'POST', body: formData });
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
    // With `checkRouteHandlers`: revalidatePath for everything, or the cached tag with `{ expire: 0 }`.
    {
      code: `import { unstable_cache } from 'next/cache';
import { db } from '@/lib/db';

export const getPosts = unstable_cache(async () => db.post.findMany(), ['posts'], { tags: ['posts'] });

export async function POST(request: Request) {
  const post = await db.post.create({ data: await request.json() });
  return Response.json(post, { status: 201 });
}
`,
      filename: 'app/api/posts/route.ts',
      options: [{ checkRouteHandlers: true }],
      errors: [
        {
          messageId: 'missingRevalidationInRouteHandler',
          line: 6,
          column: 23,
          endLine: 6,
          endColumn: 27,
          data: { target: 'Route Handler `POST`', mutation: 'db.post.create', where: 'line 7', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidateEverything',
              data: { arguments: "'/', 'layout'", mutation: 'db.post.create' },
              output: `import { unstable_cache, revalidatePath } from 'next/cache';
import { db } from '@/lib/db';

export const getPosts = unstable_cache(async () => db.post.findMany(), ['posts'], { tags: ['posts'] });

export async function POST(request: Request) {
  const post = await db.post.create({ data: await request.json() });
  revalidatePath('/', 'layout');
  return Response.json(post, { status: 201 });
}
`,
            },
            {
              messageId: 'addRevalidateTagExpire',
              data: { tag: "'posts'", mutation: 'db.post.create' },
              output: `import { unstable_cache, revalidateTag } from 'next/cache';
import { db } from '@/lib/db';

export const getPosts = unstable_cache(async () => db.post.findMany(), ['posts'], { tags: ['posts'] });

export async function POST(request: Request) {
  const post = await db.post.create({ data: await request.json() });
  revalidateTag('posts', { expire: 0 });
  return Response.json(post, { status: 201 });
}
`,
            },
          ],
        },
      ],
    },
    // Deprecated revalidateTag(tag) in an action: updateTag or the 'max' profile.
    {
      code: `'use server';
import { revalidateTag } from 'next/cache';
import { db } from '@/lib/db';

export async function createPost(title: string) {
  await db.post.create({ data: { title } });
  revalidateTag('posts');
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'deprecatedRevalidateTag',
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 25,
          data: { tag: "'posts'" },
          suggestions: [
            {
              messageId: 'useUpdateTag',
              data: { tag: "'posts'" },
              output: `'use server';
import { revalidateTag, updateTag } from 'next/cache';
import { db } from '@/lib/db';

export async function createPost(title: string) {
  await db.post.create({ data: { title } });
  updateTag('posts');
}
`,
            },
            {
              messageId: 'addMaxProfile',
              data: { tag: "'posts'" },
              output: `'use server';
import { revalidateTag } from 'next/cache';
import { db } from '@/lib/db';

export async function createPost(title: string) {
  await db.post.create({ data: { title } });
  revalidateTag('posts', 'max');
}
`,
            },
          ],
        },
      ],
    },
    // Deprecated revalidateTag(tag) in a Route Handler: 'max' or `{ expire: 0 }`, never updateTag.
    {
      code: `import { revalidateTag } from 'next/cache';

export async function POST(request: Request) {
  const { tag } = await request.json();
  revalidateTag(tag);
  return Response.json({ revalidated: true });
}
`,
      filename: 'app/api/revalidate/route.ts',
      errors: [
        {
          messageId: 'deprecatedRevalidateTag',
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 21,
          data: { tag: 'tag' },
          suggestions: [
            {
              messageId: 'addMaxProfile',
              data: { tag: 'tag' },
              output: `import { revalidateTag } from 'next/cache';

export async function POST(request: Request) {
  const { tag } = await request.json();
  revalidateTag(tag, 'max');
  return Response.json({ revalidated: true });
}
`,
            },
            {
              messageId: 'addExpireProfile',
              data: { tag: 'tag' },
              output: `import { revalidateTag } from 'next/cache';

export async function POST(request: Request) {
  const { tag } = await request.json();
  revalidateTag(tag, { expire: 0 });
  return Response.json({ revalidated: true });
}
`,
            },
          ],
        },
      ],
    },
    // Deprecated revalidateTag(tag) in a plain module.
    {
      code: `import { revalidateTag } from 'next/cache';

export function expirePosts() {
  revalidateTag('posts');
}
`,
      filename: 'lib/cache.ts',
      errors: [
        {
          messageId: 'deprecatedRevalidateTag',
          line: 4,
          column: 3,
          endLine: 4,
          endColumn: 25,
          data: { tag: "'posts'" },
          suggestions: [
            {
              messageId: 'addMaxProfile',
              data: { tag: "'posts'" },
              output: `import { revalidateTag } from 'next/cache';

export function expirePosts() {
  revalidateTag('posts', 'max');
}
`,
            },
            {
              messageId: 'addExpireProfile',
              data: { tag: "'posts'" },
              output: `import { revalidateTag } from 'next/cache';

export function expirePosts() {
  revalidateTag('posts', { expire: 0 });
}
`,
            },
          ],
        },
      ],
    },
    // The message names the action's own write, not a later one in a helper; the revalidation
    // still goes after the last write.
    {
      code: `'use server';
import { db } from '@/lib/db';

async function audit(id: string) {
  await db.auditLog.create({ data: { postId: id } });
}

export async function publish(id: string) {
  await db.post.update({ where: { id }, data: { published: true } });
  await audit(id);
  return { ok: true };
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 8,
          column: 23,
          endLine: 8,
          endColumn: 30,
          data: { target: 'Server Action `publish`', mutation: 'db.post.update', where: 'line 9', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.auditLog.create' },
              output: `'use server';
import { db } from '@/lib/db';
import { revalidatePath } from 'next/cache';

async function audit(id: string) {
  await db.auditLog.create({ data: { postId: id } });
}

export async function publish(id: string) {
  await db.post.update({ where: { id }, data: { published: true } });
  await audit(id);
  revalidatePath('/posts');
  return { ok: true };
}
`,
            },
          ],
        },
      ],
    },
    // Writes handed to \`after\` and \`waitUntil\` run once the response is sent: named only when
    // there is no other.
    {
      code: `'use server';
import { after } from 'next/server';
import { waitUntil } from '@vercel/functions';
import { db } from '@/lib/db';

export async function publish(id: string) {
  await db.post.update({ where: { id }, data: { published: true } });
  after(async () => {
    await db.auditLog.create({ data: { postId: id } });
  });
  waitUntil(db.metric.create({ data: { name: 'publish' } }));
}

export async function view(id: string) {
  after(() => db.view.create({ data: { postId: id } }));
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 6,
          column: 23,
          endLine: 6,
          endColumn: 30,
          data: { target: 'Server Action `publish`', mutation: 'db.post.update', where: 'line 7', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.metric.create' },
              output: `'use server';
import { after } from 'next/server';
import { waitUntil } from '@vercel/functions';
import { db } from '@/lib/db';
import { revalidatePath } from 'next/cache';

export async function publish(id: string) {
  await db.post.update({ where: { id }, data: { published: true } });
  after(async () => {
    await db.auditLog.create({ data: { postId: id } });
  });
  waitUntil(db.metric.create({ data: { name: 'publish' } }));
  revalidatePath('/posts');
}

export async function view(id: string) {
  after(() => db.view.create({ data: { postId: id } }));
}
`,
            },
          ],
        },
        {
          messageId: 'missingRevalidation',
          line: 14,
          column: 23,
          endLine: 14,
          endColumn: 27,
          data: { target: 'Server Action `view`', mutation: 'db.view.create', where: 'line 15', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/posts'", mutation: 'db.view.create' },
              output: `'use server';
import { after } from 'next/server';
import { waitUntil } from '@vercel/functions';
import { db } from '@/lib/db';
import { revalidatePath } from 'next/cache';

export async function publish(id: string) {
  await db.post.update({ where: { id }, data: { published: true } });
  after(async () => {
    await db.auditLog.create({ data: { postId: id } });
  });
  waitUntil(db.metric.create({ data: { name: 'publish' } }));
}

export async function view(id: string) {
  after(() => db.view.create({ data: { postId: id } }));
  revalidatePath('/posts');
}
`,
            },
          ],
        },
      ],
    },
  ],
});

// Helpers imported from the project's own modules, on a real tree: the rule sees through them.
const project = realpathSync(mkdtempSync(path.join(tmpdir(), 'next-actions-revalidate-')));
afterAll(() => rmSync(project, { recursive: true, force: true }));
for (const [file, text] of Object.entries({
  'package.json': '{ "name": "app", "private": true }',
  'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }',
  'lib/services/user.ts': `import { prisma } from '@/lib/db';

export async function updateUser(id: string, data: { name: string }) {
  return prisma.user.update({ where: { id }, data });
}

export async function findUser(id: string) {
  return prisma.user.findUnique({ where: { id } });
}
`,
  'lib/services/posts.ts': `import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { prisma } from '@/lib/db';

export async function publishPost(id: string) {
  await prisma.post.update({ where: { id }, data: { published: true } });
  revalidatePath('/posts');
}

export async function archivePost(id: string) {
  await prisma.post.update({ where: { id }, data: { archived: true } });
  redirect('/posts');
}
`,
  'lib/refresh.ts': `import { revalidatePath } from 'next/cache';

export function refreshProfile() {
  revalidatePath('/profile');
}
`,
})) {
  mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  writeFileSync(path.join(project, file), text);
}

ruleTester.run('require-revalidate-after-mutation (imported helpers)', rule, {
  valid: [
    // The imported helper writes and revalidates, or writes and redirects: the action is covered.
    {
      code: `'use server';
import { archivePost, publishPost } from '@/lib/services/posts';

export async function publish(id: string) {
  await publishPost(id);
}
export async function archive(id: string) {
  await archivePost(id);
}
`,
      filename: path.join(project, 'app/posts/actions.ts'),
    },
    // The revalidation is in an imported helper whose name does not say so.
    {
      code: `'use server';
import { updateUser } from '@/lib/services/user';
import { refreshProfile } from '@/lib/refresh';

export async function rename(formData: FormData) {
  await updateUser('1', { name: String(formData.get('name')) });
  refreshProfile();
}
`,
      filename: path.join(project, 'app/profile/actions.ts'),
    },
    // The imported helper only reads.
    {
      code: `'use server';
import { findUser } from '@/lib/services/user';

export async function load(id: string) {
  const user = await findUser(id);
  return { name: user?.name };
}
`,
      filename: path.join(project, 'app/profile/actions.ts'),
    },
  ],
  invalid: [
    // The write happens in an imported service; the message points at its line there.
    {
      code: `'use server';
import { updateUser } from '@/lib/services/user';

export async function rename(formData: FormData) {
  await updateUser('1', { name: String(formData.get('name')) });
  return { ok: true };
}
`,
      filename: path.join(project, 'app/profile/actions.ts'),
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 4,
          column: 23,
          endLine: 4,
          endColumn: 29,
          data: { target: 'Server Action `rename`', mutation: 'prisma.user.update', where: 'lib/services/user.ts:4', via: ', in `updateUser`', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/profile'", mutation: 'prisma.user.update' },
              output: `'use server';
import { updateUser } from '@/lib/services/user';
import { revalidatePath } from 'next/cache';

export async function rename(formData: FormData) {
  await updateUser('1', { name: String(formData.get('name')) });
  revalidatePath('/profile');
  return { ok: true };
}
`,
            },
          ],
        },
      ],
    },
    // A direct write is named before one in an imported helper that comes after it.
    {
      code: `'use server';
import { db } from '@/lib/db';
import { updateUser } from '@/lib/services/user';

export async function onboard(id: string) {
  await db.team.create({ data: { ownerId: id } });
  await updateUser(id, { name: 'Owner' });
  return { ok: true };
}
`,
      filename: path.join(project, 'app/onboarding/actions.ts'),
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 5,
          column: 23,
          endLine: 5,
          endColumn: 30,
          data: { target: 'Server Action `onboard`', mutation: 'db.team.create', where: 'line 6', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/onboarding'", mutation: 'prisma.user.update' },
              output: `'use server';
import { db } from '@/lib/db';
import { updateUser } from '@/lib/services/user';
import { revalidatePath } from 'next/cache';

export async function onboard(id: string) {
  await db.team.create({ data: { ownerId: id } });
  await updateUser(id, { name: 'Owner' });
  revalidatePath('/onboarding');
  return { ok: true };
}
`,
            },
          ],
        },
      ],
    },
  ],
});

// Callers on disk: a small app with one action per kind of caller.
const callersRoot = writeCallersApp('next-actions-revalidate-callers-');
clearModuleCaches();
afterAll(() => {
  clearModuleCaches();
  rmSync(callersRoot, { recursive: true, force: true });
});
const callersSettings = { 'next-actions': { rootDir: callersRoot } };
const itemsFile = path.join(callersRoot, 'app/actions/items.ts');
const itemsCode = readFileSync(itemsFile, 'utf8');

ruleTester.run('require-revalidate-after-mutation (callers)', rule, {
  valid: [],
  invalid: [
    {
      // Reported: addItem (a Client Component prop, no refresh) and deleteAll (a form). Not
      // reported: renameItem (router.refresh()), removeItem (invalidateQueries), buyItem (leaves
      // for the checkout URL), syncFromWebhook and touchItem (Route Handlers only), logVisit
      // (deferred), archiveItem (another action), archiveAll (server code).
      filename: itemsFile,
      code: itemsCode,
      settings: callersSettings,
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 5,
          column: 23,
          // The page that renders the form, not a route guessed from app/actions/.
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/'", mutation: 'db.item.create' },
              output: itemsCode.replace(
                "  await db.item.create({ data: { name } });\n",
                "  await db.item.create({ data: { name } });\n  revalidatePath('/');\n",
              ).replace("import { db } from '@/lib/db';\n", "import { db } from '@/lib/db';\nimport { revalidatePath } from 'next/cache';\n"),
            },
          ],
        },
        {
          messageId: 'missingRevalidation',
          line: 17,
          column: 23,
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/'", mutation: 'db.item.deleteMany' },
              output: itemsCode
                .replace('  await db.item.deleteMany({});\n', "  await db.item.deleteMany({});\n  revalidatePath('/');\n")
                .replace("import { db } from '@/lib/db';\n", "import { db } from '@/lib/db';\nimport { revalidatePath } from 'next/cache';\n"),
            },
          ],
        },
      ],
    },
    {
      // Unknown callers (`import()`): judged as before; the folder is not a page, so the
      // suggestion revalidates the whole app instead of a route that does not exist.
      filename: path.join(callersRoot, 'app/actions/misc.ts'),
      code: readFileSync(path.join(callersRoot, 'app/actions/misc.ts'), 'utf8'),
      settings: callersSettings,
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 4,
          suggestions: [
            {
              messageId: 'addRevalidateEverything',
              data: { arguments: "'/', 'layout'", mutation: 'db.item.update' },
              output: `'use server';
import { db } from '@/lib/db';
import { revalidatePath } from 'next/cache';

export async function loadedLater(id: string) {
  await db.item.update({ where: { id }, data: {} });
  revalidatePath('/', 'layout');
}
`,
            },
          ],
        },
      ],
    },
  ],
});

// Suggestions that clear the report, and what the installed Next.js offers.
const next15 = realpathSync(mkdtempSync(path.join(tmpdir(), 'next-actions-revalidate-15-')));
afterAll(() => rmSync(next15, { recursive: true, force: true }));
for (const [file, text] of Object.entries({
  'package.json': '{ "name": "shop", "private": true, "dependencies": { "next": "^15.2.4" } }',
  'app/cart/page.tsx': 'export default function Page() { return null; }\n',
})) {
  mkdirSync(path.dirname(path.join(next15, file)), { recursive: true });
  writeFileSync(path.join(next15, file), text);
}

const EARLY_RETURN = `'use server';
import { db } from '@/lib/db';

export async function publish(id: string, notify: boolean) {
  await db.post.update({ where: { id }, data: { published: true } });
  if (!notify) return { ok: true };
  await db.notification.create({ data: { postId: id } });
  return { ok: true };
}
`;
const EARLY_RETURN_FIXED = `'use server';
import { db } from '@/lib/db';
import { revalidatePath } from 'next/cache';

export async function publish(id: string, notify: boolean) {
  await db.post.update({ where: { id }, data: { published: true } });
  revalidatePath('/posts');
  if (!notify) return { ok: true };
  await db.notification.create({ data: { postId: id } });
  revalidatePath('/posts');
  return { ok: true };
}
`;

ruleTester.run('require-revalidate-after-mutation (suggestions and versions)', rule, {
  valid: [
    // The suggested code itself passes.
    { code: EARLY_RETURN_FIXED, filename: 'app/posts/actions.ts' },
    // Before Next.js 16, `revalidateTag(tag)` is the only form: nothing is deprecated.
    {
      code: `'use server';
import { revalidateTag } from 'next/cache';
import { db } from '@/lib/db';
export async function addItem(id: string) {
  await db.cartItem.create({ data: { id } });
  revalidateTag('cart');
}
`,
      filename: path.join(next15, 'app/cart/actions.ts'),
    },
    // Locks, dedupe keys and rate limits are bookkeeping, not data a page shows.
    {
      code: `'use server';
import { db } from '@/lib/db';
async function releaseCleanupClaim(id: string) {
  await redis.del(\`cleanup:\${id}\`);
}
async function getDedupeDecision(key: string) {
  return redis.set(\`dedupe:\${key}\`, '1', { nx: true, ex: 60 });
}
export async function previewLabels(id: string) {
  await getDedupeDecision(id);
  const labels = await db.label.findMany({ where: { accountId: id } });
  await releaseCleanupClaim(id);
  return labels;
}
`,
      filename: 'app/posts/actions.ts',
    },
    // A session helper that renews the session row changes nothing the page shows.
    {
      code: `'use server';
import { db } from '@/lib/db';
async function getCurrentSession() {
  const session = await db.session.findUnique({ where: { id: 'token' } });
  if (session) await db.session.update({ where: { id: session.id }, data: { expiresAt: new Date() } });
  return session;
}
export async function listMine() {
  const session = await getCurrentSession();
  if (!session) return [];
  return db.post.findMany({ where: { authorId: session.userId } });
}
`,
      filename: 'app/posts/actions.ts',
    },
  ],
  invalid: [
    // An early return between two writes: the suggestion revalidates on both paths.
    {
      code: EARLY_RETURN,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'missingRevalidation',
          line: 4,
          data: { target: 'Server Action `publish`', mutation: 'db.notification.create', where: 'line 7', via: '', paths: 'returns' },
          suggestions: [{ messageId: 'addRevalidatePath', data: { arguments: "'/posts'", mutation: 'db.notification.create' }, output: EARLY_RETURN_FIXED }],
        },
      ],
    },
    // The last write of a stale path is in a `catch` block: no suggestion lands there.
    {
      code: `'use server';
import { revalidatePath } from 'next/cache';
import { db } from '@/lib/db';

export async function save(id: string) {
  try {
    await db.post.update({ where: { id }, data: { saved: true } });
    revalidatePath('/posts');
  } catch {
    await db.draft.create({ data: { postId: id } });
    return { draft: true };
  }
}
`,
      filename: 'app/posts/actions.ts',
      errors: [{ messageId: 'missingRevalidation', line: 5, suggestions: [] }],
    },
    // Next.js 15: no `updateTag`/`refresh` in the message, `revalidateTag(tag)` in the suggestions.
    {
      code: `'use server';
import { unstable_cache } from 'next/cache';
import { db } from '@/lib/db';
const getCart = unstable_cache(async () => db.cart.findMany(), ['cart'], { tags: ['carts'] });
export async function addItem(id: string) {
  await db.cart.create({ data: { id } });
}
`,
      filename: path.join(next15, 'app/cart/actions.ts'),
      errors: [
        {
          messageId: 'missingRevalidationLegacyNext',
          line: 5,
          data: { target: 'Server Action `addItem`', mutation: 'db.cart.create', where: 'line 6', via: '', paths: 'returns' },
          suggestions: [
            {
              messageId: 'addRevalidatePath',
              data: { arguments: "'/cart'", mutation: 'db.cart.create' },
              output: `'use server';
import { unstable_cache, revalidatePath } from 'next/cache';
import { db } from '@/lib/db';
const getCart = unstable_cache(async () => db.cart.findMany(), ['cart'], { tags: ['carts'] });
export async function addItem(id: string) {
  await db.cart.create({ data: { id } });
  revalidatePath('/cart');
}
`,
            },
            {
              messageId: 'addRevalidateTag',
              data: { tag: "'carts'", mutation: 'db.cart.create' },
              output: `'use server';
import { unstable_cache, revalidateTag } from 'next/cache';
import { db } from '@/lib/db';
const getCart = unstable_cache(async () => db.cart.findMany(), ['cart'], { tags: ['carts'] });
export async function addItem(id: string) {
  await db.cart.create({ data: { id } });
  revalidateTag('carts');
}
`,
            },
          ],
        },
      ],
    },
  ],
});
