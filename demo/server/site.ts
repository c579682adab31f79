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
/** The frames the pages share (head, scripts, site header); not served themselves. */
const layoutDir = join(root, "demo", "layouts");
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
function fill(source: string, template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${source}: no value for {{${name}}}`);
    return name.endsWith("Html") ? value : escapeHtml(value);
  });
}

interface NavLink {
  path: string;
  label: string;
}

/** The customer site's pages, in the order its navigation lists them. */
const CUSTOMER_PAGES = [
  { path: "/progress", file: "progress.html", title: "Your progress", label: "Progress" },
  { path: "/check-in", file: "check-in.html", title: "Check-in", label: "Check-in" },
  { path: "/sleep", file: "sleep.html", title: "Sleep", label: "Sleep" },
] as const;

const STAFF_NAV: NavLink[] = [
  { path: "/back-office", label: "Customers" },
  { path: "/back-office/settings", label: "CRM settings" },
  { path: "/sign-in", label: "Customer site" },
];

/**
 * The kinds of page, each framed by `layouts/page.html`: `customer` pages load
 * the widgets for the signed-in visitor, `staff` pages the back office bundle,
 * both with the site header (`layouts/site-header.html`) and their navigation;
 * `plain` pages (sign-in) have neither.
 */
const LAYOUTS = {
  customer: {
    bodyClass: "site",
    scripts: "customer-scripts.html",
    header: {
      headerClass: "site-header",
      homePath: "/",
      badgeHtml: "",
      signOutPath: "/sign-out",
      nav: CUSTOMER_PAGES,
    },
  },
  staff: {
    bodyClass: "site",
    scripts: "staff-scripts.html",
    header: {
      headerClass: "site-header staff",
      homePath: "/back-office",
      badgeHtml: ' <span class="badge">Back office</span>',
      signOutPath: "/staff/sign-out",
      nav: STAFF_NAV,
    },
  },
  plain: { bodyClass: "centered", scripts: undefined, header: undefined },
} as const;

type Layout = keyof typeof LAYOUTS;

/** What a page shows: its title, and on pages with the site header the current path and who is signed in. */
type PageValues = Record<string, string> & { title: string; current?: string; who?: string };

/** The navigation with the current page marked for assistive technology and the style sheet. */
function navHtml(links: readonly NavLink[], current: string | undefined): string {
  return links
    .map(
      ({ path, label }) =>
        `<a href="${escapeHtml(path)}"${path === current ? ' aria-current="page"' : ""}>${escapeHtml(label)}</a>`,
    )
    .join("\n");
}

/** A sign-in form listing who one may sign in as (the demo checks no password): a button each. */
function signInFormHtml(
  action: string,
  people: readonly { subject: string; name: string; label: string }[],
): string {
  const buttons = people.map(
    ({ subject, name, label }) =>
      `<li><button class="customer" type="submit" name="subject" value="${escapeHtml(subject)}">` +
      `<span class="avatar" aria-hidden="true">${escapeHtml(name.slice(0, 1))}</span>` +
      `<span><strong>${escapeHtml(label)}</strong><small>${escapeHtml(subject)}</small></span>` +
      "</button></li>",
  );
  return [
    `<form method="post" action="${escapeHtml(action)}">`,
    '<ul class="customers">',
    ...buttons,
    "</ul>",
    "</form>",
  ].join("\n");
}

const readLayout = (file: string) => readFile(join(layoutDir, file), "utf8");

/** A page's own content (`demo/public/<file>`, its `<main>` and scripts) in the frame of its kind. */
async function renderPage(layout: Layout, file: string, values: PageValues): Promise<string> {
  const { bodyClass, scripts, header } = LAYOUTS[layout];
  const [frame, content, scriptsHtml, headerHtml] = await Promise.all([
    readLayout("page.html"),
    readFile(join(publicDir, file), "utf8"),
    scripts ? readLayout(scripts).then((text) => fill(scripts, text, values)) : "",
    header
      ? readLayout("site-header.html").then((text) =>
          fill("site-header.html", text, {
            headerClass: header.headerClass,
            homePath: header.homePath,
            badgeHtml: header.badgeHtml,
            signOutPath: header.signOutPath,
            navHtml: navHtml(header.nav, values.current),
            who: values.who ?? "",
          }),
        )
      : "",
  ]);
  return fill("page.html", frame, {
    ...values,
    bodyClass,
    scriptsHtml,
    headerHtml,
    contentHtml: fill(file, content, values),
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

  const page = async (c: Context, layout: Layout, file: string, values: PageValues) => {
    c.header("Cache-Control", "no-store");
    return c.html(await renderPage(layout, file, { proxyUrl: options.proxyUrl(), ...values }));
  };

  app.get("/", async (c) => c.redirect((await signedIn(c)) ? "/progress" : "/sign-in"));

  for (const { path, file, title } of CUSTOMER_PAGES) {
    app.get(path, async (c) => {
      const customer = await signedIn(c);
      if (!customer) return c.redirect("/sign-in");
      return page(c, "customer", file, {
        title,
        current: path,
        who: customer.name,
        customerName: customer.name,
      });
    });
  }

  // Customers and staff sign in, out and get their tokens the same way, each kind with its own
  // cookie, pages and token (the same keys; its own type, audience and lifetime).
  const signIns = [
    {
      path: "/sign-in",
      file: "sign-in.html",
      title: "Sign in",
      cookie: SESSION_COOKIE,
      home: "/progress",
      signOutPath: "/sign-out",
      people: customers.map(({ subject, name }) => ({ subject, name, label: name, claims: {} })),
      // What a real site's backend provides: a token for the signed-in visitor, and nothing else.
      token: {
        path: "/session-token",
        typ: "JWT",
        audience: settings.audience,
        seconds: SESSION_TOKEN_SECONDS,
        refusal: "Not signed in",
      },
    },
    {
      path: "/staff/sign-in",
      file: "staff-sign-in.html",
      title: "Staff sign-in",
      cookie: STAFF_COOKIE,
      home: "/back-office",
      signOutPath: "/staff/sign-out",
      people: DEMO_STAFF.map(({ subject, name, role }) => ({
        subject,
        name,
        label: `${name} · ${role}`,
        claims: { role },
      })),
      token: {
        path: "/staff-token",
        typ: "staff+jwt",
        audience: settings.staffAudience,
        seconds: STAFF_TOKEN_SECONDS,
        refusal: "Not signed in as staff",
      },
    },
  ];
  for (const { path, file, title, cookie, home, signOutPath, people, token } of signIns) {
    app.get(path, (c) => page(c, "plain", file, { title, formHtml: signInFormHtml(path, people) }));

    app.post(path, async (c) => {
      const form = await c.req.parseBody();
      const person = people.find((candidate) => candidate.subject === form.subject);
      if (!person) return c.redirect(path, 303);
      await setSignedCookie(c, cookie, person.subject, cookieSecret, {
        path: "/",
        httpOnly: true,
        sameSite: "Lax",
      });
      return c.redirect(home, 303);
    });

    app.post(signOutPath, (c) => {
      deleteCookie(c, cookie, { path: "/" });
      return c.redirect(path, 303);
    });

    app.get(token.path, async (c) => {
      c.header("Cache-Control", "no-store");
      const subject = await getSignedCookie(c, cookieSecret, cookie);
      const person = people.find((candidate) => candidate.subject === subject);
      if (!person) return c.json({ error: token.refusal }, 401);
      const signed = await new SignJWT(person.claims)
        .setProtectedHeader({ alg: "HS256", typ: token.typ })
        .setIssuer(settings.issuer)
        .setAudience(token.audience)
        .setSubject(person.subject)
        .setIssuedAt()
        .setExpirationTime(`${token.seconds}s`)
        .sign(sessionKey);
      return c.json({ token: signed, expiresIn: token.seconds });
    });
  }

  // The back office page holds no credential: its widgets ask /staff-token for a
  // short-lived staff token of the signed-in staff member.
  app.get("/back-office", async (c) => {
    const member = await staffSignedIn(c);
    if (!member) return c.redirect("/staff/sign-in");
    // `?customer=` opens one customer (the search puts it in the address); none: the search first.
    // Any id of the proxy's shape (escaped into the page), not only the demo's customers.
    const asked = c.req.query("customer") ?? "";
    const customerId = /^[\w.:@-]{1,128}$/.test(asked) ? asked : "";
    return page(c, "staff", "back-office.html", {
      title: "Back office",
      current: "/back-office",
      who: `${member.name} (${member.role})`,
      customerId,
    });
  });

  // The CRM settings components call the staff routes with the same staff tokens.
  app.get("/back-office/settings", async (c) => {
    const member = await staffSignedIn(c);
    if (!member) return c.redirect("/staff/sign-in");
    return page(c, "staff", "crm-settings.html", {
      title: "CRM settings",
      current: "/back-office/settings",
      who: `${member.name} (${member.role})`,
    });
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
