import type { AdminKeyAtStart } from '../store/api-keys-queries.ts'

/** What `ferry start` tells the operator once it listens. */
export interface StartBannerInput {
  publicUrl: string
  /** The data directory of an embedded database; undefined when DATABASE_URL names the server. */
  embeddedIn?: string
  /** The file holding the embedded database's URL (it holds the password, so it is not printed). */
  databaseUrlFile?: string
  admin: AdminKeyAtStart
}

function adminKeyLines(admin: AdminKeyAtStart): string[] {
  const manage = '  keys: npx ferry keys --key <admin key>  (list, create, revoke, rotate)'
  switch (admin.state) {
    case 'created':
      return [`Admin API key (shown once, store it now): ${admin.key}`, manage]
    case 'supplied':
      return [`Admin API key: the one in FERRY_ADMIN_KEY (${admin.prefix}…)`, manage]
    case 'supplied-revoked':
      return [
        `Admin API key: FERRY_ADMIN_KEY (${admin.prefix}…) was revoked and stays revoked;`,
        '  set FERRY_ADMIN_KEY to a new value to get an admin key',
      ]
    case 'existing':
      return [
        `Admin API key: issued at an earlier start (${admin.prefixes.map((p) => `${p}…`).join(', ')})`,
        '  lost it? restart with FERRY_ADMIN_KEY=<a new long random key>, then revoke the old one with `ferry keys revoke`',
      ]
  }
}

/**
 * The start banner: where the API is, where the database is and how to add workers, and the admin
 * key — in clear only the one time it is created. No password is printed: the embedded database's
 * URL is read from its file by the command the banner shows.
 */
export function startBanner(input: StartBannerInput): string[] {
  const lines = [
    `Ferry is running: ${input.publicUrl}  (API under /v1, OpenAPI at /openapi.json, health at /health)`,
    `Database: ${input.embeddedIn ? `embedded PostgreSQL in ${input.embeddedIn}` : 'DATABASE_URL'}`,
  ]
  if (input.embeddedIn && input.databaseUrlFile)
    lines.push(`  more workers: DATABASE_URL="$(cat ${input.databaseUrlFile})" npx ferry worker`)
  return [...lines, ...adminKeyLines(input.admin)]
}
