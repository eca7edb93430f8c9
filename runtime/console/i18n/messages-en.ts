/**
 * The console's English messages: the catalogue every other language must match key for key
 * (messages-vi.ts is typed against it). Keys are `<page or part>.<what>`; `{name}` is a placeholder.
 */
export const en = {
  'app.name': 'Ferry',
  'app.skipToContent': 'Skip to content',
  'nav.label': 'Main',
  'nav.overview': 'Overview',
  'nav.integrations': 'Integrations',
  'nav.recipes': 'Recipes',
  'nav.masters': 'Map masters',
  'nav.activity': 'Activity',
  'nav.exceptions': 'Exceptions',
  'nav.diagnostics': 'Diagnostics',
  'lang.label': 'Language',
  'lang.en': 'English',
  'lang.vi': 'Tiếng Việt',
  'session.signOut': 'Sign out',
  'session.tenant': 'Tenant {name}',
  'signIn.title': 'Sign in to Ferry',
  'signIn.intro':
    'Paste your tenant API key. It is exchanged for a browser session and is not kept in the browser.',
  'signIn.key': 'Tenant API key',
  'signIn.submit': 'Sign in',
  'signIn.unknownKey': 'This API key is unknown or revoked.',
  'signIn.notTenantKey':
    'This is an admin key: sign in with a tenant key (the admin key only manages tenants and keys).',
  'signIn.linkInvalid':
    'This sign-in link was already used or has expired. Sign in with your API key, or start the demo again for a new link.',
  'signIn.expired': 'Your session ended. Sign in again.',
  'signIn.signedOut': 'You are signed out.',
  'csrf.refused': 'The form was out of date. Reload the page and try again.',
  'common.never': 'never',
  'common.none': '—',
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.back': 'Back',
  'common.error': 'Error',
  'common.notFound': 'This page does not exist.',
  'integrations.title': 'Integrations',
  'integrations.intro': 'The systems Ferry moves your documents between. Connect each one once.',
  'integrations.notConnected': 'Not connected',
  'integrations.connected': 'Connected',
  'integrations.failing': 'Failing',
  'integrations.needsConsent': 'Needs consent',
  'integrations.unchecked': 'Not checked yet',
  'integrations.connection': 'Connection {name}',
} as const

/** A key of the message catalogue. */
export type MessageKey = keyof typeof en
