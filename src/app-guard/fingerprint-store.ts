import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Where the guard remembers the last signing-certificate fingerprint an operator confirmed (pasted into Frontline).
 *
 * - CLI: a small JSON file, `.frontline-state.json` in the working directory by default (`FRONTLINE_STATE_FILE`
 *   overrides). It holds fingerprints and issuers only, nothing secret. `setup` and `check --confirm-certificate` write it;
 *   with no record, `check` reports the certificate as unconfirmed rather than assuming Frontline has it.
 * - Lambda: read-only, from the function's environment (`FRONTLINE_CERT_FINGERPRINT`, set by the stack). After
 *   re-pasting a new certificate, the operator updates that value (a deploy or a console edit); until then the
 *   "certificate changed" metric stays at 1 and its alarm keeps firing — which is the point.
 *
 * With the certificate goes the app's IdP issuer as it stood (its raw `idpIssuer`, blank read as Okta's default):
 * the console values `setup` prints render from it, so it is what Frontline's console holds. A record from before
 * (or a store that keeps none) answers undefined: not known, and the issuer rule stays report-only.
 */
export interface FingerprintStore {
  get(appId: string): Promise<string | undefined>;
  /** Records the certificate pasted into Frontline's console, and with it the IdP issuer when given. */
  confirm(appId: string, fingerprint: string, now: Date, idpIssuer?: string): Promise<void>;
  /** The IdP issuer recorded with the confirmed certificate; undefined when none is on record. */
  getIdpIssuer?(appId: string): Promise<string | undefined>;
  readonly writable: boolean;
}

export const DEFAULT_STATE_FILE = '.frontline-state.json';

interface StateFile {
  version: 1;
  certificates: Record<string, { fingerprintSha256: string; confirmedAt: string; idpIssuer?: string }>;
}

export class StateFileError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateFileError';
  }
}

async function readState(path: string): Promise<StateFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, certificates: {} };
    throw new StateFileError(`cannot read state file ${path}`, { cause: err });
  }
  try {
    const parsed = JSON.parse(text) as Partial<StateFile>;
    return { version: 1, certificates: { ...(parsed.certificates ?? {}) } };
  } catch (err) {
    throw new StateFileError(`state file ${path} is not JSON; fix or delete it`, { cause: err });
  }
}

export function fileFingerprintStore(path: string = DEFAULT_STATE_FILE): FingerprintStore {
  return {
    writable: true,
    async get(appId) {
      return (await readState(path)).certificates[appId]?.fingerprintSha256;
    },
    async getIdpIssuer(appId) {
      return (await readState(path)).certificates[appId]?.idpIssuer;
    },
    async confirm(appId, fingerprint, now, idpIssuer) {
      const state = await readState(path);
      state.certificates[appId] = {
        fingerprintSha256: fingerprint,
        confirmedAt: now.toISOString(),
        ...(idpIssuer === undefined ? {} : { idpIssuer }),
      };
      await mkdir(dirname(path), { recursive: true });
      // Write-then-rename so an interrupted run never leaves half a file.
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
      await rename(tmp, path);
    },
  };
}

export function staticFingerprintStore(
  fingerprint: string | undefined,
  idpIssuer?: string | undefined,
): FingerprintStore {
  return {
    writable: false,
    get: () => Promise.resolve(fingerprint),
    getIdpIssuer: () => Promise.resolve(idpIssuer),
    confirm: () => Promise.resolve(),
  };
}
