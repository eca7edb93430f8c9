import type { Sandbox } from '../../core/connector/sandbox.ts'

/**
 * A fetch that serves URLs under a sandbox's base URL in-process and sends everything else to the
 * network. Used by `ferry run --sandbox` and tests; the demo serves sandboxes on real ports instead.
 */
export function sandboxFetch(
  routes: { baseUrl: string; sandbox: Pick<Sandbox, 'fetch'> }[],
  fallback: typeof fetch = fetch,
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init)
    const route = routes.find((r) => request.url.startsWith(r.baseUrl))
    return route ? route.sandbox.fetch(request) : fallback(request)
  }
}
