import type { Route } from '../router';

export const eventHookRoutes: Route[] = [];
