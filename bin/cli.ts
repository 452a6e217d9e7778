#!/usr/bin/env node
// `npm run cli -- <command> [...args]`: the commands and their dispatch are in src/cli/commands.ts.
import { dispatch } from '../src/cli/commands';

dispatch(process.argv.slice(2), process.env).then(
  (code) => {
    // Exit now rather than when the event loop empties: after serve's final line nothing else may run (a drain
    // that timed out can leave calls pending). stdout/stderr writes are synchronous for files, pipes and TTYs.
    process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
