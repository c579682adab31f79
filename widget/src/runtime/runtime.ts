import { batchQueue } from "./batch-queue.ts";
import { operationKinds, type PageOperationName, type PageOperations } from "./operations.ts";
import { type CacheListener, ReadCache } from "./read-cache.ts";
import { type ProxySettings, type TokenProvider, Transport } from "./transport.ts";

export interface CrmConfig extends ProxySettings {
  /** BCP 47 locale for formatting; defaults to the page's `lang`, then the browser's. */
  locale?: string;
  /** A session token given directly (short-lived JWT from the site's backend). */
  token?: string;
  /**
   * Back office pages only: a staff token (short-lived JWT for a signed-in
   * staff member, from the site's backend), or a provider asked for one and
   * once more after a 401 (see `back-office/staff-client.ts`). Customer pages
   * never set it; no page ever holds the proxy's ADMIN_TOKEN.
   */
  staffToken?: string;
  staffTokenProvider?: TokenProvider;
}

/**
 * One runtime per page: every component's calls made in the same task are
 * sent as one `POST /v1/batch` (the batch queue, over the transport), and one
 * read cache shares identical reads and tells every component when a write
 * changed what it shows. This front holds the configuration and offers every
 * operation of the domain's table as a method of the same name.
 */
// The class's static block adds these methods, one per operation of the table.
export interface CrmRuntime extends PageOperations {}
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above declares the generated methods.
export class CrmRuntime {
  static {
    for (const [op, kind] of Object.entries(operationKinds)) {
      // A read goes through the cache; a write through it too, shown at once.
      Object.defineProperty(CrmRuntime.prototype, op, {
        value(this: CrmRuntime, args: never) {
          // `kind` names the cache's method for this operation: `read` or `write`.
          return (this.#cache[kind] as (op: PageOperationName, args: never) => Promise<unknown>)(
            op as PageOperationName,
            args,
          );
        },
      });
    }
  }

  #config: CrmConfig = { proxyUrl: "" };
  // A renewed token of another customer: nothing read before is theirs.
  readonly #transport = new Transport(
    () => this.#config,
    () => this.#cache.reset(),
  );
  readonly #cache = new ReadCache(
    batchQueue((body) =>
      // Sent again after a lost answer: its writes carry operation ids (see `ReadCache.write`).
      this.#transport.request("/v1/batch", { method: "POST", body: JSON.stringify(body) }, true),
    ),
  );

  constructor(config?: Partial<CrmConfig>) {
    if (config) this.configure(config);
  }

  /** Merges configuration; a new proxy URL or token drops the cache and every component reads again. */
  configure(config: Partial<CrmConfig>): this {
    const previous = this.#config;
    this.#config = { ...previous, ...config };
    if (config.token !== undefined) this.#transport.token = config.token;
    if (
      (config.proxyUrl !== undefined && config.proxyUrl !== previous.proxyUrl) ||
      (config.token !== undefined && config.token !== previous.token)
    )
      this.#cache.reset();
    return this;
  }

  get config(): Readonly<CrmConfig> {
    return this.#config;
  }

  get locale(): string | undefined {
    return this.#config.locale;
  }

  /** Listens to cache changes; returns the function that stops listening. */
  subscribe(listener: CacheListener): () => void {
    return this.#cache.subscribe(listener);
  }
}
