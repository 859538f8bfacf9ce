import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT, environmentOf, getAppGraph, outsideImports, routesRendering, scanImports, SERVER } from '../../src/analysis/app-graph.js';
import { type CallerDetail, getActionCallers } from '../../src/analysis/callers.js';
import { clearModuleCaches } from '../../src/analysis/modules.js';
import { clearProjectCaches, getProjectLayout, type ProjectLayout } from '../../src/analysis/project.js';
import { parseSettings } from '../../src/settings.js';
import { callersApp } from '../support/callers-app.js';
import { makeTempDir, writeInto } from '../support/temp-tree.js';

let root: string;
let layout: ProjectLayout;
const actions = () => path.join(root, 'app/actions/items.ts');

function envName(file: string): string {
  const env = environmentOf(layout, path.join(root, file));
  if (env === undefined) return 'not in graph';
  return [env & CLIENT ? 'client' : '', env & SERVER ? 'server' : ''].filter(Boolean).join('+') || 'unreached';
}

/** `kind file:line [settle]` for each caller, or `unknown`. */
function callersOf(name: string, file = actions(), detail: CallerDetail = 'full'): string[] | 'unknown' {
  const found = getActionCallers(layout, file, name, detail);
  if (!found.known) return 'unknown';
  return found.callers
    .map(caller => {
      const where = `${path.relative(root, caller.file)}${caller.line ? `:${caller.line}` : ''}`;
      const extra = [caller.component, caller.settle && `${caller.settle}@${caller.settleLine}`, caller.webhook ? 'webhook' : ''].filter(Boolean).join(' ');
      return `${caller.kind} ${where}${extra ? ` ${extra}` : ''}`;
    })
    .sort();
}

beforeAll(() => {
  root = makeTempDir('next-actions-graph-');
  for (const [file, text] of Object.entries(callersApp)) writeInto(root, file, text);
  clearModuleCaches();
  clearProjectCaches();
  layout = getProjectLayout(path.join(root, 'app/page.tsx'), root, parseSettings({ rootDir: root }));
});

afterAll(() => {
  clearModuleCaches();
  rmSync(root, { recursive: true, force: true });
});

describe('scanImports', () => {
  it('lists static, side-effect and dynamic imports with their names, not commented ones', () => {
    const scan = scanImports(`import Def, { a, b as c, type T } from './x';
import * as ns from "@/y";
import type { Only } from './types';
import 'server-only';
// import { gone } from './commented';
 * import { doc } from './jsdoc';
const lazy = () => import('./lazy');
export { z } from './z';
`);
    expect(scan.serverOnly).toBe(true);
    expect(scan.imports.map(item => `${item.kind} ${item.specifier} ${item.names ? [...item.names].map(([k, v]) => `${k}>${v}`).join(',') : '-'}`)).toEqual([
      'import ./x default>Def,a>a,b>c',
      'import @/y *>ns',
      'import server-only -',
      'dynamic ./lazy -',
    ]);
  });
});

describe('getAppGraph', () => {
  it('links imports both ways through tsconfig paths, barrels and import()', () => {
    const graph = getAppGraph(layout)!;
    const module = graph.modules.get(path.join(root, 'app/actions/index.ts'))!;
    expect(module.imports.map(edge => `${edge.kind} ${path.relative(root, edge.to)}`)).toEqual(['reexport app/actions/items.ts']);
    const importers = graph.modules.get(actions())!.importers.map(edge => `${edge.kind} ${path.relative(root, edge.from)}`).sort();
    expect(importers).toEqual([
      'import app/api/touch/route.ts',
      'import app/api/webhooks/stripe/route.ts',
      'import app/page.tsx',
      'import components/buy-button.tsx',
      'import lib/jobs.ts',
      'import scripts/seed.ts',
      'reexport app/actions/index.ts',
    ]);
    expect(graph.modules.get(path.join(root, 'app/actions/misc.ts'))!.importers.map(edge => edge.kind)).toEqual(['dynamic']);
  });

  it('gives every module its environment: client code is what "use client" modules import, up to "use server" modules', () => {
    expect(envName('components/item-list.tsx')).toBe('client');
    // No directive of its own: client code because a "use client" module imports it.
    expect(envName('components/item-row.tsx')).toBe('client');
    expect(envName('components/buy-button.tsx')).toBe('client');
    expect(envName('app/page.tsx')).toBe('server');
    expect(envName('app/api/webhooks/stripe/route.ts')).toBe('server');
    expect(envName('lib/jobs.ts')).toBe('server');
    // The actions stay server code although client modules import them (here through a barrel).
    expect(envName('app/actions/items.ts')).toBe('server');
    expect(envName('app/actions/index.ts')).toBe('client');
    expect(envName('scripts/seed.ts')).toBe('unreached');
    expect(envName('node_modules/x.ts')).toBe('not in graph');
  });

  it('finds the pages whose UI a module is part of', () => {
    const graph = getAppGraph(layout)!;
    expect(routesRendering(graph, path.join(root, 'components/item-row.tsx'))).toEqual([{ pattern: '/items', type: 'page' }]);
    expect(routesRendering(graph, path.join(root, 'components/item-form.tsx'))).toEqual([{ pattern: '/', type: 'page' }]);
  });
});

describe('getAppGraph prefixes', () => {
  it('keeps resolving a prefix whose first imports are stylesheets or missing files', () => {
    const app = makeTempDir('next-actions-prefix-');
    try {
      const tree: Record<string, string> = {
        'package.json': '{ "name": "web", "private": true }\n',
        'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }\n',
        // Four `@/` imports that resolve to no module come first, then the ones that do.
        'app/layout.tsx':
          "import '@/app/globals.css';\nimport '@/styles/a.css';\nimport '@/styles/b.scss';\nimport { gone } from '@/lib/removed';\nexport default function Layout({ children }) { return children; }\n",
        'app/page.tsx': "import { Row } from '@/components/row';\nimport 'components/card.css';\nimport 'components/list.css';\nimport 'components/grid.css';\nimport { Cell } from 'components/cell';\nexport default function Page() { return <Row><Cell /></Row>; }\n",
        'components/row.tsx': "'use client';\nexport function Row({ children }) { return <div>{children}</div>; }\n",
        'components/cell.tsx': 'export function Cell() { return <span />; }\n',
      };
      for (const [file, text] of Object.entries(tree)) writeInto(app, file, text);
      const appLayout = getProjectLayout(path.join(app, 'app/page.tsx'), app, parseSettings({}));
      const graph = getAppGraph(appLayout)!;
      const imports = graph.modules.get(path.join(app, 'app/page.tsx'))!.imports.map(edge => path.relative(app, edge.to));
      expect(imports).toEqual(['components/row.tsx', 'components/cell.tsx']);
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });
});

describe('outsideImports', () => {
  it('lists the project files outside the app that its modules import, also past the imports after which the build stops resolving a prefix', () => {
    const workspace = makeTempDir('next-actions-outside-');
    try {
      const tree: Record<string, string> = {
        'web/package.json': '{ "name": "web", "private": true }\n',
        'web/tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"], "@acme/shared/*": ["../shared/*"] } } }\n',
        'web/app/page.tsx': "import { a } from '@acme/shared/a';\nimport { Row } from '@/components/row';\nexport default function Page() { return <Row value={a()} />; }\n",
        'web/components/row.tsx': "export function Row({ value }: { value: string }) { return <p>{value}</p>; }\n",
        'web/lib/rel.ts': "export { e } from '../../shared/e';\n",
        'shared/e.ts': 'export const e = 5;\n',
      };
      // More importers of `@acme/shared/…` than the build resolves before it takes the prefix for a package.
      for (const name of ['b', 'c', 'd', 'f']) {
        tree[`web/lib/${name}.ts`] = `import { ${name} } from '@acme/shared/${name}';\nexport const use${name} = () => ${name}();\n`;
        tree[`shared/${name}.ts`] = `export const ${name} = () => '${name}';\n`;
      }
      tree['shared/a.ts'] = "export const a = () => 'a';\n";
      for (const [file, text] of Object.entries(tree)) writeInto(workspace, file, text);
      const webLayout = getProjectLayout(path.join(workspace, 'web/app/page.tsx'), workspace, parseSettings({}));
      const outside = outsideImports(getAppGraph(webLayout)!);
      const listed = [...outside].map(([file, targets]) => `${path.relative(workspace, file)} -> ${targets.map(target => path.relative(workspace, target)).join(', ')}`).sort();
      expect(listed).toEqual([
        'web/app/page.tsx -> shared/a.ts',
        'web/lib/b.ts -> shared/b.ts',
        'web/lib/c.ts -> shared/c.ts',
        'web/lib/d.ts -> shared/d.ts',
        'web/lib/f.ts -> shared/f.ts',
        'web/lib/rel.ts -> shared/e.ts',
      ]);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});

describe('getActionCallers', () => {
  it('classifies every caller kind', () => {
    expect(callersOf('addItem')).toEqual(['client-prop app/page.tsx:9 Home', 'outside scripts/seed.ts']);
    expect(callersOf('deleteAll')).toEqual(['form app/page.tsx:10 Home']);
    expect(callersOf('getStats')).toEqual(['render app/page.tsx:5 Home']);
    expect(callersOf('syncFromWebhook')).toEqual(['route-handler app/api/webhooks/stripe/route.ts:5 webhook']);
    expect(callersOf('touchItem')).toEqual(['route-handler app/api/touch/route.ts:5']);
    expect(callersOf('archiveAll')).toEqual(['server lib/jobs.ts:5']);
    expect(callersOf('archiveItem')).toEqual(['action app/actions/items.ts:38']);
    expect(callersOf('logVisit')).toEqual(['deferred app/actions/items.ts:39']);
  });

  it('tells what a client caller does once the action settles', () => {
    expect(callersOf('renameItem')).toEqual(['client components/item-row.tsx:13 ItemRow refresh@14']);
    expect(callersOf('removeItem')).toEqual(['client components/item-row.tsx:9 ItemRow invalidate@10']);
    expect(callersOf('buyItem')).toEqual(['client components/buy-button.tsx:7 BuyButton navigate@8']);
  });

  it('counts a client importer as a client caller without reading it when no detail is asked for', () => {
    expect(callersOf('buyItem', actions(), 'none')).toEqual(['client components/buy-button.tsx']);
  });

  it('stays unknown when a reference cannot be followed or none is found', () => {
    expect(callersOf('loadedLater', path.join(root, 'app/actions/misc.ts'))).toBe('unknown');
    expect(callersOf('nothingByThatName')).toBe('unknown');
    expect(callersOf('addItem', path.join(root, 'components/item-row.tsx'))).toBe('unknown');
  });
});
