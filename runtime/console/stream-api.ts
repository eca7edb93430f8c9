import { inProcessEnv } from '../api/in-process-principal.ts'
import type { ConsoleSession } from '../store/console-sessions-store.ts'
import type { ConsoleApiApp } from './console-deps.ts'

/**
 * Calls a streaming GET route of the API in-process as the session's tenant and hands back its
 * response as it is (server-sent progress): the same route, checks and tenant scoping as
 * {@link callApi}, without reading the body to its end.
 */
export async function streamApi(
  api: ConsoleApiApp,
  session: ConsoleSession,
  path: string,
): Promise<Response> {
  const response = await api.fetch(
    new Request(`http://ferry.internal${path}`, { headers: { accept: 'text/event-stream' } }),
    inProcessEnv({ keyId: session.keyId, role: 'tenant', tenantId: session.tenantId }),
  )
  return new Response(response.body, {
    status: response.status,
    headers: {
      'content-type': response.headers.get('content-type') ?? 'text/event-stream',
      'cache-control': 'no-store',
    },
  })
}
