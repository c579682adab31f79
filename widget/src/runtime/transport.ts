import { CrmError } from "#domain/browser";
import { asCrmError } from "./errors.ts";

/** Where the session token comes from: a fixed token, or a function the page provides. */
export type TokenProvider = () => string | Promise<string>;

/** The `fetch` requests go through: the page's by default, another for tests or a wrapping page. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** What the transport reads from the configuration, at each request. */
export interface ProxySettings {
  /** Base URL of the proxy, e.g. `https://crm.example.com` (the `/v1` path is added). */
  proxyUrl: string;
  /** Asked for a token when there is none, and once more after a 401. */
  tokenProvider?: TokenProvider;
  /** Sends the requests; default: the page's `fetch` at the time of the request. */
  fetch?: Fetch;
}

/**
 * HTTP with the proxy: JSON in and out, the session token attached, a 401
 * retried once with a newer token, and every failure turned into a
 * `CrmError` with a stable code.
 */
export class Transport {
  /** The session token in use: the one configured, or the provider's latest. */
  token: string | undefined;
  #tokenRequest: Promise<void> | undefined;
  readonly #settings: () => Readonly<ProxySettings>;

  /** `settings` is read at each request, so a later `configure()` applies at once. */
  constructor(settings: () => Readonly<ProxySettings>) {
    this.#settings = settings;
  }

  /** One exchange with the session token; resolves with the answer's JSON. */
  async request(path: string, init: RequestInit): Promise<unknown> {
    const settings = this.#settings();
    const base = settings.proxyUrl.replace(/\/+$/, "");
    if (!base) throw new CrmError("invalid_request", "The CRM proxy URL is not configured");
    const send = settings.fetch ?? fetch;
    let token = await this.#sessionToken(false);
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await send(`${base}${path}`, {
          ...init,
          headers: {
            accept: "application/json",
            ...(init.body ? { "content-type": "application/json" } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        });
      } catch {
        throw new CrmError("unavailable", "The CRM service cannot be reached");
      }
      if (response.status === 401 && attempt === 0) {
        // A token set or refreshed meanwhile is tried as it is; only the refused one is renewed.
        if (this.token !== token) {
          token = this.token;
          continue;
        }
        if (this.#settings().tokenProvider) {
          token = await this.#sessionToken(true);
          continue;
        }
      }
      const payload: unknown = await response.json().catch(() => undefined);
      if (response.ok) return payload;
      const error = (payload as { error?: unknown } | undefined)?.error;
      if (error) throw asCrmError(error);
      throw new CrmError(
        response.status === 401
          ? "unauthenticated"
          : response.status >= 500
            ? "unavailable"
            : "internal",
        `The CRM service answered ${response.status}`,
      );
    }
  }

  async #sessionToken(refresh: boolean): Promise<string | undefined> {
    const provider = this.#settings().tokenProvider;
    if ((refresh || this.token === undefined) && provider) {
      // Requests refused at the same moment share one request for a new token.
      this.#tokenRequest ??= Promise.resolve()
        .then(provider)
        .then(
          (token) => {
            this.token = token;
          },
          () => {
            throw new CrmError("unauthenticated", "The session token could not be obtained");
          },
        )
        .finally(() => {
          this.#tokenRequest = undefined;
        });
      await this.#tokenRequest;
    }
    return this.token;
  }
}
