/**
 * Mistakes an org URL can have that Okta answers confusingly: the Admin Console's host (`acme-admin.okta.com`
 * serves the console, not the API a token is for) and a path (`https://acme.okta.com/admin/…` copied from the
 * browser; the SDK appends `/api/v1/…` to whatever it is given). Pure; one sentence per mistake.
 */
export function orgUrlProblems(orgUrl: string): string[] {
  let url: URL;
  try {
    url = new URL(orgUrl);
  } catch {
    return [`OKTA_ORG_URL "${orgUrl}" is not a URL; use https://<your-org>.okta.com`];
  }
  const problems: string[] = [];
  const [first, ...rest] = url.hostname.split('.');
  if (first?.endsWith('-admin')) {
    const fixed = [first.slice(0, -'-admin'.length), ...rest].join('.');
    problems.push(`OKTA_ORG_URL is the Admin Console's host; use the org's: ${url.protocol}//${fixed}`);
  }
  if (url.pathname.replace(/\/+$/, '') !== '' || url.search !== '' || url.hash !== '') {
    problems.push(
      `OKTA_ORG_URL has a path (${url.pathname}${url.search}); use the org's base URL: ${url.origin}`,
    );
  }
  return problems;
}
