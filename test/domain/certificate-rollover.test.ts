import {
  keyFacts,
  nextStepText,
  rolloverState,
  rotationInfo,
  withSigningKid,
} from '../../src/domain/certificate-rollover';
import { decideStep, planSteps, rollbackText, validityYearsProblem } from '../../src/domain/rollover-steps';
import type { SigningKey } from '../../src/domain/signing-certificate';
import { CERT_DER_BASE64 } from '../app-guard/cert-fixture';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const WINDOW = 30;

/** A key made `createdDaysAgo` days before NOW that expires `expiresInDays` days after it. */
function key(kid: string, createdDaysAgo: number, expiresInDays: number): SigningKey {
  return {
    kid,
    x5c: [CERT_DER_BASE64],
    created: new Date(NOW.getTime() - createdDaysAgo * 86_400_000).toISOString(),
    expiresAt: new Date(NOW.getTime() + expiresInDays * 86_400_000).toISOString(),
  };
}

const state = (activeKid: string, keys: SigningKey[], now = NOW) =>
  rolloverState({ activeKid, keys, now, warningDays: WINDOW });

const OLD = key('old', 3000, 20); // the active key near its end
const NEW = key('new', 1, 730); // a 2-year key made yesterday

describe('Function: rolloverState', () => {
  it('has nothing due for a single key outside the window', () => {
    const s = state('a', [key('a', 10, 400)]);
    expect(s).toMatchObject({ pending: undefined, previous: undefined, expiring: false, next: 'none' });
    expect(s.active).toMatchObject({ kid: 'a', daysToExpiry: 400 });
  });

  it('asks for a new key when the active one is inside the window', () => {
    expect(state('old', [OLD])).toMatchObject({ expiring: true, next: 'generate' });
  });

  it('takes a key made after the active one as the new key, and asks to paste and activate it', () => {
    const s = state('old', [OLD, NEW]);
    expect(s.pending?.kid).toBe('new');
    expect(s.previous).toBeUndefined();
    expect(s.next).toBe('paste-and-activate');
  });

  it('takes the key made before the active one as the previous key once the new one is active', () => {
    const s = state('new', [OLD, NEW]);
    expect(s).toMatchObject({ pending: undefined, expiring: false, next: 'none' });
    expect(s.previous?.kid).toBe('old');
  });

  it('orders keys made in the same second as Okta lists them', () => {
    const a = { ...key('a', 0, 3650), created: '2030-01-01T00:00:00.000Z' };
    const b = { ...key('b', 0, 730), created: '2030-01-01T00:00:00.000Z' };
    expect(state('a', [a, b]).pending?.kid).toBe('b');
    expect(state('b', [a, b]).previous?.kid).toBe('a');
  });

  it('does not offer a newer key that is itself inside the window as the new key', () => {
    expect(state('old', [OLD, key('stale', 1, 10)]).pending).toBeUndefined();
  });

  it('keeps an expired earlier key apart: no rollback to it', () => {
    const s = state('new', [key('gone', 4000, -5), NEW]);
    expect(s.previous).toBeUndefined();
    expect(s.expiredPrevious?.kid).toBe('gone');
  });

  it('leaves out a key without a certificate: it could not be pasted into Frontline', () => {
    expect(state('old', [OLD, { kid: 'bare', x5c: [], created: NEW.created }]).pending).toBeUndefined();
  });

  it('refuses keys that do not hold the active one', () => {
    expect(() => state('missing', [NEW])).toThrow('the active key missing is not among the app');
  });
});

describe('Function: decideStep', () => {
  it('generates when no new key waits, and generates nothing more when one does', () => {
    expect(decideStep('generate', state('old', [OLD]))).toMatchObject({ kind: 'act' });
    expect(decideStep('generate', state('old', [OLD, NEW]))).toMatchObject({
      kind: 'unchanged',
      message: expect.stringContaining('a new key already waits: kid new'),
    });
  });

  it('refuses --activate before --generate', () => {
    expect(decideStep('activate', state('old', [OLD]))).toEqual({
      kind: 'refused',
      step: 'activate',
      message: "there is no new key to activate (kid old is the app's only valid key): run --generate first",
    });
  });

  it('activates the new key, and changes nothing once it is active', () => {
    expect(decideStep('activate', state('old', [OLD, NEW]))).toMatchObject({
      kind: 'act',
      target: { kid: 'new' },
    });
    expect(decideStep('activate', state('new', [OLD, NEW]))).toMatchObject({
      kind: 'unchanged',
      message: expect.stringContaining('kid new, is already the active one'),
    });
  });

  it('rolls back to the previous key while it is valid', () => {
    expect(decideStep('rollback', state('new', [OLD, NEW]))).toMatchObject({
      kind: 'act',
      target: { kid: 'old' },
    });
  });

  it('changes nothing on a rollback when the newer key is not active (done, or never activated)', () => {
    expect(decideStep('rollback', state('old', [OLD, NEW]))).toMatchObject({
      kind: 'unchanged',
      message: expect.stringContaining('nothing to roll back'),
    });
  });

  it('refuses a rollback once the previous key has expired', () => {
    const later = new Date(Date.parse(OLD.expiresAt!) + 86_400_000);
    expect(decideStep('rollback', state('new', [OLD, NEW], later))).toEqual({
      kind: 'refused',
      step: 'rollback',
      message: `the previous key, kid old, expired on ${OLD.expiresAt}: there is nothing valid to roll back to`,
    });
  });

  it('refuses a rollback from the first key', () => {
    expect(decideStep('rollback', state('old', [OLD]))).toMatchObject({
      kind: 'refused',
      message: "kid old is the app's first key: there is no previous key to roll back to",
    });
  });
});

describe('Function: planSteps', () => {
  it('lists generate, paste and activate in that order, generate next when no new key waits', () => {
    const plan = planSteps(state('old', [OLD]), 2);
    expect(plan.map((p) => [p.step, p.status])).toEqual([
      ['generate', 'next'],
      ['paste', 'then'],
      ['activate', 'then'],
    ]);
    expect(plan[0]?.does).toContain('`cert rotate --generate --validity-years 2`');
    expect(planSteps(state('old', [OLD]), 10)[0]?.does).toContain('`cert rotate --generate`:');
  });

  it('marks generate done and the paste next once the new key exists', () => {
    const plan = planSteps(state('old', [OLD, NEW]), 10);
    expect(plan.map((p) => p.status)).toEqual(['done', 'next', 'then']);
    expect(plan[0]?.does).toContain('kid new');
    expect(plan[1]?.does).toContain('from this save until --activate, a sign-in fails');
  });
});

describe('Function: rollbackText', () => {
  it('names the previous key only when a rollback can go there', () => {
    expect(rollbackText(state('new', [OLD, NEW]))).toContain('switches back to kid old');
    expect(rollbackText(state('old', [OLD, NEW]))).toBeUndefined();
    expect(rollbackText(state('old', [OLD]))).toBeUndefined();
  });
});

describe('Function: nextStepText', () => {
  it('names --generate before a new key exists and --activate after', () => {
    expect(nextStepText(state('old', [OLD]))).toMatch(/^run `npm run cli -- cert rotate --generate`/);
    expect(nextStepText(state('old', [OLD, NEW]))).toMatch(
      /^paste the new certificate \(kid new; .*then run `npm run cli -- cert rotate --activate` right away$/,
    );
  });
});

describe('Function: validityYearsProblem', () => {
  it("accepts Okta's range, 2 to 10 whole years", () => {
    expect([1, 2, 10, 11, 2.5, Number.NaN].map((y) => validityYearsProblem(y) === undefined)).toEqual([
      false,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('Function: withSigningKid', () => {
  it('changes only the signing kid, leaves Okta its read-only fields, and keeps the rest of the app', () => {
    const app = {
      id: '0oa1',
      label: 'Frontline',
      settings: { signOn: { ssoAcsUrl: 'https://iam.twilio.com/x' }, app: { custom: 1 } },
      credentials: {
        userNameTemplate: { template: '${source.email}' },
        signing: { kid: 'old', lastRotated: 't', nextRotation: null, rotationMode: 'MANUAL', use: 'sig' },
      },
    };
    const body = withSigningKid(app, 'new');
    expect(body).toEqual({
      ...app,
      credentials: {
        userNameTemplate: { template: '${source.email}' },
        signing: { kid: 'new', rotationMode: 'MANUAL', use: 'sig' },
      },
    });
    expect(app.credentials.signing.kid).toBe('old');
    expect(withSigningKid({ id: '0oa2' }, 'k')).toEqual({
      id: '0oa2',
      credentials: { signing: { kid: 'k' } },
    });
  });
});

describe('Function: rotationInfo', () => {
  it("reads Okta's rotation fields when it reports them", () => {
    expect(
      rotationInfo({
        credentials: { signing: { lastRotated: '2030-01-01T00:00:00.000Z', rotationMode: 'MANUAL' } },
      }),
    ).toEqual({ lastRotated: '2030-01-01T00:00:00.000Z', rotationMode: 'MANUAL' });
    expect(rotationInfo({})).toEqual({});
  });
});

describe('Function: keyFacts', () => {
  it('shows the public facts of a key, never more', () => {
    const facts = keyFacts(NEW, NOW);
    expect(Object.keys(facts).sort()).toEqual([
      'created',
      'daysToExpiry',
      'expiresAt',
      'fingerprintSha256',
      'kid',
      'pem',
    ]);
    expect(facts.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(facts.daysToExpiry).toBe(730);
  });
});
