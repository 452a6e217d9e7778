import type { ApiRequest, Reply } from './http';
import type { EmulatorContext } from './context';

export type Handler = (req: ApiRequest, ctx: EmulatorContext) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  pattern: string;
  handler: Handler;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(routes: Route[]): this {
    for (const r of routes) {
      const names: string[] = [];
      const source = r.pattern
        .split('/')
        .map((seg) => {
          if (!seg.startsWith(':')) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(seg.slice(1));
          return '([^/]+)';
        })
        .join('/');
      this.routes.push({ ...r, regex: new RegExp(`^${source}/?$`), names });
    }
    return this;
  }

  /** The route for method+path; `pathKnown` tells "no such path" from "no such method on this path". */
  match(
    method: string,
    path: string,
  ): { route?: CompiledRoute; params: Record<string, string>; pathKnown: boolean } {
    let pathKnown = false;
    for (const r of this.routes) {
      const m = r.regex.exec(path);
      if (!m) continue;
      pathKnown = true;
      if (r.method !== method) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
      return { route: r, params, pathKnown };
    }
    return { params: {}, pathKnown };
  }
}
