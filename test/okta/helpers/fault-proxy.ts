import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback reverse proxy in front of an emulator (Okta's or Frontline's), standing for what sits in front of the
 * vendor in production: a proxy, an API gateway, a captive portal. Requests pass through unchanged (the Host header
 * too, so the emulator's `Link` URLs point at the proxy, as a real proxy's would) unless a rule answers in the
 * vendor's place: an HTML error page with a chosen status, say. The emulators model the vendors; answers that are
 * not the vendor's belong here, not in them.
 */

export interface ProxyAnswer {
  /** Only this method. @default any */
  method?: string;
  /** The request path (no query) equals this string or matches this pattern. */
  path: string | RegExp;
  status: number;
  /** @default 'text/html; charset=utf-8' */
  contentType?: string | null;
  /** @default a small HTML error page */
  body?: string;
  headers?: Record<string, string>;
  /** How many requests it answers. @default every one */
  times?: number;
}

export interface FaultProxy {
  url: string;
  /** Answers matching requests in the vendor's place from now on (first matching rule wins). */
  answer(rule: ProxyAnswer): void;
  /** Drops every rule and the record of what they answered: everything passes through again. */
  clear(): void;
  /** `METHOD path` of every request the rules answered. */
  answered(): string[];
  close(): Promise<void>;
}

const HTML_PAGE = (status: number) =>
  `<!DOCTYPE html><html><head><title>${status}</title></head><body><h1>${status}</h1><p>nginx</p></body></html>`;

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let rules: (ProxyAnswer & { left: number })[] = [];
  const answered: string[] = [];

  function take(method: string, path: string): ProxyAnswer | undefined {
    const rule = rules.find(
      (r) =>
        (!r.method || r.method === method) &&
        (typeof r.path === 'string' ? r.path === path : r.path.test(path)) &&
        r.left > 0,
    );
    if (rule) rule.left -= 1;
    return rule;
  }

  function forward(req: IncomingMessage, res: ServerResponse): void {
    const out = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    req.pipe(out);
  }

  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    const rule = take(method, path);
    if (!rule) return forward(req, res);
    answered.push(`${method} ${path}`);
    req.resume();
    const body = rule.body ?? HTML_PAGE(rule.status);
    const contentType = rule.contentType === undefined ? 'text/html; charset=utf-8' : rule.contentType;
    res.writeHead(rule.status, {
      ...(contentType === null ? {} : { 'content-type': contentType }),
      'content-length': String(Buffer.byteLength(body)),
      ...rule.headers,
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    answer: (rule) => void rules.push({ ...rule, left: rule.times ?? Number.POSITIVE_INFINITY }),
    clear: () => {
      rules = [];
      answered.length = 0;
    },
    answered: () => [...answered],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
