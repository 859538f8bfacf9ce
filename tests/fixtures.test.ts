import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { expectedFindings, fixturesDir, lintFolder } from './support/fixtures.js';

const ruleIds = Object.keys(plugin.rules);
const files = ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'];

interface FixtureConfig {
  options?: unknown[];
  settings?: Record<string, unknown>;
}

// Each rule's fixtures are linted with that rule alone; `// expect: <messageId>` marks each report.
describe.each(ruleIds)('fixtures/%s', ruleId => {
  const dir = path.join(fixturesDir, ruleId);

  it('matches every `// expect:` annotation and nothing else', async () => {
    expect(existsSync(dir), `fixtures/${ruleId}/ is missing`).toBe(true);
    const configFile = path.join(dir, 'fixture.json');
    const fixtureConfig: FixtureConfig = existsSync(configFile) ? JSON.parse(readFileSync(configFile, 'utf8')) : {};
    const base = plugin.configs.all;
    const results = await lintFolder(dir, [
      {
        ...base,
        files,
        rules: { [`next-actions/${ruleId}`]: ['error', ...(fixtureConfig.options ?? [])] },
        settings: fixtureConfig.settings ?? {},
      },
    ]);
    expect(results.length).toBeGreaterThan(0);
    let annotated = 0;
    for (const { file, messages } of results) {
      const fatal = messages.filter(message => message.fatal);
      expect(fatal, `${file} does not parse`).toEqual([]);
      const actual = messages.map(message => `${message.line}:${message.messageId}`).sort();
      const expected = expectedFindings(file);
      annotated += expected.length;
      expect(actual, path.relative(dir, file)).toEqual(expected);
    }
    expect(annotated, 'a rule fixture folder needs at least one reported case').toBeGreaterThan(0);
  });
});

describe('fixtures/next-app', () => {
  const dir = path.join(fixturesDir, 'next-app');

  it('reports exactly the annotated findings with the strict config', async () => {
    const results = await lintFolder(dir, [plugin.configs.strict]);
    for (const { file, messages } of results) {
      expect(messages.filter(message => message.fatal), `${file} does not parse`).toEqual([]);
      const actual = messages.map(message => `${message.line}:${message.ruleId!.replace('next-actions/', '')}`).sort();
      expect(actual, path.relative(dir, file)).toEqual(expectedFindings(file));
    }
    expect(results.flatMap(result => result.messages).length).toBeGreaterThan(0);
  });

  it('is a folder of ordinary app files', () => {
    expect(readdirSync(path.join(dir, 'app'))).toContain('layout.tsx');
  });
});
