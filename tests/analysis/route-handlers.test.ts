import { describe, expect, it } from 'vitest';
import { routeHandlers } from '../../src/analysis/route-handlers.js';
import { parseModule } from '../support/parse.js';

describe('routeHandlers', () => {
  it('finds the function behind each exported HTTP method, through local names and wrappers', () => {
    const code = `import { withAuth } from '@/lib/auth';
async function remove() { return new Response(null, { status: 204 }); }
const update = withAuth(async (request: Request) => Response.json({}));
export async function GET() { return Response.json([]); }
export const POST = withAuth(withLogging(async (request: Request) => Response.json({})));
export { remove as DELETE, update as PUT };
export const revalidate = 60;
export function helper() {}
export type { Thing } from './thing';
`;
    const program = parseModule(code);
    expect(routeHandlers(program).map(handler => [handler.method, handler.fn.loc.start.line, handler.nameNode.loc.start.line])).toEqual([
      ['GET', 4, 4],
      ['POST', 5, 5],
      ['DELETE', 2, 6],
      ['PUT', 3, 6],
    ]);
  });
});
