/**
 * A failure the CLI reports as one line and an exit code: 2 for a usage mistake (bad flag, missing
 * argument), 1 for everything else (the API refused, is unreachable, or the work failed).
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message)
  }
}
