/** The embedded store could not be opened or written; the message names the file, never item contents. */
export class LocalStoreError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalStoreError';
  }
}

/** Another `serve` holds the data directory; the message names the directory and, when known, the holder's pid. */
export class DataDirLockedError extends Error {
  public readonly dir: string;
  public readonly holderPid: number | undefined;
  public constructor(dir: string, holderPid: number | undefined, options?: { cause?: unknown }) {
    super(
      `another serve${holderPid === undefined ? '' : ` (pid ${holderPid})`} is using the data directory ${dir}; ` +
        'stop it first, or give this one another FRONTLINE_DATA_DIR',
      options,
    );
    this.name = 'DataDirLockedError';
    this.dir = dir;
    this.holderPid = holderPid;
  }
}
