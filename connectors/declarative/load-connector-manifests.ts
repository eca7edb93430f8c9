/**
 * Finds and loads connector manifests (`*.connector.yaml|yml|json`) under directories: each is
 * parsed and checked, and a good one becomes a connector; problems come back as diagnostics with
 * their file, line and column. Loading happens once, at start.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Connector } from '../../core/connector/connector.ts'
import type { SandboxFactory } from '../../core/connector/sandbox.ts'
import type { ConnectorManifest } from '../../core/manifest/connector-schema.ts'
import { type Diagnostic, sortDiagnostics } from '../../core/manifest/diagnostic.ts'
import { diagnosticAt, readManifestSource } from '../../core/manifest/manifest-source.ts'
import {
  isConnectorManifestFile,
  parseConnectorManifest,
} from '../../core/manifest/parse-connector-manifest.ts'
import type { ResolveFile } from '../../core/manifest/resolve-file.ts'
import { declaredConnector } from './declared-connector.ts'

/** A connector that came from a manifest. */
export interface LoadedDeclaration {
  connector: Connector
  manifest: ConnectorManifest
  /** The manifest's path as shown in diagnostics (relative to the working directory when inside it). */
  file: string
}

/** What loading found: the good declarations and every problem. */
export interface LoadedManifests {
  declarations: LoadedDeclaration[]
  diagnostics: Diagnostic[]
}

/** Manifest files under `dir`, depth-first in name order (hidden folders and node_modules skipped). */
export function connectorManifestFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...connectorManifestFiles(path))
    else if (entry.isFile() && isConnectorManifestFile(entry.name)) out.push(path)
  }
  return out
}

/** A display name for a file: relative to the working directory when it is inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file)
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel
}

const resolveNextTo =
  (absolute: string): ResolveFile =>
  (path) => {
    const file = resolve(dirname(absolute), path)
    return existsSync(file) ? { file, text: '' } : undefined
  }

function sandboxOf(absolute: string, manifest: ConnectorManifest): SandboxFactory | undefined {
  if (!manifest.sandbox) return undefined
  const url = pathToFileURL(resolve(dirname(absolute), manifest.sandbox)).href
  return async (options) => {
    const module = (await import(url)) as { createSandbox?: SandboxFactory }
    if (typeof module.createSandbox !== 'function')
      throw new Error(`${manifest.sandbox} (sandbox of ${manifest.id}) exports no createSandbox`)
    return module.createSandbox(options)
  }
}

/**
 * Loads every manifest under `dirs`. An id declared twice, or taken by one of `reserved` (the
 * TypeScript connectors), is an error at the later manifest's `id`.
 */
export function loadConnectorManifests(
  dirs: readonly string[],
  reserved: readonly string[] = [],
): LoadedManifests {
  const declarations: LoadedDeclaration[] = []
  const diagnostics: Diagnostic[] = []
  const seen = new Set<string>()
  for (const absolute of [...new Set(dirs.map((d) => resolve(d)))].flatMap(connectorManifestFiles)) {
    if (seen.has(absolute)) continue
    seen.add(absolute)
    const file = displayPath(absolute)
    const text = readFileSync(absolute, 'utf8')
    const result = parseConnectorManifest({ file, text, resolveFile: resolveNextTo(absolute) })
    diagnostics.push(...result.diagnostics)
    const manifest = result.manifest
    if (!manifest) continue
    const earlier = declarations.find((d) => d.manifest.id === manifest.id)
    if (earlier || reserved.includes(manifest.id)) {
      const by = earlier ? `declared by ${earlier.file}` : 'a built-in connector'
      diagnostics.push(
        diagnosticAt(readManifestSource(file, text), '/id', 'value', {
          code: 'duplicate-connector',
          message: `connector id "${manifest.id}" is already taken (${by})`,
        }),
      )
      continue
    }
    declarations.push({
      connector: declaredConnector(manifest, { sandbox: sandboxOf(absolute, manifest) }),
      manifest,
      file,
    })
  }
  return { declarations, diagnostics: sortDiagnostics(diagnostics) }
}
