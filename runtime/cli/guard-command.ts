import { CliError } from './cli-error.ts'
import type { CliIo } from './cli-io.ts'

/** An API command: arguments and surroundings in, exit code out. */
export type ApiCommand = (argv: string[], io: CliIo) => Promise<number>

/** Wraps a command so a {@link CliError} becomes its one line on stderr and its exit code; anything else is a bug and propagates. */
export function guardCommand(command: ApiCommand): ApiCommand {
  return async (argv, io) => {
    try {
      return await command(argv, io)
    } catch (error) {
      if (!(error instanceof CliError)) throw error
      io.err(`ferry: ${error.message}`)
      return error.exitCode
    }
  }
}
