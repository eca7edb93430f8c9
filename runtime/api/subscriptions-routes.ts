import { getSubscription, listSubscriptions } from '../store/subscriptions-queries.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'
import { notFound } from './problem.ts'

/** Tenant routes: webhook subscriptions at remote systems (their signing secrets never leave the store). */
export function subscriptionsRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/v1/subscriptions',
      operationId: 'listSubscriptions',
      summary: 'List webhook subscriptions, soonest to expire first',
      tag: 'subscriptions',
      access: 'tenant',
      responses: { 200: { description: 'Subscriptions', schema: 'SubscriptionList' } },
      handle: async (c, { tenantId }) => c.json({ items: await listSubscriptions(deps.db, tenantId) }),
    },
    {
      method: 'post',
      path: '/v1/subscriptions/:subscriptionId/renew',
      operationId: 'renewSubscription',
      summary: 'Renew a subscription at the remote system now',
      tag: 'subscriptions',
      access: 'tenant',
      responses: { 200: { description: 'The subscription after renewal', schema: 'Subscription' } },
      handle: async (c, { tenantId, params }) => {
        const sub = await getSubscription(deps.db, tenantId, params.subscriptionId!)
        if (!sub) throw notFound('subscription', params.subscriptionId!)
        await deps.flowControl.renewSubscription(tenantId, sub.id)
        return c.json(await getSubscription(deps.db, tenantId, sub.id))
      },
    },
  ]
}
