import path from 'node:path';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import type { Context } from '../utils/context.js';
import { functionName } from './client-loading.js';
import { getFileFacts, isServerComponentFile } from './file-kind.js';
import { type FunctionNode, getActionsByFunction, isFunctionNode } from './server-actions.js';

/*
 * Which kind of server code a node runs in, from the file's kind and name and the functions
 * around the node: a Server Action, a Route Handler, a Server Component, `generateMetadata`…
 */

/** App Router files rendered on the server unless they say "use client". */
const SERVER_COMPONENT_FILES = new Set(['page', 'layout', 'template', 'default', 'not-found', 'global-not-found', 'forbidden', 'unauthorized', 'loading']);
const METADATA_FILES = new Set(['sitemap', 'robots', 'manifest', 'opengraph-image', 'twitter-image', 'icon', 'apple-icon']);
const SERVER_EXPORTS = new Set(['generateMetadata', 'generateStaticParams', 'generateViewport', 'generateImageMetadata', 'generateSitemaps']);

function isActionFunction(context: Context, fn: FunctionNode): boolean {
  return getActionsByFunction(context).has(fn);
}

/**
 * The server code `node` runs in, named as a message says it (`a Server Action`, `` `generateMetadata` ``,
 * `a metadata route`); undefined when it may run in the browser.
 */
export function serverPlace(context: Context, node: TSESTree.Node): string | undefined {
  const facts = getFileFacts(context);
  if (facts.kind === 'client') return undefined;
  const inApp = facts.kind === 'other' && isServerComponentFile(facts);
  let place: string | undefined;
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionNode(current)) continue;
    if ((facts.isServerActionsFile || facts.mayHaveInlineActions) && isActionFunction(context, current)) return 'a Server Action';
    const name = functionName(current);
    if (inApp && name !== undefined && SERVER_EXPORTS.has(name)) place = `\`${name}\``;
    // Only Server Components can be async; an async component in the app folder is one.
    const isComponent = name === undefined ? current.parent.type === AST_NODE_TYPES.ExportDefaultDeclaration : /^[A-Z]/.test(name);
    if (inApp && current.async && isComponent) place ??= 'a Server Component';
  }
  switch (facts.kind) {
    case 'route-handler':
      return 'a Route Handler';
    case 'pages-api':
      return 'an API route';
    case 'server-actions':
      return 'a "use server" file';
    default: {
      if (!inApp) return place;
      const base = path.basename(facts.filename).replace(/\.[cm]?[jt]sx?$/, '');
      if (SERVER_COMPONENT_FILES.has(base)) return place ?? 'a Server Component';
      if (METADATA_FILES.has(base)) return place ?? 'a metadata route';
      return place;
    }
  }
}
