import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { clearModuleCaches } from '../../src/analysis/modules.js';
import rule from '../../src/rules/no-server-only-action.js';
import { ruleTester } from '../rule-tester.js';
import { callersApp } from '../support/callers-app.js';
import { makeTempDir, writeInto } from '../support/temp-tree.js';

// The callers are read from disk: a small app with one action per kind of caller.
const root = makeTempDir('next-actions-server-only-');
for (const [file, text] of Object.entries(callersApp)) writeInto(root, file, text);
writeInto(root, 'app/actions/reports.ts', `'use server';
import { db } from '@/lib/db';

export async function rebuildReport() {
  await db.report.create({ data: {} });
}

export async function readReport() {
  return db.report.findFirst();
}

export async function unused() {
  await db.report.deleteMany({});
}
`);
writeInto(root, 'app/reports/page.tsx', `import { rebuildReport, readReport } from '@/app/actions/reports';

export default async function ReportsPage() {
  await rebuildReport();
  const report = await readReport();
  return <pre>{JSON.stringify(report)}</pre>;
}
`);
clearModuleCaches();
afterAll(() => {
  clearModuleCaches();
  rmSync(root, { recursive: true, force: true });
});

const settings = { 'next-actions': { rootDir: root } };
const items = path.join(root, 'app/actions/items.ts');
const reports = path.join(root, 'app/actions/reports.ts');
const onDisk = (file: string) => ({ filename: file, code: readFileSync(file, 'utf8'), settings });

ruleTester.run('no-server-only-action', rule, {
  valid: [
    // Unknown callers (nothing on disk to follow) decide nothing.
    {
      filename: 'app/actions/lonely.ts',
      code: `'use server';\nexport async function save() {}\n`,
    },
    // Not a "use server" file: its functions are not endpoints.
    {
      filename: path.join(root, 'lib/jobs.ts'),
      code: readFileSync(path.join(root, 'lib/jobs.ts'), 'utf8'),
      settings,
    },
  ],
  invalid: [
    {
      // Client code, forms and Client Component props keep addItem, deleteAll, renameItem,
      // removeItem and buyItem; getStats is no-query-action's and syncFromWebhook
      // no-webhook-action's. The rest only run on the server.
      ...onDisk(items),
      errors: [
        { messageId: 'serverOnlyAction', line: 29, column: 23, endColumn: 31, data: { action: 'logVisit', callers: '`app/actions/items.ts:39`' } },
        { messageId: 'serverOnlyAction', line: 33, column: 23, data: { action: 'archiveItem', callers: '`app/actions/items.ts:38`' } },
        { messageId: 'serverOnlyAction', line: 37, column: 23, data: { action: 'archiveAll', callers: '`lib/jobs.ts:5`' } },
        { messageId: 'serverOnlyAction', line: 42, column: 23, data: { action: 'touchItem', callers: '`app/api/touch/route.ts:5`' } },
      ],
    },
    {
      // A write during render is this rule's; the read is no-query-action's; `unused` has no caller.
      ...onDisk(reports),
      errors: [{ messageId: 'serverOnlyAction', line: 4, data: { action: 'rebuildReport', callers: '`app/reports/page.tsx:4`' } }],
    },
  ],
});
