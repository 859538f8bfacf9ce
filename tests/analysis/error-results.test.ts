import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { isErrorResult, isErrorReturn } from '../../src/analysis/error-results.js';
import { walkNodes } from '../../src/utils/ast.js';
import { parseModule } from '../support/parse.js';
import { withContext } from '../support/probe.js';

const resultOf = (expression: string) => {
  const [statement] = parseModule(`(${expression});`).body;
  return isErrorResult((statement as TSESTree.ExpressionStatement).expression);
};

/** For each `return` of `code`, in source order, whether it reports a failure; `post` holds a write's result. */
const errorReturnsOf = (code: string) =>
  withContext(code, 'app/actions.ts', context => {
    const verdicts: boolean[] = [];
    walkNodes(context.sourceCode.ast, context.sourceCode.visitorKeys, node => {
      if (node.type !== AST_NODE_TYPES.ReturnStatement) return;
      verdicts.push(isErrorReturn(node, held => held.type === AST_NODE_TYPES.Identifier && held.name === 'post'));
    });
    return verdicts;
  });

describe('isErrorResult', () => {
  it.each([
    '{ error: "Not allowed" }',
    '{ success: false }',
    '{ errors: parsed.error.flatten() }',
    '{ message: "Failed to save the post" }',
    '{ status: "error" }',
    'NextResponse.json({ error }, { status: 500 })',
    'new Response("Not found", { status: 404 })',
    'new Error("boom")',
    'ok ? { data } : { error: "no" }',
  ])('%s reports a failure', expression => {
    expect(resultOf(expression)).toBe(true);
  });

  it.each(['{ error: null }', '{ success: true }', '{ message: "Saved" }', 'NextResponse.json(post)', 'post'])('%s does not', expression => {
    expect(resultOf(expression)).toBe(false);
  });
});

describe('isErrorReturn', () => {
  it('counts returns guarded by a failure test, and the else of a success test', () => {
    expect(
      errorReturnsOf(`export async function action(data: FormData) {
  const parsed = schema.safeParse(data);
  if (!parsed.success) return { fieldErrors: parsed.error.flatten() };
  const post = await db.post.create({ data: parsed.data });
  if (!post) return null;
  if (post.ok) { log(); } else { return 'later'; }
  if (ready) return post;
  return { id: post.id };
}
`),
    ).toEqual([true, true, true, false, false]);
  });
});
