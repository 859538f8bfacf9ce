import path from 'node:path';
import type { TSESTree } from '@typescript-eslint/utils';
import { getFileFacts } from '../analysis/file-kind.js';
import type { Context } from './context.js';


/** A file as messages name it: relative to the project root, with `/` on every platform (`lib/services/user.ts`). */
export function projectPath(context: Context, file: string): string {
  return path.relative(getFileFacts(context).layout.rootDir, file).split(path.sep).join('/');
}

/**
 * Where a node is, as a message cites it: `line 5` in the linted file, `lib/services/user.ts:5`
 * when `file` (the absolute path of the module the node belongs to) is another file.
 */
export function describeLine(context: Context, node: TSESTree.Node, file: string | undefined): string {
  const line = node.loc.start.line;
  if (file === undefined || path.resolve(file) === getFileFacts(context).filename) return `line ${line}`;
  return `${projectPath(context, file)}:${line}`;
}
