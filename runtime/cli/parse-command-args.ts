import { type ParseArgsConfig, parseArgs } from 'node:util'
import { CliError } from './cli-error.ts'

type Options = NonNullable<ParseArgsConfig['options']>

/** The options every API command takes: where the API is and the key. */
export const API_OPTIONS = {
  api: { type: 'string' },
  key: { type: 'string' },
} as const satisfies Options

/**
 * node:util parseArgs in strict mode, with its errors turned into a one-line usage {@link CliError}
 * (exit 2) that names the command, so `ferry runs --limt 5` says what is wrong and how to call it.
 */
export function parseCommandArgs<O extends Options>(
  command: string,
  argv: string[],
  options: O,
  usage: string,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (error) {
    const message = (error as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '')
    throw new CliError(`ferry ${command}: ${message}\n${usage}`, 2)
  }
}

/** A positive integer flag, or a usage error naming the flag. */
export function positiveInteger(command: string, flag: string, text: string | undefined, fallback: number) {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`ferry ${command}: --${flag} must be a positive integer (got "${text}")`, 2)
  return n
}
