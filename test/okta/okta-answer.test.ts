import { notOktasAnswer, notOktasReason, OKTA_NOT_FOUND } from '../../src/okta/okta-answer';
import { OktaTransientError } from '../../src/okta/errors';

const JSON_TYPE = 'application/json;charset=UTF-8';

describe('Function: notOktasReason', () => {
  it.each([
    ['Okta’s error object', { status: 404, contentType: JSON_TYPE, errorCode: OKTA_NOT_FOUND }],
    ['Okta’s 400', { status: 400, contentType: 'application/json', errorCode: 'E0000001' }],
    ['Okta’s 429', { status: 429, contentType: 'application/json', errorCode: 'E0000047' }],
    [
      'a 429 with Okta’s reset header only',
      { status: 429, contentType: 'text/html', rateLimitReset: '1764291600' },
    ],
    [
      'the token endpoint’s OAuth error',
      { status: 401, contentType: 'application/json', url: 'https://acme.okta.com/oauth2/v1/token' },
    ],
    [
      'a custom authorization server’s token endpoint',
      { status: 400, contentType: 'application/json', url: 'https://acme.okta.com/oauth2/aus1/v1/token' },
    ],
    ['a JSON 200', { status: 200, contentType: JSON_TYPE }],
    [
      'a JSON 200 to the SDK’s Accept',
      { status: 200, contentType: 'application/json', accept: 'application/json, */*;q=0.8' },
    ],
    ['a 204', { status: 204, contentType: null }],
    ['an empty 200 of any type', { status: 200, contentType: 'text/html', hasBody: false }],
    [
      'XML where XML was asked for',
      { status: 200, contentType: 'text/xml;charset=utf-8', accept: 'application/xml' },
    ],
    ['anything where anything was asked for', { status: 200, contentType: 'text/plain', accept: '*/*' }],
  ])('accepts %s as Okta’s', (_what, answer) => {
    expect(notOktasReason(answer)).toBeUndefined();
  });

  it.each([
    [
      'an HTML 404',
      { status: 404, contentType: 'text/html' },
      "HTTP 404 text/html, not Okta's JSON error object",
    ],
    [
      'a 404 without a content type',
      { status: 404, contentType: null },
      "HTTP 404 no content type, not Okta's JSON error object",
    ],
    [
      'a JSON 404 without errorCode',
      { status: 404, contentType: 'application/json' },
      "HTTP 404 JSON without Okta's errorCode",
    ],
    [
      'an errorCode in a body that is not JSON',
      { status: 404, contentType: 'text/plain', errorCode: OKTA_NOT_FOUND },
      "HTTP 404 text/plain, not Okta's JSON error object",
    ],
    [
      'a proxy’s 429',
      { status: 429, contentType: 'text/html' },
      "HTTP 429 text/html, not Okta's JSON error object",
    ],
    [
      'an HTML 502',
      { status: 502, contentType: 'text/html' },
      "HTTP 502 text/html, not Okta's JSON error object",
    ],
    [
      'a JSON error from a path that merely looks like the token endpoint',
      { status: 401, contentType: 'application/json', url: 'https://acme.okta.com/api/v1/oauth2/v1/token/x' },
      "HTTP 401 JSON without Okta's errorCode",
    ],
    ['an HTML 200', { status: 200, contentType: 'text/html' }, 'HTTP 200 text/html where Okta answers JSON'],
    [
      'a 200 with a body and no content type',
      { status: 200, contentType: undefined },
      'HTTP 200 no content type where Okta answers JSON',
    ],
    [
      'HTML where XML was asked for',
      { status: 200, contentType: 'text/html', accept: 'application/xml' },
      'HTTP 200 text/html where Okta answers XML',
    ],
    [
      'a content type that is no media type',
      { status: 404, contentType: '<script>alert(1)</script>' },
      "HTTP 404 unreadable, not Okta's JSON error object",
    ],
  ])('refuses %s', (_what, answer, reason) => {
    expect(notOktasReason(answer)).toBe(reason);
  });
});

describe('Function: notOktasAnswer', () => {
  it('is a transient error carrying the status and the reason, nothing else', () => {
    const error = notOktasAnswer('GET user 00u1', 404, 'HTTP 404 text/html');

    expect(error).toBeInstanceOf(OktaTransientError);
    expect(error).toMatchObject({ status: 404, errorCode: undefined, cause: undefined });
    expect(error.message).toBe(
      "GET user 00u1: the answer is not Okta's (HTTP 404 text/html); retrying, not taken as a fact",
    );
  });
});
