/**
 * The demo site's tiny backend, the part every real site already has: it
 * knows who is signed in (an httpOnly cookie) and vouches for them to the CRM
 * proxy with a short-lived session token (`GET /session-token`). Everything
 * else is plain HTML pages with the widget's script tag.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { SignJWT } from "jose";
import {
  DEMO_STAFF,
  type DemoSettings,
  type DemoStaffMember,
  SESSION_TOKEN_SECONDS,
  STAFF_TOKEN_SECONDS,
} from "./config.ts";

const root = resolve(import.meta.dirname, "../..");
const publicDir = join(root, "demo", "public");
const distDir = join(root, "dist");
export const BUNDLE_PATH = join(distDir, "crm-widgets.js");

const SESSION_COOKIE = "demo_session";
/** A separate cookie: a staff sign-in is not a customer's, and signing out of one keeps the other. */
const STAFF_COOKIE = "demo_staff";

export interface SiteCustomer {
  subject: string;
  name: string;
  /** The customer id the proxy resolved for this subject (the back office needs it). */
  id: string;
}

export interface SiteOptions {
  settings: DemoSettings;
  customers: SiteCustomer[];
  /** The proxy's base URL; a function because the proxy may start after the site. */
  proxyUrl: () => string;
  port: number;
  hostname?: string;
}

export interface RunningSite {
  url: string;
  /** The origins a browser may load the site from: what the proxy's CORS list must allow. */
  origins: string[];
  close(): Promise<void>;
}

const escapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => escapes[char] ?? char);
}

/** Fills `{{name}}` placeholders with escaped values, or raw HTML for names ending in `Html`. */
async function renderPage(file: string, values: Record<string, string>): Promise<string> {
  const template = await readFile(join(publicDir, file), "utf8");
  return template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${file}: no value for {{${name}}}`);
    return name.endsWith("Html") ? value : escapeHtml(value);
  });
}

/**
 * The demo site. `origins` are the site's own origins (known once it listens):
 * a request naming any other `Host` is refused before anything else runs, so a
 * page on another domain that DNS-rebinds its name to this machine cannot read
 * the back office (which carries the admin credential) or the session token.
 * Once the `Host` is known to be ours, Hono's `csrf` middleware refuses form
 * posts (sign-in, sign-out) sent from any other origin.
 */
export function createSite(options: SiteOptions, origins: () => readonly string[]): Hono {
  const { settings, customers } = options;
  const bySubject = new Map(customers.map((customer) => [customer.subject, customer]));
  // Signs the session cookie; a new one per run simply signs everyone out on restart.
  const cookieSecret = randomBytes(32).toString("base64url");
  const sessionKey = new TextEncoder().encode(settings.sessionSecret);
  const app = new Hono();

  app.use("*", async (c, next) => {
    const host = c.req.header("Host");
    if (!origins().some((origin) => new URL(origin).host === host)) {
      return c.text("Unknown host", 421);
    }
    await next();
  });
  app.use("*", csrf());

  async function signedIn(c: Context): Promise<SiteCustomer | undefined> {
    const subject = await getSignedCookie(c, cookieSecret, SESSION_COOKIE);
    return typeof subject === "string" ? bySubject.get(subject) : undefined;
  }

  async function staffSignedIn(c: Context): Promise<DemoStaffMember | undefined> {
    const subject = await getSignedCookie(c, cookieSecret, STAFF_COOKIE);
    return DEMO_STAFF.find((member) => member.subject === subject);
  }

  const page = async (c: Context, file: string, values: Record<string, string> = {}) => {
    c.header("Cache-Control", "no-store");
    return c.html(await renderPage(file, { proxyUrl: options.proxyUrl(), ...values }));
  };

  app.get("/", async (c) => c.redirect((await signedIn(c)) ? "/progress" : "/sign-in"));

  app.get("/sign-in", (c) =>
    page(c, "sign-in.html", {
      customersHtml: customers
        .map(
          (customer) =>
            `<li><button class="customer" type="submit" name="subject" value="${escapeHtml(customer.subject)}">` +
            `<span class="avatar" aria-hidden="true">${escapeHtml(customer.name.slice(0, 1))}</span>` +
            `<span><strong>${escapeHtml(customer.name)}</strong><small>${escapeHtml(customer.subject)}</small></span>` +
            "</button></li>",
        )
        .join("\n"),
    }),
  );

  app.post("/sign-in", async (c) => {
    const form = await c.req.parseBody();
    const customer = typeof form.subject === "string" ? bySubject.get(form.subject) : undefined;
    if (!customer) return c.redirect("/sign-in");
    await setSignedCookie(c, SESSION_COOKIE, customer.subject, cookieSecret, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
    });
    return c.redirect("/progress", 303);
  });

  app.post("/sign-out", (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/sign-in", 303);
  });

  for (const [path, file] of [
    ["/progress", "progress.html"],
    ["/check-in", "check-in.html"],
    ["/sleep", "sleep.html"],
  ] as const) {
    app.get(path, async (c) => {
      const customer = await signedIn(c);
      if (!customer) return c.redirect("/sign-in");
      return page(c, file, { customerName: customer.name });
    });
  }

  app.get("/staff/sign-in", (c) =>
    page(c, "staff-sign-in.html", {
      staffHtml: DEMO_STAFF.map(
        (member) =>
          `<li><button class="customer" type="submit" name="subject" value="${escapeHtml(member.subject)}">` +
          `<span class="avatar" aria-hidden="true">${escapeHtml(member.name.slice(0, 1))}</span>` +
          `<span><strong>${escapeHtml(member.name)} · ${escapeHtml(member.role)}</strong><small>${escapeHtml(member.subject)}</small></span>` +
          "</button></li>",
      ).join("\n"),
    }),
  );

  app.post("/staff/sign-in", async (c) => {
    const form = await c.req.parseBody();
    const member = DEMO_STAFF.find((candidate) => candidate.subject === form.subject);
    if (!member) return c.redirect("/staff/sign-in", 303);
    await setSignedCookie(c, STAFF_COOKIE, member.subject, cookieSecret, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
    });
    return c.redirect("/back-office", 303);
  });

  app.post("/staff/sign-out", (c) => {
    deleteCookie(c, STAFF_COOKIE, { path: "/" });
    return c.redirect("/staff/sign-in", 303);
  });

  // The back office page holds no credential: its widgets ask /staff-token for a
  // short-lived staff token of the signed-in staff member.
  app.get("/back-office", async (c) => {
    const member = await staffSignedIn(c);
    if (!member) return c.redirect("/staff/sign-in");
    const chosen = customers.find((customer) => customer.id === c.req.query("customer"));
    const selected = chosen ?? customers[0];
    return page(c, "back-office.html", {
      staffName: `${member.name} (${member.role})`,
      customerId: selected?.id ?? "",
      customerOptionsHtml: customers
        .map(
          (customer) =>
            `<option value="${escapeHtml(customer.id)}"${customer === selected ? " selected" : ""}>` +
            `${escapeHtml(customer.name)} (${escapeHtml(customer.subject)})</option>`,
        )
        .join("\n"),
    });
  });

  // The CRM settings components call the staff routes with the same staff tokens.
  app.get("/back-office/settings", async (c) => {
    const member = await staffSignedIn(c);
    if (!member) return c.redirect("/staff/sign-in");
    return page(c, "crm-settings.html", { staffName: `${member.name} (${member.role})` });
  });

  /** What a real site's backend provides: a token for the signed-in visitor, and nothing else. */
  app.get("/session-token", async (c) => {
    c.header("Cache-Control", "no-store");
    const customer = await signedIn(c);
    if (!customer) return c.json({ error: "Not signed in" }, 401);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setSubject(customer.subject)
      .setIssuedAt()
      .setExpirationTime(`${SESSION_TOKEN_SECONDS}s`)
      .sign(sessionKey);
    return c.json({ token, expiresIn: SESSION_TOKEN_SECONDS });
  });

  /** A staff token for the signed-in staff member: the same keys, its own type and audience. */
  app.get("/staff-token", async (c) => {
    c.header("Cache-Control", "no-store");
    const member = await staffSignedIn(c);
    if (!member) return c.json({ error: "Not signed in as staff" }, 401);
    const token = await new SignJWT({ role: member.role })
      .setProtectedHeader({ alg: "HS256", typ: "staff+jwt" })
      .setIssuer(settings.issuer)
      .setAudience(settings.staffAudience)
      .setSubject(member.subject)
      .setIssuedAt()
      .setExpirationTime(`${STAFF_TOKEN_SECONDS}s`)
      .sign(sessionKey);
    return c.json({ token, expiresIn: STAFF_TOKEN_SECONDS });
  });

  // The widget bundles as the build lays them out: the core, the back office script, and the
  // modules they load on demand from beside themselves. The pattern admits no other file.
  app.get(
    "/:file{(?:crm-widgets|crm-back-office|(?:components|chunks|back-office)/[\\w-]+)\\.js}",
    async (c) => {
      const file = c.req.param("file");
      let body: Buffer;
      try {
        body = await readFile(join(distDir, file));
      } catch {
        return c.notFound();
      }
      c.header("Content-Type", "text/javascript; charset=utf-8");
      // Revalidated on every load, so a rebuilt bundle shows up on the next reload.
      c.header("Cache-Control", "no-cache");
      return c.body(new Uint8Array(body));
    },
  );

  for (const [file, type] of [
    ["style.css", "text/css; charset=utf-8"],
    ["site.js", "text/javascript; charset=utf-8"],
    ["back-office.js", "text/javascript; charset=utf-8"],
    ["favicon.svg", "image/svg+xml"],
  ] as const) {
    app.get(`/${file}`, async (c) => {
      c.header("Content-Type", type);
      c.header("Cache-Control", "no-cache");
      return c.body(await readFile(join(publicDir, file)));
    });
  }

  return app;
}

/** Serves the demo site; port 0 picks a free port. */
export async function startSite(options: SiteOptions): Promise<RunningSite> {
  let origins: string[] = [];
  const app = createSite(options, () => origins);
  const hostname = options.hostname ?? "127.0.0.1";
  const server = await new Promise<ReturnType<typeof serve>>((resolveServer, reject) => {
    const started = serve({ fetch: app.fetch, port: options.port, hostname }, () =>
      resolveServer(started),
    );
    started.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  origins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  return {
    url: `http://${hostname}:${port}`,
    origins,
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        server.close((error) => (error ? reject(error) : resolveClose()));
        if ("closeIdleConnections" in server) server.closeIdleConnections();
      }),
  };
}
