import { describe, expect, it } from 'vitest'
import { startBanner } from '../../runtime/cli/start-banner.ts'

const base = {
  publicUrl: 'http://127.0.0.1:4680',
  embeddedIn: '.ferry',
  databaseUrlFile: '.ferry/database-url',
}

// Findings 5 and 6 of issue 13: every start printed a new admin key, and the database password.
describe('the start banner', () => {
  it('shows the admin key only when it was just created', () => {
    const created = startBanner({
      ...base,
      admin: { state: 'created', id: 'x', key: 'fry_adm_SECRET', prefix: 'fry_adm_SECR' },
    })
    expect(created.join('\n')).toContain('fry_adm_SECRET')
    const later = startBanner({ ...base, admin: { state: 'existing', prefixes: ['fry_adm_SECR'] } })
    expect(later.join('\n')).not.toContain('fry_adm_SECRET')
    expect(later.join('\n')).toContain('issued at an earlier start (fry_adm_SECR…)')
    const revoked = startBanner({ ...base, admin: { state: 'supplied-revoked', prefix: 'opkey_012345' } })
    expect(revoked.join('\n')).toMatch(/was revoked and stays revoked/)
  })

  it('tells how to add workers without printing the database password', () => {
    const lines = startBanner({ ...base, admin: { state: 'existing', prefixes: [] } })
    expect(lines).toContain('  more workers: DATABASE_URL="$(cat .ferry/database-url)" npx ferry worker')
    expect(lines.join('\n')).not.toMatch(/postgres:\/\//)
  })
})
