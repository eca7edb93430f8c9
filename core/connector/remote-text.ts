import { redactSecrets } from './connector-error.ts'

/** C0 controls (but tab and newline), DEL, and the bidirectional overrides that reorder what is shown. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g

/** How much of a remote body a message may quote. */
export const REMOTE_TEXT_LIMIT = 500

/**
 * Text a remote system sent, made fit to quote in an error message: markup and control characters
 * removed, whitespace collapsed, credentials redacted, and cut to `limit` characters. A remote error
 * page is the remote's words, not ours: quote it as `<System> answered <status>: <remoteText>`.
 */
export function remoteText(text: string, known: readonly string[] = [], limit = REMOTE_TEXT_LIMIT): string {
  const plain = text
    .slice(0, limit * 20)
    .replace(/<(script|style)\b[\s\S]*?(<\/\1\s*>|$)/gi, ' ')
    .replace(/<!--[\s\S]*?(-->|$)/g, ' ')
    .replace(/<\/?[A-Za-z!?][^>]*(>|$)/g, ' ')
    .replace(CONTROL_CHARACTERS, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  const redacted = redactSecrets(plain, known)
  return redacted.length > limit ? `${redacted.slice(0, limit - 1)}…` : redacted
}
