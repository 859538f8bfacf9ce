import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clearModuleCaches } from '../../src/analysis/modules.js';
import { clearProjectCaches } from '../../src/analysis/project.js';
import plugin from '../../src/index.js';
import { letTimePass } from '../support/disk.js';
import { makeTempDir, writeInto } from '../support/temp-tree.js';

/*
 * One ESLint instance linting a page again and again while the helpers it calls change on disk:
 * which modules can reach `revalidatePath` is answered once per app, and must follow the disk.
 */

let root: string;
let eslint: ESLint;

const page = 'app/page.tsx';

/** `line:message start` for each finding of the page, linted from its disk text. */
async function findings(): Promise<string[]> {
  const filePath = path.join(root, page);
  const [result] = await eslint.lintText(readFileSync(filePath, 'utf8'), { filePath });
  return result!.messages.map(message => `${message.line}:${message.message.slice(0, message.message.indexOf(','))}`);
}

function change(edit: () => void): void {
  edit();
  letTimePass();
}

beforeAll(() => {
  root = makeTempDir('next-actions-revalidation-session-');
  for (const [file, text] of Object.entries({
    'package.json': '{ "name": "session-app", "private": true }\n',
    'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }\n',
    [page]: `import { track } from '@/lib/track';
export default async function Page() {
  await track('home');
  return <main />;
}
`,
    'lib/track.ts': `import { log } from './log';
export async function track(name: string) {
  log(name);
}
`,
    'lib/log.ts': `export function log(name: string) {
  console.log(name);
}
`,
  })) {
    writeInto(root, file, text);
  }
  clearModuleCaches();
  clearProjectCaches();
  eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ ...plugin.configs.all, rules: { 'next-actions/valid-revalidation-context': 'error' }, settings: { 'next-actions': { rootDir: root } } }],
  });
});

afterAll(() => {
  vi.restoreAllMocks();
  clearModuleCaches();
  rmSync(root, { recursive: true, force: true });
});

describe('valid-revalidation-context in an editor session', () => {
  it('follows a helper two modules away as it starts and stops revalidating, and a new module it comes to import', async () => {
    expect(await findings()).toEqual([]);

    change(() =>
      writeFileSync(path.join(root, 'lib/log.ts'), `import { revalidatePath } from 'next/cache';
export function log(name: string) {
  revalidatePath('/' + name);
}
`),
    );
    expect(await findings()).toEqual(['3:`revalidatePath` runs while the Server Component `Page` renders']);

    change(() => writeFileSync(path.join(root, 'lib/log.ts'), 'export function log(name: string) {\n  console.log(name);\n}\n'));
    expect(await findings()).toEqual([]);

    change(() => {
      writeInto(root, 'lib/flush.ts', "import { revalidateTag } from 'next/cache';\nexport function flush(tag: string) {\n  revalidateTag(tag, 'max');\n}\n");
      writeFileSync(path.join(root, 'lib/track.ts'), "import { flush } from './flush';\nexport async function track(name: string) {\n  flush(name);\n}\n");
    });
    expect(await findings()).toEqual(['3:`revalidateTag` runs while the Server Component `Page` renders']);
  });
});
