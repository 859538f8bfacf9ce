import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuthAnalyzer, isAuthFlowActionName, isContractName } from '../../src/analysis/auth/index.js';
import { getServerActions } from '../../src/analysis/server-actions.js';
import { findFunction } from '../support/parse.js';
import { withContext } from '../support/probe.js';
import { makeTempDir } from '../support/temp-tree.js';

function callsIn(root: TSESTree.Node): TSESTree.CallExpression[] {
  const found: TSESTree.CallExpression[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if ((node as TSESTree.Node).type === AST_NODE_TYPES.CallExpression) found.push(node as TSESTree.CallExpression);
    for (const [key, value] of Object.entries(node)) if (key !== 'parent') stack.push(...(Array.isArray(value) ? value : [value]));
  }
  return found.sort((a, b) => a.range[0] - b.range[0]);
}

/** Every authentication call of function `name`: `label kind` (and `object` when its answer is always an object). */
const authCallsOf = (code: string, name = 'action', settings?: Record<string, unknown>) =>
  withContext(
    code,
    'app/actions.ts',
    context =>
      createAuthAnalyzer(context)
        .analyze(findFunction(context.sourceCode.ast, name))
        .authCalls.map(found => `${found.label} ${found.kind}${found.objectResult ? ' object' : ''}${found.named ? '' : ' (by body)'}`),
    { settings: settings && { 'next-actions': settings } },
  );

/** Whether each call of function `name` runs after a guard: `callee: guarded|open`. */
const guardsOf = (code: string, name = 'action') =>
  withContext(code, 'app/actions.ts', context => {
    const analyzer = createAuthAnalyzer(context);
    const fn = findFunction(context.sourceCode.ast, name);
    const analysis = analyzer.analyze(fn);
    return callsIn(fn).map(call => `${context.sourceCode.getText(call.callee)}: ${analysis.guardedAt(call) ? 'guarded' : 'open'}`);
  });

const exitsOf = (code: string, name: string) =>
  withContext(code, 'app/actions.ts', context => createAuthAnalyzer(context).analyze(findFunction(context.sourceCode.ast, name)).exits);

/** The first unguarded work of each Server Action in the file: `name: label` or `name: -`. */
const unguardedOf = (code: string, filename = 'app/actions.ts', options: { cwd?: string } = {}) =>
  withContext(
    code,
    filename,
    context => {
      const analyzer = createAuthAnalyzer(context);
      return getServerActions(context).actions.map(action => `${action.name}: ${analyzer.findUnguardedWork(action.fn)?.effect.label ?? '-'}`);
    },
    options,
  );

const wrappersOf = (code: string, filename = 'app/actions.ts', options: { cwd?: string; authWrappers?: string[] } = {}) =>
  withContext(
    code,
    filename,
    context => {
      const analyzer = createAuthAnalyzer(context, { authWrappers: options.authWrappers ?? [] });
      return getServerActions(context).actions.map(
        action => `${action.name}: ${action.wrapper && (analyzer.isAuthWrapper(action.wrapper) || analyzer.readsAuthContext(action.fn)) ? 'authenticated' : 'open'}`,
      );
    },
    { cwd: options.cwd },
  );

describe('authCalls', () => {
  it('knows each library and tells checks from contracts', () => {
    expect(
      authCallsOf(`
import { auth as clerkAuth, currentUser } from '@clerk/nextjs/server';
import { auth } from '@/auth';
async function action() {
  await auth();
  await clerkAuth();
  await clerkAuth.protect();
  await currentUser();
  await getServerSession(authOptions);
  await supabase.auth.getUser();
  await (await createClient()).auth.getUser();
  getKindeServerSession();
  await getIronSession(store, options);
  await validateRequest();
  await betterAuth.api.getSession({ headers: h });
  await requireUser();
  await requireSession();
  await verifySession();
  await withAuth({ ensureSignedIn: true });
}`),
    ).toEqual([
      'auth() check',
      'clerkAuth() check object',
      'clerkAuth.protect() contract',
      'currentUser() check',
      'getServerSession() check',
      'supabase.auth.getUser() check object',
      '(await createClient()).auth.getUser() check object',
      'getKindeServerSession() check object',
      'getIronSession() check object',
      'validateRequest() check object',
      'betterAuth.api.getSession() check',
      'requireUser() contract',
      'requireSession() contract',
      'verifySession() contract',
      'withAuth() contract',
    ]);
  });

  it("treats Clerk's auth() as an object only when it is imported from Clerk", () => {
    expect(authCallsOf(`import { auth } from '@clerk/nextjs/server';\nasync function action() { await auth(); }`)).toEqual(['auth() check object']);
    expect(authCallsOf(`import { auth } from '@/auth';\nasync function action() { await auth(); }`)).toEqual(['auth() check']);
  });

  it('recognises project guards by name, and getUser only without arguments', () => {
    expect(
      authCallsOf(`
async function action(id: string, user: unknown) {
  await requireAdmin();
  await ensureSignedIn();
  await assertIsOwner(id);
  await getUserOrThrow();
  await getAuthUser();
  await getCurrentSession();
  await fetchViewer();
  await getUser();
  await getUser(id);
  await getUserById(id);
  await requireFields(id);
  await checkPermission(user, 'edit');
  await isAuthenticated();
  const admin = await checkIsAdmin();
  await verifyAdmin();
  await isPublished(id);
}`),
    ).toEqual([
      'requireAdmin() contract',
      'ensureSignedIn() contract',
      'assertIsOwner() contract',
      'getUserOrThrow() contract',
      'getAuthUser() check',
      'getCurrentSession() check',
      'fetchViewer() check',
      'getUser() check',
      'isAuthenticated() check',
      'checkIsAdmin() check',
      'verifyAdmin() contract',
    ]);
  });

  it('counts an assertion on a user only when its value is dropped', () => {
    expect(
      authCallsOf(`
async function action() {
  const user = await getCurrentUser();
  checkPermission(user, 'edit');
  const allowed = checkPermission(user, 'edit');
}`),
    ).toEqual(['getCurrentUser() check', 'checkPermission() contract']);
  });

  it('trusts configured functions as guards, except the built-in checks', () => {
    expect(
      authCallsOf(`async function action() {\n  await authorizeRequest();\n  await auth();\n}`, 'action', { authFunctions: ['authorizeRequest', 'auth'] }),
    ).toEqual(['authorizeRequest() contract', 'auth() check']);
  });

  it('reads same-file helpers: one that stops a signed-out caller is a contract, one that answers is a check', () => {
    expect(
      authCallsOf(`
import { auth } from '@/auth';
async function mustBeSignedIn() {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  return session;
}
async function sessionOrNull() {
  const session = await auth();
  return session;
}
async function action() {
  await mustBeSignedIn();
  await sessionOrNull();
}`),
    ).toEqual(['mustBeSignedIn() contract (by body)', 'sessionOrNull() check (by body)']);
  });

  it('takes a session looked up by hand for the check it is', () => {
    expect(authCallsOf(`async function action(token: string) {\n  await db.session.findUnique({ where: { token } });\n}`)).toEqual([
      'db.session.findUnique() check',
    ]);
  });

  it('ignores data-layer calls and unrelated functions', () => {
    expect(authCallsOf(`async function action() {\n  await db.user.findUniqueOrThrow({ where: { id: 1 } });\n  await sendEmail();\n}`)).toEqual([]);
  });
});

describe('analyze', () => {
  it('guards what follows a stopped check, and not what comes before it', () => {
    expect(
      guardsOf(`
import { auth } from '@/auth';
async function action() {
  before();
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  after();
}`),
    ).toEqual(['before: open', 'auth: open', 'after: guarded']);
  });

  it('guards the branch a signed-in caller takes, in statements and expressions', () => {
    expect(
      guardsOf(`
import { auth } from '@/auth';
async function action() {
  const session = await auth();
  if (session) inside(); else outside();
  session ? yes() : no();
  session && and();
  session || or();
  last();
}`),
    ).toEqual(['auth: open', 'inside: guarded', 'outside: open', 'yes: guarded', 'no: open', 'and: guarded', 'or: open', 'last: open']);
  });

  it('counts a branch as stopped by throw, return, break, redirect, notFound and a helper that always throws', () => {
    expect(
      guardsOf(`
import { notFound, redirect } from 'next/navigation';
function fail(): never { throw new Error('no'); }
async function action(items: string[]) {
  const user = await currentUser();
  if (!user) redirect('/login');
  a();
  const other = await currentUser();
  if (!other) notFound();
  b();
  for (const item of items) {
    const s = await currentUser();
    if (!s) break;
    c();
  }
  const again = await currentUser();
  if (!again) fail();
  d();
}`),
    ).toEqual([
      'currentUser: open',
      'redirect: open',
      'a: guarded',
      'currentUser: guarded',
      'notFound: guarded',
      'b: guarded',
      'currentUser: guarded',
      'c: guarded',
      'currentUser: guarded',
      'fail: guarded',
      'd: guarded',
    ]);
  });

  it('does not carry a guard out of a loop, a switch case, a catch block or a callback', () => {
    expect(
      guardsOf(`
async function action(items: string[], kind: string) {
  for (const item of items) await requireUser();
  a();
  switch (kind) {
    case 'x':
      await requireUser();
  }
  b();
  try {
    work();
  } catch {
    await requireUser();
  }
  c();
  items.forEach(async () => { await requireUser(); inner(); });
  d();
}`),
    ).toEqual([
      'requireUser: open',
      'a: open',
      'requireUser: open',
      'b: open',
      'work: open',
      'requireUser: open',
      'c: open',
      'items.forEach: open',
      'requireUser: open',
      'inner: guarded',
      'd: open',
    ]);
  });

  it('lets a contract guard what follows only once it has settled', () => {
    expect(
      guardsOf(`
async function action() {
  await Promise.all([requireUser(), beside()]);
  const user = await requireUser();
  after(user);
}`),
    ).toEqual(['Promise.all: open', 'requireUser: open', 'beside: open', 'requireUser: open', 'after: guarded']);
  });

  it('reads conditions as a signed-out caller sees them', () => {
    expect(
      guardsOf(`
import { auth } from '@/auth';
async function action(post: { authorId: string }) {
  const session = await auth();
  if (session?.user.role !== 'admin') return;
  a();
}
async function b() {
  const session = await auth();
  if (isBanned(session)) return;
  c();
}
async function d() {
  const { data: { user }, error } = await supabase.auth.getUser();
  if (error) return;
  e();
}`),
    ).toEqual(['auth: open', 'a: guarded']);
    expect(
      guardsOf(
        `
import { auth } from '@/auth';
async function b() {
  const session = await auth();
  if (isBanned(session)) return;
  c();
}`,
        'b',
      ),
    ).toEqual(['auth: open', 'isBanned: open', 'c: open']);
    expect(
      guardsOf(
        `
async function d() {
  const { data: { user }, error } = await supabase.auth.getUser();
  if (error) return;
  e();
}`,
        'd',
      ),
    ).toEqual(['supabase.auth.getUser: open', 'e: guarded']);
  });

  it('lists one exit per way a function completes, guarded or not', () => {
    const code = `
import { auth } from '@/auth';
async function maybe() {
  const session = await auth();
  if (!session) return null;
  return session.user;
}
async function always() {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
}
function never() {
  throw new Error('no');
}`;
    expect(exitsOf(code, 'maybe')).toEqual([false, true]);
    expect(exitsOf(code, 'always')).toEqual([true]);
    expect(exitsOf(code, 'never')).toEqual([]);
  });
});

describe('findUnguardedWork', () => {
  it('follows same-file helpers to where the work happens', () => {
    expect(
      unguardedOf(`
'use server';
import { auth } from '@/auth';
async function removeOwn(id: string) {
  const session = await auth();
  if (!session) return;
  await db.post.delete({ where: { id } });
}
async function removeAny(id: string) {
  await db.post.delete({ where: { id } });
}
async function getViewer() {
  return db.user.findFirst({ where: { token: 't' } });
}
export async function a(id: string) {
  await removeOwn(id);
}
export async function b(id: string) {
  await removeAny(id);
}
export async function c(id: string) {
  const viewer = await getViewer();
  if (!viewer) throw new Error('Unauthorized');
  await db.post.delete({ where: { id } });
}
`),
    ).toEqual(['a: -', 'b: db.post.delete', 'c: -']);
  });

  it('counts reads only when the action hands read data back, not a verdict about it', () => {
    expect(
      unguardedOf(`
'use server';
export async function exists(slug: string) {
  const post = await db.invoice.findFirst({ where: { slug } });
  return post !== null;
}
export async function check(slug: string) {
  const post = await db.invoice.findFirst({ where: { slug } });
  if (post) throw new Error('Taken');
}
export async function available(handle: string) {
  const taken = await db.account.count({ where: { handle } });
  return { available: taken === 0, free: !taken, known: Boolean(taken) };
}
export async function find(slug: string) {
  const invoice = await db.invoice.findFirst({ where: { slug } });
  return invoice;
}
`),
    ).toEqual(['exists: -', 'check: -', 'available: -', 'find: db.invoice.findFirst']);
  });
});

describe('isAuthWrapper and readsAuthContext', () => {
  it('knows authenticated clients and wrappers by name, and the option adds names', () => {
    expect(
      wrappersOf(
        `
'use server';
export const a = authActionClient.schema(s).action(async () => {});
export const b = authedProcedure.createServerAction().handler(async () => {});
export const c = protectedAction(async () => {});
export const d = withAuth(async () => {});
export const e = validatedActionWithUser(s, async () => {});
export const f = actionClient.use(authMiddleware).action(async () => {});
export const g = teamClient.action(async () => {});
export const h = actionClient.action(async () => {});
export const i = user.posts.map(async () => {});
export const j = auth(async () => {});
`,
        'app/actions.ts',
        { authWrappers: ['teamClient'] },
      ),
    ).toEqual([
      'a: authenticated',
      'b: authenticated',
      'c: authenticated',
      'd: authenticated',
      'e: authenticated',
      'f: authenticated',
      'g: authenticated',
      'h: open',
      'i: open',
      'j: open',
    ]);
  });

  it('takes a handler that receives the caller from its wrapper as authenticated', () => {
    expect(
      wrappersOf(`
'use server';
export const a = actionClient.action(async ({ ctx: { userId } }) => {});
export const b = actionClient.action(async ({ ctx }) => ctx.session.user);
export const c = validated(s, async (data, formData, user) => {});
export const d = actionClient.action(async ({ ctx: { logger } }) => {});
export const e = actionClient.action(async ({ parsedInput: { user } }) => {});
`),
    ).toEqual(['a: authenticated', 'b: authenticated', 'c: authenticated', 'd: open', 'e: open']);
  });

  describe('across modules', () => {
    const root = makeTempDir('next-actions-auth-');
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(path.join(root, 'lib'), { recursive: true });
    mkdirSync(path.join(root, 'app'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), '{ "name": "auth-probe", "private": true }');
    writeFileSync(
      path.join(root, 'lib/safe-action.ts'),
      `import { createSafeActionClient } from 'next-safe-action';
import { auth } from './auth';
const baseClient = createSafeActionClient().use(async ({ next }) => next({ ctx: { logger: console } }));
export const actionClient = baseClient.use(async ({ next }) => {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  return next({ ctx: { session } });
});
export { baseClient as publicClient };
export function validated(schema: unknown, action: (data: unknown) => Promise<unknown>) {
  return async (data: unknown) => action(data);
}
`,
    );
    writeFileSync(
      path.join(root, 'lib/wrappers.ts'),
      `import { getUser } from './queries';
export { actionClient as appClient } from './safe-action';
export function guarded<T>(action: (user: unknown, data: T) => Promise<unknown>) {
  return async (data: T) => {
    const user = await getUser();
    if (!user) throw new Error('Unauthorized');
    return action(user, data);
  };
}
`,
    );

    writeFileSync(
      path.join(root, 'lib/posts.ts'),
      `import { redirect } from 'next/navigation';
import { auth } from './auth';
import { db } from './db';
export async function deleteOwnPost(id: string) {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  await db.post.delete({ where: { id, authorId: session.user.id } });
}
export async function deleteAnyPost(id: string) {
  await db.post.delete({ where: { id } });
}
export async function currentTeam() {
  const session = await auth();
  if (!session) redirect('/login');
  return session.user.teamId;
}
export async function sessionOrNull() {
  return auth();
}
`,
    );

    it('judges imported helpers in their own module', () => {
      expect(
        unguardedOf(
          `
'use server';
import { currentTeam, deleteAnyPost, deleteOwnPost, sessionOrNull } from '../lib/posts';
import { db } from '../lib/db';
export async function a(id: string) {
  await deleteOwnPost(id);
}
export async function b(id: string) {
  await deleteAnyPost(id);
}
export async function c(id: string) {
  const teamId = await currentTeam();
  await db.team.delete({ where: { id: teamId } });
}
export async function d(id: string) {
  const session = await sessionOrNull();
  if (!session) throw new Error('Unauthorized');
  await db.team.delete({ where: { id } });
}
export async function e(id: string) {
  await sessionOrNull();
  await db.team.delete({ where: { id } });
}
`,
          path.join(root, 'app/actions.ts'),
          { cwd: root },
        ),
      ).toEqual(['a: -', 'b: db.post.delete', 'c: -', 'd: -', 'e: db.team.delete']);
    });

    it('follows a client or wrapper to the module that defines it', () => {
      expect(
        wrappersOf(
          `
'use server';
import { actionClient, publicClient, validated } from '../lib/safe-action';
import { guarded } from '../lib/wrappers';
export const a = actionClient.action(async () => {});
export const b = publicClient.action(async () => {});
export const c = validated(s, async () => {});
export const d = guarded(async (viewer, data) => {});
`,
          path.join(root, 'app/actions.ts'),
          { cwd: root },
        ),
      ).toEqual(['a: authenticated', 'b: open', 'c: open', 'd: authenticated']);
    });
  });
});

describe('names', () => {
  it('knows actions that sign people in, and authentication functions', () => {
    const names = ['signIn', 'signUpAction', 'handleLogin', 'logout', 'register', 'forgotPassword', 'verifyEmail', 'sendMagicLink', 'getCurrentUser', 'requireUser'];
    expect(names.filter(isAuthFlowActionName)).toEqual(names);
    expect(['createPost', 'registerDevice', 'getUser', 'signature', 'updatePassword'].filter(isAuthFlowActionName)).toEqual([]);
  });

  it('tells guards that stop by themselves from checks', () => {
    expect(['requireUser', 'auth.protect', 'auth().protect', 'requireAdmin', 'assertCanEdit', 'getSessionOrRedirect', 'authorize'].filter(isContractName)).toHaveLength(7);
    expect(['auth', 'getSession', 'protect', 'requireFields', 'assertValid'].filter(isContractName)).toEqual([]);
  });

  it('counts writes and mutating requests as privileged, reads only when their data is returned, never session lookups', () => {
    expect(
      unguardedOf(`
'use server';
import { revalidatePath } from 'next/cache';
import { cookies } from 'next/headers';
export async function write() {
  await db.invoice.create({ data: {} });
}
export async function post() {
  await fetch('https://api.example.com/invoices', { method: 'POST' });
}
export async function get() {
  return fetch('https://api.example.com/invoices');
}
export async function readOnly() {
  await db.invoice.findMany();
}
export async function readBack() {
  return db.invoice.findMany();
}
export async function session(id: string) {
  return db.session.findUnique({ where: { id } });
}
export async function refresh() {
  revalidatePath('/');
}
export async function remember() {
  (await cookies()).set('theme', 'dark');
}
`),
    ).toEqual(['write: db.invoice.create', 'post: fetch', 'get: -', 'readOnly: -', 'readBack: db.invoice.findMany', 'session: -', 'refresh: -', 'remember: -']);
  });
});

describe('createAuthAnalyzer', () => {
  it('answers every caller of one file and the same options with one analyzer', () => {
    const code = `'use server';\nexport const a = checked(async () => {});`;
    expect(
      withContext(code, 'app/actions.ts', context => {
        const plain = createAuthAnalyzer(context);
        const configured = createAuthAnalyzer(context, { authWrappers: ['checked'] });
        const wrapper = getServerActions(context).actions[0]!.wrapper!;
        return [
          createAuthAnalyzer(context, { authWrappers: [] }) === plain,
          createAuthAnalyzer(context, { authWrappers: ['checked'] }) === configured,
          configured === plain,
          plain.isAuthWrapper(wrapper),
          configured.isAuthWrapper(wrapper),
        ];
      }),
    ).toEqual([true, true, false, false, true]);
    const first = withContext(code, 'app/actions.ts', context => createAuthAnalyzer(context));
    expect(withContext(code, 'app/actions.ts', context => createAuthAnalyzer(context))).not.toBe(first);
  });
});
