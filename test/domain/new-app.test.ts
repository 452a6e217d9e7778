import { checkAppConfig, desiredAppConfig } from '../../src/domain/app-config';
import { RealmSidError } from '../../src/domain/errors';
import { newAppJson } from '../../src/domain/new-app';
import { SID } from '../app-guard/fixtures';

const rules = desiredAppConfig(SID);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Function: newAppJson', () => {
  it('builds a SAML 2.0 app that passes every rule once Okta has activated it', () => {
    const body = newAppJson(SID);
    expect(body.signOnMode).toBe('SAML_2_0');
    expect(checkAppConfig({ ...body, status: 'ACTIVE' }, rules)).toEqual([]);
  });

  it('sets every settings.signOn field Okta’s spec marks required', () => {
    const signOn = (newAppJson(SID) as Json).settings.signOn;
    for (const field of [
      'allowMultipleAcsEndpoints',
      'assertionSigned',
      'audience',
      'authnContextClassRef',
      'destination',
      'digestAlgorithm',
      'honorForceAuthn',
      'idpIssuer',
      'recipient',
      'requestCompressed',
      'responseSigned',
      'signatureAlgorithm',
      'ssoAcsUrl',
      'subjectNameIdFormat',
      'subjectNameIdTemplate',
    ]) {
      expect(signOn).toHaveProperty(field);
    }
  });

  it('refuses an invalid Realm SID', () => {
    expect(() => newAppJson('JBnope')).toThrow(RealmSidError);
  });
});
