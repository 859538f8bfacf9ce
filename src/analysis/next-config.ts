import { statSync } from 'node:fs';
import path from 'node:path';
import { packageName } from '../utils/create-rule.js';
import { readRegularFile } from './read-file.js';

/*
 * What we take from next.config: its `basePath`, read from the text as the route table reads route
 * files. The config is never executed (it is the project's code, and may do anything); a value
 * that is not written as a plain string is reported once as needing the setting.
 */

const CONFIG_FILES = ['next.config.ts', 'next.config.mjs', 'next.config.js', 'next.config.cjs', 'next.config.mts', 'next.config.cts'];

/** `basePath: '/docs'`, `"basePath": "/docs"`: a literal with nothing after it but a separator. */
const LITERAL = /(?:\bbasePath|(["'])basePath\1)\s*:\s*(["'`])(\/[^"'`$\\\r\n]*|)\2\s*(?=[,}\r\n]|$)/y;
const MENTION = /\bbasePath\b/g;

interface Entry {
  mtimeMs: number;
  basePath: string;
}

const cache = new Map<string, Entry>();
const warned = new Set<string>();

/** The text with comments blanked, in one pass; strings are kept, since the value we look for is one. */
function withoutComments(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '/' && (text[index + 1] === '/' || text[index + 1] === '*')) {
      const block = text[index + 1] === '*';
      let end = index + 2;
      while (end < text.length && (block ? !text.startsWith('*/', end) : text[end] !== '\n' && text[end] !== '\r')) end++;
      if (block) end = Math.min(end + 2, text.length);
      parts.push(text.slice(copied, index), ' ');
      copied = index = end;
    } else if (char === '"' || char === "'" || char === '`') {
      let end = index + 1;
      while (end < text.length && text[end] !== char && (char === '`' || (text[end] !== '\n' && text[end] !== '\r'))) end += text[end] === '\\' ? 2 : 1;
      index = end + 1;
    } else {
      index++;
    }
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/**
 * The `basePath` a config's text sets: the literal when every mention of `basePath` is one and
 * they agree, `''` when there is none, undefined when it is computed (an environment variable, a
 * condition, a spread) and only the setting can tell.
 */
export function basePathFromText(text: string): string | undefined {
  const code = withoutComments(text);
  const values = new Set<string>();
  for (const match of code.matchAll(MENTION)) {
    // A quoted key starts one character earlier.
    const start = code[match.index - 1] === '"' || code[match.index - 1] === "'" ? match.index - 1 : match.index;
    LITERAL.lastIndex = start;
    const literal = LITERAL.exec(code);
    if (!literal) return undefined;
    values.add(literal[3]!);
  }
  if (values.size > 1) return undefined;
  const [value = ''] = values;
  return value === '' || !value.endsWith('/') ? value : undefined;
}

function modificationTime(file: string): number | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false })?.mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * The `basePath` of the Next.js project at `rootDir`, from its next.config (`''` without one).
 * Read once per modification time. A computed value gives `''` and a one-line warning that
 * names the file and the setting to use.
 */
export function nextConfigBasePath(rootDir: string): string {
  for (const name of CONFIG_FILES) {
    const file = path.join(rootDir, name);
    const mtimeMs = modificationTime(file);
    if (mtimeMs === undefined) continue;
    const cached = cache.get(file);
    if (cached?.mtimeMs === mtimeMs) return cached.basePath;
    const text = readRegularFile(file);
    const found = text === undefined ? '' : basePathFromText(text);
    if (found === undefined && !warned.has(file)) {
      warned.add(file);
      console.warn(
        `${packageName}: ${file} computes \`basePath\`, which is not read by running the config. Set settings['next-actions'].basePath so that requests to your own routes are recognised.`,
      );
    }
    cache.set(file, { mtimeMs, basePath: found ?? '' });
    return found ?? '';
  }
  return '';
}

/** Test helper: forget what was read. */
export function clearNextConfigCache(): void {
  cache.clear();
  warned.clear();
}
