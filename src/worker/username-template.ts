// Moved to src/domain/username-template.ts. This re-export stays only for infra/config.ts, which is outside this
// change; delete it once it imports the new path.
export * from '../domain/username-template';
