#!/usr/bin/env node
import { ConfigError, loadDeploymentConfig } from '../infra/config';
import { createApp } from '../infra/app';

// `npx cdk synth -c config=<path>`: the context value arrives in CDK_CONTEXT_JSON, which App reads; read it the
// same way here so a missing or invalid file stops synth before anything is built.
const context = JSON.parse(process.env.CDK_CONTEXT_JSON ?? '{}') as Record<string, unknown>;
const configPath = typeof context.config === 'string' ? context.config : undefined;

try {
  const config = loadDeploymentConfig(configPath);
  createApp(config).app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
