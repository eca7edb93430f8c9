/**
 * Turns a declared connector's error answers into ConnectorErrors: the manifest's rules first (status
 * and an optional JSONata test on the body → kind, remote code and message, wait), then the defaults
 * every HTTP API shares. Remote text is redacted before it reaches a message.
 */
import {
  ConnectorError,
  type ConnectorErrorKind,
  parseRetryAfter,
  redactSecrets,
} from '../../core/connector/connector-error.ts'
import type { ConnectorErrors, ErrorRule } from '../../core/manifest/connector-schema.ts'
import { compileExpression, type Evaluate, isNothing } from './compile-expression.ts'

/** An error answer as received. */
export interface ErrorAnswer {
  status: number
  headers: Headers
  text: string
  /** The body parsed as JSON, when it is. */
  body: unknown
}

interface CompiledRule {
  matches: (status: number) => boolean
  when?: Evaluate
  kind: ConnectorErrorKind
  code?: Evaluate
  message?: Evaluate
  retryAfter?: Evaluate
}

/** Maps an error answer of the call `what` to a ConnectorError. */
export type ErrorMapper = (
  what: string,
  answer: ErrorAnswer,
  secrets: readonly string[],
  now: number,
) => Promise<ConnectorError>

function statusMatcher(status: ErrorRule['status']): (s: number) => boolean {
  if (typeof status === 'number') return (s) => s === status
  if (Array.isArray(status)) return (s) => status.includes(s)
  const hundreds = Number(status[0]) * 100
  return (s) => s >= hundreds && s < hundreds + 100
}

/** The kind of an answer no rule claims. */
export function defaultKind(status: number, retryAfterMs: number | undefined): ConnectorErrorKind {
  if (status === 401 || status === 403) return 'auth'
  if (status === 404) return 'not_found'
  if (status === 409 || status === 412) return 'conflict'
  if (status === 429 || (status === 503 && retryAfterMs !== undefined)) return 'rate_limited'
  if (status === 408 || status >= 500) return 'transient'
  return 'rejected'
}

/** The message most JSON APIs put in an error body. */
function conventionalMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined
  const b = body as Record<string, any>
  const candidates = [b.error?.message, b.message, b.error_description, b.detail, b.title, b.error]
  return candidates.find((c): c is string => typeof c === 'string' && c.length > 0)
}

function conventionalCode(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined
  const b = body as Record<string, any>
  const candidates = [b.error?.code, b.code, typeof b.error === 'string' ? b.error : undefined]
  return candidates.find((c): c is string => typeof c === 'string' && c.length > 0)
}

async function text(evaluate: Evaluate | undefined, body: unknown): Promise<string | undefined> {
  if (!evaluate || body === undefined) return undefined
  const value = await evaluate(body).catch(() => undefined)
  return isNothing(value) || value === ''
    ? undefined
    : typeof value === 'string'
      ? value
      : JSON.stringify(value)
}

/** Compiles the `errors` section; `title` names the remote system in messages. */
export function compileErrors(errors: ConnectorErrors | undefined, title: string): ErrorMapper {
  const code = errors?.code ? compileExpression(errors.code, 'errors.code') : undefined
  const message = errors?.message ? compileExpression(errors.message, 'errors.message') : undefined
  const rules: CompiledRule[] = (errors?.rules ?? []).map((r, i) => ({
    matches: statusMatcher(r.status),
    when: r.when ? compileExpression(r.when, `errors.rules[${i}].when`) : undefined,
    kind: r.kind,
    code: r.code ? compileExpression(r.code, `errors.rules[${i}].code`) : undefined,
    message: r.message ? compileExpression(r.message, `errors.rules[${i}].message`) : undefined,
    retryAfter: r.retryAfter ? compileExpression(r.retryAfter, `errors.rules[${i}].retryAfter`) : undefined,
  }))
  return async (what, answer, secrets, now) => {
    let rule: CompiledRule | undefined
    for (const candidate of rules) {
      if (!candidate.matches(answer.status)) continue
      if (candidate.when && !(await candidate.when(answer.body ?? {}).catch(() => false))) continue
      rule = candidate
      break
    }
    let retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'), now)
    const seconds = Number(await text(rule?.retryAfter, answer.body))
    if (retryAfterMs === undefined && Number.isFinite(seconds) && seconds >= 0)
      retryAfterMs = Math.round(seconds * 1000)
    const kind = rule?.kind ?? defaultKind(answer.status, retryAfterMs)
    const remoteCode = (await text(rule?.code ?? code, answer.body)) ?? conventionalCode(answer.body)
    const rawMessage =
      (await text(rule?.message ?? message, answer.body)) ??
      conventionalMessage(answer.body) ??
      answer.text.slice(0, 500).trim()
    const remoteMessage = rawMessage ? redactSecrets(rawMessage, secrets) : undefined
    const hint =
      kind === 'auth'
        ? ' Check the connection’s credentials and permissions.'
        : kind === 'rate_limited'
          ? ` ${title} asked us to slow down.`
          : ''
    return new ConnectorError(
      kind,
      `${title} answered ${answer.status} to ${what}${remoteMessage ? `: ${remoteMessage}` : ''}.${hint}`,
      {
        status: answer.status,
        remoteCode: remoteCode ? redactSecrets(remoteCode, secrets) : undefined,
        remoteMessage,
        retryAfterMs: kind === 'rate_limited' ? retryAfterMs : undefined,
      },
    )
  }
}
