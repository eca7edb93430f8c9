/**
 * The sandbox contract: every connector ships an emulator of its system (a Hono app) that tests,
 * benchmarks and the demo run against. The runtime starts sandboxes without knowing which is which.
 */

/** How a sandbox is started. */
export interface SandboxOptions {
  /** The URL the sandbox is reachable at (its own links, redirects and token issuers use it). */
  baseUrl: string
  /**
   * Outbound HTTP for what the emulated system sends on its own (webhook notifications, callbacks).
   * Defaults to global fetch; tests route it in-process.
   */
  fetch?: typeof fetch
  /** `demo` seeds a realistic company; `empty` seeds only credentials. Default `demo`. */
  seed?: 'demo' | 'empty'
  /** The clock; tests move it (token expiry, subscription expiry). Defaults to the wall clock. */
  now?: () => Date
}

/** A running emulator. */
export interface Sandbox {
  /** Serves one request (the Hono app's fetch). Also serves the `/__sandbox/…` control API. */
  fetch(request: Request): Promise<Response>
  /** A connection config (secrets included) that points the connector at this sandbox. */
  connectionConfig(): Record<string, unknown>
  /**
   * Creates new activity, as users of the real system would (new invoices waiting for transfer,
   * new vendors). Used by the demo so a newcomer watches records flow.
   */
  produce?(count: number): Promise<void>
  /** Stops timers (webhook retries, callbacks). */
  close(): Promise<void>
}

/** Loads and starts a sandbox; a dynamic import keeps emulators out of production start-up. */
export type SandboxFactory = (options: SandboxOptions) => Promise<Sandbox>
