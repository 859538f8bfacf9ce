import { Linter } from 'eslint';
import typescriptParser from '@typescript-eslint/parser';
import type { TSESLint } from '@typescript-eslint/utils';

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/**
 * Runs real ESLint on `code` as if it were `filename`, and hands the rule context to `probe`:
 * the analysis modules are tested through the same context rules receive.
 */
export function withContext<T>(
  code: string,
  filename: string,
  probe: (context: Context) => T,
  options: { cwd?: string; settings?: Record<string, unknown> } = {},
): T {
  let result: { value: T } | undefined;
  const linter = new Linter({ cwd: options.cwd ?? process.cwd() });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts}'],
        languageOptions: { parser: typescriptParser as Linter.Parser, parserOptions: { ecmaFeatures: { jsx: true } } },
        plugins: {
          probe: {
            rules: {
              probe: {
                create(context) {
                  result = { value: probe(context as unknown as Context) };
                  return {};
                },
              },
            },
          },
        },
        settings: options.settings ?? {},
        rules: { 'probe/probe': 'error' },
      },
    ],
    filename,
  );
  const fatal = messages.find(message => message.fatal);
  if (fatal) throw new Error(fatal.message);
  if (!result) throw new Error('the probe rule did not run');
  return result.value;
}
