import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { clearForeignModuleCaches } from '../../src/analysis/foreign-module.js';
import { clearModuleCaches } from '../../src/analysis/modules.js';
import rule from '../../src/rules/valid-revalidation-context.js';
import { ruleTester } from '../rule-tester.js';
import { makeTempDir } from '../support/temp-tree.js';

const UPDATE_TAG_ERROR =
  '"updateTag can only be called from within a Server Action. To invalidate cache tags in Route Handlers or other contexts, use revalidateTag instead."';
const REFRESH_ERROR = '"refresh can only be called from within a Server Action."';
const COOKIE_ERROR = '"Cookies can only be modified in a Server Action or Route Handler."';
const ROUTE_ADVICE_UPDATE_TAG =
  "In a Route Handler use `revalidateTag(tag, 'max')`, or `revalidateTag(tag, { expire: 0 })` when the data must expire at once.";

function renderError(route: string, api: string): string {
  return `"Route "${route}": \`${api}\` can't be called during render. Call it from a Server Action or Route Handler instead."`;
}

function cacheError(api: string): string {
  return `"Route "…": \`${api}\` can't be called inside a cached function. Call it from a Server Action or Route Handler instead."`;
}

ruleTester.run('valid-revalidation-context', rule, {
  valid: [
    // Server Actions may do all of it: file-level and inline.
    {
      code: `
'use server';
import { revalidatePath, revalidateTag, updateTag, refresh } from 'next/cache';
import { cookies } from 'next/headers';
export async function save() {
  updateTag('posts');
  revalidateTag('feed', 'max');
  revalidatePath('/posts');
  refresh();
  (await cookies()).set('seen', '1');
}
`,
      filename: 'app/posts/actions.ts',
    },
    {
      code: `
import { revalidatePath } from 'next/cache';
export default function Page() {
  async function save() {
    'use server';
    revalidatePath('/posts');
  }
  return <form action={save}><button /></form>;
}
`,
      filename: 'app/posts/page.tsx',
    },
    // Route Handlers may revalidate paths and tags, and write cookies.
    {
      code: `
import { revalidatePath, revalidateTag } from 'next/cache';
import { cookies } from 'next/headers';
export async function POST() {
  revalidateTag('posts', { expire: 0 });
  revalidatePath('/posts');
  (await cookies()).delete('draft');
  return Response.json({ ok: true });
}
`,
      filename: 'app/api/revalidate/route.ts',
    },
    // Known by import, never by name: a local `revalidatePath` or one from another package is not Next's.
    {
      code: `
import { revalidatePath } from '@/lib/cache';
const refresh = () => {};
export default function Page() {
  revalidatePath('/posts');
  refresh();
  return <main />;
}
`,
      filename: 'app/page.tsx',
    },
    // A function the component only defines, or hands to a Client Component, does not run while it renders.
    {
      code: `
import { revalidatePath } from 'next/cache';
import { cookies } from 'next/headers';
export default async function Page() {
  const later = () => revalidatePath('/');
  const clear = async () => { (await cookies()).delete('x'); };
  return <Button onLater={later} onClear={clear} />;
}
`,
      filename: 'app/page.tsx',
    },
    // Reading cookies during render is fine; only writes throw.
    {
      code: `
import { cookies } from 'next/headers';
export default async function Page() {
  const theme = (await cookies()).get('theme');
  return <main>{theme?.value}</main>;
}
`,
      filename: 'app/page.tsx',
    },
    // Revalidation inside after() runs once the response is sent, outside render: Next.js allows it.
    {
      code: `
import { revalidatePath, revalidateTag } from 'next/cache';
import { after } from 'next/server';
export default async function Page() {
  after(async () => {
    revalidateTag('views', 'max');
    revalidatePath('/stats');
  });
  return <main />;
}
`,
      filename: 'app/stats/page.tsx',
    },
    // A helper of unknown context (not a component, not called from one) is not judged.
    {
      code: `
import { revalidatePath } from 'next/cache';
export async function bump() {
  revalidatePath('/');
}
export function format(value: number) {
  return value.toFixed(2);
}
`,
      filename: 'lib/cache.ts',
    },
    // A lowercase function returning JSX outside a component file is not assumed to be a component.
    {
      code: `
import { revalidatePath } from 'next/cache';
export function renderRow() {
  revalidatePath('/');
  return <tr />;
}
`,
      filename: 'lib/rows.tsx',
    },
    // The proxy may write cookies.
    {
      code: `
import { cookies } from 'next/headers';
export async function proxy() {
  (await cookies()).set('visited', '1');
}
`,
      filename: 'proxy.ts',
    },
    // A cached function called from render is judged as a cached function, not as render; here it only reads.
    {
      code: `
import { unstable_cache } from 'next/cache';
const getPosts = unstable_cache(async () => db.post.findMany(), ['posts']);
export default async function Page() {
  const posts = await getPosts();
  return <ul>{posts.length}</ul>;
}
`,
      filename: 'app/posts/page.tsx',
    },
    // Client Components: no next/cache import, nothing to say; `router.refresh()` is the client API.
    {
      code: `
'use client';
import { useRouter } from 'next/navigation';
export function Reload() {
  const router = useRouter();
  return <button onClick={() => router.refresh()}>Reload</button>;
}
`,
      filename: 'app/reload.tsx',
    },
    // Supabase's server client writes cookies in `setAll`, a method it calls later (and guards with try/catch).
    {
      code: `
import { cookies } from 'next/headers';
import { createServerClient } from '@supabase/ssr';
async function createClient() {
  const cookieStore = await cookies();
  return createServerClient(process.env.URL!, process.env.KEY!, {
    cookies: {
      getAll: () => cookieStore.getAll(),
      setAll(list: { name: string; value: string }[]) {
        try {
          list.forEach(({ name, value }) => cookieStore.set(name, value));
        } catch {}
      },
    },
  });
}
export default async function Page() {
  const supabase = await createClient();
  const { data } = await supabase.auth.getUser();
  return <p>{data.user?.email}</p>;
}
`,
      filename: 'app/account/page.tsx',
    },
    // A model function that happens to be called updateTag is not Next's.
    {
      code: `
import { updateTag } from '@/models/tag';
export async function PUT(request: Request) {
  const body = await request.json();
  return Response.json(await updateTag(body.id, body));
}
`,
      filename: 'app/api/tags/[id]/route.ts',
    },
    // An inline action in a Client Component is valid-server-actions' build error, not reported twice.
    {
      code: `
'use client';
import { revalidatePath } from 'next/cache';
export function Form() {
  async function save() {
    'use server';
    revalidatePath('/');
  }
  return <form action={save} />;
}
`,
      filename: 'app/form.tsx',
    },
    // Recursive helpers end the walk instead of looping.
    {
      code: `
function ping(n: number): number {
  return n > 0 ? pong(n - 1) : 0;
}
function pong(n: number): number {
  return ping(n);
}
export default function Page() {
  return <p>{ping(3)}</p>;
}
`,
      filename: 'app/page.tsx',
    },
    // Inside a Server Action, updateTag in after() still works (only the Route Handler check throws for it).
    {
      code: `
'use server';
import { updateTag } from 'next/cache';
import { after } from 'next/server';
export async function save() {
  after(() => updateTag('posts'));
}
`,
      filename: 'app/actions.ts',
    },
  ],
  invalid: [
    // updateTag in a Route Handler: the suggestion swaps it for revalidateTag(tag, 'max') and imports it.
    {
      code: `import { updateTag } from 'next/cache';
export async function POST(request: Request) {
  const { tag } = await request.json();
  updateTag(tag);
  return Response.json({ ok: true });
}
`,
      filename: 'app/api/revalidate/route.ts',
      errors: [
        {
          messageId: 'onlyInServerAction',
          data: { api: 'updateTag', place: 'the Route Handler app/api/revalidate/route.ts', chain: '', error: UPDATE_TAG_ERROR, advice: ROUTE_ADVICE_UPDATE_TAG },
          line: 4,
          column: 3,
          endColumn: 17,
          suggestions: [
            {
              messageId: 'useRevalidateTag',
              output: `import { updateTag, revalidateTag } from 'next/cache';
export async function POST(request: Request) {
  const { tag } = await request.json();
  revalidateTag(tag, 'max');
  return Response.json({ ok: true });
}
`,
            },
          ],
        },
      ],
    },
    // Through a namespace and a wrapper callback; refresh has no suggestion.
    {
      code: `import * as cache from 'next/cache';
export const POST = withAuth(async () => {
  cache.updateTag('posts');
  cache.refresh();
  return new Response(null, { status: 204 });
});
`,
      filename: 'app/api/posts/route.ts',
      errors: [
        {
          messageId: 'onlyInServerAction',
          line: 3,
          suggestions: [
            {
              messageId: 'useRevalidateTag',
              output: `import * as cache from 'next/cache';
export const POST = withAuth(async () => {
  cache.revalidateTag('posts', 'max');
  cache.refresh();
  return new Response(null, { status: 204 });
});
`,
            },
          ],
        },
        {
          messageId: 'onlyInServerAction',
          data: {
            api: 'refresh',
            place: 'the Route Handler app/api/posts/route.ts',
            chain: '',
            error: REFRESH_ERROR,
            advice: 'A Route Handler has no client router to refresh: remove the call, and use `revalidatePath` or `revalidateTag` when cached data changed.',
          },
          line: 4,
          suggestions: [],
        },
      ],
    },
    // Renamed import, called from a same-file helper of the Route Handler file.
    {
      code: `import { updateTag as expire } from 'next/cache';
function purge(tag: string) {
  expire(tag);
}
export async function DELETE() {
  purge('posts');
  return new Response(null);
}
`,
      filename: 'app/api/posts/route.ts',
      errors: [
        {
          messageId: 'onlyInServerAction',
          line: 3,
          suggestions: [
            {
              messageId: 'useRevalidateTag',
              output: `import { updateTag as expire, revalidateTag } from 'next/cache';
function purge(tag: string) {
  revalidateTag(tag, 'max');
}
export async function DELETE() {
  purge('posts');
  return new Response(null);
}
`,
            },
          ],
        },
      ],
    },
    // During render: directly, through a same-file helper, and a cookie write.
    {
      code: `import { revalidatePath, updateTag } from 'next/cache';
import { cookies } from 'next/headers';

async function markSeen() {
  (await cookies()).set('seen', '1');
}

export default async function PostsPage() {
  revalidatePath('/posts');
  await markSeen();
  return <main />;
}

export function Sidebar() {
  const items = ['a'].map(item => {
    updateTag(item);
    return item;
  });
  return <aside>{items}</aside>;
}
`,
      filename: 'app/posts/page.tsx',
      errors: [
        {
          messageId: 'duringRender',
          data: { api: 'revalidatePath', component: 'PostsPage', chain: '', error: renderError('/posts', 'revalidatePath') },
          line: 9,
          column: 3,
          endColumn: 27,
        },
        {
          messageId: 'duringRender',
          data: { api: 'cookies().set', component: 'PostsPage', chain: ', through `markSeen()` (`cookies().set` at line 5)', error: COOKIE_ERROR },
          line: 10,
          column: 9,
        },
        {
          messageId: 'duringRender',
          data: { api: 'updateTag', component: 'Sidebar', chain: '', error: renderError('/posts', 'updateTag') },
          line: 16,
        },
      ],
    },
    // An inline Server Action called directly while rendering runs during render.
    {
      code: `import { refresh } from 'next/cache';
async function reload() {
  'use server';
  refresh();
}
export default async function Page() {
  await reload();
  return <main />;
}
`,
      filename: 'app/page.tsx',
      errors: [{ messageId: 'duringRender', data: { api: 'refresh', component: 'Page', chain: ', through `reload()` (`refresh` at line 4)', error: renderError('/', 'refresh') }, line: 7 }],
    },
    // A PascalCase component outside app/ that returns JSX, in a file that is not a client file.
    {
      code: `import { revalidateTag } from 'next/cache';
export const Banner = () => {
  revalidateTag('banner', 'max');
  return <div />;
};
`,
      filename: 'components/banner.tsx',
      errors: [{ messageId: 'duringRender', data: { api: 'revalidateTag', component: 'Banner', chain: '', error: renderError('…', 'revalidateTag') }, line: 3 }],
    },
    // "use cache" functions and unstable_cache callbacks.
    {
      code: `import { revalidateTag, unstable_cache, updateTag } from 'next/cache';

export async function getPosts() {
  'use cache';
  revalidateTag('posts', 'max');
  return [];
}

const purge = () => updateTag('feed');
export const getFeed = unstable_cache(async () => {
  purge();
  return [];
}, ['feed']);
`,
      filename: 'lib/data.ts',
      errors: [
        {
          messageId: 'insideCachedFunction',
          data: { api: 'revalidateTag', cached: 'getPosts', how: '"use cache"', chain: '', error: cacheError('revalidateTag') },
          line: 5,
        },
        {
          messageId: 'insideCachedFunction',
          data: { api: 'updateTag', cached: 'getFeed', how: '`unstable_cache`', chain: ', through `purge()` (`updateTag` at line 9)', error: cacheError('updateTag') },
          line: 11,
        },
      ],
    },
    // A "use cache" file: every function in it is cached.
    {
      code: `'use cache';
import { revalidatePath } from 'next/cache';
export async function getStats() {
  revalidatePath('/stats');
  return 1;
}
`,
      filename: 'lib/stats.ts',
      errors: [{ messageId: 'insideCachedFunction', data: { api: 'revalidatePath', cached: 'getStats', how: '"use cache"', chain: '', error: cacheError('revalidatePath') }, line: 4 }],
    },
    // Proxy: revalidation is documented as impossible there; updateTag and refresh throw.
    {
      code: `import { revalidatePath, updateTag } from 'next/cache';
export function middleware() {
  revalidatePath('/');
  updateTag('x');
}
`,
      filename: 'middleware.ts',
      errors: [
        { messageId: 'inProxy', data: { api: 'revalidatePath', chain: '', file: 'middleware.ts' }, line: 3 },
        { messageId: 'onlyInServerAction', data: { api: 'updateTag', chain: '', place: 'middleware.ts', error: UPDATE_TAG_ERROR, advice: 'Call it from the Server Action that changes the data.' }, line: 4 },
      ],
    },
    // after() in a Server Action and a Route Handler: the response is gone, cookies and refresh() throw.
    {
      code: `'use server';
import { refresh } from 'next/cache';
import { cookies } from 'next/headers';
import { after } from 'next/server';
export async function save() {
  after(async () => {
    refresh();
    const store = await cookies();
    store.set('saved', '1');
  });
}
`,
      filename: 'app/actions.ts',
      errors: [
        { messageId: 'insideAfter', data: { api: 'refresh', chain: '', error: REFRESH_ERROR, advice: 'Call it before `after()`, in the Server Action itself.' }, line: 7 },
        { messageId: 'insideAfter', data: { api: 'cookies().set', chain: '', error: COOKIE_ERROR, advice: 'Call it before `after()`, in the Server Action itself.' }, line: 9 },
      ],
    },
    {
      code: `import { cookies } from 'next/headers';
import { after } from 'next/server';
export async function POST() {
  after(async () => (await cookies()).delete('token'));
  return new Response(null);
}
`,
      filename: 'app/api/logout/route.ts',
      errors: [{ messageId: 'insideAfter', data: { api: 'cookies().delete', chain: '', error: COOKIE_ERROR, advice: 'Call it before `after()`, in the Route Handler itself.' }, line: 4 }],
    },
    // refresh() in a Server Component's after() callback: not a Server Action, and the response is gone.
    {
      code: `import { refresh } from 'next/cache';
import { after } from 'next/server';
export default function Page() {
  after(() => {
    refresh();
  });
  return <main />;
}
`,
      filename: 'app/page.tsx',
      errors: [
        {
          messageId: 'insideAfter',
          data: { api: 'refresh', chain: '', error: REFRESH_ERROR, advice: 'Do it in the Server Action or Route Handler that changes the data.' },
          line: 5,
          column: 5,
          endColumn: 14,
        },
      ],
    },
    // Client Component files.
    {
      code: `'use client';
import { revalidatePath as rp } from 'next/cache';
export function Save() {
  return <button onClick={() => rp('/')}>Save</button>;
}
`,
      filename: 'app/save.tsx',
      errors: [
        {
          messageId: 'inClientComponent',
          data: { api: 'revalidatePath', error: 'the browser bundle of `next/cache` throws "`revalidatePath` is only available in a Server Component."' },
          line: 4,
          column: 33,
          endColumn: 40,
        },
      ],
    },
  ],
});

const WIDGET = `import { revalidatePath } from 'next/cache';
export function Widget() {
  revalidatePath('/');
  return <div />;
}
`;

// A small app on disk: helpers and actions imported into pages and Route Handlers.
const root = makeTempDir('next-actions-revalidation-');
for (const [file, text] of Object.entries({
  'package.json': '{ "name": "revalidation-app", "private": true }',
  'tsconfig.json': '{ "compilerOptions": { "moduleResolution": "bundler", "paths": { "@/*": ["./*"] } } }',
  'lib/cache.ts': `import { updateTag, revalidatePath } from 'next/cache';

export function expirePosts() {
  updateTag('posts');
}

export async function touch(path: string) {
  revalidatePath(path);
}
`,
  'lib/stats.ts': `import { touch } from './cache';

export async function recordView(slug: string) {
  await touch('/posts/' + slug);
}
`,
  'lib/cached.ts': `'use cache';
import { revalidatePath } from 'next/cache';
export async function getCached() {
  revalidatePath('/');
  return 1;
}
`,
  'pages/index.tsx': 'export default function Home() { return <main />; }\n',
  // The same component twice: only a Client Component renders the first, a page the second.
  'components/widget.tsx': WIDGET,
  'components/client-panel.tsx': "'use client';\nimport { Widget } from './widget';\nexport function Panel() {\n  return <Widget />;\n}\n",
  'app/panel/page.tsx': "import { Panel } from '@/components/client-panel';\nexport default function Page() {\n  return <Panel />;\n}\n",
  'components/server-widget.tsx': WIDGET,
  'app/widget/page.tsx': "import { Widget } from '@/components/server-widget';\nexport default function Page() {\n  return <Widget />;\n}\n",
  'lib/client-save.ts': "'use client';\nimport { revalidatePath } from 'next/cache';\n\nexport function save() {\n  revalidatePath('/');\n}\n",
  'lib/tools/index.ts': "export { save } from '../client-save';\nexport { touch } from '../cache';\n",
  'app/posts/actions.ts': `'use server';
import { revalidatePath } from 'next/cache';

export async function markRead(id: string) {
  revalidatePath('/posts');
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

ruleTester.run('valid-revalidation-context (imported helpers)', rule, {
  valid: [
    // A "use cache" function imported into a page is judged in its own file, not at the call.
    {
      filename: path.join(root, 'app/cached/page.tsx'),
      code: `import { getCached } from '@/lib/cached';
export default async function Page() {
  return <p>{await getCached()}</p>;
}
`,
    },
    // Pages Router components are not Server Components.
    {
      filename: path.join(root, 'pages/legacy.tsx'),
      code: `import { revalidatePath } from 'next/cache';
export default function Legacy() {
  revalidatePath('/');
  return <main />;
}
`,
    },
    // A component without a directive that only a Client Component imports is client code, not a Server Component.
    { filename: path.join(root, 'components/widget.tsx'), code: WIDGET },
    // A function of a "use client" module never runs on the server: the page holds a reference to it.
    {
      filename: path.join(root, 'app/save/page.tsx'),
      code: `import { save } from '@/lib/client-save';
export default function Page() {
  save();
  return <main />;
}
`,
    },
    // Also when a barrel that leads to revalidating helpers too passes it on.
    {
      filename: path.join(root, 'app/tools/page.tsx'),
      code: `import { save } from '@/lib/tools';
export default function Page() {
  save();
  return <main />;
}
`,
    },
    // A function from a package is not followed: its context is unknown.
    {
      filename: path.join(root, 'app/pkg/page.tsx'),
      code: `import { touch } from 'some-cache-lib';
export default async function Page() {
  await touch('/');
  return <p />;
}
`,
    },
  ],
  invalid: [
    // The same component, imported by a page: a Server Component.
    {
      filename: path.join(root, 'components/server-widget.tsx'),
      code: WIDGET,
      errors: [{ messageId: 'duringRender', data: { api: 'revalidatePath', component: 'Widget', chain: '', error: renderError('…', 'revalidatePath') }, line: 3 }],
    },
    // A Server Action called while the page renders, and a helper two modules deep.
    {
      filename: path.join(root, 'app/posts/[slug]/page.tsx'),
      code: `import { markRead } from '../actions';
import { recordView } from '@/lib/stats';
export default async function PostPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await markRead(slug);
  await recordView(slug);
  return <article />;
}
`,
      errors: [
        {
          messageId: 'duringRender',
          data: { api: 'revalidatePath', component: 'PostPage', chain: ', through `markRead()` (`revalidatePath` at app/posts/actions.ts:5)', error: renderError('/posts/[slug]', 'revalidatePath') },
          line: 5,
          column: 9,
          endColumn: 23,
        },
        {
          messageId: 'duringRender',
          data: {
            api: 'revalidatePath',
            component: 'PostPage',
            chain: ', through `recordView()` → `touch()` (`revalidatePath` at lib/cache.ts:8)',
            error: renderError('/posts/[slug]', 'revalidatePath'),
          },
          line: 6,
        },
      ],
    },
    // An imported helper that calls updateTag, from a Route Handler: reported at the call, no suggestion.
    {
      filename: path.join(root, 'app/api/posts/route.ts'),
      code: `import { expirePosts } from '@/lib/cache';
export async function POST() {
  expirePosts();
  return Response.json({ ok: true });
}
`,
      errors: [
        {
          messageId: 'onlyInServerAction',
          data: {
            api: 'updateTag',
            place: 'the Route Handler app/api/posts/route.ts',
            chain: ', through `expirePosts()` (`updateTag` at lib/cache.ts:4)',
            error: UPDATE_TAG_ERROR,
            advice: ROUTE_ADVICE_UPDATE_TAG,
          },
          line: 3,
          suggestions: [],
        },
      ],
    },
  ],
});
