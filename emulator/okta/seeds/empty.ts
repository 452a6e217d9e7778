import type { SeedData } from '../types';

/** No apps, no groups, no event hooks; only the admin user the API token belongs to. */
export const EMPTY_SEED: SeedData = {};
