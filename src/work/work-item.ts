// Moved to src/domain/work-item.ts. This re-export stays only for src/local/ and infra/, which are outside this
// change; delete it once they import the new path.
export * from '../domain/work-item';
