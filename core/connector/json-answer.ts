import { ConnectorError } from './connector-error.ts'
import { remoteText } from './remote-text.ts'

/**
 * Parses a remote answer that must be JSON. A body that is not (a proxy's error page, a cut-off
 * answer) is a `transient` ConnectorError quoting the start of it — not a SyntaxError, which the
 * runtime could only treat as a bug. `from` names the answer: "Basware's answer to GET /v1/vendors".
 */
export function jsonAnswer<T = unknown>(text: string, from: string): T {
  try {
    return JSON.parse(text) as T
  } catch {
    throw new ConnectorError('transient', `${from} is not JSON: ${remoteText(text, [], 200) || '(empty)'}`)
  }
}
