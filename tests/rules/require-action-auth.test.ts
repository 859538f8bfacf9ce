import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import rule from '../../src/rules/require-action-auth.js';
import { ruleTester } from '../rule-tester.js';

const ALLOW = (name: string) => ` If it is meant to be public, add \`${name}\` to the rule's \`allow\` option.`;
const OBJECT_HINT = (label: string) =>
  ` \`${label}\` answers with an object even for a signed-out caller: test the user it holds (such as \`userId\`, \`data.user\` or \`isLoggedIn\`), not the object.`;

ruleTester.run('require-action-auth', rule, {
  valid: [
    // Auth.js: the session is checked and a signed-out caller is stopped (throw, redirect, return, unauthorized).
    `
'use server';
import { auth } from '@/auth';
import { redirect, unauthorized } from 'next/navigation';
import { db } from '@/lib/db';
export async function a(id: string) {
  const session = await auth();
  if (!session?.user) throw new Error('Unauthorized');
  await db.post.delete({ where: { id } });
}
export async function b(id: string) {
  const session = await auth();
  if (!session) redirect('/login');
  await db.post.delete({ where: { id } });
}
export async function c(id: string) {
  const session = await auth();
  if (!session) {
    return { error: 'Sign in first.' };
  }
  await db.post.delete({ where: { id } });
  return { ok: true };
}
export async function d(id: string) {
  const session = await auth();
  if (session == null) unauthorized();
  await db.post.delete({ where: { id } });
}
`,
    // The work sits in the branch a signed-in caller takes: if, ternary, &&, ||.
    `
'use server';
import { auth } from '@/auth';
import { db } from '@/lib/db';
export async function a(id: string) {
  const session = await auth();
  if (session) {
    await db.post.delete({ where: { id } });
  }
}
export async function b(id: string) {
  const session = await auth();
  return session ? await db.post.delete({ where: { id } }) : null;
}
export async function c(id: string) {
  const session = await auth();
  session && (await db.post.delete({ where: { id } }));
}
export async function d(id: string) {
  const session = await auth();
  !session || (await db.post.delete({ where: { id } }));
}
export async function e(id: string) {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  else await db.post.delete({ where: { id } });
}
`,
    // Role and ownership checks on the session stop a signed-out caller too.
    `
'use server';
import { getServerSession } from 'next-auth';
import { db } from '@/lib/db';
export async function a(id: string) {
  const session = await getServerSession(authOptions);
  if (!session || session.user.role !== 'admin') throw new Error('Forbidden');
  await db.post.delete({ where: { id } });
}
export async function b(id: string) {
  const session = await getServerSession(authOptions);
  if (session?.user?.role === 'admin') await db.post.delete({ where: { id } });
}
export async function c(id: string, post: { authorId: string }) {
  const session = await getServerSession(authOptions);
  if (post.authorId !== session?.user.id) throw new Error('Forbidden');
  await db.post.delete({ where: { id } });
}
export async function d(id: string) {
  const session = await getServerSession(authOptions);
  if (!canDelete(session, id)) throw new Error('Forbidden');
  await db.post.delete({ where: { id } });
}
`,
    // Clerk: `userId`, `auth.protect()`, `redirectToSignIn()`, `has()`, `currentUser()`.
    `
'use server';
import { auth, currentUser } from '@clerk/nextjs/server';
import { db } from '@/lib/db';
export async function a(id: string) {
  const { userId } = await auth();
  if (!userId) return { error: 'Unauthorized' };
  await db.widget.delete({ where: { id, userId } });
}
export async function b(id: string) {
  const { userId } = await auth.protect();
  await db.widget.delete({ where: { id, userId } });
}
export async function c() {
  const { userId, redirectToSignIn } = await auth();
  if (!userId) return redirectToSignIn();
  await db.widget.deleteMany({ where: { userId } });
}
export async function d() {
  const { has } = await auth();
  if (!has({ role: 'org:admin' })) throw new Error('Forbidden');
  await db.widget.deleteMany();
}
export async function e() {
  const user = await currentUser();
  if (!user) throw new Error('Unauthorized');
  await db.widget.deleteMany({ where: { userId: user.id } });
}
export async function f() {
  const session = await auth();
  if (!session.userId) throw new Error('Unauthorized');
  await db.widget.deleteMany();
}
`,
    // Supabase, Kinde, iron-session, Better Auth, Lucia.
    `
'use server';
import { getKindeServerSession } from '@kinde-oss/kinde-auth-nextjs/server';
import { getIronSession } from 'iron-session';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { createClient } from '@/utils/supabase/server';
import { db } from '@/lib/db';
export async function a(id: string) {
  const supabase = await createClient();
  const { data: { user } } = await supabase.auth.getUser();
  if (!user) redirect('/login');
  await supabase.from('projects').delete().eq('id', id);
}
export async function b(id: string) {
  const supabase = await createClient();
  const { data, error } = await supabase.auth.getUser();
  if (error || !data.user) redirect('/login');
  await supabase.from('projects').delete().eq('id', id);
}
export async function c(id: string) {
  const { isAuthenticated } = getKindeServerSession();
  if (!(await isAuthenticated())) redirect('/api/auth/login');
  await db.note.delete({ where: { id } });
}
export async function d(id: string) {
  const session = await getIronSession(await cookies(), sessionOptions);
  if (!session.isLoggedIn) throw new Error('Unauthorized');
  await db.note.delete({ where: { id } });
}
export async function e(id: string) {
  const session = await betterAuth.api.getSession({ headers: await headers() });
  if (!session) throw new Error('Unauthorized');
  await db.note.delete({ where: { id } });
}
export async function f(id: string) {
  const { user } = await validateRequest();
  if (!user) return { error: 'Unauthorized' };
  await db.note.delete({ where: { id } });
}
`,
    // Guards that throw or redirect by contract: built-in names, names that say so, WorkOS `ensureSignedIn`.
    `
'use server';
import { withAuth } from '@workos-inc/authkit-nextjs';
import { requireAdmin, getUserOrThrow } from '@/lib/dal';
import { db } from '@/lib/db';
export async function a(id: string) {
  await requireUser();
  await db.post.delete({ where: { id } });
}
export async function b(id: string) {
  const { userId } = await verifySession();
  await db.post.delete({ where: { id, userId } });
}
export async function c(id: string) {
  await requireAdmin();
  await db.post.delete({ where: { id } });
}
export async function d(id: string) {
  const user = await getUserOrThrow();
  await db.post.delete({ where: { id, authorId: user.id } });
}
export async function e(id: string) {
  const { user } = await withAuth({ ensureSignedIn: true });
  await db.post.delete({ where: { id, authorId: user.id } });
}
export async function f(id: string) {
  const user = await getCurrentUser();
  assertCanEdit(user, id);
  await db.post.delete({ where: { id } });
}
export async function g(id: string) {
  if (!(await isAdmin())) throw new Error('Forbidden');
  await db.post.delete({ where: { id } });
}
`,
    // Same-file helpers: one that always stops a signed-out caller, one that guards its own work.
    `
'use server';
import { auth } from '@/auth';
import { db } from '@/lib/db';
async function currentUserOrFail() {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  return session.user;
}
async function removeOwnPost(id: string) {
  const session = await auth();
  if (!session) return;
  await db.post.delete({ where: { id, authorId: session.user.id } });
}
function fail(): never {
  throw new Error('Unauthorized');
}
export async function a(id: string) {
  const user = await currentUserOrFail();
  await db.post.delete({ where: { id, authorId: user.id } });
}
export async function b(id: string) {
  await removeOwnPost(id);
}
export async function c(id: string) {
  const session = await auth();
  if (!session) fail();
  await db.post.delete({ where: { id } });
}
`,
    // A session looked up by hand is the check itself.
    `
'use server';
import { cookies } from 'next/headers';
import { db } from '@/lib/db';
export async function a(id: string) {
  const token = (await cookies()).get('session')?.value;
  const session = await db.session.findUnique({ where: { token } });
  if (!session) throw new Error('Unauthorized');
  await db.post.delete({ where: { id } });
}
`,
    // Guards inside try, loops and callbacks hold for the code that follows them there.
    `
'use server';
import { auth } from '@/auth';
import { db } from '@/lib/db';
export async function a(id: string) {
  try {
    const session = await auth();
    if (!session) throw new Error('Unauthorized');
    await db.post.delete({ where: { id } });
  } catch {
    return { error: 'Could not delete the post.' };
  }
}
export async function b(ids: string[]) {
  for (const id of ids) {
    const session = await auth();
    if (!session) continue;
    await db.post.delete({ where: { id } });
  }
}
export async function c(ids: string[]) {
  await db.$transaction(async tx => {
    await requireUser();
    await tx.post.deleteMany({ where: { id: { in: ids } } });
  });
}
`,
    // Authenticated action clients and wrappers.
    `
'use server';
import { z } from 'zod';
import { authActionClient, authedProcedure, protectedAction, withAuth, validatedActionWithUser, actionClient } from '@/lib/safe-action';
import { authMiddleware } from '@/lib/middleware';
import { db } from '@/lib/db';
export const a = authActionClient.schema(z.object({ id: z.string() })).action(async ({ parsedInput }) => {
  await db.post.delete({ where: { id: parsedInput.id } });
});
export const b = authedProcedure.createServerAction().input(schema).handler(async ({ input }) => {
  await db.post.delete({ where: { id: input.id } });
});
export const c = protectedAction(async (id: string) => {
  await db.post.delete({ where: { id } });
});
export const d = withAuth(async (id: string) => {
  await db.post.delete({ where: { id } });
});
export const e = validatedActionWithUser(schema, async (data, formData) => {
  await db.post.delete({ where: { id: data.id } });
});
export const f = actionClient.use(authMiddleware).action(async ({ parsedInput }) => {
  await db.post.delete({ where: { id: parsedInput.id } });
});
export const g = withLogging(withAuth(async (id: string) => {
  await db.post.delete({ where: { id } });
}));
`,
    // Handlers that receive the caller from their wrapper: a middleware `ctx`, or a `user` parameter.
    `
'use server';
import { actionClient, validated } from '@/lib/safe-action';
import { db } from '@/lib/db';
export const a = actionClient.action(async ({ parsedInput, ctx: { userId } }) => {
  await db.post.delete({ where: { id: parsedInput.id, authorId: userId } });
});
export const b = actionClient.action(async ({ parsedInput, ctx }) => {
  await db.post.delete({ where: { id: parsedInput.id, authorId: ctx.user.id } });
});
export const c = validated(schema, async (data, formData, user) => {
  await db.post.delete({ where: { id: data.id, authorId: user.id } });
});
`,
    // A client defined in this file, with a middleware that authenticates.
    `
'use server';
import { createSafeActionClient } from 'next-safe-action';
import { auth } from '@/auth';
import { db } from '@/lib/db';
const baseClient = createSafeActionClient();
const client = baseClient.use(async ({ next }) => {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  return next({ ctx: { session } });
});
export const a = client.action(async ({ parsedInput }) => {
  await db.post.delete({ where: { id: parsedInput.id } });
});
`,
    // A wrapper inside the body that runs the work for a signed-in caller only.
    `
'use server';
import { db } from '@/lib/db';
export async function a(id: string) {
  return withUser(async current => {
    await db.post.delete({ where: { id, authorId: current.id } });
  });
}
`,
    // Options: `authWrappers` names a client, `allow` names public actions (also by pattern and `default`).
    {
      code: `
'use server';
import { memberClient } from '@/lib/clients';
import { db } from '@/lib/db';
export const a = memberClient.action(async () => {
  await db.team.delete({ where: { id: 'current' } });
});
export async function subscribeToNewsletter(email: string) {
  await db.subscriber.create({ data: { email } });
}
export async function submitContactForm(body: string) {
  await db.message.create({ data: { body } });
}
export default async function (body: string) {
  await db.feedback.create({ data: { body } });
}
`,
      options: [{ allow: ['subscribeToNewsletter', 'submitContact*', 'default'], authWrappers: ['memberClient'] }],
    },
    // A configured auth function counts as a guard that stops the action by itself.
    {
      code: `
'use server';
import { authorizeRequest } from '@/lib/authorize';
import { db } from '@/lib/db';
export async function a(id: string) {
  const { userId } = await authorizeRequest();
  await db.post.delete({ where: { id, authorId: userId } });
}
`,
      settings: { 'next-actions': { authFunctions: ['authorizeRequest'] } },
    },
    // Actions that take part in signing in are public by nature.
    `
'use server';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { db } from '@/lib/db';
export async function signUp(formData: FormData) {
  await db.user.create({ data: { email: String(formData.get('email')) } });
  redirect('/welcome');
}
export async function loginAction(formData: FormData) {
  const user = await db.user.findUnique({ where: { email: String(formData.get('email')) } });
  if (!user) return { error: 'Wrong email or password.' };
  (await cookies()).set('session', user.id);
  return { ok: true, name: user.name };
}
export async function handleForgotPassword(email: string) {
  await db.passwordReset.create({ data: { email } });
}
export async function getCurrentUser() {
  const token = (await cookies()).get('token')?.value;
  return db.user.findFirst({ where: { token } });
}
`,
    // Only revalidation, redirects and cookies: nothing privileged (sign-out, theme switch, cache purge).
    `
'use server';
import { revalidatePath, revalidateTag } from 'next/cache';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
export async function logOutEverywhere() {
  (await cookies()).delete('session');
  redirect('/');
}
export async function setTheme(theme: string) {
  (await cookies()).set('theme', theme);
  revalidatePath('/', 'layout');
}
export async function refreshPosts() {
  revalidateTag('posts', 'max');
}
`,
    // A read that only feeds a condition shows the caller nothing; calls the analysis cannot see into are not judged.
    `
'use server';
import { db } from '@/lib/db';
import { deletePostForCurrentUser } from '@/lib/dal';
export async function isSlugTaken(slug: string) {
  const post = await db.post.findFirst({ where: { slug } });
  if (post) return true;
  return false;
}
export async function removePost(id: string) {
  await deletePostForCurrentUser(id);
}
`,
    // Not actions: a sync export (a build error, reported by valid-server-actions), a file without "use server".
    `
'use server';
import { db } from '@/lib/db';
export function resetAll() {
  db.post.deleteMany();
}
`,
    `
import { db } from '@/lib/db';
export async function deleteAll() {
  await db.post.deleteMany();
}
`,
    // Code after an unconditional throw never runs.
    `
'use server';
import { db } from '@/lib/db';
export async function disabled() {
  throw new Error('Disabled');
  await db.post.deleteMany();
}
`,
  ],
  invalid: [
    // No check at all: the work is named, and with an auth function configured the guard is suggested.
    {
      code: `
'use server';
import { db } from '@/lib/db';
export async function deletePost(id: string) {
  await db.post.delete({ where: { id } });
}
`,
      errors: [
        {
          messageId: 'missingAuth',
          line: 4,
          column: 23,
          endLine: 4,
          endColumn: 33,
          data: { action: 'Server Action `deletePost`', work: 'db.post.delete', where: 'line 5', via: '', allowHint: ALLOW('deletePost') },
          suggestions: [],
        },
      ],
    },
    // A comment that ends the brace's line ends the guard's last line: one insertion right after
    // the brace, which ESLint and oxlint apply alike.
    {
      code: `
'use server';
import { auth } from '@/auth';
import { db } from '@/lib/db';
export async function deletePost(id: string) { // only the author may delete
  await db.post.delete({ where: { id } });
}
`,
      settings: { 'next-actions': { authFunctions: ['auth'] } },
      errors: [
        {
          messageId: 'missingAuth',
          line: 5,
          column: 23,
          suggestions: [
            {
              messageId: 'addAuthCheck',
              data: { code: "const session = await auth(); if (!session) throw new Error('Unauthorized')" },
              output: `
'use server';
import { auth } from '@/auth';
import { db } from '@/lib/db';
export async function deletePost(id: string) {
  const session = await auth();
  if (!session) throw new Error('Unauthorized'); // only the author may delete
  await db.post.delete({ where: { id } });
}
`,
            },
          ],
        },
      ],
    },
    {
      code: `
'use server';
import { auth } from '@/auth';
import { db } from '@/lib/db';
export async function deletePost(id: string) {
  await db.post.delete({ where: { id } });
}
`,
      settings: { 'next-actions': { authFunctions: ['auth'] } },
      errors: [
        {
          messageId: 'missingAuth',
          line: 5,
          column: 23,
          data: { action: 'Server Action `deletePost`', work: 'db.post.delete', where: 'line 6', via: '', allowHint: ALLOW('deletePost') },
          suggestions: [
            {
              messageId: 'addAuthCheck',
              data: { code: "const session = await auth(); if (!session) throw new Error('Unauthorized')" },
              output: `
'use server';
import { auth } from '@/auth';
import { db } from '@/lib/db';
export async function deletePost(id: string) {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  await db.post.delete({ where: { id } });
}
`,
            },
          ],
        },
      ],
    },
    // Files without semicolons: the work on the brace's line moves below the guard, and a next line
    // that would continue the guard's last line gets a semicolon.
    {
      code: `'use server'\nimport { db } from '@/lib/db'\nexport async function deletePost(id) { await db.post.delete({ where: { id } }) }\n`,
      settings: { 'next-actions': { authFunctions: ['requireUser'] } },
      errors: [
        {
          messageId: 'missingAuth',
          line: 3,
          suggestions: [
            {
              messageId: 'addAuthCheck',
              data: { code: 'await requireUser()' },
              output: `'use server'\nimport { db } from '@/lib/db'\nexport async function deletePost(id) {\n  await requireUser()\n  await db.post.delete({ where: { id } }) }\n`,
            },
          ],
        },
      ],
    },
    {
      code: `'use server'\nimport { db } from '@/lib/db'\nexport const deletePost = async (id) => { 'use server'; await db.post.delete({ where: { id } }) }\n`,
      settings: { 'next-actions': { authFunctions: ['getSession'] } },
      errors: [
        {
          messageId: 'missingAuth',
          line: 3,
          suggestions: [
            {
              messageId: 'addAuthCheck',
              data: { code: "const session = await getSession(); if (!session) throw new Error('Unauthorized')" },
              output: `'use server'\nimport { db } from '@/lib/db'\nexport const deletePost = async (id) => { 'use server';\n  const session = await getSession();\n  if (!session) throw new Error('Unauthorized');\n  await db.post.delete({ where: { id } }) }\n`,
            },
          ],
        },
      ],
    },
    {
      code: `'use server'\nimport { db } from '@/lib/db'\nexport async function deletePost(id) {\n  (await db.post.delete({ where: { id } })).id\n}\n`,
      settings: { 'next-actions': { authFunctions: ['getSession'] } },
      errors: [
        {
          messageId: 'missingAuth',
          line: 3,
          suggestions: [
            {
              messageId: 'addAuthCheck',
              output: `'use server'\nimport { db } from '@/lib/db'\nexport async function deletePost(id) {\n  const session = await getSession()\n  if (!session) throw new Error('Unauthorized');\n  (await db.post.delete({ where: { id } })).id\n}\n`,
            },
          ],
        },
      ],
    },
    // The guard keeps the file's line endings, CRLF or CR.
    {
      code: `'use server';\r\nimport { db } from '@/lib/db';\r\nexport const deletePost = async (id: string) => db.post.delete({ where: { id } });\r\n`,
      settings: { 'next-actions': { authFunctions: ['requireUser'] } },
      errors: [
        {
          messageId: 'missingAuth',
          line: 3,
          suggestions: [
            {
              messageId: 'addAuthCheck',
              output: `'use server';\r\nimport { db } from '@/lib/db';\r\nexport const deletePost = async (id: string) => {\r\n  await requireUser();\r\n  return db.post.delete({ where: { id } });\r\n};\r\n`,
            },
          ],
        },
      ],
    },
    {
      code: `'use server';\rimport { db } from '@/lib/db';\rexport async function deletePost(id: string) {\r  await db.post.delete({ where: { id } });\r}\r`,
      settings: { 'next-actions': { authFunctions: ['requireUser'] } },
      errors: [
        {
          messageId: 'missingAuth',
          line: 3,
          suggestions: [
            {
              messageId: 'addAuthCheck',
              output: `'use server';\rimport { db } from '@/lib/db';\rexport async function deletePost(id: string) {\r  await requireUser();\r  await db.post.delete({ where: { id } });\r}\r`,
            },
          ],
        },
      ],
    },
    // A guard that stops by contract is inserted as a plain call; a name in use gets a fresh variable.
    {
      code: `
'use server';
import { db } from '@/lib/db';
export async function deletePost(id: string) {
  await db.post.delete({ where: { id } });
}
export async function renameSession(session: string) {
  await db.session.update({ where: { id: session }, data: { name: 'x' } });
}
`,
      settings: { 'next-actions': { authFunctions: ['lib.*', 'requireUser'] } },
      errors: [
        {
          messageId: 'missingAuth',
          line: 4,
          suggestions: [
            {
              messageId: 'addAuthCheck',
              data: { code: 'await requireUser()' },
              output: `
'use server';
import { db } from '@/lib/db';
export async function deletePost(id: string) {
  await requireUser();
  await db.post.delete({ where: { id } });
}
export async function renameSession(session: string) {
  await db.session.update({ where: { id: session }, data: { name: 'x' } });
}
`,
            },
          ],
        },
        {
          messageId: 'missingAuth',
          line: 7,
          suggestions: [
            {
              messageId: 'addAuthCheck',
              data: { code: 'await requireUser()' },
              output: `
'use server';
import { db } from '@/lib/db';
export async function deletePost(id: string) {
  await db.post.delete({ where: { id } });
}
export async function renameSession(session: string) {
  await requireUser();
  await db.session.update({ where: { id: session }, data: { name: 'x' } });
}
`,
            },
          ],
        },
      ],
    },
    {
      code: `
'use server'
import { getSession } from '@/lib/session'
import { db } from '@/lib/db'
export async function renameSession(session: string) {
  await db.session.update({ where: { id: session }, data: { name: 'x' } })
}
`,
      settings: { 'next-actions': { authFunctions: ['getSession'] } },
      errors: [
        {
          messageId: 'missingAuth',
          line: 5,
          suggestions: [
            {
              messageId: 'addAuthCheck',
              data: { code: "const session2 = await getSession(); if (!session2) throw new Error('Unauthorized')" },
              output: `
'use server'
import { getSession } from '@/lib/session'
import { db } from '@/lib/db'
export async function renameSession(session: string) {
  const session2 = await getSession()
  if (!session2) throw new Error('Unauthorized')
  await db.session.update({ where: { id: session }, data: { name: 'x' } })
}
`,
            },
          ],
        },
      ],
    },
    // Clerk's `auth()` is checked through `userId`; an expression body becomes a block.
    {
      code: `
'use server';
import { auth } from '@clerk/nextjs/server';
import { db } from '@/lib/db';
export const clearWidgets = async () => db.widget.deleteMany();
`,
      settings: { 'next-actions': { authFunctions: ['auth'] } },
      errors: [
        {
          messageId: 'missingAuth',
          line: 5,
          column: 14,
          endColumn: 26,
          data: { action: 'Server Action `clearWidgets`', work: 'db.widget.deleteMany', where: 'line 5', via: '', allowHint: ALLOW('clearWidgets') },
          suggestions: [
            {
              messageId: 'addAuthCheck',
              data: { code: "const { userId } = await auth(); if (!userId) throw new Error('Unauthorized')" },
              output: `
'use server';
import { auth } from '@clerk/nextjs/server';
import { db } from '@/lib/db';
export const clearWidgets = async () => {
  const { userId } = await auth();
  if (!userId) throw new Error('Unauthorized');
  return db.widget.deleteMany();
};
`,
            },
          ],
        },
      ],
    },
    // A page-level check does not protect the actions defined in the page; the guard goes after "use server".
    {
      code: `
import { auth } from '@/auth';
import { redirect } from 'next/navigation';
import { db } from '@/lib/db';
export default async function Page() {
  const session = await auth();
  if (!session) redirect('/login');
  async function purge() {
    'use server';
    await db.post.deleteMany();
  }
  return <form action={purge} />;
}
`,
      filename: 'app/admin/page.tsx',
      settings: { 'next-actions': { authFunctions: ['auth'] } },
      errors: [
        {
          messageId: 'missingAuth',
          line: 8,
          column: 18,
          endColumn: 23,
          data: { action: 'Server Action `purge`', work: 'db.post.deleteMany', where: 'line 10', via: '', allowHint: ALLOW('purge') },
          suggestions: [
            {
              messageId: 'addAuthCheck',
              data: { code: "const session2 = await auth(); if (!session2) throw new Error('Unauthorized')" },
              output: `
import { auth } from '@/auth';
import { redirect } from 'next/navigation';
import { db } from '@/lib/db';
export default async function Page() {
  const session = await auth();
  if (!session) redirect('/login');
  async function purge() {
    'use server';
    const session2 = await auth();
    if (!session2) throw new Error('Unauthorized');
    await db.post.deleteMany();
  }
  return <form action={purge} />;
}
`,
            },
          ],
        },
      ],
    },
    // An anonymous inline action is reported on its head, without the `allow` hint.
    {
      code: `
import { db } from '@/lib/db';
export default function Page() {
  return <form action={async () => { 'use server'; await db.post.deleteMany(); }} />;
}
`,
      filename: 'app/page.tsx',
      errors: [
        {
          messageId: 'missingAuth',
          line: 4,
          column: 24,
          endColumn: 35,
          data: { action: 'This inline Server Action', work: 'db.post.deleteMany', where: 'line 4', via: '', allowHint: '' },
        },
      ],
    },
    // The default export, the work done in a same-file helper, a POST to another service, returned data.
    {
      code: `
'use server';
import { db } from '@/lib/db';
async function removeAvatar(userId: string) {
  await db.avatar.deleteMany({ where: { userId } });
}
export default async function resetAvatar(userId: string) {
  await removeAvatar(userId);
}
export async function refund(paymentId: string) {
  await fetch('https://api.payments.example/v1/refunds', { method: 'POST', body: JSON.stringify({ paymentId }) });
}
export async function getProfile(id: string) {
  return db.user.findUnique({ where: { id } });
}
`,
      errors: [
        {
          messageId: 'missingAuth',
          line: 7,
          column: 31,
          endColumn: 42,
          data: { action: 'The default-exported Server Action', work: 'db.avatar.deleteMany', where: 'line 5', via: ', in `removeAvatar`', allowHint: ALLOW('default') },
        },
        {
          messageId: 'missingAuth',
          line: 10,
          column: 23,
          data: { action: 'Server Action `refund`', work: 'POST https://api.payments.example/v1/refunds', where: 'line 11', via: '', allowHint: ALLOW('refund') },
        },
        {
          messageId: 'missingAuth',
          line: 13,
          column: 23,
          data: { action: 'Server Action `getProfile`', work: 'db.user.findUnique', where: 'line 14', via: '', allowHint: ALLOW('getProfile') },
        },
      ],
    },
    // A client or wrapper that does not authenticate runs the body for anyone.
    {
      code: `
'use server';
import { actionClient, withLogging } from '@/lib/safe-action';
import { db } from '@/lib/db';
export const deleteTeam = actionClient.action(async () => {
  await db.team.delete({ where: { id: 'current' } });
});
export const archiveTeam = withLogging(async () => {
  await db.team.update({ where: { id: 'current' }, data: { archived: true } });
});
export const renameTeam = actionClient.action(async ({ parsedInput, ctx: { logger } }) => {
  await db.team.update({ where: { id: 'current' }, data: { name: parsedInput.name } });
});
`,
      errors: [
        { messageId: 'missingAuth', line: 5, column: 14, endColumn: 24 },
        { messageId: 'missingAuth', line: 8, column: 14, endColumn: 25 },
        { messageId: 'missingAuth', line: 11, column: 14, endColumn: 24 },
      ],
    },
    // The check's result is ignored, or only logged.
    {
      code: `
'use server';
import { auth } from '@/auth';
import { db } from '@/lib/db';
export async function pinPost(id: string) {
  const session = await auth();
  await db.post.update({ where: { id }, data: { pinned: true, by: session?.user?.id } });
}
export async function unpinPost(id: string) {
  const session = await auth();
  if (!session) console.warn('unpin without a session');
  await db.post.update({ where: { id }, data: { pinned: false } });
}
`,
      errors: [
        {
          messageId: 'authResultUnchecked',
          line: 5,
          column: 23,
          endColumn: 30,
          data: { action: 'Server Action `pinPost`', check: 'auth()', work: 'db.post.update', where: 'line 7', via: '', objectHint: '' },
        },
        {
          messageId: 'authNotEnforced',
          line: 9,
          column: 23,
          data: { action: 'Server Action `unpinPost`', check: 'auth()', work: 'db.post.update', where: 'line 12', via: '', objectHint: '' },
        },
      ],
    },
    // Testing an object that exists for every caller stops nobody (Clerk, Supabase, iron-session, Lucia).
    {
      code: `
'use server';
import { auth } from '@clerk/nextjs/server';
import { db } from '@/lib/db';
export async function clearWidgets() {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  await db.widget.deleteMany();
}
export async function archiveProject(id: string) {
  const result = await supabase.auth.getUser();
  if (!result) throw new Error('Unauthorized');
  await supabase.from('projects').update({ archived: true }).eq('id', id);
}
`,
      errors: [
        {
          messageId: 'authNotEnforced',
          line: 5,
          data: { action: 'Server Action `clearWidgets`', check: 'auth()', work: 'db.widget.deleteMany', where: 'line 8', via: '', objectHint: OBJECT_HINT('auth()') },
        },
        {
          messageId: 'authNotEnforced',
          line: 10,
          data: {
            action: 'Server Action `archiveProject`',
            check: 'supabase.auth.getUser()',
            work: "supabase.from('projects').update",
            where: 'line 13',
            via: '',
            objectHint: OBJECT_HINT('supabase.auth.getUser()'),
          },
        },
      ],
    },
    // A guard on one path only, inside a loop, inside a catch block, or under a condition it does not understand.
    {
      code: `
'use server';
import { auth } from '@/auth';
import { db } from '@/lib/db';
export async function a(id: string, strict: boolean) {
  const session = await auth();
  if (strict) {
    if (!session) throw new Error('Unauthorized');
  }
  await db.post.delete({ where: { id } });
}
export async function b(ids: string[]) {
  for (const id of ids) {
    const session = await auth();
    if (!session) break;
  }
  await db.post.deleteMany({ where: { id: { in: ids } } });
}
export async function c(id: string) {
  try {
    await db.post.delete({ where: { id } });
  } catch {
    await requireUser();
  }
}
export async function d(id: string) {
  const user = await getCurrentUser();
  if (isBanned(user)) throw new Error('Banned');
  await db.post.delete({ where: { id } });
}
export async function e(id: string, flag: boolean) {
  const session = await auth();
  if (!session && flag) throw new Error('Unauthorized');
  await db.post.delete({ where: { id } });
}
`,
      errors: [
        { messageId: 'authNotEnforced', line: 5, data: { action: 'Server Action `a`', check: 'auth()', work: 'db.post.delete', where: 'line 10', via: '', objectHint: '' } },
        { messageId: 'authNotEnforced', line: 12, data: { action: 'Server Action `b`', check: 'auth()', work: 'db.post.deleteMany', where: 'line 17', via: '', objectHint: '' } },
        { messageId: 'authAfterWork', line: 19, data: { action: 'Server Action `c`', check: 'requireUser()', checkLine: 23, work: 'db.post.delete', where: 'line 21', via: '' } },
        { messageId: 'authNotEnforced', line: 26, data: { action: 'Server Action `d`', check: 'getCurrentUser()', work: 'db.post.delete', where: 'line 29', via: '', objectHint: '' } },
        { messageId: 'authNotEnforced', line: 31, data: { action: 'Server Action `e`', check: 'auth()', work: 'db.post.delete', where: 'line 34', via: '', objectHint: '' } },
      ],
    },
    // A guard handed on as a promise does not guard the work that runs beside it.
    {
      code: `
'use server';
import { db } from '@/lib/db';
export async function listMine() {
  const [user, invoices] = await Promise.all([requireUser(), db.invoice.findMany()]);
  return invoices;
}
`,
      errors: [
        { messageId: 'authResultUnchecked', line: 4, data: { action: 'Server Action `listMine`', check: 'requireUser()', work: 'db.invoice.findMany', where: 'line 5', via: '', objectHint: '' } },
      ],
    },
    // The check comes after the work.
    {
      code: `
'use server';
import { auth } from '@/auth';
import { db } from '@/lib/db';
export async function renamePost(id: string, title: string) {
  await db.post.update({ where: { id }, data: { title } });
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
}
`,
      errors: [
        {
          messageId: 'authAfterWork',
          line: 5,
          column: 23,
          endColumn: 33,
          data: { action: 'Server Action `renamePost`', work: 'db.post.update', where: 'line 6', via: '', check: 'auth()', checkLine: 7 },
        },
      ],
    },
  ],
});

// The work happens in an imported service, on a real tree: the message points at its file and line.
const project = realpathSync(mkdtempSync(path.join(tmpdir(), 'next-actions-auth-')));
afterAll(() => rmSync(project, { recursive: true, force: true }));
for (const [file, text] of Object.entries({
  'package.json': '{ "name": "app", "private": true }',
  'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }',
  'lib/services/profile.ts': `import { prisma } from '@/lib/db';

export async function updateProfile(id: string, bio: string) {
  return prisma.profile.update({ where: { userId: id }, data: { bio } });
}
`,
})) {
  mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  writeFileSync(path.join(project, file), text);
}

ruleTester.run('require-action-auth (imported helpers)', rule, {
  valid: [
    // The session is checked before the service runs.
    {
      code: `'use server';
import { auth } from '@/auth';
import { updateProfile } from '@/lib/services/profile';

export async function saveBio(id: string, bio: string) {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  await updateProfile(id, bio);
}
`,
      filename: path.join(project, 'app/profile/actions.ts'),
    },
  ],
  invalid: [
    {
      code: `'use server';
import { updateProfile } from '@/lib/services/profile';

export async function saveBio(id: string, bio: string) {
  await updateProfile(id, bio);
}
`,
      filename: path.join(project, 'app/profile/actions.ts'),
      errors: [
        {
          messageId: 'missingAuth',
          line: 4,
          column: 23,
          endLine: 4,
          endColumn: 30,
          data: {
            action: 'Server Action `saveBio`',
            work: 'prisma.profile.update',
            where: 'lib/services/profile.ts:4',
            via: ', in `updateProfile`',
            allowHint: ALLOW('saveBio'),
          },
        },
      ],
    },
  ],
});

// Precision on real apps: inferred identity helpers, capabilities, public content, verdicts, webhooks, package calls.
const app = realpathSync(mkdtempSync(path.join(tmpdir(), 'next-actions-auth-precision-')));
afterAll(() => rmSync(app, { recursive: true, force: true }));
for (const [file, text] of Object.entries({
  'package.json': '{ "name": "app", "private": true, "dependencies": { "next": "15.3.0" } }',
  'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }',
  'lib/identity.ts': `import { currentUser } from '@clerk/nextjs/server';
import { db } from '@/lib/db';

export async function getUserId() {
  const user = await currentUser();
  return user?.id ?? null;
}

export async function getTeamIdForUser() {
  const user = await currentUser();
  if (!user) return undefined;
  const membership = await db.teamMember.findFirst({ where: { userId: user.id } });
  return membership?.teamId;
}
`,
  'lib/session.ts': `import { cookies } from 'next/headers';
import { db } from '@/lib/db';

export async function validateSessionToken(token: string) {
  const session = await db.session.findUnique({ where: { id: token } });
  if (!session) return { session: null, user: null };
  await db.session.update({ where: { id: token }, data: { expiresAt: new Date(Date.now() + 1000) } });
  return { session, user: session.user };
}

export async function getCurrentSession() {
  const token = (await cookies()).get('session')?.value ?? null;
  if (token === null) return { session: null, user: null };
  return validateSessionToken(token);
}
`,
  'lib/cart.ts': `import { cookies } from 'next/headers';

export async function addToCart(lines: { id: string }[]) {
  const cartId = (await cookies()).get('cartId')?.value;
  return shopFetch({ method: 'POST', query: 'cartLinesAdd', variables: { cartId, lines } });
}

export async function createCart() {
  return shopFetch({ method: 'POST', query: 'cartCreate' });
}

async function shopFetch(options: { method: string; query: string; variables?: unknown }) {
  const response = await fetch('https://shop.example.com/graphql', { method: 'POST', body: JSON.stringify(options) });
  return response.json();
}
`,
})) {
  mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
  writeFileSync(path.join(app, file), text);
}
const appFile = path.join(app, 'app/actions.ts');

ruleTester.run('require-action-auth (precision)', rule, {
  valid: [
    // A project helper, in another file, that answers the caller's id or nothing; its result is checked.
    {
      code: `'use server';
import { getUserId, getTeamIdForUser } from '@/lib/identity';
import { redirect } from 'next/navigation';
import { db } from '@/lib/db';

export async function deletePost(id: string) {
  const userId = await getUserId();
  if (!userId) throw new Error('Unauthorized');
  await db.post.delete({ where: { id, authorId: userId } });
}
export async function renameTeam(name: string) {
  const teamId = Number(await getTeamIdForUser());
  if (!Number.isFinite(teamId)) return;
  await db.team.update({ where: { id: teamId }, data: { name } });
}
export async function leaveTeam() {
  const teamId = await getTeamIdForUser();
  if (!teamId) redirect('/sign-in');
  await db.teamMember.deleteMany({ where: { teamId } });
}
`,
      filename: appFile,
    },
    // A session helper that renews the session row is the check, not the work.
    {
      code: `'use server';
import { getCurrentSession } from '@/lib/session';
import { db } from '@/lib/db';

export async function savePost(title: string) {
  const { user } = await getCurrentSession();
  if (user === null) return { error: 'Sign in first.' };
  await db.post.create({ data: { title, authorId: user.id } });
}
`,
      filename: appFile,
    },
    // Capability-scoped: a guest cart named by a cookie the server set, and the action that makes it.
    {
      code: `'use server';
import { cookies } from 'next/headers';
import { addToCart, createCart } from '@/lib/cart';
import { db } from '@/lib/db';
import { and, eq } from 'drizzle-orm';

export async function addItem(id: string) {
  await addToCart([{ id }]);
}
export async function createCartAndSetCookie() {
  const cart = await createCart();
  (await cookies()).set('cartId', cart.id);
}
export async function getCart() {
  const cartId = (await cookies()).get('cartId')?.value;
  if (!cartId) return [];
  const cart = await db.query.carts.findFirst({ where: eq(carts.id, cartId) });
  return cart?.items ?? [];
}
export async function clearCart() {
  const cookieStore = await cookies();
  const cartId = cookieStore.get('cartId')?.value;
  await db.update(carts).set({ items: [] }).where(and(eq(carts.id, cartId)));
}
`,
      filename: appFile,
    },
    // Capability-scoped: a one-time token from an email link finds the row the action changes.
    {
      code: `'use server';
import { db } from '@/lib/db';

export async function acceptInvite(token: string) {
  const invite = await db.invitation.findUnique({ where: { token } });
  if (!invite) return { error: 'Invalid link' };
  await db.teamMember.create({ data: { teamId: invite.teamId, email: invite.email } });
  await db.invitation.delete({ where: { id: invite.id } });
}
export async function updateNewsletter(input: { token: string; newsletter: boolean }) {
  await db.update(notifications).set({ newsletter: input.newsletter }).where(eq(notifications.token, input.token));
}
`,
      filename: appFile,
    },
    // Public content: a catalogue, a story and a search, as public pages render them.
    `
'use server';
import { db } from '@/lib/db';
export async function filterProducts(query: string) {
  return db.product.findMany({ where: { name: { contains: query } } });
}
export async function getStory(slug: string) {
  const { data } = await supabase.from('stories').select('*').eq('slug', slug).single();
  return data;
}
export async function searchPosts(q: string) {
  const rows = await db.select().from(posts).where(like(posts.title, q));
  return rows;
}
`,
    // Verdict-only: the action answers yes or no about what it read.
    `
'use server';
import { db } from '@/lib/db';
export async function isHandleAvailable(handle: string) {
  const account = await db.account.findFirst({ where: { handle } });
  return !account;
}
export async function emailTaken(email: string) {
  return (await db.user.count({ where: { email } })) > 0;
}
`,
    // A webhook processor behind a signature check: the provider calls it, the signature is the guard.
    `
'use server';
import { db } from '@/lib/db';
export async function processStripeEvent(body: string, signature: string) {
  const event = stripe.webhooks.constructEvent(body, signature, process.env.STRIPE_WEBHOOK_SECRET!);
  await db.order.update({ where: { id: event.data.object.id }, data: { paid: true } });
}
export async function processClerkEvent(payload: string, headers: Record<string, string>) {
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!);
  const event = wh.verify(payload, headers);
  await db.user.upsert({ where: { id: event.data.id }, create: {}, update: {} });
}
export async function processHook(body: string, signature: string) {
  if (!verifySignature(body, signature)) throw new Error('Bad signature');
  await db.user.delete({ where: { id: JSON.parse(body).id } });
}
`,
    // Throttled by the caller's IP address: written for anonymous callers, public on purpose.
    `
'use server';
import { headers } from 'next/headers';
import { db } from '@/lib/db';
export async function applyToProgram(programId: string, email: string) {
  const ip = (await headers()).get('x-forwarded-for') ?? 'unknown';
  const { success } = await ratelimit(3, '1 m').limit(\`apply:\${programId}:\${ip}\`);
  if (!success) throw new Error('Too many requests');
  await db.application.create({ data: { programId, email } });
}
export async function uploadApplicationImage(slug: string) {
  const { success } = await rateLimit({ key: \`upload:\${await getIP()}\` });
  if (!success) throw new Error('Too many requests');
  return db.program.findUnique({ where: { slug } });
}
`,
    // A one-time secret from the arguments keys the data it reaches: the row by its token, a cache entry by its hash.
    `
'use server';
import { db } from '@/lib/db';
async function deleteEmailChangeRequest(token: string) {
  const hashedToken = await hashToken(token);
  await db.verificationToken.delete({ where: { token: hashedToken } });
  await redis.del(\`email-change:\${hashedToken}\`);
}
export async function cancelEmailChange({ token }: { token: string }) {
  await deleteEmailChangeRequest(token);
}
`,
    // Mail to the site owner from a contact form is public on purpose.
    `
'use server';
export async function contact(formData: FormData) {
  await resend.emails.send({ from: 'site@example.com', to: 'owner@example.com', subject: 'Contact', text: String(formData.get('message')) });
}
`,
  ],
  invalid: [
    // A cookie that claims who the caller is, and a cart id from the arguments, are not capabilities.
    {
      code: `'use server';
import { cookies } from 'next/headers';
import { db } from '@/lib/db';

export async function deleteAccount() {
  const userId = (await cookies()).get('userId')?.value;
  await db.user.delete({ where: { id: userId } });
}
export async function getCartItems(input: { cartId: string }) {
  const cart = await db.query.carts.findFirst({ where: eq(carts.id, input.cartId) });
  return cart?.items;
}
`,
      filename: appFile,
      errors: [
        { messageId: 'missingAuth', line: 5, data: { action: 'Server Action `deleteAccount`', work: 'db.user.delete', where: 'line 7', via: '', allowHint: ALLOW('deleteAccount') } },
        { messageId: 'missingAuth', line: 9, data: { action: 'Server Action `getCartItems`', work: 'db.query.carts.findFirst', where: 'line 10', via: '', allowHint: ALLOW('getCartItems') } },
      ],
    },
    // Content tied to a user or a tenant is not public: the owner filter, or a private table.
    {
      code: `'use server';
import { db } from '@/lib/db';

export async function listPosts(userId: string) {
  return db.post.findMany({ where: { userId } });
}
export async function getInvoice(id: string) {
  return db.invoice.findUnique({ where: { id } });
}
export async function getSuggestions(documentId: string) {
  return db.select().from(suggestion).where(eq(suggestion.documentId, documentId));
}
`,
      filename: appFile,
      errors: [
        { messageId: 'missingAuth', line: 4, data: { action: 'Server Action `listPosts`', work: 'db.post.findMany', where: 'line 5', via: '', allowHint: ALLOW('listPosts') } },
        { messageId: 'missingAuth', line: 7, data: { action: 'Server Action `getInvoice`', work: 'db.invoice.findUnique', where: 'line 8', via: '', allowHint: ALLOW('getInvoice') } },
        { messageId: 'missingAuth', line: 10, data: { action: 'Server Action `getSuggestions`', work: 'db.select().from(suggestion)', where: 'line 11', via: '', allowHint: ALLOW('getSuggestions') } },
      ],
    },
    // Package calls that do privileged work with client-supplied ids, and no guard.
    {
      code: `'use server';
import { del } from '@vercel/blob';
import { generateText } from 'ai';

export async function removeFile(key: string) {
  await utapi.deleteFiles(key);
}
export async function removeBlob(url: string) {
  await del(url);
}
export async function getSubscription(customerId: string) {
  const subscriptions = await stripe.subscriptions.list({ customer: customerId });
  return subscriptions.data;
}
export async function invite(to: string, token: string) {
  await resend.emails.send({ from: 'team@example.com', to, subject: 'Join us', text: token });
}
export async function summarize(prompt: string) {
  const { text } = await generateText({ model, prompt });
  return text;
}
`,
      filename: appFile,
      errors: [
        { messageId: 'missingAuth', line: 5, data: { action: 'Server Action `removeFile`', work: 'utapi.deleteFiles', where: 'line 6', via: '', allowHint: ALLOW('removeFile') } },
        { messageId: 'missingAuth', line: 8, data: { action: 'Server Action `removeBlob`', work: 'del', where: 'line 9', via: '', allowHint: ALLOW('removeBlob') } },
        { messageId: 'missingAuth', line: 11, data: { action: 'Server Action `getSubscription`', work: 'stripe.subscriptions.list', where: 'line 12', via: '', allowHint: ALLOW('getSubscription') } },
        { messageId: 'missingAuth', line: 15, data: { action: 'Server Action `invite`', work: 'resend.emails.send', where: 'line 16', via: '', allowHint: ALLOW('invite') } },
        { messageId: 'missingAuth', line: 18, data: { action: 'Server Action `summarize`', work: 'generateText', where: 'line 19', via: '', allowHint: ALLOW('summarize') } },
      ],
    },
    // The auth call's result is never tested, and the message names the write, not the first read.
    {
      code: `'use server';
import { getCurrentSession } from '@/lib/session';
import { db } from '@/lib/db';

export async function renameProject(id: string, name: string) {
  await getCurrentSession();
  const project = await db.project.findUnique({ where: { id } });
  await db.project.update({ where: { id }, data: { name } });
  return project;
}
`,
      filename: appFile,
      errors: [
        {
          messageId: 'authResultUnchecked',
          line: 5,
          data: { action: 'Server Action `renameProject`', check: 'getCurrentSession()', work: 'db.project.update', where: 'line 8', via: '', objectHint: '' },
        },
      ],
    },
  ],
});

// The suggested guard, for each authentication library the rule knows, is one the rule accepts.
const VENDORS: { name: string; imports: string; guard: string[]; uses?: string }[] = [
  { name: 'Clerk auth()', imports: "import { auth } from '@clerk/nextjs/server';", guard: ['const { userId } = await auth();', "if (!userId) throw new Error('Unauthorized');"] },
  { name: 'Clerk currentUser()', imports: "import { currentUser } from '@clerk/nextjs/server';", guard: ['const user = await currentUser();', "if (!user) throw new Error('Unauthorized');"] },
  { name: 'Auth.js auth()', imports: "import { auth } from '@/auth';", guard: ['const session = await auth();', "if (!session) throw new Error('Unauthorized');"] },
  {
    name: 'Auth.js v4 getServerSession(authOptions)',
    imports: "import { getServerSession } from 'next-auth';\nimport { authOptions } from '@/lib/auth';",
    uses: 'export async function me() {\n  return getServerSession(authOptions);\n}\n',
    guard: ['const session = await getServerSession(authOptions);', "if (!session) throw new Error('Unauthorized');"],
  },
  {
    name: 'Better Auth auth.api.getSession',
    imports: "import { headers } from 'next/headers';\nimport { auth } from '@/lib/auth';",
    uses: 'export async function me() {\n  return auth.api.getSession({ headers: await headers() });\n}\n',
    guard: ['const session = await auth.api.getSession({ headers: await headers() });', "if (!session) throw new Error('Unauthorized');"],
  },
  {
    name: 'Kinde getKindeServerSession()',
    imports: "import { getKindeServerSession } from '@kinde-oss/kinde-auth-nextjs/server';",
    guard: ['const { isAuthenticated } = getKindeServerSession();', "if (!(await isAuthenticated())) throw new Error('Unauthorized');"],
  },
  { name: 'WorkOS withAuth', imports: "import { withAuth } from '@workos-inc/authkit-nextjs';", guard: ['await withAuth({ ensureSignedIn: true });'] },
  { name: 'Lucia validateRequest()', imports: "import { validateRequest } from '@/lib/auth';", guard: ['const { user } = await validateRequest();', "if (!user) throw new Error('Unauthorized');"] },
  { name: 'a project contract', imports: "import { requireUser } from '@/lib/dal';", guard: ['await requireUser();'] },
  { name: 'a project check', imports: "import { getCurrentUser } from '@/lib/session';", guard: ['const user = await getCurrentUser();', "if (!user) throw new Error('Unauthorized');"] },
];

const vendorCode = (vendor: (typeof VENDORS)[number], guard: string[]) => `'use server';
${vendor.imports}
import { db } from '@/lib/db';

${vendor.uses ?? ''}export async function deletePost(id: string) {
${guard.map(line => `  ${line}\n`).join('')}  await db.post.delete({ where: { id } });
}
`;

ruleTester.run('require-action-auth (suggested guard per library)', rule, {
  valid: VENDORS.map(vendor => ({ name: vendor.name, code: vendorCode(vendor, vendor.guard), filename: 'app/posts/actions.ts' })),
  invalid: VENDORS.map(vendor => ({
    name: vendor.name,
    code: vendorCode(vendor, []),
    filename: 'app/posts/actions.ts',
    errors: [
      {
        messageId: 'missingAuth' as const,
        suggestions: [
          {
            messageId: 'addAuthCheck' as const,
            data: { code: vendor.guard.map(line => line.replace(/;$/, '')).join('; ') },
            output: vendorCode(vendor, vendor.guard),
          },
        ],
      },
    ],
  })),
});
