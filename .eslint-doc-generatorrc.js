/** @type {import('eslint-doc-generator').GenerateOptions} */
export default {
  configEmoji: [
    ['recommended', '✅'],
    ['strict', '🔒'],
  ],
  ignoreConfig: ['all'],
  ruleDocSectionInclude: ['Examples', 'When Not To Use It'],
  ruleDocTitleFormat: 'prefix-name',
  ruleListColumns: ['name', 'description', 'configsError', 'configsWarn', 'fixable', 'hasSuggestions'],
  // Absolute, so that the links work on the npm page too, where the docs are not shipped.
  urlRuleDoc: name => `https://github.com/next-actions/eslint-plugin-next-actions/blob/main/docs/rules/${name}.md`,
};
