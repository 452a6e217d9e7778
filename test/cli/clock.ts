/**
 * Runs `fn` with the clock (`Date`, `new Date()`, `Date.now()`) standing at `now`, everything else real (timers,
 * sockets, the emulators' I/O): the way to put a command that reads the time itself a given number of days before a
 * certificate expires.
 */
export async function atClock<T>(now: Date, fn: () => Promise<T>): Promise<T> {
  jest.useFakeTimers({
    now,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  try {
    return await fn();
  } finally {
    jest.useRealTimers();
  }
}
