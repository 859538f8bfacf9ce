import { parse } from '@typescript-eslint/parser';
import type { TSESTree } from '@typescript-eslint/utils';

/** Parses code the way the plugin's configs do: TypeScript with JSX, ranges and locations. */
export function parseModule(code: string): TSESTree.Program {
  return parse(code, { ecmaFeatures: { jsx: true }, range: true, loc: true, comment: true, tokens: true, sourceType: 'module' }) as TSESTree.Program;
}
