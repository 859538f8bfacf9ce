import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import plugin from '../src/index.js';
import { clearModuleCaches } from '../src/analysis/modules.js';
import { clearRouteCaches } from '../src/analysis/routes.js';
import { callersApp } from './support/callers-app.js';
import { letTimePass } from './support/disk.js';
import { makeTempDir, writeInto } from './support/temp-tree.js';

/*
 * One ESLint instance, as an editor keeps it, linting buffers again and again while files are
 * created, edited, renamed and deleted on disk: the findings follow the disk.
 */

let root: string;
let eslint: ESLint;

/** `line:rule` for each finding of `file` linted from `text` (its disk text by default). */
async function findings(file: string, text?: string): Promise<string[]> {
  const filePath = path.join(root, file);
  const [result] = await eslint.lintText(text ?? readFileSync(filePath, 'utf8'), { filePath });
  return result!.messages.map(message => `${message.line}:${message.ruleId!.replace('next-actions/', '')}`);
}

/** A change on disk, then the time an editor takes before the next lint. */
function change(edit: () => void): void {
  edit();
  letTimePass();
}

beforeAll(() => {
  root = makeTempDir('next-actions-editor-');
  for (const [file, text] of Object.entries(callersApp)) writeInto(root, file, text);
  clearModuleCaches();
  clearRouteCaches();
  eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ ...plugin.configs.strict, settings: { 'next-actions': { rootDir: root } } }],
  });
});

afterAll(() => {
  vi.restoreAllMocks();
  clearModuleCaches();
  rmSync(root, { recursive: true, force: true });
});

describe('an editor session', () => {
  const actions = 'app/actions/items.ts';
  const revalidate = (names: string[]) => names.filter(name => name.endsWith(':require-revalidate-after-mutation'));

  it('judges each action by the callers on disk, and follows a client importer that is created, edited, renamed and deleted', async () => {
    // addItem (a Client Component prop) and deleteAll (a form) wait on the action; the others
    // are called by server code, or by clients that refresh, invalidate or navigate.
    expect(revalidate(await findings(actions))).toEqual(['5:require-revalidate-after-mutation', '17:require-revalidate-after-mutation']);

    change(() =>
      writeInto(root, 'components/rename-box.tsx', `'use client';
import { renameItem } from '@/app/actions/items';
export function RenameBox({ id }: { id: string }) {
  return <button onClick={() => renameItem(id, 'x')}>Rename</button>;
}
`),
    );
    expect(revalidate(await findings(actions))).toEqual([
      '5:require-revalidate-after-mutation',
      '9:require-revalidate-after-mutation',
      '17:require-revalidate-after-mutation',
    ]);

    change(() =>
      writeFileSync(path.join(root, 'components/rename-box.tsx'), `'use client';
import { useRouter } from 'next/navigation';
import { renameItem } from '@/app/actions/items';
export function RenameBox({ id }: { id: string }) {
  const router = useRouter();
  return <button onClick={async () => { await renameItem(id, 'x'); router.refresh(); }}>Rename</button>;
}
`),
    );
    expect(revalidate(await findings(actions))).toEqual(['5:require-revalidate-after-mutation', '17:require-revalidate-after-mutation']);

    change(() => writeFileSync(path.join(root, 'components/rename-box.tsx'), `'use client';
import { renameItem } from '@/app/actions/items';
export const RenameBox = ({ id }: { id: string }) => <button onClick={() => renameItem(id, 'y')}>Rename</button>;
`));
    change(() => renameSync(path.join(root, 'components/rename-box.tsx'), path.join(root, 'components/rename-field.tsx')));
    expect(revalidate(await findings(actions))).toContain('9:require-revalidate-after-mutation');

    change(() => rmSync(path.join(root, 'components/rename-field.tsx')));
    expect(revalidate(await findings(actions))).toEqual(['5:require-revalidate-after-mutation', '17:require-revalidate-after-mutation']);
  });

  it('follows an actions module and its only caller, a route file, as they come and go', async () => {
    const module = 'app/actions/sync.ts';
    const source = `'use server';
import { db } from '@/lib/db';
export async function syncOrder(id: string) {
  await db.order.update({ where: { id }, data: { synced: true } });
}
`;
    change(() => writeInto(root, module, source));
    // Nobody calls it yet: unknown callers, judged as before.
    expect(revalidate(await findings(module))).toEqual(['3:require-revalidate-after-mutation']);

    change(() =>
      writeInto(root, 'app/api/orders/route.ts', `import { syncOrder } from '@/app/actions/sync';
export async function POST(request: Request) {
  await syncOrder((await request.json()).id);
  return Response.json({ ok: true });
}
`),
    );
    // Only a Route Handler calls it now: no page waits on it, and strict says it needs no "use server".
    const onlyRouted = await findings(module);
    expect(revalidate(onlyRouted)).toEqual([]);
    expect(onlyRouted).toContain('3:no-server-only-action');

    change(() => rmSync(path.join(root, 'app/api/orders'), { recursive: true }));
    expect(revalidate(await findings(module))).toEqual(['3:require-revalidate-after-mutation']);

    change(() => rmSync(path.join(root, module)));
    // The buffer is still open after the file is gone: judged alone again, and nothing crashes.
    expect(revalidate(await findings(module, source))).toEqual(['3:require-revalidate-after-mutation']);
  });
});
