/**
 * Test harness for this folder's tests (not a test itself): starts the sandbox in-process with a
 * context on it, plus a helper for the sandbox's control API.
 */
import { type SandboxContextOptions, startSandboxContext } from '../../test/support/sandbox-context.ts'
import type { Config } from './config.ts'
import { basware } from './index.ts'

/** Starts a Basware sandbox and a connector context on it. */
export async function startTestEnv(options: SandboxContextOptions = {}) {
  const env = await startSandboxContext(basware, options)
  const config = env.ctx.config as Config
  const base = String(config.baseUrl)

  /** Calls the control API under `/__sandbox/`. */
  const control = async (method: string, path: string, body?: unknown): Promise<any> => {
    const response = await env.sandbox.fetch(
      new Request(`${base}/__sandbox/${path}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    )
    return response.json()
  }

  /** API requests the sandbox served, by `METHOD /route`. */
  const stats = async (): Promise<Record<string, number>> => (await control('GET', 'stats')).byRoute

  return { ...env, config, control, stats }
}
