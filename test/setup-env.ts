// The Okta SDK reads OKTA_CLIENT_* variables and ~/.okta/okta.yaml; tests must see only what they pass in.
for (const key of Object.keys(process.env)) {
  if (key.startsWith('OKTA_CLIENT_')) delete process.env[key];
}
process.env.HOME = '/nonexistent-home-for-tests';
process.env.POWERTOOLS_DEV = 'true';
process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT';
