import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = path.join(repoRoot, 'fixtures');

const EXPECT = /\/\/\s*expect:\s*([\w\-/, ]+)/;

/** `line:what` for every `// expect: a, b` annotation in a file. */
export function expectedFindings(file: string): string[] {
  const found: string[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const match = EXPECT.exec(line);
      if (!match) return;
      for (const item of match[1]!.split(',')) {
        if (item.trim()) found.push(`${index + 1}:${item.trim()}`);
      }
    });
  return found.sort();
}

export interface LintedFile {
  file: string;
  messages: Linter.LintMessage[];
}

/** Lints a folder with real ESLint, with the given config instead of any config file on disk. */
export async function lintFolder(cwd: string, config: Linter.Config[]): Promise<LintedFile[]> {
  const eslint = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: config, ignore: true });
  const results = await eslint.lintFiles(['.']);
  return results.map(result => ({ file: result.filePath, messages: result.messages }));
}
