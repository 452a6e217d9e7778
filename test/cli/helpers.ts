import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { captureOutput } from '../app-guard/helpers';

/** A command's --json document and exit code. */
export async function jsonOf<T = Record<string, unknown>>(
  run: () => Promise<number>,
): Promise<{ code: number; doc: T; stderr: string }> {
  const { code, stdout, stderr } = await captureOutput(run);
  return { code, doc: JSON.parse(stdout) as T, stderr };
}

/** The key list of a document type, checked by the compiler to name every key of T and no other. */
export function keysOf<T>() {
  return <const K extends readonly (keyof T)[]>(
    keys: K & ([keyof T] extends [K[number]] ? unknown : never),
  ) => [...keys].sort();
}

export const sortedKeys = (value: unknown) => Object.keys(value as object).sort();

/** A receiver stand-in that answers Okta's verification challenge when the auth header holds `secret`. */
export async function verificationServer(
  secret: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const challenge = req.headers['x-okta-verification-challenge'];
    if (typeof challenge === 'string' && req.headers.authorization === secret) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ verification: challenge }));
    } else res.writeHead(401).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta/event-hook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
