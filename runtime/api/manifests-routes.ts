import type { ResolvedFile } from '../../core/manifest/resolve-file.ts'
import { validateManifestFiles } from '../../core/manifest/validate-manifest-files.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'

/** Tenant route: validate manifests without storing anything. */
export function manifestsRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    {
      method: 'post',
      path: '/v1/manifests/validate',
      operationId: 'validateManifests',
      summary: 'Validate flow or recipe manifests; diagnostics carry line:col and a JSON pointer',
      tag: 'manifests',
      access: 'tenant',
      body: 'ManifestValidate',
      responses: {
        200: {
          description: 'The report (valid false when any diagnostic is an error)',
          schema: 'ValidationReport',
        },
      },
      handle: (c, { body }) => {
        const input = body as ResolvedFile | { files: ResolvedFile[] }
        const files = 'files' in input ? input.files : [input]
        // Files sent together can reference each other (a recipe its flows, a flow its .jsonata).
        const byName = new Map(files.map((f) => [f.file, f]))
        const resolveFile = (relative: string, from: string) => {
          const folder = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : ''
          return byName.get(`${folder}${relative}`.replace(/^\.\//, '')) ?? byName.get(relative)
        }
        const report = validateManifestFiles(files, deps.catalog, resolveFile)
        return c.json({
          valid: report.errors === 0,
          diagnostics: report.diagnostics,
          summary: report.summary,
          errors: report.errors,
          warnings: report.warnings,
        })
      },
    },
  ]
}
