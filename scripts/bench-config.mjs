// The configs `npm run bench -- --corpus` compares, for the Node API runs of bench-worker.mjs and,
// through bench-cli-config.mjs, for the ESLint CLI runs.
//   control  the TypeScript parser for every file and `no-debugger`: what linting costs without us
//   ours     `configs.all`, as a user adds it
//   both     `configs.all` and @next/eslint-plugin-next's recommended rules, one parser for all

/** The ignores the corpus baselines were made with, so that file counts agree everywhere. */
const ignores = { ignores: ['**/node_modules/**', '**/.next/**', '**/dist/**', '**/build/**', '**/*.d.ts'] };
const files = ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'];

async function languageOptions() {
  const parser = (await import('@typescript-eslint/parser')).default;
  return { parser, parserOptions: { ecmaFeatures: { jsx: true } } };
}

/** Imports on demand: a control run never loads the plugin, as a CLI run without it. */
export async function benchConfig(name) {
  if (name === 'control') return [ignores, { files, languageOptions: await languageOptions(), rules: { 'no-debugger': 'error' } }];
  const { configs } = (await import('../dist/index.js')).default;
  // The plugin loads the parser (and TypeScript) when ESLint first reads it; reading it here puts
  // that load before a timed lint, where the control's is.
  void configs.all.languageOptions.parser;
  const ours = [ignores, configs.all];
  if (name === 'ours') return ours;
  if (name !== 'both') throw new Error(`Unknown bench config ${name}`);
  const next = (await import('@next/eslint-plugin-next')).default;
  return [...ours, { files, languageOptions: await languageOptions(), plugins: { '@next/next': next }, rules: next.configs.recommended.rules }];
}
