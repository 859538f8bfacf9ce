import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { clearForeignModuleCaches } from '../../src/analysis/foreign-module.js';
import { clearModuleCaches } from '../../src/analysis/modules.js';
import rule from '../../src/rules/no-query-action.js';
import { ruleTester } from '../rule-tester.js';
import { makeTempDir } from '../support/temp-tree.js';
import { writeCallersApp } from '../support/callers-app.js';

ruleTester.run('no-query-action', rule, {
  valid: [
    // Validate-then-write: a mutation that also reads.
    `
'use server';
import { db } from '@/lib/db';
export async function createPost(formData: FormData) {
  const author = await db.user.findUnique({ where: { id: String(formData.get('authorId')) } });
  const post = await db.post.create({ data: { title: String(formData.get('title')), authorId: author!.id } });
  return post;
}
`,
    // Reads, then returns only a status.
    `
'use server';
import { db } from '@/lib/db';
export async function ping(id: string) {
  const post = await db.post.findUnique({ where: { id } });
  if (!post) return { error: 'Not found' };
  return { ok: true };
}
`,
    // Validation-only: the answer is a verdict about the row, never the row itself.
    `
'use server';
import { db } from '@/lib/db';
export async function checkUsernameAvailable(username: string) {
  const existing = await db.user.findUnique({ where: { username } });
  return !existing;
}
export async function isEmailTaken(email: string) {
  const count = await db.user.count({ where: { email } });
  return { taken: count > 0, message: count === 0 ? null : 'Email already in use' };
}
`,
    `
'use server';
import { prisma } from '@/lib/prisma';
export const checkAccountExists = async (email: string) => {
  const [user, samlRequired] = await Promise.all([prisma.user.findUnique({ where: { email } }), isSamlEnforced(email)]);
  return { accountExists: !!user, samlRequired };
};
`,
    // Revalidation, a redirect or a cookie write make it an action that changes something.
    `
'use server';
import { revalidatePath } from 'next/cache';
import { db } from '@/lib/db';
export async function refreshPosts() {
  const posts = await db.post.findMany();
  revalidatePath('/posts');
  return posts;
}
`,
    `
'use server';
import { redirect } from 'next/navigation';
import { db } from '@/lib/db';
export async function openLatest() {
  const post = await db.post.findFirst({ orderBy: { createdAt: 'desc' } });
  if (!post) return { error: 'No posts yet' };
  redirect(\`/posts/\${post.id}\`);
}
`,
    `
'use server';
import { cookies } from 'next/headers';
import { db } from '@/lib/db';
export async function switchTeam(teamId: string) {
  const team = await db.team.findUnique({ where: { id: teamId } });
  (await cookies()).set('team', teamId);
  return team;
}
`,
    // A write name silences: the body is not visible, and it may write.
    `
'use server';
import { db } from '@/lib/db';
import { sendWelcomeEmail, updateLastSeen } from '@/lib/users';
export async function welcome(id: string) {
  const user = await db.user.findUnique({ where: { id } });
  await sendWelcomeEmail(user!.email);
  return user;
}
export async function touch(id: string) {
  await updateLastSeen(id);
  return db.user.findUnique({ where: { id } });
}
`,
    // Fire-and-forget writes count too.
    `
'use server';
import { db } from '@/lib/db';
import { recordView } from '@/lib/analytics';
export async function viewPost(id: string) {
  void recordView(id);
  return db.post.findUnique({ where: { id } });
}
`,
    // A POST, a write behind a same-file helper, a write inside a cached function.
    `
'use server';
export async function searchExternal(query: string) {
  const response = await fetch('https://api.example.com/search', { method: 'POST', body: JSON.stringify({ query }) });
  return response.json();
}
`,
    `
'use server';
import { db } from '@/lib/db';
async function logView(postId: string) {
  await db.view.create({ data: { postId } });
}
export async function openPost(id: string) {
  await logView(id);
  return db.post.findUnique({ where: { id } });
}
`,
    `
'use server';
import { unstable_cache } from 'next/cache';
import { db } from '@/lib/db';
const claimNext = unstable_cache(async () => {
  const job = await db.job.findFirst();
  await db.job.update({ where: { id: job!.id }, data: { claimed: true } });
  return job;
});
export async function next() {
  return claimNext();
}
`,
    // An auth read alone is not a query, nor are session and token helpers by name.
    `
'use server';
import { auth } from '@/auth';
import { getToken } from 'next-auth/jwt';
import { getSession, getSessionUser } from '@/lib/session';
export async function session() {
  return getSession();
}
export async function whoAmI() {
  const session = await auth();
  return session?.user;
}
export async function currentToken() {
  return getToken({ secureCookie: true });
}
export async function me() {
  const user = await getSessionUser();
  return { name: user.name };
}
`,
    // Names that say neither read nor write add no evidence.
    `
'use server';
import { connectToDB, ensureIndexes, computeTotals } from '@/lib/mongo';
import { log } from '@/lib/log';
export async function prepare(items: number[]) {
  await connectToDB();
  await ensureIndexes();
  log('prepared');
  return computeTotals(items);
}
`,
    // Read names on local values, request input, globals and utility packages are not reads.
    `
'use server';
import { getTranslations } from 'next-intl/server';
export async function validateForm(formData: FormData, items: string[]) {
  const t = await getTranslations('Form');
  const cache = new Map<string, string>();
  if (!formData.get('name')) return { error: t('nameRequired') };
  console.count('validate');
  return { first: items.find((item) => item.length > 3), cached: cache.get('x'), name: formData.get('name') };
}
`,
    // A read name whose result is not awaited or returned: a client, not data.
    `
'use server';
import { getPaymentsApi } from '@/lib/payments';
export async function healthCheck() {
  const api = getPaymentsApi();
  await api.ping();
  return { ok: true };
}
`,
    // A GET that warms a cache, its response unused; an AI call fed with read data returns its own result.
    `
'use server';
import { generateText } from 'ai';
import { db } from '@/lib/db';
export async function warm() {
  await fetch('https://example.com/api/warm');
  return { ok: true };
}
export async function summarise(id: string) {
  const post = await db.post.findUnique({ where: { id } });
  const { text } = await generateText({ model: 'gpt', prompt: \`Summarise: \${post!.body}\` });
  return { summary: text };
}
`,
    // Upload URLs prepare a write, whatever their verb.
    `
'use server';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { storage, s3 } from '@/lib/storage';
import { db } from '@/lib/db';
export async function startUpload(projectId: string) {
  const project = await db.project.findUniqueOrThrow({ where: { id: projectId } });
  const signedUrl = await storage.getSignedUploadUrl({ key: project.id });
  return { signedUrl, project };
}
export async function presign(key: string) {
  const folder = await db.folder.findFirst();
  return { folder, url: await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'b', Key: key })) };
}
`,
    // Names that say the action runs work: it may write, even on a path that returns what it read.
    `
'use server';
import { db } from '@/lib/db';
import { runRules } from '@/lib/rules';
export async function runRulesAction(messageId: string) {
  const existing = await db.executedRule.findMany({ where: { messageId } });
  if (existing.length > 0) return existing;
  const rules = await db.rule.findMany();
  return runRules({ messageId, rules });
}
`,
    // Work this analysis cannot see into computes its own result, awaited or returned.
    `
'use server';
import { getConfiguredCleanupDays, draftJanitor } from '@/lib/drafts';
export async function tidyDrafts(accountId: string) {
  const days = await getConfiguredCleanupDays(accountId);
  return draftJanitor({ accountId, days });
}
`,
    // A same-file helper handed read data that returns a constant does not hand the data back.
    `
'use server';
import { prisma } from '@/lib/prisma';
import { getOutlookClient } from '@/lib/outlook';
async function checkOutlook({ accountId }: { accountId: string }) {
  const client = await getOutlookClient(accountId);
  await client.ping();
  return { hasAllPermissions: true };
}
export async function checkPermissions(email: string) {
  const account = await prisma.emailAccount.findUnique({ where: { email } });
  if (!account) return { error: 'No account' };
  return checkOutlook({ accountId: account.id });
}
`,
    // Functions the action only defines do not run.
    `
'use server';
import { db } from '@/lib/db';
export async function later() {
  const load = async () => db.post.findMany();
  return { scheduled: true };
}
`,
    // Not a Server Action: a data module, a Server Component, a Client Component.
    {
      code: `
import { db } from '@/lib/db';
export async function getUsers() {
  return db.user.findMany();
}
`,
      filename: 'lib/data.ts',
    },
    {
      code: `
import { db } from '@/lib/db';
export default async function Page() {
  const posts = await db.post.findMany();
  return <ul>{posts.map((post) => <li key={post.id}>{post.title}</li>)}</ul>;
}
`,
      filename: 'app/posts/page.tsx',
    },
    {
      code: `
'use client';
export async function getUsers() {
  const response = await fetch('/api/users');
  return response.json();
}
`,
      filename: 'app/users/client.tsx',
    },
    // Deliberate exceptions through \`allow\`.
    {
      code: `
'use server';
import { db } from '@/lib/db';
export async function loadMorePosts(cursor: string) {
  return db.post.findMany({ cursor: { id: cursor }, take: 20 });
}
export async function searchPosts(q: string) {
  return db.post.findMany({ where: { title: { contains: q } } });
}
`,
      options: [{ allow: ['loadMore*', 'searchPosts'] }],
    },
  ],
  invalid: [
    // Prisma, the message's own example.
    {
      code: `
'use server';
import { db } from '@/lib/db';
export async function getUsers() {
  return db.user.findMany();
}
`,
      errors: [
        {
          messageId: 'queryAction',
          data: { action: '`getUsers`', read: '`db.user.findMany`' },
          line: 4,
          column: 23,
          endLine: 4,
          endColumn: 31,
        },
      ],
    },
    // Drizzle, through a variable; an arrow with an expression body.
    {
      code: `
'use server';
import { eq } from 'drizzle-orm';
import { db } from '@/db';
import { posts } from '@/db/schema';
export async function postsBy(authorId: string) {
  const rows = await db.select().from(posts).where(eq(posts.authorId, authorId));
  return { rows, count: rows.length };
}
export const listPosts = async () => db.query.posts.findMany();
`,
      errors: [
        { messageId: 'queryAction', data: { action: '`postsBy`', read: '`db.select().from(posts)`' }, line: 6, column: 23, endColumn: 30 },
        { messageId: 'queryAction', data: { action: '`listPosts`', read: '`db.query.posts.findMany`' }, line: 10, column: 14, endColumn: 23 },
      ],
    },
    // Supabase: the client factory is not a write.
    {
      code: `
'use server';
import { createClient } from '@/utils/supabase/server';
import { createServerClient } from '@supabase/ssr';
export async function getProfile(id: string) {
  const supabase = await createClient();
  const { data } = await supabase.from('profiles').select('*').eq('id', id).single();
  return data;
}
export async function getTodos() {
  const supabase = createServerClient(process.env.URL!, process.env.KEY!, { cookies: {} });
  const { data: todos, error } = await supabase.from('todos').select();
  if (error) return { error: error.message };
  return { todos };
}
`,
      errors: [
        { messageId: 'queryAction', data: { action: '`getProfile`', read: "`supabase.from('profiles').select`" }, line: 5, column: 23 },
        { messageId: 'queryAction', data: { action: '`getTodos`', read: "`supabase.from('todos').select`" }, line: 10, column: 23 },
      ],
    },
    // A factory whose result is used as a client is not a write, whatever its name.
    {
      code: `
'use server';
import { createAlgolia } from '@/lib/search';
export async function searchDocs(query: string) {
  const algolia = createAlgolia(process.env.ALGOLIA_APP_ID!, process.env.ALGOLIA_KEY!);
  const { hits } = await algolia.searchSingleIndex({ indexName: 'docs', searchParams: { query } });
  return hits;
}
`,
      errors: [{ messageId: 'queryAction', data: { action: '`searchDocs`', read: '`algolia.searchSingleIndex`' }, line: 4, column: 23 }],
    },
    // SQL templates; Mongoose after a connection helper that says neither.
    {
      code: `
'use server';
import { sql } from '@vercel/postgres';
import { connectToDB } from '@/lib/mongoose';
import { User } from '@/models/user';
export async function invoices() {
  const { rows } = await sql\`SELECT * FROM invoices ORDER BY date DESC\`;
  return rows;
}
export async function userByEmail(email: string) {
  await connectToDB();
  return User.findOne({ email }).lean();
}
`,
      errors: [
        { messageId: 'queryAction', data: { action: '`invoices`', read: '`SELECT … FROM invoices`' }, line: 6, column: 23 },
        { messageId: 'queryAction', data: { action: '`userByEmail`', read: '`User.findOne`' }, line: 10, column: 23 },
      ],
    },
    // A GET fetch whose JSON is returned.
    {
      code: `
'use server';
export async function repos(user: string) {
  const response = await fetch(\`https://api.github.com/users/\${user}/repos\`);
  return response.json();
}
`,
      errors: [
        { messageId: 'queryAction', data: { action: '`repos`', read: '`fetch(`https://api.github.com/users/${user}/repos`)`' }, line: 3, column: 23 },
      ],
    },
    // Name evidence: imported reads, and `retrieve`/`list` on an SDK.
    {
      code: `
'use server';
import Stripe from 'stripe';
import { getPosts } from '@/lib/data';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function loadPosts() {
  return getPosts();
}
export async function customer(id: string) {
  const found = await stripe.customers.retrieve(id);
  return found;
}
export async function prices() {
  const { data } = await stripe.prices.list({ active: true }).then((page) => page);
  return data.map((price) => ({ id: price.id, amount: price.unit_amount }));
}
`,
      errors: [
        { messageId: 'queryAction', data: { action: '`loadPosts`', read: '`getPosts`' }, line: 6, column: 23 },
        { messageId: 'queryAction', data: { action: '`customer`', read: '`stripe.customers.retrieve`' }, line: 9, column: 23 },
        { messageId: 'queryAction', data: { action: '`prices`', read: '`stripe.prices.list`' }, line: 13, column: 23 },
      ],
    },
    // Write names that do not act on data do not silence: factories used as clients, date and
    // lodash utilities, local collections.
    {
      code: `
'use server';
import { addDays, setHours } from 'date-fns';
import { set } from 'lodash';
import { createEmailProvider } from '@/lib/email';
import { db } from '@/lib/db';
export async function upcoming() {
  const provider = createEmailProvider({ from: 'me@example.com' });
  const until = setHours(addDays(new Date(), 7), 0);
  const start = new Date();
  start.setDate(start.getDate() - 1);
  const events = await db.event.findMany({ where: { date: { gte: start, lte: until } } });
  const byDay = new Map<string, typeof events>();
  const seen = new Set<string>();
  for (const event of events) {
    byDay.set(event.day, [event]);
    seen.add(event.id);
  }
  const result = {};
  set(result, 'days', [...byDay.values()]);
  return { days: [...byDay.values()], sender: provider.name };
}
`,
      errors: [{ messageId: 'queryAction', data: { action: '`upcoming`', read: '`db.event.findMany`' }, line: 7, column: 23 }],
    },
    // A validation action that hands back the row it looked up is a query, whatever its name.
    {
      code: `
'use server';
import { db } from '@/lib/db';
export async function checkUsername(username: string) {
  const user = await db.user.findUnique({ where: { username } });
  return user ? { taken: true, user } : { taken: false };
}
`,
      errors: [{ messageId: 'queryAction', data: { action: '`checkUsername`', read: '`db.user.findUnique`' }, line: 4, column: 23 }],
    },
    // Authentication, \`notFound()\` and neutral calls do not make it anything else.
    {
      code: `
'use server';
import { notFound } from 'next/navigation';
import { auth } from '@/auth';
import { db } from '@/lib/db';
export async function myPosts() {
  const session = await auth();
  if (!session) notFound();
  const posts = await db.post.findMany({ where: { authorId: session.user.id } });
  return posts;
}
`,
      errors: [{ messageId: 'queryAction', data: { action: '`myPosts`', read: '`db.post.findMany`' }, line: 6, column: 23 }],
    },
    // Wrapped actions (next-safe-action, custom wrappers).
    {
      code: `
'use server';
import { z } from 'zod';
import { actionClient, withAuth } from '@/lib/safe-action';
import { db } from '@/lib/db';
export const getPost = actionClient
  .schema(z.object({ id: z.string() }))
  .action(async ({ parsedInput: { id } }) => db.post.findUnique({ where: { id } }));
export const getTeam = withAuth(async (user, teamId: string) => {
  const team = await db.team.findFirst({ where: { id: teamId, members: { some: { userId: user.id } } } });
  return team;
});
`,
      errors: [
        { messageId: 'queryAction', data: { action: '`getPost`', read: '`db.post.findUnique`' }, line: 6, column: 14, endColumn: 21 },
        { messageId: 'queryAction', data: { action: '`getTeam`', read: '`db.team.findFirst`' }, line: 9, column: 14, endColumn: 21 },
      ],
    },
    // Inline actions, named and anonymous.
    {
      code: `
import { db } from '@/lib/db';
export default function Page() {
  async function search(formData: FormData) {
    'use server';
    const q = String(formData.get('q'));
    return db.product.findMany({ where: { name: { contains: q } } });
  }
  return <SearchForm action={search} load={async () => { 'use server'; return db.product.count(); }} />;
}
`,
      filename: 'app/products/page.tsx',
      errors: [
        { messageId: 'queryAction', data: { action: '`search`', read: '`db.product.findMany`' }, line: 4, column: 18, endColumn: 24 },
        { messageId: 'queryAction', data: { action: 'This inline Server Action', read: '`db.product.count`' }, line: 9, column: 44, endColumn: 55 },
      ],
    },
    // Caching wrappers are transparent: `unstable_cache(…)()` and React's `cache(…)`.
    {
      code: `
'use server';
import { cache } from 'react';
import { unstable_cache } from 'next/cache';
import { db } from '@/lib/db';
const loadUser = cache(async (id: string) => db.user.findUnique({ where: { id } }));
export async function user(id: string) {
  return loadUser(id);
}
export async function popular() {
  const posts = await unstable_cache(async () => db.post.findMany({ orderBy: { views: 'desc' } }), ['popular'], { revalidate: 60 })();
  return posts;
}
`,
      errors: [
        { messageId: 'queryAction', data: { action: '`user`', read: '`db.user.findUnique`, in `loadUser`' }, line: 7, column: 23 },
        { messageId: 'queryAction', data: { action: '`popular`', read: '`db.post.findMany`' }, line: 10, column: 23 },
      ],
    },
    // Same-file helpers, collections filled from the data, and configured read functions.
    {
      code: `
'use server';
import { repo } from '@/lib/repo';
async function loadFeed(userId: string) {
  const items = [];
  for (const row of await repo.feed.all(userId)) items.push({ id: row.id });
  return items;
}
export async function feed(userId: string) {
  const items = await loadFeed(userId);
  const result: Record<string, unknown> = {};
  result.items = items;
  return result;
}
`,
      settings: { 'next-actions': { readFunctions: ['repo.feed.all'] } },
      errors: [{ messageId: 'queryAction', data: { action: '`feed`', read: '`repo.feed.all`, in `loadFeed`' }, line: 9, column: 23 }],
    },
    // The message names the read whose data comes back, not an access check before it; a
    // same-file helper that shapes its input passes the data on; a translation function is not data.
    {
      code: `
'use server';
import { getOrganizationIdFromSurveyId, getResponses } from '@/lib/responses';
import { checkAuthorization } from '@/lib/authz';
import { getTranslate } from '@/lingo/server';
function toRow(response: { id: string; data: unknown }) {
  return { id: response.id, data: response.data };
}
export async function getResponsesAction(surveyId: string) {
  const t = await getTranslate();
  const organizationId = await getOrganizationIdFromSurveyId(surveyId);
  await checkAuthorization({ organizationId });
  const responses = await getResponses(surveyId);
  return { title: t('responses'), rows: responses.length > 0 ? [toRow(responses[0])] : [] };
}
`,
      errors: [{ messageId: 'queryAction', data: { action: '`getResponsesAction`', read: '`getResponses`' }, line: 9, column: 23 }],
    },
    // A plain call that shapes the data passes it on; awaited work on it does not hide it either.
    {
      code: `
'use server';
import superjson from 'superjson';
import { db } from '@/lib/db';
import { summarise } from '@/lib/ai';
export async function exportPosts() {
  const posts = await db.post.findMany();
  const summary = await summarise(posts);
  return { summary, data: superjson.serialize(posts) };
}
`,
      errors: [{ messageId: 'queryAction', data: { action: '`exportPosts`', read: '`db.post.findMany`' }, line: 6, column: 23 }],
    },
    // The default export.
    {
      code: `
'use server';
import { kv } from '@vercel/kv';
export default async function () {
  return kv.get('settings');
}
`,
      errors: [{ messageId: 'queryAction', data: { action: 'The default-exported Server Action', read: "`kv.get`" }, line: 4 }],
    },
    // \`allow\` names other actions only.
    {
      code: `
'use server';
import { db } from '@/lib/db';
export async function getPostsPage(page: number) {
  return db.post.findMany({ skip: page * 20, take: 20 });
}
`,
      options: [{ allow: ['loadMore*'] }],
      errors: [{ messageId: 'queryAction', data: { action: '`getPostsPage`', read: '`db.post.findMany`' }, line: 4, column: 23 }],
    },
  ],
});

// A small app on disk: Client Components know an import is an action, and what it does, only by
// reading the "use server" file it comes from.
const root = makeTempDir('next-actions-query-');
for (const [file, text] of Object.entries({
  'package.json': '{ "name": "query-app", "private": true }',
  'tsconfig.json': '{ "compilerOptions": { "moduleResolution": "bundler", "paths": { "@/*": ["./*"] } } }',
  'lib/services/users.ts': `import { prisma } from '@/lib/prisma';

export async function findUsers(query: string) {
  return prisma.user.findMany({ where: { name: { contains: query } } });
}
`,
  'app/users/actions.ts': `'use server';
import { revalidatePath } from 'next/cache';
import { db } from '@/lib/db';
import { findUsers } from '@/lib/services/users';

export async function getUsers() {
  return db.user.findMany();
}

export async function getUser(id: string) {
  return db.user.findUnique({ where: { id } });
}

export async function searchUsers(query: string) {
  return findUsers(query);
}

export async function renameUser(id: string, name: string) {
  const user = await db.user.update({ where: { id }, data: { name } });
  revalidatePath('/users');
  return user;
}

export async function loadMoreUsers(cursor: string) {
  return db.user.findMany({ cursor: { id: cursor }, take: 20 });
}
`,
  'app/users/index.ts': "export { getUsers } from './actions';\n",
  // Client Components on disk, as the app graph sees them.
  'app/users/saved-list.tsx': `'use client';
import * as React from 'react';
import * as users from '@/app/users/actions';

export function SavedList() {
  const [list, setList] = React.useState<unknown>(null);
  function load() {
    users.getUsers().then(setList);
  }
  React.useEffect(() => {
    load();
  }, []);
  return <p>{String(list)}</p>;
}
`,
  'app/users/draft-list.tsx': `'use client';
import { useEffect, useState } from 'react';
import { listUsers } from '@/lib/users';

export function DraftList() {
  const [list, setList] = useState<unknown>(null);
  useEffect(() => {
    listUsers().then(setList);
  }, []);
  return <p>{String(list)}</p>;
}
`,
  'lib/users.ts': `import { db } from '@/lib/db';

export async function listUsers() {
  return db.user.findMany();
}
`,
})) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}
clearModuleCaches();
clearForeignModuleCaches();
afterAll(() => {
  clearModuleCaches();
  clearForeignModuleCaches();
  rmSync(root, { recursive: true, force: true });
});

const userList = path.join(root, 'app/users/user-list.tsx');
const saved = (file: string) => ({ filename: path.join(root, file), code: readFileSync(path.join(root, file), 'utf8') });
const GET_USERS_READ = '`db.user.findMany` at app/users/actions.ts:7';

ruleTester.run('no-query-action (loaders that let a Client Component through)', rule, {
  // A loader of a module that imports no action.
  valid: [saved('app/users/draft-list.tsx')],
  invalid: [
    {
      // `React.useEffect` calls a same-file helper that loads through a namespace import.
      ...saved('app/users/saved-list.tsx'),
      errors: [{ messageId: 'queryCall', line: 8, column: 5, data: { action: 'users.getUsers', file: 'app/users/actions.ts', read: GET_USERS_READ, loader: 'this `useEffect`' } }],
    },
    {
      // Edited and not saved: the text being linted imports the action through a barrel, the file on disk does not.
      ...saved('app/users/draft-list.tsx'),
      code: `'use client';
import { useEffect, useState } from 'react';
import { getUsers } from '@/app/users';

export function DraftList() {
  const [list, setList] = useState<unknown>(null);
  useEffect(() => {
    getUsers().then(setList);
  }, []);
  return <p>{String(list)}</p>;
}
`,
      errors: [{ messageId: 'queryCall', line: 8, column: 5, data: { action: 'getUsers', file: 'app/users/actions.ts', read: GET_USERS_READ, loader: 'this `useEffect`' } }],
    },
  ],
});

ruleTester.run('no-query-action (call sites and imported helpers)', rule, {
  valid: [
    // The action writes: loading it from an effect is not the mistake this rule is about.
    {
      filename: userList,
      code: `'use client';
import { useEffect, useState } from 'react';
import { renameUser } from './actions';
export function Rename({ id }: { id: string }) {
  const [user, setUser] = useState<unknown>(null);
  useEffect(() => {
    renameUser(id, 'Ada').then(setUser);
  }, [id]);
  return <p>{String(user)}</p>;
}
`,
    },
    // The user asks for it: an event handler calls the action, not a render.
    {
      filename: userList,
      code: `'use client';
import { useState } from 'react';
import { getUsers } from './actions';
export function UserList() {
  const [users, setUsers] = useState<{ id: string }[]>([]);
  return <button onClick={async () => setUsers(await getUsers())}>Load {users.length}</button>;
}
`,
    },
    // Not an action: a plain module's function, and an action whose result is dropped.
    {
      filename: userList,
      code: `'use client';
import { useEffect, useState } from 'react';
import { listUsers } from '@/lib/users';
import { getUsers } from './actions';
export function UserList() {
  const [users, setUsers] = useState<{ id: string }[]>([]);
  useEffect(() => {
    listUsers().then(setUsers);
    void getUsers();
  }, []);
  return <p>{users.length}</p>;
}
`,
    },
    // Not a Client Component: a hook module without \`"use client"\` is left to the files that use it.
    {
      filename: path.join(root, 'app/users/use-users.ts'),
      code: `import { useEffect, useState } from 'react';
import { getUsers } from './actions';
export function useUsers() {
  const [users, setUsers] = useState<{ id: string }[]>([]);
  useEffect(() => {
    getUsers().then(setUsers);
  }, []);
  return users;
}
`,
    },
    // An allowed name, and hooks that are not data loaders (\`useMemo\`, \`useSWRMutation\`).
    {
      filename: userList,
      code: `'use client';
import { useEffect, useMemo, useState } from 'react';
import useSWRMutation from 'swr/mutation';
import { getUsers, loadMoreUsers } from './actions';
export function UserList({ cursor }: { cursor: string }) {
  const [users, setUsers] = useState<{ id: string }[]>([]);
  useEffect(() => {
    loadMoreUsers(cursor).then(setUsers);
  }, [cursor]);
  const pending = useMemo(() => getUsers(), []);
  const { trigger } = useSWRMutation('users', () => getUsers());
  return <button onClick={() => trigger()}>{users.length}{String(pending)}</button>;
}
`,
      options: [{ allow: ['loadMore*'] }],
    },
  ],
  invalid: [
    // A read-only action loads the list in an effect, through \`.then\` and through a local loader.
    {
      filename: userList,
      code: `'use client';
import { useCallback, useEffect, useState } from 'react';
import { getUser, getUsers } from './actions';
export function UserList({ id }: { id: string }) {
  const [users, setUsers] = useState<{ id: string }[]>([]);
  const [user, setUser] = useState<unknown>(null);
  useEffect(() => {
    getUsers().then(setUsers);
  }, []);
  const load = useCallback(async () => {
    setUser(await getUser(id));
  }, [id]);
  useEffect(() => {
    load();
  }, [load]);
  return <p>{users.length}{String(user)}</p>;
}
`,
      errors: [
        {
          messageId: 'queryCall',
          line: 8,
          column: 5,
          endLine: 8,
          endColumn: 13,
          data: { action: 'getUsers', file: 'app/users/actions.ts', read: GET_USERS_READ, loader: 'this `useEffect`' },
        },
        {
          messageId: 'queryCall',
          line: 11,
          column: 19,
          endLine: 11,
          endColumn: 26,
          data: { action: 'getUser', file: 'app/users/actions.ts', read: '`db.user.findUnique` at app/users/actions.ts:11', loader: 'this `useEffect`' },
        },
      ],
    },
    // TanStack Query: a \`queryFn\` that calls the action, and the action as the \`queryFn\` itself.
    {
      filename: userList,
      code: `'use client';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import * as actions from './actions';
import { getUsers } from './actions';
export function UserList({ id }: { id: string }) {
  const users = useQuery({ queryKey: ['users'], queryFn: () => getUsers() });
  const user = useSuspenseQuery({ queryKey: ['user', id], queryFn: async () => actions.getUser(id) });
  const all = useQuery({ queryKey: ['all-users'], queryFn: getUsers });
  return <p>{users.data?.length}{String(user.data)}{all.data?.length}</p>;
}
`,
      errors: [
        { messageId: 'queryCall', line: 6, column: 64, data: { action: 'getUsers', file: 'app/users/actions.ts', read: GET_USERS_READ, loader: 'this `useQuery` `queryFn`' } },
        {
          messageId: 'queryCall',
          line: 7,
          column: 80,
          data: { action: 'actions.getUser', file: 'app/users/actions.ts', read: '`db.user.findUnique` at app/users/actions.ts:11', loader: 'this `useSuspenseQuery` `queryFn`' },
        },
        { messageId: 'queryCall', line: 8, column: 60, data: { action: 'getUsers', file: 'app/users/actions.ts', read: GET_USERS_READ, loader: 'this `useQuery` `queryFn`' } },
      ],
    },
    // SWR: the action as the fetcher (it receives the key), or called by one; through a barrel file.
    {
      filename: userList,
      code: `'use client';
import useSWR from 'swr';
import { getUsers } from './index';
import { getUser } from './actions';
export function UserList({ id }: { id: string }) {
  const { data: users } = useSWR('users', getUsers);
  const { data: user } = useSWR(['user', id], ([, userId]) => getUser(userId));
  return <p>{users?.length}{String(user)}</p>;
}
`,
      errors: [
        { messageId: 'queryCall', line: 6, column: 43, endColumn: 51, data: { action: 'getUsers', file: 'app/users/actions.ts', read: GET_USERS_READ, loader: 'this `useSWR` fetcher' } },
        {
          messageId: 'queryCall',
          line: 7,
          column: 63,
          data: { action: 'getUser', file: 'app/users/actions.ts', read: '`db.user.findUnique` at app/users/actions.ts:11', loader: 'this `useSWR` fetcher' },
        },
      ],
    },
    // The action reads through an imported helper: the message names the helper and its file.
    {
      filename: userList,
      code: `'use client';
import { useEffect, useState } from 'react';
import { searchUsers } from './actions';
export function Search({ query }: { query: string }) {
  const [users, setUsers] = useState<{ id: string }[]>([]);
  useEffect(() => {
    searchUsers(query).then(setUsers);
  }, [query]);
  return <p>{users.length}</p>;
}
`,
      errors: [
        {
          messageId: 'queryCall',
          line: 7,
          column: 5,
          data: {
            action: 'searchUsers',
            file: 'app/users/actions.ts',
            read: '`prisma.user.findMany`, in `findUsers` at lib/services/users.ts:4',
            loader: 'this `useEffect`',
          },
        },
      ],
    },
    // A Server Action file whose read happens in an imported service: named with its file and line.
    {
      filename: path.join(root, 'app/search/actions.ts'),
      code: `'use server';
import { findUsers } from '@/lib/services/users';

export async function search(query: string) {
  const users = await findUsers(query);
  return users;
}
`,
      errors: [
        {
          messageId: 'queryAction',
          line: 4,
          column: 23,
          endColumn: 29,
          data: { action: '`search`', read: '`prisma.user.findMany`, in `findUsers` at lib/services/users.ts:4' },
        },
      ],
    },
  ],
});

// Callers on disk decide the message, and a module without a directive is client code when a
// "use client" module imports it.
const callersRoot = writeCallersApp('next-actions-query-callers-', {
  'app/actions/search.ts': `'use server';
import { db } from '@/lib/db';

export async function searchItems(query: string) {
  return db.item.findMany({ where: { name: query } });
}
`,
  'components/search-box.tsx': `'use client';
import { useItems } from './use-items';
import { searchItems } from '@/app/actions/search';

export function SearchBox() {
  const items = useItems();
  return <input onChange={async event => console.log(await searchItems(event.target.value), items)} />;
}
`,
  'components/use-items.ts': `import { useEffect, useState } from 'react';
import { searchItems } from '@/app/actions/search';

export function useItems() {
  const [items, setItems] = useState<unknown[]>([]);
  useEffect(() => {
    searchItems('').then(setItems);
  }, []);
  return items;
}
`,
  'app/search/page.tsx': "import { SearchBox } from '@/components/search-box';\n\nexport default function Page() {\n  return <SearchBox />;\n}\n",
});
clearModuleCaches();
afterAll(() => {
  clearModuleCaches();
  rmSync(callersRoot, { recursive: true, force: true });
});
const callersSettings = { 'next-actions': { rootDir: callersRoot } };
const fromDisk = (file: string) => ({ filename: path.join(callersRoot, file), code: readFileSync(path.join(callersRoot, file), 'utf8'), settings: callersSettings });

ruleTester.run('no-query-action (callers)', rule, {
  valid: [],
  invalid: [
    {
      // Only a Server Component calls getStats: the "use server" is what is wrong.
      ...fromDisk('app/actions/items.ts'),
      errors: [
        {
          messageId: 'queryActionServerOnly',
          line: 21,
          data: { action: '`getStats`', read: '`db.item.count`', callers: 'app/page.tsx:5' },
        },
      ],
    },
    {
      ...fromDisk('app/actions/search.ts'),
      errors: [
        {
          messageId: 'queryActionFromClient',
          line: 4,
          data: { action: '`searchItems`', read: '`db.item.findMany`', caller: '`SearchBox` at components/search-box.tsx:7' },
        },
      ],
    },
    {
      // No directive of its own, but search-box.tsx ("use client") imports it.
      ...fromDisk('components/use-items.ts'),
      errors: [{ messageId: 'queryCall', line: 7, column: 5, endColumn: 16 }],
    },
  ],
});
