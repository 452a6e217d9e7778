import { OktaForeignLinkError } from '../../src/okta/errors';
import { nextLink, pagesOf, type RawOktaClient } from '../../src/okta/http';

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
          headers: { get: (name: string) => (name.toLowerCase() === 'link' ? (page.link ?? null) : null) },
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
