import type { Route } from '../router';

export const oauthRoutes: Route[] = [];
