import type {
  CrmEntry,
  CrmFieldHistory,
  CrmFieldValue,
  CrmStageHistory,
  CrmStageValue,
  EntityDefinition,
  GetCrmEntityArgs,
  GetCrmEntriesArgs,
  GetCrmFieldArgs,
  GetCrmFieldHistoryArgs,
  GetCrmStageArgs,
  GetCrmStageHistoryArgs,
  SetCrmFieldArgs,
  SetCrmStageArgs,
} from "#domain/browser";
import { type CrmConfig, CrmRuntime, type TokenProvider } from "./runtime.ts";

export type {
  CrmEntry,
  CrmFieldHistory,
  CrmFieldValue,
  CrmStageHistory,
  CrmStageValue,
  EntityDefinition,
} from "#domain/browser";
export { CrmError } from "#domain/browser";
export {
  type CacheListener,
  type CrmConfig,
  CrmRuntime,
  type CustomerEntries,
  type TokenProvider,
  toCrmError,
} from "./runtime.ts";

/** What `window.CrmWidgets` holds on a page that loaded the widgets by script tag. */
export interface CrmWidgetsGlobal {
  runtime: CrmRuntime;
  configure(config: Partial<CrmConfig>): CrmRuntime;
  getCrmEntries(args: GetCrmEntriesArgs): Promise<CrmEntry[]>;
  getCrmField(args: GetCrmFieldArgs): Promise<CrmFieldValue>;
  setCrmField(args: SetCrmFieldArgs): Promise<CrmFieldValue>;
  getCrmStage(args: GetCrmStageArgs): Promise<CrmStageValue>;
  setCrmStage(args: SetCrmStageArgs): Promise<CrmStageValue>;
  getCrmEntity(args: GetCrmEntityArgs): Promise<EntityDefinition>;
  getCrmFieldHistory(args: GetCrmFieldHistoryArgs): Promise<CrmFieldHistory>;
  getCrmStageHistory(args: GetCrmStageHistoryArgs): Promise<CrmStageHistory>;
}

declare global {
  interface Window {
    CrmWidgets?: CrmWidgetsGlobal;
  }
}

/**
 * Reads the configuration a site owner writes on the script tag:
 * `data-proxy-url`, `data-locale`, `data-token`, `data-token-provider` (the
 * name of a global function returning a token), `data-admin-token`.
 */
export function configFromScript(script: HTMLOrSVGScriptElement): Partial<CrmConfig> {
  const data = script.dataset;
  const config: Partial<CrmConfig> = {};
  if (data.proxyUrl) config.proxyUrl = data.proxyUrl;
  if (data.locale) config.locale = data.locale;
  if (data.token) config.token = data.token;
  if (data.adminToken) config.adminToken = data.adminToken;
  const providerName = data.tokenProvider;
  if (providerName) {
    // Looked up at call time, so the page may define the function after this script.
    config.tokenProvider = () => {
      const provider = (globalThis as Record<string, unknown>)[providerName];
      if (typeof provider !== "function") {
        throw new Error(`window.${providerName} is not a function`);
      }
      return (provider as TokenProvider)();
    };
  }
  return config;
}

function findScriptTag(scriptUrl: string): HTMLScriptElement | null {
  const scripts = [...document.querySelectorAll<HTMLScriptElement>("script[data-proxy-url]")];
  return scripts.find((script) => script.src && scriptUrl === script.src) ?? scripts[0] ?? null;
}

/**
 * The page's one runtime. Separately loaded widget modules share it through
 * `window.CrmWidgets`, so they still batch and cache together. The first call
 * configures it from the script tag whose `src` is `scriptUrl` (a bundle
 * passes its own URL), else from the first one with `data-proxy-url`.
 */
export function pageRuntime(scriptUrl: string = import.meta.url): CrmRuntime {
  const existing = globalThis.window?.CrmWidgets?.runtime;
  if (existing) return existing;
  const runtime = new CrmRuntime();
  if (typeof document !== "undefined") {
    const script = findScriptTag(scriptUrl);
    if (script) runtime.configure(configFromScript(script));
  }
  if (typeof window !== "undefined") window.CrmWidgets = globalApi(runtime);
  return runtime;
}

const operations = [
  "getCrmEntries",
  "getCrmField",
  "setCrmField",
  "getCrmStage",
  "setCrmStage",
  "getCrmEntity",
  "getCrmFieldHistory",
  "getCrmStageHistory",
] as const;

function globalApi(runtime: CrmRuntime): CrmWidgetsGlobal {
  const api: Record<string, unknown> = {
    runtime,
    configure: (config: Partial<CrmConfig>) => runtime.configure(config),
  };
  for (const name of operations) api[name] = runtime[name].bind(runtime);
  return api as unknown as CrmWidgetsGlobal;
}

/** Configures the page's runtime from code instead of (or on top of) the script tag. */
export function configure(config: Partial<CrmConfig>): CrmRuntime {
  return pageRuntime().configure(config);
}

/** Entries of one entity for a reference (default: the session customer). */
export function getCrmEntries(args: GetCrmEntriesArgs): Promise<CrmEntry[]> {
  return pageRuntime().getCrmEntries(args);
}

/** One field's value (`slug` + `fieldKey`; `entryId` for entities with many entries). */
export function getCrmField(args: GetCrmFieldArgs): Promise<CrmFieldValue> {
  return pageRuntime().getCrmField(args);
}

/** Sets one field's value; every widget showing it updates. */
export function setCrmField(args: SetCrmFieldArgs): Promise<CrmFieldValue> {
  return pageRuntime().setCrmField(args);
}

/** Where an entry stands in one pipeline. */
export function getCrmStage(args: GetCrmStageArgs): Promise<CrmStageValue> {
  return pageRuntime().getCrmStage(args);
}

/** Moves an entry to a stage (when the pipeline lets customers move it). */
export function setCrmStage(args: SetCrmStageArgs): Promise<CrmStageValue> {
  return pageRuntime().setCrmStage(args);
}

/** The entity definition as the session customer may see it. */
export function getCrmEntity(args: GetCrmEntityArgs): Promise<EntityDefinition> {
  return pageRuntime().getCrmEntity(args);
}

/** Recorded values of a field that keeps history (`limit`, `order`, `after` page through them). */
export function getCrmFieldHistory(args: GetCrmFieldHistoryArgs): Promise<CrmFieldHistory> {
  return pageRuntime().getCrmFieldHistory(args);
}

/** Recorded moves of one pipeline's stages. */
export function getCrmStageHistory(args: GetCrmStageHistoryArgs): Promise<CrmStageHistory> {
  return pageRuntime().getCrmStageHistory(args);
}
