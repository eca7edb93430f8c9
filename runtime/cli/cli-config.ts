import { existsSync, readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'

/** Where the CLI finds a running Ferry: written by `ferry start --demo`, read by the API commands. */
export interface CliConfig {
  apiUrl: string
  apiKey: string
}

const FILE = 'cli.json'

/** Writes `<dataDir>/cli.json` readable by its owner only, since it holds an API key. */
export async function writeCliConfig(dataDir: string, config: CliConfig): Promise<string> {
  const file = path.join(dataDir, FILE)
  await fs.mkdir(dataDir, { recursive: true })
  await fs.writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 })
  // writeFile keeps the mode of an existing file; a file left from an older start must not stay readable.
  await fs.chmod(file, 0o600)
  return file
}

/** Reads `<dataDir>/cli.json`, or undefined when there is none or it is not a CliConfig. */
export function readCliConfig(dataDir: string): CliConfig | undefined {
  const file = path.join(dataDir, FILE)
  if (!existsSync(file)) return undefined
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CliConfig>
    if (typeof parsed.apiUrl === 'string' && typeof parsed.apiKey === 'string')
      return { apiUrl: parsed.apiUrl, apiKey: parsed.apiKey }
  } catch {}
  return undefined
}

/**
 * Writes the embedded database's URL to `<dataDir>/database-url`, readable by its owner only: it
 * holds the database password, which the start banner must not print.
 */
export async function writeDatabaseUrl(dataDir: string, url: string): Promise<string> {
  const file = path.join(dataDir, 'database-url')
  await fs.mkdir(dataDir, { recursive: true })
  await fs.writeFile(file, `${url}\n`, { mode: 0o600 })
  await fs.chmod(file, 0o600)
  return file
}
