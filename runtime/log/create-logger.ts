import type { Logger } from '../../core/connector/connector.ts'
import { redactSecrets } from '../../core/connector/connector-error.ts'

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const
/** A log level name. */
export type LogLevel = keyof typeof LEVELS

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level?: LogLevel
  /** Where lines go (default: stderr). */
  write?: (line: string) => void
  /** Fixed fields on every line. */
  fields?: Record<string, unknown>
  /** Literal secret values to scrub from every line. */
  secrets?: () => readonly string[]
}

/** A structured JSON-lines logger that scrubs credentials from every line it writes. */
export function createLogger(
  options: LoggerOptions = {},
): Logger & { child(fields: Record<string, unknown>): Logger } {
  const min = LEVELS[options.level ?? ((process.env.FERRY_LOG_LEVEL as LogLevel) || 'info')] ?? LEVELS.info
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'))
  const emit = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < min) return
    const line = JSON.stringify({
      t: new Date().toISOString(),
      level,
      msg: message,
      ...options.fields,
      ...fields,
    })
    write(redactSecrets(line, options.secrets?.() ?? []))
  }
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (fields) => createLogger({ ...options, fields: { ...options.fields, ...fields } }),
  }
}

/** A logger that drops everything (tests that do not assert on logs). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }
