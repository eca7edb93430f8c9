#!/usr/bin/env node
/** The `ferry` command line. */
import { processIo } from './cli-io.ts'
import { flowsCommand } from './flows-command.ts'
import { guardCommand } from './guard-command.ts'
import { keysCommand } from './keys-command.ts'
import { reconcileCommand } from './reconcile-command.ts'
import { recordsCommand } from './records-command.ts'
import { replayCommand } from './replay-command.ts'
import { runCommand } from './run-command.ts'
import { runsCommand } from './runs-command.ts'
import { startCommand } from './start-command.ts'
import { testCommand } from './test-command.ts'
import { validateCommand } from './validate-command.ts'
import { workerCommand } from './worker-command.ts'

const HELP = `ferry — declarative integration flows for Business Central, Basware and MISA

usage: ferry <command> [options]

Run Ferry
  start [--port N] [--demo]     the API, workers and scheduler (embedded PostgreSQL unless DATABASE_URL);
                                --demo adds the sandboxes and a demo tenant, and saves its API URL and key
                                for the commands below in <data dir>/cli.json
  worker                        workers only, against DATABASE_URL (scale out: run more)

Manifests
  validate <files|folders>…     check manifests; prints file:line:col  message  (pointer); exit 1 on errors
  test <files|folders>…         run the mapping tests (tests:) of flows and recipes
  run <manifest> --once [--dry-run]   one run of one flow (sandboxes by default)

Watch and operate a running Ferry (through its HTTP API)
  flows                         the flows of the tenant
  flows run <flow> [--no-watch]       run now and follow the run with a progress display
  flows backfill <flow> --from <ISO> --to <ISO> [--no-watch]   read a past window, followed live
  runs [--flow <flow>] [--limit N]    recent runs: kind, state, records per state, duration
  runs <runId> [--watch]        one run; --watch shows live progress (exit 1 if a record failed)
  records [--flow <flow>] [--state S] [--key K] [--since 2h|ISO] [--limit N]
  records <recordId>            one record with its whole ledger
  replay <recordId>…            deliver records again; or by filter:
  replay --flow <flow> --state failed [--since 2h] [--latest] [--watch|--no-watch]
  reconcile <recipe|flow> --from <yyyy-mm-dd> --to <yyyy-mm-dd> [--csv <file>]
                                source, Ferry and target compared document by document over a period
                                (--to exclusive); a summary per flow, what is not matched; exit 1 if any

Keys (admin key: --key or FERRY_ADMIN_KEY)
  keys [list]                   every API key: prefix, role, tenant, state
  keys create [--tenant T] [--name N]  an admin key, or a tenant's key; printed once
  keys revoke <keyId>           stops working now (the last admin key is refused)
  keys rotate <keyId>           a new key with the same role, tenant and name; the old one stops now

  <flow> is a flow id or name. The API commands take --api <url> (or FERRY_API_URL) and --key <key>
  (or FERRY_API_KEY); without them they use what \`ferry start --demo\` saved in the data directory
  (FERRY_DATA_DIR, default .ferry).
`

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)

const API_COMMANDS = {
  flows: flowsCommand,
  runs: runsCommand,
  records: recordsCommand,
  replay: replayCommand,
  reconcile: reconcileCommand,
  keys: keysCommand,
}

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
    case 'flows':
    case 'runs':
    case 'records':
    case 'replay':
    case 'reconcile':
    case 'keys':
      return guardCommand(API_COMMANDS[command])(args, processIo(out))
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
