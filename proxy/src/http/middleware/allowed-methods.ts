import type { Context } from "hono";
import { matchedRoutes } from "hono/route";
import { CrmError } from "#domain";

/** What of a Hono app this reads: its routes, middleware (`ALL`) included. */
interface RoutedApp {
  readonly routes: readonly { method: string; path: string }[];
}

interface KnownPath {
  pattern: RegExp;
  methods: Set<string>;
}

/** `/v1/entries/:slug/fields/:fieldKey` → a regular expression of the whole path. */
function patternOf(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) =>
      segment.startsWith(":") ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${source}/?$`);
}

/** Every path the app routes, with the methods it has handlers for (middleware excluded). */
function knownPaths(app: RoutedApp): KnownPath[] {
  const byPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    if (route.method === "ALL" || route.path.includes("*")) continue;
    const methods = byPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    // Hono answers HEAD with the GET handler.
    if (route.method === "GET") methods.add("HEAD");
    byPath.set(route.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({ pattern: patternOf(path), methods }));
}

/**
 * A method the app has no handler for, on a path it knows, answers 405 with
 * `Allow` (RFC 9110), before any guard or body check runs, so the answer
 * says what is wrong rather than 401, 400 or 404. The routes are read from
 * the app on the first request, once all of them are registered. A request
 * that Hono matched to a handler of its method is allowed without looking
 * further (every request a route serves, the hot read included).
 */
export function methodCheck(app: RoutedApp): (c: Context) => void {
  let paths: KnownPath[] | undefined;
  return (c) => {
    if (matchedRoutes(c).some((route) => route.method !== "ALL")) return;
    paths ??= knownPaths(app);
    const { method, path } = c.req;
    const allowed = new Set<string>();
    for (const known of paths) {
      if (known.pattern.test(path)) for (const each of known.methods) allowed.add(each);
    }
    if (allowed.size > 0 && !allowed.has(method)) {
      c.header("Allow", [...allowed].sort().join(", "));
      throw new CrmError("method_not_allowed", `${method} is not allowed on ${path}`);
    }
  };
}
