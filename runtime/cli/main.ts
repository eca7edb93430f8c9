#!/usr/bin/env node
/** The `ferry` command line. */
import { runCommand } from './run-command.ts'
import { startCommand } from './start-command.ts'
import { testCommand } from './test-command.ts'
import { validateCommand } from './validate-command.ts'
import { workerCommand } from './worker-command.ts'

const HELP = `ferry — declarative integration flows for Business Central, Basware and MISA

usage: ferry <command> [options]
  start [--port N]              the API, workers and scheduler (embedded PostgreSQL unless DATABASE_URL)
  worker                        workers only, against DATABASE_URL (scale out: run more)
  validate <files|folders>…     check manifests; prints file:line:col  message  (pointer); exit 1 on errors
  test <files|folders>…         run the mapping tests (tests:) of flows and recipes
  run <manifest> --once [--dry-run]   one run of one flow (sandboxes by default)
`

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv
  switch (command) {
    case 'start':
      return startCommand(args, out)
    case 'worker':
      return workerCommand(args, out)
    case 'validate':
      return validateCommand(args, out)
    case 'test':
      return testCommand(args, out)
    case 'run':
      return runCommand(args, out)
    case undefined:
    case 'help':
    case '--help':
      out(HELP)
      return 0
    default:
      out(`ferry: unknown command "${command}"\n\n${HELP}`)
      return 2
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`ferry: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  },
)
