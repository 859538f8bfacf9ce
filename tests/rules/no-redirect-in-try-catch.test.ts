import { rmSync } from 'node:fs';
import path from 'node:path';
import parser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import rule from '../../src/rules/no-redirect-in-try-catch.js';
import { ruleTester } from '../rule-tester.js';
import { makeTempDir, writeInto } from '../support/temp-tree.js';

ruleTester.run('no-redirect-in-try-catch', rule, {
  valid: [
    // The redirect runs after the try statement.
    {
      code: `'use server';
import { redirect } from 'next/navigation';
export async function create() {
  try {
    await db.post.create({ data: {} });
  } catch (error) {
    return { message: 'Failed' };
  }
  redirect('/posts');
}
`,
      filename: 'app/posts/actions.ts',
    },
    // A try with only a finally catches nothing.
    {
      code: `'use server';
import { redirect } from 'next/navigation';
export async function create() {
  try {
    redirect('/posts');
  } finally {
    console.log('done');
  }
}
`,
      filename: 'app/posts/actions.ts',
    },
    // unstable_rethrow first, named or through the namespace, with logging before it.
    {
      code: `'use server';
import { redirect, unstable_rethrow } from 'next/navigation';
import * as nav from 'next/navigation';
export async function a() {
  try {
    redirect('/a');
  } catch (error) {
    unstable_rethrow(error);
    return { message: 'Failed' };
  }
}
export async function b() {
  try {
    nav.notFound();
  } catch (e) {
    console.error(e);
    nav.unstable_rethrow(e);
    return null;
  }
}
`,
      filename: 'app/posts/actions.ts',
    },
    // The caught error is thrown again on every path that does not return for another error.
    {
      code: `'use server';
import { redirect } from 'next/navigation';
export async function a() {
  try {
    redirect('/a');
  } catch (e) {
    if (e instanceof ZodError) return { errors: e.issues };
    if (e instanceof Prisma.PrismaClientKnownRequestError) return { error: 'Taken' };
    throw e;
  }
}
export async function b() {
  try {
    redirect('/a');
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
    return { error: 'Invalid credentials' };
  }
}
export async function c() {
  try {
    redirect('/a');
  } catch (e) {
    if (e.code === 'P2002') return { error: 'Taken' };
    console.error(e);
    throw e;
  }
}
`,
      filename: 'app/posts/actions.ts',
    },
    // Next.js's own predicates, followed by a throw.
    {
      code: `'use server';
import { notFound, redirect } from 'next/navigation';
import { isRedirectError } from 'next/dist/client/components/redirect-error';
import { isNextRouterError } from 'next/dist/client/components/is-next-router-error';
export async function a() {
  try {
    redirect('/a');
  } catch (error) {
    if (isRedirectError(error)) throw error;
    return { message: 'Failed' };
  }
}
export async function b() {
  try {
    notFound();
  } catch (error) {
    if (isNextRouterError(error)) {
      throw error;
    }
    return null;
  }
}
`,
      filename: 'app/posts/actions.ts',
    },
    // Checks of the digest or the message that the rule cannot evaluate, followed by a throw.
    {
      code: `'use server';
import { redirect } from 'next/navigation';
export async function a() {
  try {
    redirect('/a');
  } catch (error: any) {
    if (error?.digest?.startsWith('NEXT_REDIRECT')) throw error;
    return { message: 'Failed' };
  }
}
export async function b() {
  try {
    redirect('/b');
  } catch (error) {
    if ((error as Error).message === 'NEXT_REDIRECT') {
      throw error;
    }
    return { message: 'Failed' };
  }
}
`,
      filename: 'app/posts/actions.ts',
    },
    // The error is handed to a same-file function that rethrows it.
    {
      code: `'use server';
import { redirect } from 'next/navigation';
import { isRedirectError } from 'next/dist/client/components/redirect-error';
function handleError(error: unknown) {
  if (isRedirectError(error)) throw error;
  return { message: 'Failed' };
}
export async function a() {
  try {
    redirect('/a');
  } catch (error) {
    return handleError(error);
  }
}
`,
      filename: 'app/posts/actions.ts',
    },
    // A callback runs outside the try's protection.
    {
      code: `'use server';
import { redirect } from 'next/navigation';
export async function a() {
  try {
    await fetch('/x').then(() => redirect('/a'));
    const go = () => redirect('/b');
    return go;
  } catch {
    return null;
  }
}
`,
      filename: 'app/posts/actions.ts',
    },
    // Client Components are left alone.
    {
      code: `'use client';
import { redirect } from 'next/navigation';
export default function Page() {
  try {
    redirect('/a');
  } catch {
    return null;
  }
}
`,
      filename: 'app/posts/page.tsx',
    },
    // Not next/navigation's redirect: another module's, or a shadowing parameter.
    {
      code: `'use server';
import { redirect } from './redirect';
import { notFound } from 'next/navigation';
export async function a(notFound: () => never) {
  try {
    redirect('/a');
    notFound();
  } catch {
    return null;
  }
}
`,
      filename: 'app/posts/actions.ts',
    },
    // In the catch block, not in the try block.
    {
      code: `import { notFound } from 'next/navigation';
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  let post;
  try {
    post = await getPost((await params).id);
  } catch {
    notFound();
  }
  return <h1>{post.title}</h1>;
}
`,
      filename: 'app/posts/[id]/page.tsx',
    },
    // The catch ends in the same navigation: the user gets it either way.
    {
      code: `import { notFound } from 'next/navigation';
export default async function Page() {
  try {
    const post = await getPost();
    if (!post) notFound();
    return <h1>{post.title}</h1>;
  } catch {
    notFound();
  }
}
`,
      filename: 'app/posts/[id]/page.tsx',
    },
    // A module whose environment is unknown (no directive, outside app/, not server-only).
    {
      code: `import { redirect } from 'next/navigation';
export async function requireUser() {
  try {
    redirect('/login');
  } catch {
    return null;
  }
}
`,
      filename: 'lib/auth.ts',
    },
    // A file with inline actions: only the actions and what they call are judged.
    {
      code: `import { redirect } from 'next/navigation';
export function helper() {
  try {
    redirect('/a');
  } catch {
    return null;
  }
}
export function Form() {
  async function save() {
    'use server';
    redirect('/saved');
  }
  return <form action={save} />;
}
`,
      filename: 'components/form.tsx',
    },
    // Nested tries: the inner catch rethrows and the outer one rethrows too.
    {
      code: `'use server';
import { redirect, unstable_rethrow } from 'next/navigation';
export async function a() {
  try {
    try {
      redirect('/a');
    } catch (inner) {
      throw inner;
    }
  } catch (outer) {
    unstable_rethrow(outer);
    return null;
  }
}
`,
      filename: 'app/posts/actions.ts',
    },
    // A same-file helper that only redirects sometimes is a guard, not a navigation.
    {
      code: `'use server';
import { redirect } from 'next/navigation';
async function requireUser() {
  const user = await auth();
  if (!user) redirect('/login');
  return user;
}
export async function a() {
  try {
    const user = await requireUser();
    return user.id;
  } catch {
    return null;
  }
}
`,
      filename: 'app/posts/actions.ts',
    },
    // An error handler the analysis cannot follow may rethrow: not a certain swallow.
    {
      code: `'use server';
import { redirect } from 'next/navigation';
import { handleActionError } from '@/lib/errors';
export async function a() {
  try {
    redirect('/a');
  } catch (error) {
    return handleActionError(error);
  }
}
`,
      filename: 'app/posts/actions.ts',
    },
  ],
  invalid: [
    // The Next.js docs' case: the redirect at the end of the try; the catch returns an error.
    {
      code: `'use server';
import { redirect } from 'next/navigation';

export async function createPost(formData: FormData) {
  try {
    await db.post.create({ data: { title: formData.get('title') } });
    redirect('/posts');
  } catch (error) {
    console.error(error);
    return { message: 'Failed to create the post' };
  }
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'swallowedNavigation',
          line: 7,
          column: 5,
          endLine: 7,
          endColumn: 23,
          data: {
            call: "redirect('/posts')",
            line: '8',
            instead: 'the action returns normally and the user stays on the page',
            effect: 'the redirect never happens',
            binding: 'error',
          },
          suggestions: [
            {
              messageId: 'moveAfterTry',
              data: { call: "redirect('/posts')" },
              output: `'use server';
import { redirect } from 'next/navigation';

export async function createPost(formData: FormData) {
  try {
    await db.post.create({ data: { title: formData.get('title') } });
  } catch (error) {
    console.error(error);
    return { message: 'Failed to create the post' };
  }
  redirect('/posts');
}
`,
            },
            {
              messageId: 'addRethrow',
              data: { binding: 'error' },
              output: `'use server';
import { redirect, unstable_rethrow } from 'next/navigation';

export async function createPost(formData: FormData) {
  try {
    await db.post.create({ data: { title: formData.get('title') } });
    redirect('/posts');
  } catch (error) {
    unstable_rethrow(error);
    console.error(error);
    return { message: 'Failed to create the post' };
  }
}
`,
            },
          ],
        },
      ],
    },
    // Renamed import; a catch without a binding gets one.
    {
      code: `'use server';
import { notFound as missing } from 'next/navigation';

export async function load(id: string) {
  try {
    const post = await db.post.findUnique({ where: { id } });
    if (!post) missing();
    return post;
  } catch {
    return null;
  }
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'swallowedNavigation',
          line: 7,
          column: 16,
          endLine: 7,
          endColumn: 25,
          data: {
            call: 'missing()',
            line: '9',
            instead: 'the action returns normally and the user stays on the page',
            effect: 'the 404 page never shows',
            binding: 'error',
          },
          suggestions: [
            {
              messageId: 'addRethrow',
              data: { binding: 'error' },
              output: `'use server';
import { notFound as missing, unstable_rethrow } from 'next/navigation';

export async function load(id: string) {
  try {
    const post = await db.post.findUnique({ where: { id } });
    if (!post) missing();
    return post;
  } catch (error) {
    unstable_rethrow(error);
    return null;
  }
}
`,
            },
          ],
        },
      ],
    },
    // Through a namespace; the redirect's argument is declared in the try, so it cannot move.
    {
      code: `'use server';
import * as navigation from 'next/navigation';

export async function checkout() {
  try {
    const session = await stripe.checkout.sessions.create({});
    navigation.redirect(session.url);
  } catch (e) {
    return { error: 'Checkout failed' };
  }
}
`,
      filename: 'app/billing/actions.ts',
      errors: [
        {
          messageId: 'swallowedNavigation',
          line: 7,
          column: 5,
          endLine: 7,
          endColumn: 37,
          data: {
            call: 'navigation.redirect(session.url)',
            line: '8',
            instead: 'the action returns normally and the user stays on the page',
            effect: 'the redirect never happens',
            binding: 'e',
          },
          suggestions: [
            {
              messageId: 'addRethrow',
              data: { binding: 'e' },
              output: `'use server';
import * as navigation from 'next/navigation';

export async function checkout() {
  try {
    const session = await stripe.checkout.sessions.create({});
    navigation.redirect(session.url);
  } catch (e) {
    navigation.unstable_rethrow(e);
    return { error: 'Checkout failed' };
  }
}
`,
            },
          ],
        },
      ],
    },
    // `instanceof Error` is true for Next.js's errors: that return swallows the redirect.
    {
      code: `'use server';
import { redirect } from 'next/navigation';

export async function save() {
  let id: string;
  try {
    id = await db.post.create({ data: {} });
    redirect(\`/posts/\${id}\`);
  } catch (e) {
    if (e instanceof Error) return { error: e.message };
    throw e;
  }
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'swallowedNavigation',
          line: 8,
          column: 5,
          endLine: 8,
          endColumn: 29,
          data: {
            call: 'redirect(…)',
            line: '9',
            instead: 'the action returns normally and the user stays on the page',
            effect: 'the redirect never happens',
            binding: 'e',
          },
          suggestions: [
            {
              messageId: 'moveAfterTry',
              data: { call: 'redirect(…)' },
              output: `'use server';
import { redirect } from 'next/navigation';

export async function save() {
  let id: string;
  try {
    id = await db.post.create({ data: {} });
  } catch (e) {
    if (e instanceof Error) return { error: e.message };
    throw e;
  }
  redirect(\`/posts/\${id}\`);
}
`,
            },
            {
              messageId: 'addRethrow',
              data: { binding: 'e' },
              output: `'use server';
import { redirect, unstable_rethrow } from 'next/navigation';

export async function save() {
  let id: string;
  try {
    id = await db.post.create({ data: {} });
    redirect(\`/posts/\${id}\`);
  } catch (e) {
    unstable_rethrow(e);
    if (e instanceof Error) return { error: e.message };
    throw e;
  }
}
`,
            },
          ],
        },
      ],
    },
    // isRedirectError does not recognise notFound(); the catch throws another error.
    {
      code: `'use server';
import { notFound } from 'next/navigation';
import { isRedirectError } from 'next/dist/client/components/redirect-error';

export async function load(id: string) {
  try {
    const post = await db.post.findUnique({ where: { id } });
    if (!post) notFound();
    return post;
  } catch (error) {
    if (isRedirectError(error)) throw error;
    throw new Error('Could not load the post');
  }
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'swallowedNavigation',
          line: 8,
          column: 16,
          endLine: 8,
          endColumn: 26,
          data: {
            call: 'notFound()',
            line: '10',
            instead: 'the `catch` throws another error instead',
            effect: 'the 404 page never shows',
            binding: 'error',
          },
          suggestions: [
            {
              messageId: 'addRethrow',
              data: { binding: 'error' },
              output: `'use server';
import { notFound, unstable_rethrow } from 'next/navigation';
import { isRedirectError } from 'next/dist/client/components/redirect-error';

export async function load(id: string) {
  try {
    const post = await db.post.findUnique({ where: { id } });
    if (!post) notFound();
    return post;
  } catch (error) {
    unstable_rethrow(error);
    if (isRedirectError(error)) throw error;
    throw new Error('Could not load the post');
  }
}
`,
            },
          ],
        },
      ],
    },
    // A Route Handler, without semicolons and with CRLF line endings.
    {
      code: "import { NextResponse } from 'next/server'\r\nimport { redirect } from 'next/navigation'\r\n\r\nexport async function GET() {\r\n  try {\r\n    await signOut()\r\n    redirect('/')\r\n  } catch (error) {\r\n    return NextResponse.json({ error: 'Failed' }, { status: 500 })\r\n  }\r\n}\r\n",
      filename: 'app/api/logout/route.ts',
      errors: [
        {
          messageId: 'swallowedNavigation',
          line: 7,
          column: 5,
          endLine: 7,
          endColumn: 18,
          data: {
            call: "redirect('/')",
            line: '8',
            instead: 'the handler carries on and sends its own response',
            effect: 'the redirect never happens',
            binding: 'error',
          },
          suggestions: [
            {
              messageId: 'moveAfterTry',
              data: { call: "redirect('/')" },
              output:
                "import { NextResponse } from 'next/server'\r\nimport { redirect } from 'next/navigation'\r\n\r\nexport async function GET() {\r\n  try {\r\n    await signOut()\r\n  } catch (error) {\r\n    return NextResponse.json({ error: 'Failed' }, { status: 500 })\r\n  }\r\n  redirect('/')\r\n}\r\n",
            },
            {
              messageId: 'addRethrow',
              data: { binding: 'error' },
              output:
                "import { NextResponse } from 'next/server'\r\nimport { redirect, unstable_rethrow } from 'next/navigation'\r\n\r\nexport async function GET() {\r\n  try {\r\n    await signOut()\r\n    redirect('/')\r\n  } catch (error) {\r\n    unstable_rethrow(error)\r\n    return NextResponse.json({ error: 'Failed' }, { status: 500 })\r\n  }\r\n}\r\n",
            },
          ],
        },
      ],
    },
    // A Server Component page; the import of unstable_rethrow is added after the last import.
    {
      code: `import { notFound } from 'next/navigation';
import { getPost } from '@/lib/posts';

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  try {
    const post = await getPost((await params).id);
    if (!post) notFound();
    return <h1>{post.title}</h1>;
  } catch {}
  return <p>Something went wrong.</p>;
}
`,
      filename: 'app/posts/[id]/page.tsx',
      errors: [
        {
          messageId: 'swallowedNavigation',
          line: 7,
          column: 16,
          endLine: 7,
          endColumn: 26,
          data: {
            call: 'notFound()',
            line: '9',
            instead: 'the page carries on rendering',
            effect: 'the 404 page never shows',
            binding: 'error',
          },
          suggestions: [
            {
              messageId: 'addRethrow',
              data: { binding: 'error' },
              output: `import { notFound, unstable_rethrow } from 'next/navigation';
import { getPost } from '@/lib/posts';

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  try {
    const post = await getPost((await params).id);
    if (!post) notFound();
    return <h1>{post.title}</h1>;
  } catch (error) {
    unstable_rethrow(error);
  }
  return <p>Something went wrong.</p>;
}
`,
            },
          ],
        },
      ],
    },
    // Nested tries: the inner catch rethrows, the outer one swallows; an outer `error` is not shadowed.
    {
      code: `'use server';
import { redirect } from 'next/navigation';

export async function a(error: string) {
  try {
    try {
      await db.post.create({ data: {} });
      redirect('/posts');
    } catch (inner) {
      throw inner;
    }
  } catch {
    return { error };
  }
}
`,
      filename: 'app/posts/actions.ts',
      errors: [
        {
          messageId: 'swallowedNavigation',
          line: 8,
          column: 7,
          endLine: 8,
          endColumn: 25,
          data: {
            call: "redirect('/posts')",
            line: '12',
            instead: 'the action returns normally and the user stays on the page',
            effect: 'the redirect never happens',
            binding: 'err',
          },
          suggestions: [
            {
              messageId: 'addRethrow',
              data: { binding: 'err' },
              output: `'use server';
import { redirect, unstable_rethrow } from 'next/navigation';

export async function a(error: string) {
  try {
    try {
      await db.post.create({ data: {} });
      redirect('/posts');
    } catch (inner) {
      throw inner;
    }
  } catch (err) {
    unstable_rethrow(err);
    return { error };
  }
}
`,
            },
          ],
        },
      ],
    },
    // A same-file helper that always redirects; the catch redirects somewhere else.
    {
      code: `'use server';
import { redirect } from 'next/navigation';

function toDashboard() {
  redirect('/dashboard');
}

export async function signIn(formData: FormData) {
  try {
    await auth.signIn(formData);
    toDashboard();
  } catch (error) {
    redirect('/login?error=1');
  }
}
`,
      filename: 'app/login/actions.ts',
      errors: [
        {
          messageId: 'swallowedHelperNavigation',
          line: 11,
          column: 5,
          endLine: 11,
          endColumn: 18,
          data: {
            call: 'toDashboard()',
            navigation: 'redirect',
            where: 'line 5',
            line: '12',
            instead: 'the `catch` navigates elsewhere instead',
            effect: 'the redirect never happens',
            binding: 'error',
          },
          suggestions: [
            {
              messageId: 'moveAfterTry',
              data: { call: 'toDashboard()' },
              output: `'use server';
import { redirect } from 'next/navigation';

function toDashboard() {
  redirect('/dashboard');
}

export async function signIn(formData: FormData) {
  try {
    await auth.signIn(formData);
  } catch (error) {
    redirect('/login?error=1');
  }
  toDashboard();
}
`,
            },
            {
              messageId: 'addRethrow',
              data: { binding: 'error' },
              output: `'use server';
import { redirect, unstable_rethrow } from 'next/navigation';

function toDashboard() {
  redirect('/dashboard');
}

export async function signIn(formData: FormData) {
  try {
    await auth.signIn(formData);
    toDashboard();
  } catch (error) {
    unstable_rethrow(error);
    redirect('/login?error=1');
  }
}
`,
            },
          ],
        },
      ],
    },
    // An inline action in a Server Component; unstable_rethrow is shadowed there, so only the move is offered.
    {
      code: `import { redirect } from 'next/navigation';

export function Form({ unstable_rethrow }: { unstable_rethrow: boolean }) {
  async function save(formData: FormData) {
    'use server';
    try {
      await db.post.create({ data: {} });
      return redirect('/posts');
    } catch (e) {
      return { failed: unstable_rethrow };
    }
  }
  return <form action={save} />;
}
`,
      filename: 'components/form.tsx',
      errors: [
        {
          messageId: 'swallowedNavigation',
          line: 8,
          column: 14,
          endLine: 8,
          endColumn: 32,
          data: {
            call: "redirect('/posts')",
            line: '9',
            instead: 'the action returns normally and the user stays on the page',
            effect: 'the redirect never happens',
            binding: 'e',
          },
          suggestions: [
            {
              messageId: 'moveAfterTry',
              data: { call: "redirect('/posts')" },
              output: `import { redirect } from 'next/navigation';

export function Form({ unstable_rethrow }: { unstable_rethrow: boolean }) {
  async function save(formData: FormData) {
    'use server';
    try {
      await db.post.create({ data: {} });
    } catch (e) {
      return { failed: unstable_rethrow };
    }
    return redirect('/posts');
  }
  return <form action={save} />;
}
`,
            },
          ],
        },
      ],
    },
    // A server-only module; a one-line empty catch; a catch that falls through cannot take the moved call.
    {
      code: `import 'server-only';
import { redirect } from 'next/navigation';

export async function requireAdmin() {
  try {
    const user = await getUser();
    if (!user.admin) redirect('/');
  } catch (e) {}
}
`,
      filename: 'lib/admin.ts',
      errors: [
        {
          messageId: 'swallowedNavigation',
          line: 7,
          column: 22,
          endLine: 7,
          endColumn: 35,
          data: {
            call: "redirect('/')",
            line: '8',
            instead: 'the code after the `catch` carries on',
            effect: 'the redirect never happens',
            binding: 'e',
          },
          suggestions: [
            {
              messageId: 'addRethrow',
              data: { binding: 'e' },
              output: `import 'server-only';
import { redirect, unstable_rethrow } from 'next/navigation';

export async function requireAdmin() {
  try {
    const user = await getUser();
    if (!user.admin) redirect('/');
  } catch (e) {
    unstable_rethrow(e);
  }
}
`,
            },
          ],
        },
      ],
    },
  ],
});

// Helpers imported from the project's own modules, on a real tree.
const project = makeTempDir('next-actions-redirect-');
afterAll(() => rmSync(project, { recursive: true, force: true }));
writeInto(project, 'package.json', '{ "name": "app", "private": true }');
writeInto(project, 'tsconfig.json', '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }');
writeInto(
  project,
  'lib/billing.ts',
  `import { redirect } from 'next/navigation';

export async function startCheckout(plan: string) {
  const session = await stripe.checkout.sessions.create({ plan });
  redirect(session.url);
}

export async function maybeUpgrade(plan: string) {
  if (plan === 'pro') redirect('/upgrade');
  return plan;
}
`,
);
writeInto(
  project,
  'lib/errors.ts',
  `import { unstable_rethrow } from 'next/navigation';

export function actionError(error: unknown) {
  unstable_rethrow(error);
  return { error: 'Something went wrong' };
}

export function logError(error: unknown) {
  console.error(error);
  return { error: 'Something went wrong' };
}
`,
);

writeInto(
  project,
  'lib/redirects.ts',
  `import { redirect } from 'next/navigation';

export function encodedRedirect(type: 'error' | 'success', path: string, message: string) {
  return redirect(\`\${path}?\${type}=\${encodeURIComponent(message)}\`);
}
`,
);

ruleTester.run('no-redirect-in-try-catch (imported helpers)', rule, {
  valid: [
    // A helper that redirects only sometimes; a catch handing the error to a helper that rethrows it.
    {
      code: `'use server';
import { maybeUpgrade, startCheckout } from '@/lib/billing';
import { actionError } from '@/lib/errors';

export async function a(plan: string) {
  try {
    return await maybeUpgrade(plan);
  } catch {
    return null;
  }
}
export async function b(plan: string) {
  try {
    await startCheckout(plan);
  } catch (error) {
    return actionError(error);
  }
}
`,
      filename: path.join(project, 'app/billing/actions.ts'),
    },
  ],
  invalid: [
    // The helper always ends in a redirect; the catch's handler only logs.
    {
      code: `'use server';
import { startCheckout } from '@/lib/billing';
import { logError } from '@/lib/errors';

export async function upgrade(plan: string) {
  try {
    await startCheckout(plan);
  } catch (error) {
    return logError(error);
  }
}
`,
      filename: path.join(project, 'app/billing/actions.ts'),
      errors: [
        {
          messageId: 'swallowedHelperNavigation',
          line: 7,
          column: 11,
          endLine: 7,
          endColumn: 30,
          data: {
            call: 'startCheckout(plan)',
            navigation: 'redirect',
            where: 'lib/billing.ts:5',
            line: '8',
            instead: 'the action returns normally and the user stays on the page',
            effect: 'the redirect never happens',
            binding: 'error',
          },
          suggestions: [
            {
              messageId: 'addRethrow',
              data: { binding: 'error' },
              output: `'use server';
import { startCheckout } from '@/lib/billing';
import { logError } from '@/lib/errors';
import { unstable_rethrow } from 'next/navigation';

export async function upgrade(plan: string) {
  try {
    await startCheckout(plan);
  } catch (error) {
    unstable_rethrow(error);
    return logError(error);
  }
}
`,
            },
          ],
        },
      ],
    },
    // A returned helper call that always redirects; the catch redirects elsewhere through the same helper.
    {
      code: `'use server';
import { redirect } from 'next/navigation';
import { encodedRedirect } from '@/lib/redirects';

export async function signOut() {
  try {
    await auth.signOut();
    return encodedRedirect('success', '/sign-in', 'Signed out');
  } catch (error) {
    return encodedRedirect('error', '/', 'Failed to sign out');
  }
}
`,
      filename: path.join(project, 'app/auth/actions.ts'),
      errors: [
        {
          messageId: 'swallowedHelperNavigation',
          line: 8,
          column: 12,
          endLine: 8,
          endColumn: 64,
          data: {
            call: "encodedRedirect('success', '/sign-in', 'Signed out')",
            navigation: 'redirect',
            where: 'lib/redirects.ts:4',
            line: '9',
            instead: 'the `catch` navigates elsewhere instead',
            effect: 'the redirect never happens',
            binding: 'error',
          },
          suggestions: [
            {
              messageId: 'moveAfterTry',
              data: { call: "encodedRedirect('success', '/sign-in', 'Signed out')" },
              output: `'use server';
import { redirect } from 'next/navigation';
import { encodedRedirect } from '@/lib/redirects';

export async function signOut() {
  try {
    await auth.signOut();
  } catch (error) {
    return encodedRedirect('error', '/', 'Failed to sign out');
  }
  return encodedRedirect('success', '/sign-in', 'Signed out');
}
`,
            },
            {
              messageId: 'addRethrow',
              data: { binding: 'error' },
              output: `'use server';
import { redirect, unstable_rethrow } from 'next/navigation';
import { encodedRedirect } from '@/lib/redirects';

export async function signOut() {
  try {
    await auth.signOut();
    return encodedRedirect('success', '/sign-in', 'Signed out');
  } catch (error) {
    unstable_rethrow(error);
    return encodedRedirect('error', '/', 'Failed to sign out');
  }
}
`,
            },
          ],
        },
      ],
    },
  ],
});

// Every suggestion parses and clears the report it was offered for.
describe('no-redirect-in-try-catch suggestions', () => {
  const linter = new Linter({ configType: 'flat' });
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts', '**/*.tsx'],
      plugins: { local: { rules: { 'no-redirect-in-try-catch': rule as never } } },
      languageOptions: { parser, parserOptions: { ecmaFeatures: { jsx: true } } },
      rules: { 'local/no-redirect-in-try-catch': 'error' },
    },
  ];
  const cases: [string, string][] = [
    [
      'app/posts/actions.ts',
      `'use server';
import { redirect } from 'next/navigation';
export async function a() {
  try {
    await db.post.create({ data: {} });
    redirect('/posts');
  } catch (error) {
    console.error(error);
    return { message: 'Failed' };
  }
}
`,
    ],
    [
      'app/posts/actions.ts',
      `'use server'
import * as nav from 'next/navigation'
export async function a() {
  try {
    await db.post.create({ data: {} })
    nav.redirect('/posts')
  } catch { return null }
}
`,
    ],
    ['app/api/logout/route.ts', "import { redirect } from 'next/navigation'\r\nexport async function GET() {\r\n  try { redirect('/') } catch {}\r\n}\r\n"],
    [
      'app/posts/[id]/page.tsx',
      `import { notFound } from 'next/navigation';
export default async function Page() {
  try {
    const post = await getPost();
    if (!post) notFound();
    return <h1>{post.title}</h1>;
  } catch {
    // logged by the data layer
  }
  return null;
}
`,
    ],
    [
      'app/posts/actions.ts',
      `'use server'
import { redirect } from 'next/navigation'
export async function a() {
  try {
    await save()
    redirect('/posts')
  } catch {
    ;[1, 2].forEach(log)
    return null
  }
}
`,
    ],
  ];

  it('says which call, which catch, what the user gets instead, and the fix', () => {
    const [message] = linter.verify(cases[0]![1], config, { filename: cases[0]![0] });
    expect(message?.message).toBe(
      "`redirect('/posts')` works by throwing, and the `catch` on line 7 catches that throw, so the redirect never happens: the action returns normally and the user stays on the page. Call it after the `try` statement, or start the `catch` with `unstable_rethrow(error)` from `next/navigation`.",
    );
  });

  it.each(cases)('%s: each suggestion parses and clears the report', (filename, code) => {
    const messages = linter.verify(code, config, { filename });
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      expect(message.fatal).toBeUndefined();
      expect(message.suggestions?.length).toBeGreaterThan(0);
      for (const suggestion of message.suggestions ?? []) {
        const fixed = code.slice(0, suggestion.fix.range[0]) + suggestion.fix.text + code.slice(suggestion.fix.range[1]);
        const after = linter.verify(fixed, config, { filename });
        expect(after.filter(item => item.fatal), fixed).toEqual([]);
        expect(after.filter(item => item.line === message.line && item.column === message.column), fixed).toEqual([]);
        expect(after.length, fixed).toBe(messages.length - 1);
        expect(fixed.includes('\r\n')).toBe(code.includes('\r\n'));
      }
    }
  });
});
