import { TaskStatus } from "@lit/task";
import { html, nothing, type PropertyValues, type TemplateResult } from "lit";
import { property, state } from "lit/decorators.js";
import { ifDefined } from "lit/directives/if-defined.js";
import type { EntityDefinition } from "#domain/browser";
import { type FoundCustomer, staffClient } from "../../back-office/staff-client.ts";
import type { CrmRuntime } from "../../runtime/runtime.ts";
import { CrmDataElement } from "../crm-data-element.ts";
import { defineElement } from "../define.ts";
import { styles } from "./crm-customer-search.styles.ts";

/** What one search shows: the matches, entity names for their counts, whether more exist. */
export interface CustomerMatches {
  customers: FoundCustomer[];
  /** Entity names by slug, to name the entry counts. */
  names: Record<string, string>;
  more: boolean;
}

/** `crm-customer-select`: a customer was chosen (`detail.customer`). */
export type CrmCustomerSelectEvent = CustomEvent<{ customer: FoundCustomer }>;

/** Matches one search shows (all fit in the popup, which never scrolls); `more` says when there are others. */
const PAGE_SIZE = 8;
/** Typing pauses this long before a search is sent: one request per pause, not per key. */
const DEBOUNCE_MS = 250;

/** The entity names of a runtime's proxy: read once, for every search box on the page. */
const entityNames = new WeakMap<CrmRuntime, Promise<Record<string, string>>>();

function namesOf(runtime: CrmRuntime): Promise<Record<string, string>> {
  let names = entityNames.get(runtime);
  if (!names) {
    names = (staffClient(runtime).call("/entities") as Promise<{ entities: EntityDefinition[] }>)
      .then(({ entities }) =>
        Object.fromEntries(entities.map((entity) => [entity.slug, entity.name])),
      )
      .catch((error: unknown) => {
        // A failed read is not kept: the retry reads again.
        entityNames.delete(runtime);
        throw error;
      });
    entityNames.set(runtime, names);
  }
  return names;
}

/**
 * Finds a customer for the back office: type a subject (the customer's id on
 * the site, e.g. an e-mail address) or the start of a customer id, see the
 * matches with their entry counts, choose one. An ARIA 1.2 combobox with a
 * listbox popup: arrow keys move through the matches, Enter chooses, Escape
 * closes (and, when closed, clears). Searches once typing pauses.
 *
 * Choosing sets `customerId` of the `crm-customer-details` whose id the `for`
 * attribute names (in the same document or shadow root), and always fires
 * `crm-customer-select`, so a page can do more (put the id in the address,
 * say). Calls the proxy's staff routes with the runtime's staff token.
 *
 * @tagname crm-customer-search
 * @summary Finds a customer by subject or id and shows them in Customer Details.
 *
 * @event {CustomEvent} crm-customer-select - A customer was chosen; `detail: { customer }` (id, subject, issuer, createdAt, entry counts by slug).
 * @event {CrmLoadErrorEvent} crm-load-error - A search failed; the popup shows the error with a retry button.
 *
 * @csspart label - The visible label.
 * @csspart input - The search input (the combobox).
 * @csspart popup - The popup under the input.
 * @csspart listbox - The list of matches.
 * @csspart option - One match; `option active` is the one the arrow keys are on.
 * @csspart counts - A match's entry counts.
 * @csspart empty - Shown when nothing matches.
 * @csspart error - A failed search.
 * @csspart retry - The retry button of a failed search.
 * @csspart skeleton - Shown while searching.
 *
 * @cssproperty --crm-color-accent - The active match's marker and the focus ring.
 */
@defineElement("crm-customer-search")
export class CrmCustomerSearch extends CrmDataElement<CustomerMatches, [string]> {
  static override styles = styles;

  /** The id of the `crm-customer-details` that shows the chosen customer. */
  @property({ attribute: "for", reflect: true }) for = "";

  /** The visible label of the input. */
  @property() label = "Find a customer";

  /** The customer chosen last (also after the input is cleared), or null. */
  @property({ attribute: false }) customer: FoundCustomer | null = null;

  /** What the user typed. */
  @state() private text = "";
  /** What was searched: `text` once typing paused. */
  @state() private query = "";
  @state() private open = false;
  /** Index of the match the arrow keys are on; -1: none. */
  @state() private active = -1;
  /** The customer the arrow keys are on ("" for none): kept when a new answer arrives. */
  private activeCustomerId = "";
  private timer: ReturnType<typeof setTimeout> | undefined;

  protected override loadArgs(): [string] {
    return [this.query];
  }

  protected override async load(runtime: CrmRuntime, query: string): Promise<CustomerMatches> {
    const [page, names] = await Promise.all([
      staffClient(runtime).findCustomers({ query: query || undefined, size: PAGE_SIZE }),
      namesOf(runtime),
    ]);
    return { customers: page.customers, names, more: page.next !== null };
  }

  /** A new answer keeps the arrow keys on the same customer when it still lists them. */
  protected override loaded(value: CustomerMatches): void {
    this.active = this.activeCustomerId
      ? value.customers.findIndex((customer) => customer.id === this.activeCustomerId)
      : -1;
  }

  /** Moves the arrow keys' mark to match `index`, remembering whom it is on. */
  private setActive(index: number): void {
    this.active = index;
    this.activeCustomerId = this.shownMatches()[index]?.id ?? "";
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  private onInput(event: Event): void {
    this.text = (event.target as HTMLInputElement).value;
    this.open = true;
    this.setActive(-1);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.query = this.text.trim();
    }, DEBOUNCE_MS);
  }

  /** The matches of the current answer, or none while searching or after an error. */
  private shownMatches(): FoundCustomer[] {
    return this.data.status === TaskStatus.ERROR ? [] : (this.current?.customers ?? []);
  }

  private onKeyDown(event: KeyboardEvent): void {
    const count = this.shownMatches().length;
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp": {
        event.preventDefault();
        if (!this.open) {
          this.open = true;
          return;
        }
        if (count === 0) return;
        // From no match, down goes to the first and up to the last; both wrap around.
        this.setActive(
          event.key === "ArrowDown"
            ? (this.active + 1) % count
            : this.active <= 0
              ? count - 1
              : this.active - 1,
        );
        return;
      }
      case "Home":
      case "End":
        if (!this.open || count === 0) return;
        event.preventDefault();
        this.setActive(event.key === "Home" ? 0 : count - 1);
        return;
      case "Enter": {
        const chosen = this.shownMatches()[this.active];
        if (this.open && chosen) {
          event.preventDefault();
          this.choose(chosen);
        }
        return;
      }
      case "Escape":
        event.preventDefault();
        if (this.open) {
          this.open = false;
        } else {
          this.text = "";
          this.query = "";
        }
        return;
    }
  }

  private onFocusOut(event: FocusEvent): void {
    // Focus moving into the popup (the retry button) keeps it open.
    if (!this.shadowRoot?.contains(event.relatedTarget as Node | null)) this.open = false;
  }

  /** Shows `customer` in the details named by `for`, and tells the page. */
  choose(customer: FoundCustomer): void {
    this.customer = customer;
    this.text = customer.subject;
    this.open = false;
    const root = this.getRootNode() as Document | ShadowRoot;
    const details = this.for ? root.getElementById?.(this.for) : null;
    if (details && details.localName === "crm-customer-details") {
      (details as HTMLElement & { customerId: string }).customerId = customer.id;
    }
    this.dispatchEvent(
      new CustomEvent("crm-customer-select", {
        detail: { customer },
        bubbles: true,
        composed: true,
      }) satisfies CrmCustomerSelectEvent,
    );
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (changed.has("active") && this.active >= 0) {
      this.shadowRoot
        ?.getElementById(`match-${this.active}`)
        ?.scrollIntoView?.({ block: "nearest" });
    }
  }

  protected override render(): TemplateResult {
    const listed = this.open && this.shownMatches().length > 0;
    const activeId = listed && this.active >= 0 ? `match-${this.active}` : undefined;
    return html`<div class="search" @focusout=${this.onFocusOut}>
      <label part="label" for="input">${this.label}</label>
      <input
        id="input"
        part="input"
        type="search"
        role="combobox"
        autocomplete="off"
        spellcheck="false"
        placeholder="Subject or customer id"
        aria-autocomplete="list"
        aria-expanded=${listed ? "true" : "false"}
        aria-controls=${ifDefined(listed ? "matches" : undefined)}
        aria-activedescendant=${ifDefined(activeId)}
        aria-describedby="status"
        .value=${this.text}
        @input=${this.onInput}
        @keydown=${this.onKeyDown}
        @focus=${() => {
          this.open = true;
        }}
        @click=${() => {
          this.open = true;
        }}
      />
      ${this.open ? html`<div part="popup" class="popup">${this.renderData()}</div>` : nothing}
      <span id="status" class="sr-only" role="status">${this.open ? this.statusText() : ""}</span>
    </div>`;
  }

  /** What the status region says: how many matched, so a screen reader hears it without the list. */
  private statusText(): string {
    const answer = this.data.status === TaskStatus.COMPLETE ? this.data.value : undefined;
    if (!answer) return "";
    const count = answer.customers.length;
    if (count === 0) return "No customer matches.";
    return `${count}${answer.more ? "+" : ""} ${count === 1 ? "customer" : "customers"} found; use the arrow keys to choose.`;
  }

  protected override renderLoading(): TemplateResult {
    return html`<p part="skeleton" class="note" aria-busy="true">
      <span class="spinner" aria-hidden="true"></span> Searching…
    </p>`;
  }

  protected override isEmpty(value: CustomerMatches): boolean {
    return value.customers.length === 0;
  }

  protected override renderEmpty(): TemplateResult {
    return html`<p part="empty" class="note">
      No customer matches “${this.query}”. Subjects and ids are matched from their start.
    </p>`;
  }

  protected override renderValue(value: CustomerMatches): TemplateResult {
    return html`<ul id="matches" part="listbox" role="listbox" aria-label="Customers">
        ${value.customers.map((customer, index) => {
          const active = index === this.active;
          const counts = Object.entries(customer.entries)
            .map(([slug, count]) => [value.names[slug] ?? slug, count] as const)
            .sort(([a], [b]) => a.localeCompare(b, this.locale));
          const total = counts.reduce((sum, [, count]) => sum + count, 0);
          return html`<li
            id="match-${index}"
            part=${active ? "option active" : "option"}
            class="option"
            role="option"
            aria-selected=${active ? "true" : "false"}
            @pointerdown=${(event: Event) => event.preventDefault()}
            @click=${() => this.choose(customer)}
          >
            <span class="subject">${customer.subject}</span>
            <code class="id">${customer.id}</code>
            <span part="counts" class="counts"
              >${
                total === 0
                  ? "No entries"
                  : `${total} ${total === 1 ? "entry" : "entries"}: ${counts
                      .map(([name, count]) => `${name} ${count}`)
                      .join(", ")}`
              }</span
            >
          </li>`;
        })}
      </ul>
      ${value.more ? html`<p class="note more">More customers match: type more to narrow the list.</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "crm-customer-search": CrmCustomerSearch;
  }
  interface GlobalEventHandlersEventMap {
    "crm-customer-select": CrmCustomerSelectEvent;
  }
}
