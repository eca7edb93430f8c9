import type { Logger } from '../../core/connector/connector.ts'
import type { Db } from '../store/database.ts'

/** The API the console calls in-process: the same Hono app that serves /v1 (only its fetch). */
export interface ConsoleApiApp {
  fetch(request: Request, env?: unknown): Response | Promise<Response>
}

/** Everything the console needs, injected so tests build it against a test database. */
export interface ConsoleDeps {
  db: Db
  /** The API app; every read and change of tenant data goes through its routes. */
  api: ConsoleApiApp
  log: Logger
  /** The URL browsers reach this service at (OAuth callbacks; a https URL makes cookies Secure). */
  publicUrl: string
  /** Idle time after which a session ends (default 30 minutes). */
  idleMs?: number
  /** Longest life of a session however active (default 12 hours). */
  maxAgeMs?: number
  /**
   * The deployment's app registrations for connectors a person connects by browser consent, by
   * connector id (for BC: clientId, clientSecret and, off Microsoft's cloud, baseUrl/authorityUrl).
   * Read per request: the demo fills it once its sandboxes run.
   */
  consentApps?: () => Record<string, Record<string, unknown>>
}
