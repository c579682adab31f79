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

/** The headers of a JSON exchange with the proxy, with the bearer token when there is one. */
export function jsonHeaders(init: RequestInit, token: string | undefined): Record<string, string> {
  return {
    accept: "application/json",
    ...(init.body ? { "content-type": "application/json" } : {}),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}

/**
 * The JSON the proxy answered; a refusal throws the `CrmError` its body
 * carries, or, without one (a gateway's page), one by the HTTP status.
 */
export async function answerOf(response: Response): Promise<unknown> {
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

/**
 * Who a token is for: its `iss` and `sub`, read without verifying (the proxy
 * verifies; this only tells two customers' tokens apart).
 */
function subjectOf(token: string | undefined): string | undefined {
  try {
    const payload = token!.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/");
    const { iss, sub } = JSON.parse(atob(payload)) as { iss?: unknown; sub?: unknown };
    return `${iss} ${sub}`;
  } catch {
    return undefined;
  }
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
  readonly #onSubjectChange: () => void;

  /**
   * `settings` is read at each request, so a later `configure()` applies at
   * once; `onSubjectChange` hears when a renewed token is another customer's.
   */
  constructor(settings: () => Readonly<ProxySettings>, onSubjectChange: () => void = () => {}) {
    this.#settings = settings;
    this.#onSubjectChange = onSubjectChange;
  }

  /**
   * One exchange with the session token; resolves with the answer's JSON.
   * With `resend`, a request whose answer was lost (the network failed, or a
   * gateway answered 502 or 504) is sent again, the same body twice more: for
   * bodies whose writes name themselves (`operationId`), which the proxy then
   * applies and records once however often they arrive.
   */
  async request(path: string, init: RequestInit, resend?: boolean): Promise<unknown> {
    const settings = this.#settings();
    const base = settings.proxyUrl.replace(/\/+$/, "");
    if (!base) throw new CrmError("invalid_request", "The CRM proxy URL is not configured");
    const send = settings.fetch ?? fetch;
    let token = await this.#sessionToken(false);
    let resends = resend ? 2 : 0;
    const sendAgain = () => new Promise((resolve) => setTimeout(resolve, 500));
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await send(`${base}${path}`, {
          ...init,
          headers: jsonHeaders(init, token),
        });
      } catch {
        if (resends-- > 0) {
          await sendAgain();
          continue;
        }
        throw new CrmError("unavailable", "The CRM service cannot be reached");
      }
      if ((response.status === 502 || response.status === 504) && resends-- > 0) {
        await sendAgain();
        continue;
      }
      if (response.status === 401 && attempt === 0) {
        const refused = token;
        // A token set or refreshed meanwhile is tried as it is; only the refused one is renewed.
        const renewed = this.token !== refused || this.#settings().tokenProvider !== undefined;
        if (this.token === refused && renewed) token = await this.#sessionToken(true);
        else token = this.token;
        if (renewed) {
          // Someone else signed in meanwhile (another tab): what was read belongs to the
          // previous customer, and this request, a write perhaps, was meant as theirs.
          if (subjectOf(token) !== subjectOf(refused)) {
            this.#onSubjectChange();
            throw new CrmError("unauthenticated", "Signed in as someone else: reading again");
          }
          continue;
        }
      }
      return answerOf(response);
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
