// Moved to src/okta/credentials.ts. This re-export stays only for src/local/runtime.ts, which is outside this
// change; delete it once it imports the new path.
export * from '../okta/credentials';
