import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'

/** The webhook path both n8n and the benchmark use. */
const HOOK_PATH = 'bench-invoices'
const WORKFLOW_ID = 'FerryBenchInv001'

/**
 * The trivial flow in n8n's terms: a webhook that answers with the last node's output, a Set node
 * mapping three fields (the same as Ferry's flow), and an HTTP Request node POSTing them to the sink.
 */
export function n8nWorkflow(sinkUrl: string) {
  return {
    id: WORKFLOW_ID,
    name: 'Ferry bench: invoices to sink',
    active: false,
    settings: { executionOrder: 'v1' },
    nodes: [
      {
        id: '3c6f2a0e-0000-4000-8000-000000000001',
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId: '3c6f2a0e-0000-4000-8000-0000000000aa',
        parameters: { httpMethod: 'POST', path: HOOK_PATH, responseMode: 'lastNode', options: {} },
      },
      {
        id: '3c6f2a0e-0000-4000-8000-000000000002',
        name: 'Map',
        type: 'n8n-nodes-base.set',
        typeVersion: 3.4,
        position: [220, 0],
        parameters: {
          mode: 'manual',
          assignments: {
            assignments: [
              { id: 'a1', name: 'number', type: 'string', value: '={{ $json.body.invoiceNumber }}' },
              { id: 'a2', name: 'vendor', type: 'string', value: '={{ $json.body.supplierCode }}' },
              { id: 'a3', name: 'amount', type: 'number', value: '={{ $json.body.total }}' },
            ],
          },
          includeOtherFields: false,
          options: {},
        },
      },
      {
        id: '3c6f2a0e-0000-4000-8000-000000000003',
        name: 'Sink',
        type: 'n8n-nodes-base.httpRequest',
        typeVersion: 4.2,
        position: [440, 0],
        parameters: {
          method: 'POST',
          url: `${sinkUrl}/invoices`,
          sendBody: true,
          specifyBody: 'json',
          jsonBody: '={{ JSON.stringify($json) }}',
          options: {},
        },
      },
    ],
    connections: {
      Webhook: { main: [[{ node: 'Map', type: 'main', index: 0 }]] },
      Map: { main: [[{ node: 'Sink', type: 'main', index: 0 }]] },
    },
    pinData: {},
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

function runToEnd(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`n8n ${args[0]} exited with ${code}: ${output.slice(-2000)}`)),
    )
  })
}

/** A running n8n with the bench workflow active. */
export interface N8nPeer {
  pid: number
  webhookUrl: string
  stop(): Promise<void>
}

/**
 * Starts n8n (`bin` from {@link ensureN8n}) in a fresh user folder with its own SQLite database, the
 * bench workflow imported and activated, and waits until its webhook answers. Settings from the issue:
 * legacy expression engine (isolated-vm does not build on Node 20), no task runners, no telemetry.
 * Executions are saved as n8n saves them by default: that is its record of what ran, as the ledger is Ferry's.
 */
export async function startN8n(bin: string, sinkUrl: string): Promise<N8nPeer> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-n8n-'))
  const port = await freePort()
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: folder,
    N8N_USER_FOLDER: folder,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_EXPRESSION_ENGINE: 'legacy',
    N8N_RUNNERS_ENABLED: 'false',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    N8N_SECURE_COOKIE: 'false',
    N8N_LOG_LEVEL: 'warn',
    // The HTTP Request node must reach the sink on loopback.
    N8N_SSRF_PROTECTION_ENABLED: 'false',
  }
  let child: ChildProcess | undefined
  const cleanUp = () => rmSync(folder, { recursive: true, force: true })
  try {
    const file = path.join(folder, 'workflow.json')
    writeFileSync(file, JSON.stringify(n8nWorkflow(sinkUrl)))
    await runToEnd(bin, ['import:workflow', `--input=${file}`], env)
    await runToEnd(bin, ['update:workflow', `--id=${WORKFLOW_ID}`, '--active=true'], env)
    const started = spawn(process.execPath, [bin, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    child = started
    let output = ''
    started.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)))
    started.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)))
    const webhookUrl = `http://127.0.0.1:${port}/webhook/${HOOK_PATH}`
    const deadline = Date.now() + 300_000
    for (;;) {
      if (started.exitCode !== null) throw new Error(`n8n start exited with ${started.exitCode}: ${output}`)
      const answer = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ invoiceNumber: 'warm-up', supplierCode: 'V0', total: 1 }),
      }).catch(() => undefined)
      if (answer?.ok) break
      if (Date.now() > deadline) throw new Error(`n8n's webhook did not answer 200 within 5 min: ${output}`)
      await new Promise((r) => setTimeout(r, 1000))
    }
    return {
      pid: started.pid!,
      webhookUrl,
      async stop() {
        if (started.exitCode === null) {
          const exited = new Promise((resolve) => started.once('exit', resolve))
          started.kill('SIGTERM')
          const timer = setTimeout(() => started.kill('SIGKILL'), 20_000)
          await exited
          clearTimeout(timer)
        }
        cleanUp()
      },
    }
  } catch (error) {
    child?.kill('SIGKILL')
    cleanUp()
    throw error
  }
}
