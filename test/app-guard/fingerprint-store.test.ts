import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  fileFingerprintStore,
  staticFingerprintStore,
  StateFileError,
} from '../../src/app-guard/fingerprint-store';
import { tempDir } from './helpers';

describe('Function: fileFingerprintStore', () => {
  it('returns nothing before a confirmation and the confirmed fingerprint after, per app', async () => {
    const tmp = tempDir();
    try {
      const store = fileFingerprintStore(join(tmp.dir, 'nested', 'state.json'));
      expect(await store.get('0oa1')).toBeUndefined();
      await store.confirm('0oa1', 'AA:BB', new Date('2026-01-01T00:00:00Z'));
      await store.confirm('0oa2', 'CC:DD', new Date('2026-01-01T00:00:00Z'));
      expect(await store.get('0oa1')).toBe('AA:BB');
      expect(await store.get('0oa2')).toBe('CC:DD');
    } finally {
      tmp.cleanup();
    }
  });

  it('records the IdP issuer with the certificate and reads a record from before it as none on record', async () => {
    const tmp = tempDir();
    try {
      const path = join(tmp.dir, 'state.json');
      writeFileSync(
        path,
        JSON.stringify({
          version: 1,
          certificates: { '0oa1': { fingerprintSha256: 'AA:BB', confirmedAt: 'x' } },
        }),
      );
      const store = fileFingerprintStore(path);
      expect(await store.get('0oa1')).toBe('AA:BB');
      expect(await store.getIdpIssuer?.('0oa1')).toBeUndefined();

      await store.confirm('0oa1', 'CC:DD', new Date('2026-01-01T00:00:00Z'), 'urn:example:okta:frontline');
      expect(await store.get('0oa1')).toBe('CC:DD');
      expect(await store.getIdpIssuer?.('0oa1')).toBe('urn:example:okta:frontline');
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses a state file that is not JSON instead of overwriting it', async () => {
    const tmp = tempDir();
    try {
      const path = join(tmp.dir, 'state.json');
      writeFileSync(path, 'not json');
      await expect(fileFingerprintStore(path).get('0oa1')).rejects.toBeInstanceOf(StateFileError);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('Function: staticFingerprintStore', () => {
  it('answers the fingerprint and the IdP issuer it was given, and records nothing', async () => {
    const store = staticFingerprintStore('AA:BB', 'urn:example:okta:frontline');
    await store.confirm('0oa1', 'CC:DD', new Date(), 'other');
    expect(await store.get('0oa1')).toBe('AA:BB');
    expect(await store.getIdpIssuer?.('0oa1')).toBe('urn:example:okta:frontline');
    expect(await staticFingerprintStore(undefined).getIdpIssuer?.('0oa1')).toBeUndefined();
  });
});
