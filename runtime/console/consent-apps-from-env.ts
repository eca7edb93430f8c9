/**
 * The deployment's app registrations for browser consent, from the environment: for Business
 * Central, FERRY_BC_CLIENT_ID and FERRY_BC_CLIENT_SECRET (a multi-tenant Entra app with the delegated
 * Financials.ReadWrite.All permission and the console's callback URL,
 * `<public URL>/console/integrations/callback`, as its redirect URI).
 */
export function consentAppsFromEnv(env: NodeJS.ProcessEnv): Record<string, Record<string, unknown>> {
  const apps: Record<string, Record<string, unknown>> = {}
  if (env.FERRY_BC_CLIENT_ID && env.FERRY_BC_CLIENT_SECRET)
    apps['business-central'] = { clientId: env.FERRY_BC_CLIENT_ID, clientSecret: env.FERRY_BC_CLIENT_SECRET }
  return apps
}
