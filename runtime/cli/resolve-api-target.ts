import type { ApiTarget } from './api-client.ts'
import { readCliConfig } from './cli-config.ts'
import { CliError } from './cli-error.ts'

/**
 * Where the API commands talk to, like kubectl's context: `--api` / FERRY_API_URL and `--key` /
 * FERRY_API_KEY, each falling back to the `cli.json` that `ferry start --demo` left in the data directory.
 */
export function resolveApiTarget(
  flags: { api?: string; key?: string },
  env: NodeJS.ProcessEnv,
  dataDir: string,
): ApiTarget {
  const saved = readCliConfig(dataDir)
  const apiUrl = flags.api ?? env.FERRY_API_URL ?? saved?.apiUrl
  const apiKey = flags.key ?? env.FERRY_API_KEY ?? saved?.apiKey
  if (!apiUrl || !apiKey)
    throw new CliError(
      `no Ferry API ${apiUrl ? 'key' : 'URL'}: pass --api <url> and --key <key>, set FERRY_API_URL and ` +
        `FERRY_API_KEY, or run \`ferry start --demo\` (it saves both in ${dataDir}/cli.json)`,
      2,
    )
  try {
    new URL(apiUrl)
  } catch {
    throw new CliError(`the API URL "${apiUrl}" is not a URL (e.g. http://127.0.0.1:4680)`, 2)
  }
  return { apiUrl: apiUrl.replace(/\/+$/, ''), apiKey }
}
