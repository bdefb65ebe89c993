import type { FastifyInstance } from 'fastify';

/** One route as registered: its method and URL pattern. */
export interface RouteEntry {
  method: string;
  url: string;
}

/**
 * Records every route the app registers in `app.routeList`, so tests can enumerate them (every
 * state-changing route must refuse a forged request; every route has an authorization row).
 * Must be called before any route is added.
 */
export function registerRouteList(app: FastifyInstance): void {
  const routes: RouteEntry[] = [];
  app.decorate('routeList', routes);
  app.addHook('onRoute', (route) => {
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) routes.push({ method, url: route.url });
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, in order (src/web/route-list.ts). */
    routeList: readonly RouteEntry[];
  }
}
