import { dataDir } from '../main/data-dir.ts'
import { type ApiClient, createApiClient } from './api-client.ts'
import { resolveApiTarget } from './resolve-api-target.ts'
import type { ProgressScreen } from './watch-progress.ts'

/** What the API commands need from their surroundings; tests pass a collector and the in-process API's fetch. */
export interface CliIo extends ProgressScreen {
  /** Error lines (stderr), so a failing command's output stays parseable. */
  err(line: string): void
  env: NodeJS.ProcessEnv
  dataDir: string
  fetch?: typeof fetch
  /** How often a watch polls the API (default 1000 ms: one line per second when not a TTY). */
  pollMs?: number
  now?: () => Date
}

/** The real process: stdout, its TTY-ness and width, the environment and the data directory. */
export function processIo(out: (line: string) => void): CliIo {
  return {
    out,
    err: (line) => process.stderr.write(`${line}\n`),
    write: (text) => process.stdout.write(text),
    tty: process.stdout.isTTY === true,
    columns: process.stdout.columns,
    env: process.env,
    dataDir: dataDir(),
  }
}

/** The API client for a command's `--api` / `--key` flags (or their fallbacks). */
export function apiClientFor(io: CliIo, flags: { api?: string; key?: string }): ApiClient {
  return createApiClient(resolveApiTarget(flags, io.env, io.dataDir), io.fetch)
}
