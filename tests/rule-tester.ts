import { RuleTester } from '@typescript-eslint/rule-tester';

/** The tester every rule test uses: TypeScript parser with JSX, as the plugin's configs set it up. */
export const ruleTester = new RuleTester({
  languageOptions: {
    parserOptions: { ecmaFeatures: { jsx: true } },
  },
});
