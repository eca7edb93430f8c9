/**
 * The sign-in and consent page Entra shows at `authorize`, reduced to what the demo and browser
 * tests need: who signs in, which app asks for what, Accept or Cancel. Accept posts the request back
 * and gets the redirect with a code; Cancel redirects with Entra's `access_denied`.
 */

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  )

/** The consent page for an authorize request whose parameters were already checked. */
export function consentPage(input: {
  action: string
  params: URLSearchParams
  user: string
  appName: string
}): Response {
  const hidden = [...input.params]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n      ')
  const scopes = (input.params.get('scope') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((s) => `<li>${escapeHtml(s)}</li>`)
    .join('')
  const html = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Permissions requested · Microsoft (sandbox)</title></head>
  <body>
    <main>
      <h1>Permissions requested</h1>
      <p>Signed in as <strong>${escapeHtml(input.user)}</strong> (Business Central sandbox's Entra emulator).</p>
      <p><strong>${escapeHtml(input.appName)}</strong> wants to:</p>
      <ul>${scopes}</ul>
      <form method="post" action="${escapeHtml(input.action)}">
      ${hidden}
        <button type="submit" name="consent" value="accept">Accept</button>
        <button type="submit" name="consent" value="cancel">Cancel</button>
      </form>
    </main>
  </body>
</html>`
  return new Response(html, {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    },
  })
}
