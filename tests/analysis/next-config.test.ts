import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { basePathFromText, clearNextConfigCache, nextConfigBasePath } from '../../src/analysis/next-config.js';
import plugin from '../../src/index.js';
import { makeTempDir, writeInto } from '../support/temp-tree.js';

describe('basePathFromText', () => {
  it.each([
    ["export default { basePath: '/docs' };", '/docs'],
    ['module.exports = {\n  reactStrictMode: true,\n  basePath: "/blog",\n}', '/blog'],
    ["const config: NextConfig = { basePath: `/app`, images: {} }\nexport default config", '/app'],
    ['{ "basePath": "/docs" }', '/docs'],
    ["export default { reactStrictMode: true };", ''],
    ["// basePath: '/old'\n/* basePath: process.env.X */\nexport default { basePath: '/docs' };", '/docs'],
    ["export default { basePath: '' };", ''],
  ])('reads %j as %j', (text, expected) => {
    expect(basePathFromText(text)).toBe(expected);
  });

  it.each([
    'export default { basePath: process.env.BASE_PATH };',
    "export default { basePath: isProd ? '/docs' : '' };",
    "const basePath = '/docs';\nexport default { basePath };",
    "export default { basePath: `/${name}` };",
    "export default { basePath: '/docs/' };",
    "export default { ...(x ? { basePath: '/a' } : { basePath: '/b' }) };",
  ])('says %j computes it', text => {
    expect(basePathFromText(text)).toBeUndefined();
  });

  it('reads a large config in linear time', () => {
    const text = `${'// basePath\n/* x */ "s" '.repeat(50_000)}export default { basePath: '/docs' };`;
    const started = performance.now();
    expect(basePathFromText(text)).toBe('/docs');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('basePath and the app boundary in no-fetch-own-api', () => {
  let root: string;
  const client = (url: string) => `'use client';\nexport function A() {\n  return <button onClick={() => fetch('${url}', { method: 'POST' })} />;\n}\n`;

  beforeAll(() => {
    root = makeTempDir('next-actions-next-config-');
    writeInto(root, 'package.json', '{}');
    writeInto(root, 'apps/web/package.json', '{}');
    writeInto(root, 'apps/web/next.config.mjs', "const nextConfig = { basePath: '/docs' };\nexport default nextConfig;\n");
    writeInto(root, 'apps/web/app/api/x/route.ts', 'export async function POST() { return Response.json({}); }\n');
    writeInto(root, 'apps/web/app/page.tsx', 'export default function Page() { return null; }\n');
    writeInto(root, 'apps/web/components/docs.tsx', client('/docs/api/x'));
    writeInto(root, 'apps/admin/components/admin.tsx', client('/api/x'));
    writeInto(root, 'apps/computed/package.json', '{}');
    writeInto(root, 'apps/computed/next.config.js', 'module.exports = { basePath: process.env.BASE_PATH };\n');
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  async function lint(file: string, settings: Record<string, unknown>) {
    const eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [{ ...plugin.configs.all, rules: { 'next-actions/no-fetch-own-api': 'error' }, settings: { 'next-actions': settings } }],
    });
    const [result] = await eslint.lintFiles([file]);
    return result!.messages;
  }

  it('strips the basePath written in next.config', async () => {
    const messages = await lint('apps/web/components/docs.tsx', { rootDir: 'apps/web' });
    expect(messages.map(message => [message.line, message.messageId])).toEqual([[3, 'mutation']]);
    expect(messages[0]!.message).toContain('app/api/x/route.ts');
  });

  it('does not judge a file of another app against this app’s routes', async () => {
    expect(await lint('apps/admin/components/admin.tsx', { rootDir: 'apps/web' })).toEqual([]);
  });

  it('warns once, naming the file, when next.config computes basePath', () => {
    clearNextConfigCache();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const dir = path.join(root, 'apps/computed');
    expect(nextConfigBasePath(dir)).toBe('');
    expect(nextConfigBasePath(dir)).toBe('');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain(`${path.join(dir, 'next.config.js')} computes \`basePath\``);
    warn.mockRestore();
    writeFileSync(path.join(dir, 'next.config.js'), "module.exports = { basePath: '/x' };\n");
    expect(nextConfigBasePath(dir)).toBe('/x');
  });
});
