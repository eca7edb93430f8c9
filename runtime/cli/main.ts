#!/usr/bin/env node
/** The `ferry` command line. */
import type { ApiCommand } from './guard-command.ts'

// Each command's modules load only when that command runs (a dynamic import per command): `ferry
// --help` and `ferry validate` must start like a native tool, without the engine, pg, pg-boss or
// the HTTP stack that `start` needs.

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

type Out = (text: string) => void

/** The commands, each loading only its own modules. */
const COMMANDS: Record<string, (args: string[], out: Out) => Promise<number>> = {
  start: async (args, o) => (await import('./start-command.ts')).startCommand(args, o),
  worker: async (args, o) => (await import('./worker-command.ts')).workerCommand(args, o),
  validate: async (args, o) => (await import('./validate-command.ts')).validateCommand(args, o),
  test: async (args, o) => (await import('./test-command.ts')).testCommand(args, o),
  run: async (args, o) => (await import('./run-command.ts')).runCommand(args, o),
  flows: async (args, o) => api(args, o, (await import('./flows-command.ts')).flowsCommand),
  runs: async (args, o) => api(args, o, (await import('./runs-command.ts')).runsCommand),
  records: async (args, o) => api(args, o, (await import('./records-command.ts')).recordsCommand),
  replay: async (args, o) => api(args, o, (await import('./replay-command.ts')).replayCommand),
  reconcile: async (args, o) => api(args, o, (await import('./reconcile-command.ts')).reconcileCommand),
  keys: async (args, o) => api(args, o, (await import('./keys-command.ts')).keysCommand),
}

/** An API command, guarded (a CliError becomes its line and exit code) and given the process's I/O. */
async function api(args: string[], o: Out, command: ApiCommand): Promise<number> {
  const [{ guardCommand }, { processIo }] = await Promise.all([
    import('./guard-command.ts'),
    import('./cli-io.ts'),
  ])
  return guardCommand(command)(args, processIo(o))
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    out(HELP)
    return 0
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
  if (!run) {
    out(`ferry: unknown command "${command}"\n\n${HELP}`)
    return 2
  }
  return run(args, out)
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`ferry: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  },
)
