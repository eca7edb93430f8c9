/** Fails (exit 1) when a committed generated file differs from what its source generates now. */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { connectorConfigDocs } from './connector-config-docs.ts'
import { manifestSchemaFiles } from './manifest-schemas.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const stale = Object.entries({ ...manifestSchemaFiles(), ...connectorConfigDocs(root) }).filter(
  ([path, text]) => !existsSync(`${root}${path}`) || readFileSync(`${root}${path}`, 'utf8') !== text,
)
if (stale.length > 0) {
  for (const [path] of stale)
    console.error(`${path} is stale: it no longer matches the schema it is generated from.`)
  console.error('Run `npm run generate` and commit the result.')
  process.exit(1)
}
console.log('generated files are up to date')
