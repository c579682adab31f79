import { ContextConsumer } from "@lit/context";
import { Task, TaskStatus } from "@lit/task";
import {
  html,
  LitElement,
  nothing,
  type PropertyDeclarations,
  type PropertyValues,
  type TemplateResult,
} from "lit";
import type { CrmError } from "#domain/browser";
import { asCrmError } from "../runtime/errors.ts";
import { pageRuntime } from "../runtime/index.ts";
import type { CrmRuntime } from "../runtime/runtime.ts";
import { runtimeContext } from "./context.ts";
import { emit } from "./events.ts";
import { type MessageKey, message } from "./messages.ts";

/**
 * Declarations of internal reactive state (Lit's `state: true`: no attribute),
 * for a component's `static properties`. The components declare their
 * properties there rather than with Lit's decorators, whose code and per-property
 * calls every page would download.
 */
export function states(...names: string[]): PropertyDeclarations {
  return Object.fromEntries(names.map((name) => [name, { state: true }]));
}

/**
 * The shared base of every data-bound component: it finds its runtime (the
 * one an ancestor provides by context, else the page's, made the first time
 * a component needs it, never by constructing one), loads with `@lit/task`
 * (which drops a superseded run's answer), re-reads when the runtime's cache
 * changes (a write elsewhere on the page), and renders the loading,
 * error-with-retry and empty states the same way everywhere.
 *
 * `A` are the inputs of `load` besides the runtime (slug, field…): the task
 * runs again when one of them changes.
 */
export abstract class CrmDataElement<T, A extends ReadonlyArray<unknown>> extends LitElement {
  static override properties = states("runtime");

  /**
   * The runtime this component reads and writes through: the one an ancestor
   * provides (`provideRuntime`), else, from `connectedCallback` on, the page's.
   */
  protected runtime!: CrmRuntime;

  constructor() {
    super();
    new ContextConsumer(this, {
      context: runtimeContext,
      subscribe: true,
      callback: (runtime) => {
        this.runtime = runtime;
      },
    });
  }

  /** Last value shown: kept while a re-read is pending so nothing flickers. */
  protected current: T | undefined;
  #unsubscribe: (() => void) | undefined;
  #reloadScheduled = false;

  protected readonly data = new Task<readonly [CrmRuntime, ...A], T>(this, {
    task: ([runtime, ...args]) => this.load(runtime, ...args),
    args: () => [this.runtime, ...this.loadArgs()],
    onComplete: (value) => {
      this.current = value;
      this.loaded(value);
    },
    onError: (error) => {
      // Pending after an error shows the skeleton again, not the value before it.
      this.current = undefined;
      emit(this, "crm-load-error", { error: asCrmError(error).toJSON() });
    },
  });

  /** Reads what the component shows; runs again when `loadArgs()` change. */
  protected abstract load(runtime: CrmRuntime, ...args: A): Promise<T>;

  /** The inputs of `load` besides the runtime, e.g. slug and field. */
  protected abstract loadArgs(): A;

  /** The latest load's answer arrived (never a superseded one's): e.g. drafts follow it. */
  protected loaded(_value: T): void {}

  /** Whether a loaded value counts as empty (renders `renderEmpty`). */
  protected isEmpty(_value: T): boolean {
    return false;
  }

  protected abstract renderValue(value: T): TemplateResult | typeof nothing;

  protected abstract renderLoading(): TemplateResult;

  protected renderEmpty(): TemplateResult {
    return html`<span part="empty" class="empty">${this.t("empty")}</span>`;
  }

  protected renderError(error: CrmError): TemplateResult {
    return html`<span part="error" class="error" role="alert"
      >${error.message || this.t("loadFailed")}<button
        part="retry"
        class="retry"
        type="button"
        @click=${this.retry}
      >
        ${this.t("retry")}
      </button></span
    >`;
  }

  /**
   * The "Saving…" status and the refusal message shared by components that write. When the
   * proxy could not tell whether the write was stored (`outcome_unknown`), it says "may have
   * been saved, check again" instead of "not saved".
   */
  protected renderSaveState(
    saving: boolean,
    saveError: string,
    outcomeUnknown = false,
  ): TemplateResult {
    // The status element is always there: a live region announces changes, not its own arrival.
    return html`<span part="status" class="status" role="status"
      >${saving ? html`<span class="spinner" aria-hidden="true"></span> ${this.t("saving")}` : nothing}</span
    >${
      saveError
        ? html`<span part="error" class="error" role="alert"
            >${outcomeUnknown ? this.t("saveUnknown") : this.t("saveFailed", { message: saveError })}</span
          >`
        : nothing
    }`;
  }

  /** Reads again after an error. */
  retry(): void {
    void this.data.run();
  }

  private explicitLocale = "";

  /**
   * The locale values and words are formatted for: one set here, else the own
   * `lang` attribute, then the configured locale, then the page's, then the browser's.
   */
  get locale(): string {
    return (
      this.explicitLocale ||
      this.getAttribute("lang") ||
      this.runtime?.locale ||
      this.parentElement?.closest("[lang]")?.getAttribute("lang") ||
      navigator.language ||
      "en"
    );
  }

  set locale(locale: string) {
    this.explicitLocale = locale;
    this.requestUpdate();
  }

  protected t(key: MessageKey, params?: Record<string, string | number>): string {
    return message(this.locale, key, params);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The provider, if any, answered during `super.connectedCallback()`.
    this.runtime ??= pageRuntime();
    this.#subscribe();
    // Back in the page after a removal: writes made meanwhile were not heard.
    this.#scheduleReload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (changed.has("runtime") && changed.get("runtime") !== undefined) this.#subscribe();
  }

  #subscribe(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = this.runtime.subscribe(() => this.#scheduleReload());
  }

  /** Cache changes come in bursts (one write patches several reads): re-read once. */
  #scheduleReload(): void {
    if (this.#reloadScheduled) return;
    this.#reloadScheduled = true;
    queueMicrotask(() => {
      this.#reloadScheduled = false;
      if (this.isConnected && this.data.status !== TaskStatus.INITIAL) void this.data.run();
    });
  }

  protected override render(): TemplateResult | typeof nothing {
    return this.renderData();
  }

  /** Renders the task's state; a pending re-read keeps showing the last value. */
  protected renderData(): TemplateResult | typeof nothing {
    const status = this.data.status;
    if (status === TaskStatus.ERROR) return this.renderError(asCrmError(this.data.error));
    const value = status === TaskStatus.COMPLETE ? this.data.value : this.current;
    if (value === undefined) return this.renderLoading();
    return this.isEmpty(value) ? this.renderEmpty() : this.renderValue(value);
  }
}
