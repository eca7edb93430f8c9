import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** The n8n release the side by side runs: 2.x needs Node 24, this is the last 1.x known to work here. */
export const N8N_VERSION = '1.123.81'

/** Where n8n is installed on first use: outside the repository, kept between runs (it is large). */
export function n8nCacheDir(): string {
  return process.env.FERRY_BENCH_N8N_DIR ?? path.join(os.homedir(), '.cache', 'ferry-bench', 'n8n')
}

// The install notes learned on these machines (issue 17, target 6): xlsx's default tarball comes from a
// host outside the npm registry, so it is pinned to the registry's 0.18.5; install scripts are skipped
// (isolated-vm does not build on Node 20, so n8n runs with the legacy expression engine), and sqlite3,
// the one native module n8n needs for its own database, is rebuilt afterwards.
const manifest = {
  name: 'ferry-bench-n8n',
  private: true,
  description: 'n8n for Ferry’s side-by-side benchmark (npm run bench -- --peers); safe to delete',
  dependencies: { n8n: N8N_VERSION },
  overrides: { xlsx: '0.18.5' },
}

function npm(args: string[], cwd: string, log: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    const chunks: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk))
    child.once('error', reject)
    child.once('exit', (code) => {
      writeFileSync(log, Buffer.concat(chunks), { flag: 'a' })
      if (code === 0) resolve()
      else reject(new Error(`npm ${args.join(' ')} exited with ${code} in ${cwd}; see ${log}`))
    })
  })
}

/** The n8n CLI entry of an install, if that install finished (its marker names the same version). */
export function installedN8n(dir = n8nCacheDir()): string | undefined {
  const marker = path.join(dir, '.installed')
  if (!existsSync(marker) || readFileSync(marker, 'utf8').trim() !== N8N_VERSION) return undefined
  const bin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n')
  return existsSync(bin) ? bin : undefined
}

/**
 * Installs n8n into {@link n8nCacheDir} unless it is there already, and returns its CLI entry. Takes
 * about 20 minutes on a loaded two-core machine; a later run finds the marker and returns at once.
 */
export async function ensureN8n(progress: (line: string) => void = () => undefined): Promise<string> {
  const dir = n8nCacheDir()
  const ready = installedN8n(dir)
  if (ready) return ready
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  const log = path.join(dir, 'install.log')
  progress(`installing n8n ${N8N_VERSION} into ${dir} (first use; ~20 min; log: ${log})`)
  await npm(['install', '--ignore-scripts', '--no-audit', '--no-fund'], dir, log)
  await npm(['rebuild', 'sqlite3'], dir, log)
  writeFileSync(path.join(dir, '.installed'), `${N8N_VERSION}\n`)
  const bin = installedN8n(dir)
  if (!bin) throw new Error(`n8n installed into ${dir} but node_modules/n8n/bin/n8n is missing`)
  return bin
}
