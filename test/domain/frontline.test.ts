import fc from 'fast-check';
import {
  applyFrontlineUpdate,
  desiredFriendlyName,
  planFrontline,
  type NameProfile,
  type ObservedFrontlineUser,
} from '../../src/domain/frontline';

const active = (friendlyName: string | null = 'Ana Diaz'): ObservedFrontlineUser => ({
  state: 'active',
  friendlyName,
});
const deactivated = (friendlyName: string | null = 'Ana Diaz'): ObservedFrontlineUser => ({
  state: 'deactivated',
  friendlyName,
});
const ana: NameProfile = { displayName: null, firstName: 'Ana', lastName: 'Diaz' };

describe('Function: desiredFriendlyName', () => {
  it('prefers displayName, trimmed', () => {
    expect(desiredFriendlyName({ displayName: '  Ana D. ', firstName: 'Ana', lastName: 'Diaz' })).toBe(
      'Ana D.',
    );
  });

  it('falls back to first + last name when displayName is blank or missing', () => {
    expect(desiredFriendlyName({ displayName: '   ', firstName: 'Ana', lastName: 'Diaz' })).toBe('Ana Diaz');
    expect(desiredFriendlyName({ firstName: 'Ana', lastName: 'Diaz' })).toBe('Ana Diaz');
  });

  it('uses whichever of first and last name is set', () => {
    expect(desiredFriendlyName({ firstName: 'Ana', lastName: null })).toBe('Ana');
    expect(desiredFriendlyName({ lastName: 'Diaz' })).toBe('Diaz');
  });

  it('has no name when the profile has none, or there is no profile', () => {
    expect(desiredFriendlyName({ displayName: '', firstName: ' ', lastName: null })).toBeUndefined();
    expect(desiredFriendlyName(undefined)).toBeUndefined();
  });
});

describe('Function: planFrontline', () => {
  it('does nothing for a user who never signed in, entitled or not', () => {
    expect(planFrontline({ entitled: false, current: undefined })).toEqual({
      kind: 'none',
      reason: 'not-signed-in',
    });
    expect(planFrontline({ entitled: true, current: undefined, profile: ana })).toEqual({
      kind: 'none',
      reason: 'not-signed-in',
    });
  });

  it('deactivates an active user who is no longer entitled', () => {
    expect(planFrontline({ entitled: false, current: active(), profile: ana })).toEqual({
      kind: 'update',
      update: { state: 'deactivated' },
      actions: ['deactivate'],
    });
  });

  it('never renames a leaver, even when the name differs', () => {
    const plan = planFrontline({ entitled: false, current: active('Old Name'), profile: ana });
    expect(plan).toEqual({ kind: 'update', update: { state: 'deactivated' }, actions: ['deactivate'] });
  });

  it('leaves an already deactivated leaver alone', () => {
    expect(planFrontline({ entitled: false, current: deactivated('Old Name') })).toEqual({
      kind: 'none',
      reason: 'in-sync',
    });
  });

  it('reactivates a deactivated user who is entitled again', () => {
    expect(planFrontline({ entitled: true, current: deactivated(), profile: ana })).toEqual({
      kind: 'update',
      update: { state: 'active' },
      actions: ['activate'],
    });
  });

  it('sets FriendlyName when it differs from the Okta profile', () => {
    expect(
      planFrontline({ entitled: true, current: active('ana'), profile: { displayName: 'Ana Diaz' } }),
    ).toEqual({ kind: 'update', update: { friendlyName: 'Ana Diaz' }, actions: ['set-friendly-name'] });
    expect(planFrontline({ entitled: true, current: active(null), profile: ana })).toEqual({
      kind: 'update',
      update: { friendlyName: 'Ana Diaz' },
      actions: ['set-friendly-name'],
    });
  });

  it('reactivates and renames in one update', () => {
    expect(planFrontline({ entitled: true, current: deactivated('ana'), profile: ana })).toEqual({
      kind: 'update',
      update: { state: 'active', friendlyName: 'Ana Diaz' },
      actions: ['activate', 'set-friendly-name'],
    });
  });

  it('is in sync when the entitled user is active with the right name', () => {
    expect(planFrontline({ entitled: true, current: active('Ana Diaz'), profile: ana })).toEqual({
      kind: 'none',
      reason: 'in-sync',
    });
  });

  it('compares names exactly (Frontline names are case-sensitive strings)', () => {
    const plan = planFrontline({ entitled: true, current: active('ana diaz'), profile: ana });
    expect(plan).toMatchObject({ kind: 'update', update: { friendlyName: 'Ana Diaz' } });
  });

  it('keeps the Frontline name when the profile gives none', () => {
    expect(planFrontline({ entitled: true, current: active('Someone'), profile: {} })).toEqual({
      kind: 'none',
      reason: 'in-sync',
    });
    expect(planFrontline({ entitled: true, current: active('Someone') })).toEqual({
      kind: 'none',
      reason: 'in-sync',
    });
  });

  describe('properties', () => {
    const name = fc.option(fc.string({ maxLength: 12 }), { nil: null });
    const observed = fc.record({
      state: fc.constantFrom('active' as const, 'deactivated' as const),
      friendlyName: name,
    });
    const profile = fc.option(fc.record({ displayName: name, firstName: name, lastName: name }), {
      nil: undefined,
    });

    it('converges in one step: after applying the update there is nothing left to do', () => {
      fc.assert(
        fc.property(fc.boolean(), observed, profile, (entitled, current, p) => {
          const plan = planFrontline({ entitled, current, profile: p });
          if (plan.kind === 'none') return;
          const after = applyFrontlineUpdate(current, plan.update);
          expect(planFrontline({ entitled, current: after, profile: p })).toEqual({
            kind: 'none',
            reason: 'in-sync',
          });
        }),
      );
    });

    it('only ever deactivates a user who is not entitled, and never touches an entitled one that way', () => {
      fc.assert(
        fc.property(fc.boolean(), observed, profile, (entitled, current, p) => {
          const plan = planFrontline({ entitled, current, profile: p });
          if (plan.kind === 'none') return;
          if (entitled) {
            expect(plan.update.state).not.toBe('deactivated');
          } else {
            expect(plan.update).toEqual({ state: 'deactivated' });
          }
          // Every field in the update differs from what Frontline shows: no write is a no-op.
          if (plan.update.state !== undefined) expect(plan.update.state).not.toBe(current.state);
          if (plan.update.friendlyName !== undefined)
            expect(plan.update.friendlyName).not.toBe(current.friendlyName);
        }),
      );
    });
  });
});
