import type { DrainReport } from './consumer';

/** serve's last line: what was left, by name, and that it resumes at the next start. */
export function finalLine(report: DrainReport): string {
  const inFlight = report.leftInFlight;
  const named =
    inFlight.length === 0
      ? ''
      : ` (${inFlight.slice(0, 10).join(', ')}${inFlight.length > 10 ? `, +${inFlight.length - 10} more` : ''})`;
  const left = report.leftQueued + inFlight.length;
  if (report.countsUnavailable) {
    return (
      `Stopped. The queue could not be counted (${report.countsUnavailable}); ${inFlight.length} in flight${named}. ` +
      'Whatever is queued stays in the database and resumes at the next start.'
    );
  }
  return (
    `Stopped. Left: ${report.leftQueued} queued, ${inFlight.length} in flight${named}, ${report.dead} dead-lettered.` +
    (left > 0 ? ' They stay in the database and resume at the next start.' : '')
  );
}

/**
 * Resolves with the first SIGINT/SIGTERM, listening from the moment it is called (call it first thing, so a
 * signal during start-up is kept rather than killing the process), and ignores repeats: a terminal's Ctrl-C
 * reaches every process of the group (npm and us), so the same signal may arrive twice.
 */
export function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals): void => resolve(signal);
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

/**
 * Runs `stop` once on the first SIGINT/SIGTERM and ignores repeats: a terminal's Ctrl-C reaches every process of
 * the group (npm, tsx, us), so the same signal may arrive twice and must not cut the drain short.
 */
export function onShutdownSignal(stop: (signal: NodeJS.Signals) => void): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    stop(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
