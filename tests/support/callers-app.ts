import { makeTempDir, writeInto } from './temp-tree.js';

/**
 * A small App Router app with one Server Action per kind of caller, for the app graph, the
 * callers analysis and the rules that judge actions by their callers.
 */
export const callersApp: Record<string, string> = {
  'package.json': '{ "name": "callers-app", "private": true }\n',
  'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] }, "jsx": "preserve" } }\n',
  'app/layout.tsx': 'export default function Layout({ children }: { children: React.ReactNode }) {\n  return <html><body>{children}</body></html>;\n}\n',
  'app/actions/items.ts': `'use server';
import { after } from 'next/server';
import { db } from '@/lib/db';

export async function addItem(name: string) {
  await db.item.create({ data: { name } });
}

export async function renameItem(id: string, name: string) {
  await db.item.update({ where: { id }, data: { name } });
}

export async function removeItem(id: string) {
  await db.item.delete({ where: { id } });
}

export async function deleteAll() {
  await db.item.deleteMany({});
}

export async function getStats() {
  return db.item.count();
}

export async function syncFromWebhook(id: string) {
  await db.item.update({ where: { id }, data: { synced: true } });
}

export async function logVisit(path: string) {
  await db.visit.create({ data: { path } });
}

export async function archiveItem(id: string) {
  await db.item.update({ where: { id }, data: { archived: true } });
}

export async function archiveAll() {
  await archiveItem('all');
  after(() => logVisit('/archive'));
}

export async function touchItem(id: string) {
  await db.item.update({ where: { id }, data: { touched: true } });
}

export async function buyItem(id: string) {
  await db.order.create({ data: { id } });
  return { url: 'https://checkout.example.com/' + id };
}
`,
  'app/actions/index.ts': "export * from './items';\n",
  'app/actions/misc.ts': `'use server';
import { db } from '@/lib/db';

export async function loadedLater(id: string) {
  await db.item.update({ where: { id }, data: {} });
}
`,
  'app/page.tsx': `import { addItem, deleteAll, getStats } from '@/app/actions/items';
import { ItemForm } from '@/components/item-form';

export default async function Home() {
  const stats = await getStats();
  return (
    <main>
      <p>{stats}</p>
      <ItemForm onAdd={addItem} />
      <form action={deleteAll}><button>Delete all</button></form>
    </main>
  );
}
`,
  'app/items/page.tsx': `import { ItemList } from '@/components/item-list';

export default function ItemsPage() {
  return <ItemList />;
}
`,
  'app/api/webhooks/stripe/route.ts': `import { syncFromWebhook } from '@/app/actions/items';

export async function POST(request: Request) {
  const event = await request.json();
  await syncFromWebhook(event.id);
  return new Response(null, { status: 204 });
}
`,
  'app/api/touch/route.ts': `import { touchItem } from '@/app/actions/items';

export async function POST(request: Request) {
  const { id } = await request.json();
  await touchItem(id);
  return Response.json({ ok: true });
}
`,
  'components/item-form.tsx': `'use client';
export function ItemForm({ onAdd }: { onAdd: (name: string) => Promise<void> }) {
  return <button onClick={() => onAdd('new')}>Add</button>;
}
`,
  'components/item-list.tsx': `'use client';
import { ItemRow } from './item-row';
import { BuyButton } from './buy-button';

export function ItemList() {
  return <ul><ItemRow id="1" /><BuyButton id="1" /></ul>;
}
`,
  'components/item-row.tsx': `import { useRouter } from 'next/navigation';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { renameItem, removeItem } from '@/app/actions';

export function ItemRow({ id }: { id: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: removeItem,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['items'] }),
  });
  async function rename() {
    await renameItem(id, 'renamed');
    router.refresh();
  }
  return <li><button onClick={rename}>Rename</button><button onClick={() => remove.mutate(id)}>Remove</button></li>;
}
`,
  'components/buy-button.tsx': `import { buyItem } from '@/app/actions/items';

export function BuyButton({ id }: { id: string }) {
  return (
    <button
      onClick={async () => {
        const { url } = await buyItem(id);
        window.location.href = url;
      }}
    >
      Buy
    </button>
  );
}
`,
  'components/lazy.tsx': `'use client';
export function Lazy() {
  return <button onClick={async () => (await import('@/app/actions/misc')).loadedLater('1')}>Later</button>;
}
`,
  'lib/db.ts': "import 'server-only';\nexport const db = {} as any;\n",
  'lib/jobs.ts': `import 'server-only';
import { archiveAll } from '@/app/actions/items';

export async function nightly() {
  await archiveAll();
}
`,
  'scripts/seed.ts': `import { addItem } from '../app/actions/items';

void addItem('seed');
`,
};

/** Writes the callers app (and `extra` files) into a fresh temp folder, and returns its path. */
export function writeCallersApp(prefix: string, extra: Record<string, string> = {}): string {
  const root = makeTempDir(prefix);
  for (const [file, text] of Object.entries({ ...callersApp, ...extra })) writeInto(root, file, text);
  return root;
}
