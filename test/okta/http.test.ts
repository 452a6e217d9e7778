import { OktaForeignLinkError, OktaTransientError } from '../../src/okta/errors';
import { nextLink, oktaJson, oktaRaw, pagesOf, type RawOktaClient } from '../../src/okta/http';

/** A client whose transport answers from a table and records every URL it was asked for. */
function fakeClient(baseUrl: string, pages: Record<string, { body: unknown; link?: string }>) {
  const requested: string[] = [];
  const client = {
    baseUrl,
    http: {
      http: async (url: string) => {
        requested.push(url);
        const page = pages[url];
        if (!page) throw new Error(`unexpected request to ${url}`);
        return {
          status: 200,
          headers: {
            get: (name: string) =>
              ({ link: page.link ?? null, 'content-type': 'application/json' })[name.toLowerCase()] ?? null,
          },
          text: async () => JSON.stringify(page.body),
        };
      },
    },
  } as unknown as RawOktaClient;
  return { client, requested };
}

async function collect<T>(pages: AsyncGenerator<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

const ORG = 'https://example.okta.com';

describe('Function: pagesOf', () => {
  it('follows rel="next" links on the org’s own origin', async () => {
    const { client, requested } = fakeClient(ORG, {
      [`${ORG}/api/v1/groups/g/users?limit=2`]: {
        body: [1, 2],
        link: `<${ORG}/api/v1/groups/g/users?limit=2>; rel="self", <${ORG}/api/v1/groups/g/users?after=2&limit=2>; rel="next"`,
      },
      [`${ORG}/api/v1/groups/g/users?after=2&limit=2`]: { body: [3] },
    });
    await expect(collect(pagesOf<number>(client, '/api/v1/groups/g/users?limit=2', 'list'))).resolves.toEqual(
      [1, 2, 3],
    );
    expect(requested).toHaveLength(2);
  });

  it.each([
    ['another host', 'https://evil.example.com/api/v1/groups/g/users?after=2'],
    ['another scheme', 'http://example.okta.com/api/v1/groups/g/users?after=2'],
    ['another port', 'https://example.okta.com:8443/api/v1/groups/g/users?after=2'],
    ['a look-alike host', 'https://example.okta.com.evil.example/api/v1/groups/g/users?after=2'],
  ])('refuses a next link to %s and never sends the request', async (_what, next) => {
    const { client, requested } = fakeClient(ORG, {
      [`${ORG}/api/v1/groups/g/users?limit=2`]: { body: [1, 2], link: `<${next}>; rel="next"` },
    });
    const pages = collect(pagesOf<number>(client, '/api/v1/groups/g/users?limit=2', 'list members'));
    await expect(pages).rejects.toThrow(OktaForeignLinkError);
    await expect(
      collect(pagesOf<number>(client, '/api/v1/groups/g/users?limit=2', 'list members')),
    ).rejects.toThrow(/list members: Okta's link points to .*, not to the org https:\/\/example\.okta\.com/);
    expect(requested.every((url) => url.startsWith(`${ORG}/`))).toBe(true);
  });
});

/** A client whose transport answers every request with one 2xx, as the SDK passes a 2xx on. */
function answering(status: number, contentType: string | null, text: string): RawOktaClient {
  return {
    baseUrl: ORG,
    http: {
      http: async () => ({
        status,
        headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? contentType : null) },
        text: async () => text,
      }),
    },
  } as unknown as RawOktaClient;
}

describe('Function: oktaJson and oktaRaw with answers that are not Okta’s', () => {
  it('refuses an HTML 200 as a transient failure that shows no page', async () => {
    const client = answering(200, 'text/html', '<html>secret-portal-page</html>');

    const attempt = oktaJson(client, '/api/v1/users/00u1', 'GET user 00u1');

    await expect(attempt).rejects.toThrow(OktaTransientError);
    await expect(attempt).rejects.toThrow(/^GET user 00u1: the answer is not Okta's \(HTTP 200 text\/html/);
    await expect(attempt).rejects.not.toThrow(/secret-portal-page/);
  });

  it('refuses a 200 with a body but no content type', async () => {
    await expect(oktaJson(answering(200, null, '{"id":"00u1"}'), '/api/v1/users/00u1', 'x')).rejects.toThrow(
      OktaTransientError,
    );
  });

  it('takes an empty 2xx without a content type as Okta’s “nothing to say”', async () => {
    await expect(
      oktaJson(answering(200, null, ''), '/api/v1/apps/0oa1/lifecycle/activate', 'x'),
    ).resolves.toBe(undefined);
  });

  it('reads XML where XML was asked for, and refuses HTML there', async () => {
    const xml = answering(200, 'text/xml;charset=utf-8', '<md:EntityDescriptor/>');
    await expect(oktaRaw(xml, '/metadata', 'x', { accept: 'application/xml' })).resolves.toMatchObject({
      status: 200,
    });
    const html = answering(200, 'text/html', '<html></html>');
    await expect(oktaRaw(html, '/metadata', 'x', { accept: 'application/xml' })).rejects.toThrow(
      OktaTransientError,
    );
  });

  it('refuses a JSON page of a list that is not a list', async () => {
    const pages = collect(
      pagesOf(answering(200, 'application/json', '{"message":"ok"}'), '/api/v1/x', 'list'),
    );

    await expect(pages).rejects.toThrow(/a page that is not a list/);
  });
});

describe('Function: nextLink', () => {
  it('returns the rel="next" URL exactly as given, from one header holding both links', () => {
    const header =
      '<https://x.okta.com/api/v1/groups/00g1/users?limit=200>; rel="self", <https://x.okta.com/api/v1/groups/00g1/users?after=00u9&limit=200>; rel="next"';
    expect(nextLink(header)).toBe('https://x.okta.com/api/v1/groups/00g1/users?after=00u9&limit=200');
  });

  it('returns undefined on the last page or without a header', () => {
    expect(nextLink('<https://x.okta.com/api/v1/apps/0oa1/users?limit=500>; rel="self"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});
