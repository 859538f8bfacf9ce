import { rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyCall, type Effect, getEndingNavigation, getFunctionEffects, getImportedCallEffects, isMutatingHttp } from '../../src/analysis/effects.js';
import { clearForeignModuleCaches, getForeignModuleStats } from '../../src/analysis/foreign-module.js';
import { clearModuleCaches } from '../../src/analysis/modules.js';
import { letTimePass } from '../support/disk.js';
import { findFunction } from '../support/parse.js';
import { withContext } from '../support/probe.js';
import { makeTempDir, writeInto } from '../support/temp-tree.js';

function describeEffect(found: Effect): string {
  const extra = [found.library, found.method, found.urlKind, found.urlPath].filter(Boolean).join(' ');
  const via = found.via.length > 0 ? ` via ${found.via.join('>')}` : '';
  const basis = found.basis === 'catalogue' ? '' : ` (${found.basis})`;
  return `${found.kind} ${found.label}${extra ? ` [${extra}]` : ''}${via}${basis} @${found.node.loc.start.line}`;
}

/** The effects of function `name` in `code`, one line each: `kind label [details] via helper @line`. */
const effectsOf = (code: string, name = 'action', settings?: Record<string, unknown>) =>
  withContext(
    code,
    'app/actions.ts',
    context => getFunctionEffects(context, findFunction(context.sourceCode.ast, name)).effects.map(describeEffect),
    { settings: settings && { 'next-actions': settings } },
  );

const dataReturnsOf = (code: string, name = 'action') =>
  withContext(code, 'app/actions.ts', context =>
    getFunctionEffects(context, findFunction(context.sourceCode.ast, name)).dataReturns.map(node => context.sourceCode.getText(node)),
  );

describe('getFunctionEffects', () => {
  it('lists reads, writes, revalidation and redirects in evaluation order', () => {
    expect(
      effectsOf(`'use server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { db } from '@/lib/db';
export async function action(formData: FormData) {
  const user = await db.user.findUnique({ where: { id: 1 } });
  await db.post.create({ data: { authorId: user.id } });
  revalidatePath('/posts');
  redirect('/posts');
}`),
    ).toEqual([
      'read db.user.findUnique [prisma findUnique] @6',
      'mutation db.post.create [prisma create] @7',
      'revalidate revalidatePath [revalidatePath] @8',
      'redirect redirect [redirect] @9',
    ]);
  });

  it('counts next/cache and next/navigation functions only when imported from there (also aliased or through a namespace)', () => {
    expect(
      effectsOf(`import * as cache from 'next/cache';
import { updateTag as expire, refresh } from 'next/cache';
import { notFound, permanentRedirect } from 'next/navigation';
function revalidatePath(path: string) {}
function redirect(path: string) {}
async function action() {
  cache.revalidatePath('/');
  expire('posts');
  refresh();
  revalidatePath('/');
  redirect('/');
  notFound();
  permanentRedirect('/');
}`),
    ).toEqual([
      'revalidate revalidatePath [revalidatePath] @7',
      'revalidate updateTag [updateTag] @8',
      'revalidate refresh [refresh] @9',
      'interrupt notFound [notFound] @12',
      'redirect permanentRedirect [permanentRedirect] @13',
    ]);
  });

  it('records cookie writes on the next/headers store, directly or through a variable', () => {
    expect(
      effectsOf(`import { cookies, draftMode } from 'next/headers';
async function action() {
  (await cookies()).set('theme', 'dark');
  const jar = await cookies();
  jar.delete('session');
  jar.get('x');
  (await draftMode()).enable();
  const local = new Map();
  local.set('a', 1);
}`),
    ).toEqual(['cookieWrite cookies().set [set] @3', 'cookieWrite cookies().delete [delete] @5', 'cookieWrite draftMode().enable [enable] @7']);
  });

  it('records HTTP calls with their method and whether the URL is the app\'s own', () => {
    const effects = withContext(
      `async function action(id: string) {
  await fetch('/api/posts', { method: 'POST', body: '{}' });
  await fetch(\`\${process.env.NEXT_PUBLIC_APP_URL}/api/posts/\${id}\`, { method: 'DELETE' });
  await fetch('https://api.resend.com/emails', { method: 'POST' });
  await fetch('https://example.com/feed.json');
  await axios.put('https://api.example.com/items/1', {});
}`,
      'app/actions.ts',
      context => getFunctionEffects(context, findFunction(context.sourceCode.ast, 'action')).effects,
    );
    expect(effects.map(describeEffect)).toEqual([
      'http fetch [POST relative /api/posts] @2',
      'http fetch [DELETE own-origin /api/posts/…] @3',
      'http fetch [POST external] @4',
      'http fetch [GET external] @5',
      'http axios.put [PUT external] @6',
    ]);
    expect(effects.map(isMutatingHttp)).toEqual([true, true, true, false, true]);
  });

  it('recognises authentication calls of the common libraries', () => {
    expect(
      effectsOf(`async function action() {
  const session = await auth();
  await getServerSession(authOptions);
  const user = await currentUser();
  await auth.protect();
  const { data } = await supabase.auth.getUser();
  await (await createClient()).auth.getClaims();
  await getUser();
  await getUser(id);
}`),
    ).toEqual([
      'auth auth @2',
      'auth getServerSession @3',
      'auth currentUser @4',
      'auth auth.protect @5',
      'auth supabase.auth.getUser @6',
      'auth (awaitcreateClient()).auth.getClaims @7',
      'auth getUser @8',
      'unknownCall getUser @9',
    ]);
  });

  it('follows same-file helpers: effects point at the call site, keep their label and say through which helper', () => {
    expect(
      effectsOf(`import { revalidatePath } from 'next/cache';
async function save(data: object) {
  await db.post.update({ where: { id: 1 }, data });
  await refreshPosts();
}
const refreshPosts = async () => revalidatePath('/posts');
export async function action(formData: FormData) {
  await requireUser();
  await save({});
}
async function requireUser() {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
}`),
    ).toEqual([
      'auth auth via requireUser @8',
      'mutation db.post.update [prisma update] via save @9',
      'revalidate revalidatePath [revalidatePath] via save>refreshPosts @9',
    ]);
  });

  it('stops at cycles and at the depth limit', () => {
    expect(
      effectsOf(`async function a() { await db.a.create({}); await b(); }
async function b() { await db.b.create({}); await a(); }
async function action() { await a(); }`),
    ).toEqual(['mutation db.a.create [prisma create] via a @3', 'mutation db.b.create [prisma create] via a>b @3']);
    expect(
      effectsOf(`async function one() { await two(); }
async function two() { await three(); }
async function three() { await four(); }
async function four() { await five(); }
async function five() { await db.deep.delete({}); }
async function action() { await one(); }`),
    ).toEqual(['unknownCall five via one>two>three>four @6']);
  });

  it('counts callbacks handed to calls, not functions that are only defined', () => {
    expect(
      effectsOf(`async function action(ids: string[]) {
  await db.$transaction(async (tx) => { await tx.post.deleteMany({}); });
  await Promise.all(ids.map((id) => db.tag.delete({ where: { id } })));
  const later = async () => { await db.never.create({}); };
  return later;
}`),
    ).toEqual(['mutation tx.post.deleteMany [prisma deleteMany] @2', 'mutation db.tag.delete [prisma delete] @3']);
  });

  it('honours settings: configured names and patterns win over the catalogue', () => {
    expect(
      effectsOf(
        `import { savePost, loadPosts } from '@/lib/posts';
import { revalidateAll } from '@/lib/cache';
async function action() {
  await savePost({});
  await loadPosts();
  await repo.posts.insertDraft({});
  revalidateAll();
  await ensureSignedIn();
}`,
        'action',
        {
          mutationFunctions: ['savePost', 'repo.*.insert*'],
          readFunctions: ['loadPosts'],
          revalidateFunctions: ['revalidateAll'],
          authFunctions: ['ensureSignedIn'],
        },
      ),
    ).toEqual([
      'mutation savePost (settings) @4',
      'read loadPosts (settings) @5',
      'mutation repo.posts.insertDraft (settings) @6',
      'revalidate revalidateAll (settings) @7',
      'auth ensureSignedIn (settings) @8',
    ]);
  });

  it('never guesses a mutation from a name; imported revalidation wrappers are known by name', () => {
    expect(
      effectsOf(`import { createPost } from '@/lib/posts';
import { revalidatePosts } from '@/lib/cache';
import { revalidateTag } from './cache';
async function action(formData: FormData) {
  const input = await schema.parseAsync(Object.fromEntries(formData));
  await createPost(input);
  await revalidatePosts();
  revalidateTag('posts');
  console.log('done');
}`),
    ).toEqual(['unknownCall createPost @6', 'revalidate revalidatePosts (name) @7', 'revalidate revalidateTag (name) @8']);
  });

  it('reports each chain once, on its outermost call', () => {
    expect(
      effectsOf(`async function action() {
  const { error } = await supabase.from('todos').insert({}).select().single();
  await fetch('/api/x').then((response) => response.json());
}`),
    ).toEqual(["mutation supabase.from('todos').insert [supabase insert] @2", 'http fetch [GET relative /api/x] @3']);
  });
});

describe('dataReturns', () => {
  it('finds returns that carry read data through variables, destructuring and helpers', () => {
    expect(
      dataReturnsOf(`async function load() { return db.post.findMany(); }
async function action(id: string) {
  if (!id) return { error: 'missing id' };
  const { data: rows } = await supabase.from('posts').select('*');
  const titles = rows.map((row) => row.title);
  if (titles.length === 0) return [];
  if (id === 'all') return load();
  return { titles };
}`),
    ).toEqual(['load()', '{ titles }']);
  });

  it('is empty when only writes happen', () => {
    expect(dataReturnsOf(`async function action() { const post = await db.post.create({ data: {} }); return post; }`)).toEqual([]);
  });

  it('sees an arrow function\'s expression body', () => {
    expect(dataReturnsOf(`const action = async () => db.post.findMany();`)).toEqual(['db.post.findMany()']);
  });
});

describe('classifyCall', () => {
  it('names a same-file helper call instead of following it', () => {
    const result = withContext(`function helper() {}\nhelper();\nsomething.helper();`, 'app/actions.ts', context => {
      const calls = context.sourceCode.ast.body.flatMap(statement =>
        statement.type === AST_NODE_TYPES.ExpressionStatement && statement.expression.type === AST_NODE_TYPES.CallExpression ? [statement.expression] : [],
      );
      return calls.map(call => classifyCall(context, call)?.kind);
    });
    expect(result).toEqual(['helper', undefined]);
  });
});

// ---------------------------------------------------------------------------------------------
// Across files: a real project tree on disk, imported through `@/` paths and relative imports.

let root: string;

const write = (file: string, text: string): string => writeInto(root, file, text);

beforeAll(() => {
  // The real path, because TypeScript resolves to real paths (macOS puts tmp behind a symlink).
  root = makeTempDir('next-actions-effects-');
  write('package.json', '{ "name": "app", "private": true }');
  write('tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./src/*'] } } }));
  write('src/lib/db.ts', `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`);
  write(
    'src/lib/services/user.ts',
    `import { prisma } from '@/lib/db';

export async function updateUser(id: string, data: object) {
  return prisma.user.update({ where: { id }, data });
}

export const deleteUser = async (id: string) => {
  await prisma.user.delete({ where: { id } });
};

export async function findUser(id: string) {
  const user = await prisma.user.findUnique({ where: { id } });
  return user;
}

async function writeRow(data: object) {
  await prisma.user.create({ data });
}

export async function saveUser(data: object) {
  await writeRow(data);
}
`,
  );
  write(
    'src/lib/services/posts.ts',
    `import { cache } from 'react';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { prisma } from '../db';

export async function publishPost(id: string) {
  await prisma.post.update({ where: { id }, data: { published: true } });
  revalidatePath('/posts');
}

export async function archivePost(id: string) {
  await prisma.post.update({ where: { id }, data: { archived: true } });
  redirect('/posts');
}

export default async function removePost(id: string) {
  await prisma.post.delete({ where: { id } });
}

const listPosts = async () => prisma.post.findMany();
export { listPosts as loadPosts };

export const getPosts = cache(async () => prisma.post.findMany());
`,
  );
  write('src/lib/services/index.ts', `export * from './user';\nexport { archivePost as archive, default as removePost } from './posts';\n`);
  write(
    'src/lib/guards.ts',
    `import { redirect } from 'next/navigation';
import { cookies } from 'next/headers';
import { auth } from '@/auth';
import { prisma } from './db';

export async function requireAdmin() {
  const session = await auth();
  if (!session) redirect('/login');
  return prisma.user.findUnique({ where: { id: session.user.id } });
}

export async function requireToken() {
  if (!(await cookies()).get('token')) redirect('/login');
}

export async function ensureOnboarded(user: { onboarded: boolean }) {
  if (user.onboarded) return;
  redirect('/onboarding');
}

export async function emailTaken(email: string) {
  const user = await prisma.user.findUnique({ where: { email } });
  if (user) return true;
  return false;
}

export async function startCheckout(plan: string) {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  const checkout = await fetch('https://api.stripe.com/v1/checkout/sessions', { method: 'POST', body: plan });
  redirect((await checkout.json()).url);
}

export async function updateProfile(data: object) {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  await prisma.profile.update({ where: { userId: session.user.id }, data });
}
`,
  );
  write('src/lib/text.ts', `export function displayTitle(text: string) {\n  return text.trim() === '' ? 'Untitled' : text;\n}\n`);
  write('src/lib/cycle/ping.ts', `import { prisma } from '@/lib/db';\nimport { pong } from './pong';\nexport async function ping() {\n  await prisma.ping.create({ data: {} });\n  await pong();\n}\n`);
  write('src/lib/cycle/pong.ts', `import { prisma } from '@/lib/db';\nimport { ping } from './ping';\nexport async function pong() {\n  await prisma.pong.create({ data: {} });\n  await ping();\n}\n`);
  for (const [index, name] of ['one', 'two', 'three', 'four'].entries()) {
    const next = ['two', 'three', 'four', 'five'][index]!;
    write(`src/lib/deep/${name}.ts`, `import { ${next} } from './${next}';\nexport async function ${name}() {\n  await ${next}();\n}\n`);
  }
  write('src/lib/deep/five.ts', `import { prisma } from '@/lib/db';\nexport async function five() {\n  await prisma.deep.delete({ where: { id: 1 } });\n}\n`);
  write('src/lib/broken.ts', `export async function broken( {\n  await prisma.user.delete({});\n`);
  write('src/lib/huge.ts', `import { prisma } from './db';\nexport async function huge() {\n  await prisma.user.deleteMany({});\n}\n// ${'x'.repeat(1024 * 1024)}\n`);
  write('src/lib/repo.ts', `import { repo } from './store';\nexport async function storeUser(data: object) {\n  await repo.users.persist(data);\n}\n`);
  write('src/lib/chain/outer.ts', `import { inner } from './inner';\nexport async function outer() {\n  await inner();\n}\n`);
  write('src/lib/chain/inner.ts', `import { prisma } from '@/lib/db';\nexport async function inner() {\n  await prisma.draft.create({ data: {} });\n}\n`);
  write('src/app/other/actions.ts', `'use server';\nimport { prisma } from '@/lib/db';\nexport async function createTag(name: string) {\n  await prisma.tag.create({ data: { name } });\n}\n`);
  clearModuleCaches();
  clearForeignModuleCaches();
});

afterAll(() => {
  clearModuleCaches();
  clearForeignModuleCaches();
  rmSync(root, { recursive: true, force: true });
});

/** One line per effect, with the module and line where the work happens when that is another file. */
function describeAcross(found: Effect): string {
  const where = found.file === undefined ? '' : ` in ${path.relative(root, found.file)}:${found.origin.loc.start.line}`;
  return `${describeEffect(found)}${where}`;
}

const acrossOf = (code: string, name = 'action', settings?: Record<string, unknown>) =>
  withContext(
    code,
    path.join(root, 'src/app/actions.ts'),
    context => getFunctionEffects(context, findFunction(context.sourceCode.ast, name)).effects.map(describeAcross),
    { cwd: root, settings: settings && { 'next-actions': settings } },
  );

/** What classifyCall answers for each top-level `await call()` statement of function `action`. */
const summariesOf = (code: string) =>
  withContext(
    code,
    path.join(root, 'src/app/actions.ts'),
    context => {
      const fn = findFunction(context.sourceCode.ast, 'action');
      if (fn.body.type !== AST_NODE_TYPES.BlockStatement) throw new Error('block body expected');
      return fn.body.body.map(statement => {
        if (statement.type !== AST_NODE_TYPES.ExpressionStatement || statement.expression.type !== AST_NODE_TYPES.AwaitExpression) throw new Error('await expected');
        const found = classifyCall(context, statement.expression.argument);
        return found === undefined ? 'none' : found.kind === 'helper' ? 'helper' : describeAcross(found);
      });
    },
    { cwd: root },
  );

describe('getFunctionEffects across files', () => {
  it('follows an imported helper into its module: the effect happens at the call site, names the helper and the file', () => {
    expect(
      acrossOf(`'use server';
import { updateUser } from '@/lib/services/user';
export async function action(formData: FormData) {
  await updateUser('1', { name: formData.get('name') });
}`),
    ).toEqual(['mutation prisma.user.update [prisma update] via updateUser @4 in src/lib/services/user.ts:4']);
  });

  it('finds the exported function however it is exported: const arrows, aliases, default, `export *`, re-exports, namespaces and `cache()`', () => {
    expect(
      acrossOf(`'use server';
import { deleteUser, saveUser } from '@/lib/services';
import * as services from '@/lib/services';
import removePost, { loadPosts, getPosts } from '@/lib/services/posts';
import { archive } from '../lib/services';
export async function action(id: string) {
  await deleteUser(id);
  await saveUser({});
  await services.updateUser(id, {});
  await removePost(id);
  await loadPosts();
  await getPosts();
  await archive(id);
}`),
    ).toEqual([
      'mutation prisma.user.delete [prisma delete] via deleteUser @7 in src/lib/services/user.ts:8',
      'mutation prisma.user.create [prisma create] via saveUser>writeRow @8 in src/lib/services/user.ts:17',
      'mutation prisma.user.update [prisma update] via services.updateUser @9 in src/lib/services/user.ts:4',
      'mutation prisma.post.delete [prisma delete] via removePost @10 in src/lib/services/posts.ts:17',
      'read prisma.post.findMany [prisma findMany] via loadPosts @11 in src/lib/services/posts.ts:20',
      'read prisma.post.findMany [prisma findMany] via getPosts @12 in src/lib/services/posts.ts:23',
      'mutation prisma.post.update [prisma update] via archive @13 in src/lib/services/posts.ts:12',
      'redirect redirect [redirect] via archive @13 in src/lib/services/posts.ts:13',
    ]);
  });

  it('counts revalidation and redirects inside imported helpers, and Server Actions imported from "use server" files', () => {
    expect(
      acrossOf(`'use server';
import { publishPost } from '@/lib/services/posts';
import { createTag } from '@/app/other/actions';
export async function action(id: string) {
  await createTag('news');
  await publishPost(id);
}`),
    ).toEqual([
      'mutation prisma.tag.create [prisma create] via createTag @5 in src/app/other/actions.ts:4',
      'mutation prisma.post.update [prisma update] via publishPost @6 in src/lib/services/posts.ts:7',
      'revalidate revalidatePath [revalidatePath] via publishPost @6 in src/lib/services/posts.ts:8',
    ]);
  });

  it('lets read data flow back through an imported helper\'s return', () => {
    const returns = withContext(
      `'use server';
import { findUser, updateUser } from '@/lib/services/user';
export async function action(id: string) {
  if (!id) return null;
  const written = await updateUser(id, {});
  if (!written) return { error: 'not saved' };
  const user = await findUser(id);
  return { name: user.name };
}`,
      path.join(root, 'src/app/actions.ts'),
      context => getFunctionEffects(context, findFunction(context.sourceCode.ast, 'action')).dataReturns.map(node => context.sourceCode.getText(node)),
      { cwd: root },
    );
    expect(returns).toEqual(['{ name: user.name }']);
  });

  it('stops at cycles across files and shares the depth limit with same-file helpers', () => {
    expect(
      acrossOf(`'use server';
import { ping } from '@/lib/cycle/ping';
import { one } from '@/lib/deep/one';
export async function action() {
  await ping();
  await one();
}`),
    ).toEqual([
      'mutation prisma.ping.create [prisma create] via ping @5 in src/lib/cycle/ping.ts:4',
      'mutation prisma.pong.create [prisma create] via ping>pong @5 in src/lib/cycle/pong.ts:4',
      'unknownCall five via one>two>three>four @6 in src/lib/deep/four.ts:3',
    ]);
  });

  it('falls back to the call itself for packages, missing, unparsable and huge files, and non-function exports', () => {
    expect(
      acrossOf(`'use server';
import { broken } from '@/lib/broken';
import { huge } from '@/lib/huge';
import { missing } from '@/lib/missing';
import { prisma } from '@/lib/db';
import { sendEmail } from 'some-mailer';
import { revalidatePosts } from '@/lib/missing-cache';
export async function action() {
  await broken();
  await huge();
  await missing();
  await sendEmail();
  await revalidatePosts();
  await prisma.$connect();
}`),
    ).toEqual([
      'unknownCall broken @9',
      'unknownCall huge @10',
      'unknownCall missing @11',
      'unknownCall sendEmail @12',
      'revalidate revalidatePosts (name) @13',
      'unknownCall prisma.$connect @14',
    ]);
  });

  it('follows imports only in files that can hold actions or handlers', () => {
    const effects = withContext(
      `import { updateUser } from '@/lib/services/user';
export async function action() {
  await updateUser('1', {});
}`,
      path.join(root, 'src/lib/jobs.ts'),
      context => getFunctionEffects(context, findFunction(context.sourceCode.ast, 'action')).effects.map(describeAcross),
      { cwd: root },
    );
    expect(effects).toEqual(['unknownCall updateUser @3']);
  });

  it('analyses imported modules with the settings of the file that imports them', () => {
    const code = `'use server';
import { storeUser } from '@/lib/repo';
export async function action() {
  await storeUser({});
}`;
    expect(acrossOf(code, 'action', { mutationFunctions: ['repo.*.persist'] })).toEqual([
      'mutation repo.users.persist via storeUser (settings) @4 in src/lib/repo.ts:3',
    ]);
    expect(acrossOf(code)).toEqual(['unknownCall repo.users.persist via storeUser @4 in src/lib/repo.ts:3']);
  });

  it('reads and parses each module once, and again only after it changes', () => {
    clearForeignModuleCaches();
    const code = `'use server';
import { publishPost } from '@/lib/services/posts';
import { updateUser, findUser } from '@/lib/services';
export async function action() {
  await publishPost('1');
  await updateUser('1', {});
  await findUser('1');
}`;
    acrossOf(code);
    acrossOf(code);
    // posts.ts, services/index.ts and services/user.ts; `prisma.post.update` is the catalogue's, db.ts is not needed.
    expect(getForeignModuleStats()).toEqual({ reads: 3, parses: 3 });
    const file = path.join(root, 'src/lib/services/posts.ts');
    const { mtime } = statSync(file);
    utimesSync(file, mtime, new Date(mtime.getTime() + 5000));
    letTimePass();
    expect(acrossOf(code)[0]).toBe('mutation prisma.post.update [prisma update] via publishPost @5 in src/lib/services/posts.ts:7');
    expect(getForeignModuleStats()).toEqual({ reads: 4, parses: 4 });
  });

  it('sees a change in a module that is reached through an unchanged one', () => {
    const code = `'use server';
import { outer } from '@/lib/chain/outer';
export async function action() {
  await outer();
}`;
    expect(acrossOf(code)).toEqual(['mutation prisma.draft.create [prisma create] via outer>inner @4 in src/lib/chain/inner.ts:3']);
    const file = write('src/lib/chain/inner.ts', `import { prisma } from '@/lib/db';\nexport async function inner() {\n  return prisma.draft.findMany();\n}\n`);
    const { mtime } = statSync(file);
    utimesSync(file, mtime, new Date(mtime.getTime() + 5000));
    letTimePass();
    expect(acrossOf(code)).toEqual(['read prisma.draft.findMany [prisma findMany] via outer>inner @4 in src/lib/chain/inner.ts:3']);
  });
});

describe('getEndingNavigation', () => {
  it('finds the redirect or interrupt a called function always ends in, same-file or imported, also from a Server Component', () => {
    const result = withContext(
      `import { archivePost } from '@/lib/services/posts';
import { requireToken, startCheckout } from '@/lib/guards';
import { notFound } from 'next/navigation';
function missing() {
  notFound();
}
function maybe(id?: string) {
  if (!id) notFound();
}
function back() {
  return notFound();
}
function early(id?: string) {
  if (!id) return;
  notFound();
}
export async function action() {
  await archivePost('1');
  await startCheckout('pro');
  await requireToken();
  missing();
  maybe();
  notFound();
  back();
  early();
}`,
      path.join(root, 'src/app/posts/page.tsx'),
      context => {
        const body = findFunction(context.sourceCode.ast, 'action').body as TSESTree.BlockStatement;
        return body.body.map(statement => {
          const expression = (statement as TSESTree.ExpressionStatement).expression;
          const call = expression.type === AST_NODE_TYPES.AwaitExpression ? expression.argument : expression;
          const found = getEndingNavigation(context, call as TSESTree.CallExpression);
          return found ? describeAcross(found) : 'none';
        });
      },
      { cwd: root },
    );
    expect(result).toEqual([
      'redirect redirect [redirect] via archivePost @18 in src/lib/services/posts.ts:13',
      'redirect redirect [redirect] via startCheckout @19 in src/lib/guards.ts:31',
      // A guard redirects only sometimes.
      'none',
      'interrupt notFound [notFound] via missing @21',
      'none',
      // The navigation itself is no helper.
      'none',
      // Returning the call is ending in it; an earlier return is a way around it.
      'interrupt notFound [notFound] via back @24',
      'none',
    ]);
  });
});

describe('classifyCall across files', () => {
  it('sums an imported function up in one effect that callers can judge the call by', () => {
    expect(
      summariesOf(`'use server';
import { updateUser, findUser } from '@/lib/services/user';
import { publishPost, archivePost, getPosts } from '@/lib/services/posts';
import { emailTaken, ensureOnboarded, requireAdmin, requireToken, startCheckout, updateProfile } from '@/lib/guards';
import { displayTitle } from '@/lib/text';
export async function action() {
  await updateUser('1', {});
  await publishPost('1');
  await archivePost('1');
  await findUser('1');
  await getPosts();
  await emailTaken('a@example.com');
  await requireAdmin();
  await updateProfile({});
  await requireToken();
  await ensureOnboarded({ onboarded: false });
  await displayTitle('A title');
  await startCheckout('pro');
}`),
    ).toEqual([
      // A write: a mutation for the caller.
      'mutation prisma.user.update [prisma update] via updateUser @7 in src/lib/services/user.ts:4',
      // Writes, then revalidates or always redirects: the last thing it does.
      'revalidate revalidatePath [revalidatePath] via publishPost @8 in src/lib/services/posts.ts:8',
      'redirect redirect [redirect] via archivePost @9 in src/lib/services/posts.ts:13',
      // Only reads, and returns what it read: a read.
      'read prisma.user.findUnique [prisma findUnique] via findUser @10 in src/lib/services/user.ts:12',
      'read prisma.post.findMany [prisma findMany] via getPosts @11 in src/lib/services/posts.ts:23',
      // Reads only to answer yes or no: nothing the caller gets back.
      'none',
      // Authenticates: an authentication check, whatever it does after it.
      'auth auth via requireAdmin @13 in src/lib/guards.ts:7',
      'auth auth via updateProfile @14 in src/lib/guards.ts:35',
      // A redirect under a condition or after an early return is a guard's, not a revalidation.
      'none',
      'none',
      // No effect at all.
      'none',
      // Authenticates, then always redirects: the caller never goes on, the redirect is what counts.
      'redirect redirect [redirect] via startCheckout @18 in src/lib/guards.ts:31',
    ]);
  });

  it('lists an imported call\'s effects at the call site with getImportedCallEffects', () => {
    const result = withContext(
      `'use server';
import { publishPost } from '@/lib/services/posts';
import { prisma } from '@/lib/db';
export async function action() {
  await publishPost('1');
  await prisma.post.findMany();
}`,
      path.join(root, 'src/app/actions.ts'),
      context => {
        const fn = findFunction(context.sourceCode.ast, 'action');
        const body = fn.body as TSESTree.BlockStatement;
        return body.body.map(statement => {
          const call = ((statement as TSESTree.ExpressionStatement).expression as TSESTree.AwaitExpression).argument;
          const found = getImportedCallEffects(context, call);
          return found && { file: path.relative(root, found.file), effects: found.effects.map(describeAcross), dataReturns: found.dataReturns.length };
        });
      },
      { cwd: root },
    );
    expect(result).toEqual([
      {
        file: 'src/lib/services/posts.ts',
        effects: [
          'mutation prisma.post.update [prisma update] via publishPost @5 in src/lib/services/posts.ts:7',
          'revalidate revalidatePath [revalidatePath] via publishPost @5 in src/lib/services/posts.ts:8',
        ],
        dataReturns: 0,
      },
      undefined,
    ]);
  });
});
