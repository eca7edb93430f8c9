import { CliError } from './cli-error.ts'

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 }

/**
 * A `--since` value as an ISO instant: either a duration back from `now` (`90s`, `30m`, `2h`, `7d`)
 * or an ISO 8601 date-time / date.
 */
export function parseSince(text: string, now: Date): string {
  const relative = /^(\d+)([smhd])$/.exec(text.trim())
  if (relative)
    return new Date(now.getTime() - Number(relative[1]) * UNITS[relative[2]!]! * 1000).toISOString()
  const at = Date.parse(text)
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(at)) return new Date(at).toISOString()
  throw new CliError(`--since "${text}" is neither a duration (30m, 2h, 7d) nor an ISO date-time`, 2)
}
