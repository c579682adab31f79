import { operationKinds, type PageOperationName, type PageOperations } from "./operations.ts";
import { type CrmConfig, CrmRuntime } from "./runtime.ts";
import type { TokenProvider } from "./transport.ts";

export type {
  CrmEntry,
  CrmFieldValue,
  CrmOperations,
  CrmStageValue,
  EntityDefinition,
  OperationArgs,
  OperationResult,
} from "#domain/browser";
export { CrmError } from "#domain/browser";
export { asCrmError, fieldMessage } from "./errors.ts";
export type { CacheListener } from "./read-cache.ts";
export { type CrmConfig, CrmRuntime } from "./runtime.ts";
export type { Fetch, TokenProvider } from "./transport.ts";

/** What `window.CrmWidgets` holds on a page that loaded the widgets by script tag. */
export interface CrmWidgetsGlobal extends PageOperations {
  runtime: CrmRuntime;
  configure(config: Partial<CrmConfig>): CrmRuntime;
}

declare global {
  interface Window {
    CrmWidgets?: CrmWidgetsGlobal;
  }
}

/**
 * Reads the configuration a site owner writes on the script tag:
 * `data-proxy-url`, `data-locale`, `data-token`, `data-token-provider` (the
 * name of a global function returning a token).
 */
export function configFromScript(script: HTMLOrSVGScriptElement): Partial<CrmConfig> {
  const data = script.dataset;
  const config: Partial<CrmConfig> = {};
  if (data.proxyUrl) config.proxyUrl = data.proxyUrl;
  if (data.locale) config.locale = data.locale;
  if (data.token) config.token = data.token;
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
 * The page's one runtime, made the first time something asks for it.
 * Separately loaded widget modules share it through `window.CrmWidgets`, so
 * they still batch and cache together. The first call configures it from the
 * script tag whose `src` is `scriptUrl` (a bundle passes its own URL), else
 * from the first one with `data-proxy-url`.
 */
export function pageRuntime(scriptUrl: string = import.meta.url): CrmRuntime {
  const existing = globalThis.window?.CrmWidgets?.runtime;
  if (existing) return existing;
  const runtime = new CrmRuntime();
  if (typeof document !== "undefined") {
    const script = findScriptTag(scriptUrl);
    if (script) runtime.configure(configFromScript(script));
  }
  if (typeof window !== "undefined") {
    window.CrmWidgets = {
      runtime,
      configure: (config) => runtime.configure(config),
      ...operationsOn(() => runtime),
    };
  }
  return runtime;
}

/** Every page operation of the table as a function, called on the runtime `runtime()` gives then. */
function operationsOn(runtime: () => CrmRuntime): PageOperations {
  const operations: Partial<Record<PageOperationName, (args: never) => Promise<unknown>>> = {};
  for (const op of Object.keys(operationKinds) as PageOperationName[]) {
    operations[op] = (args) => runtime()[op](args);
  }
  // Every name of the table is set above, each to the runtime's own method of that name.
  return operations as PageOperations;
}

/** Configures the page's runtime from code instead of (or on top of) the script tag. */
export function configure(config: Partial<CrmConfig>): CrmRuntime {
  return pageRuntime().configure(config);
}

/**
 * The CRM operations on the page's runtime, as named exports:
 * `getCrmEntries({ slug })`, `getCrmField({ slug, fieldKey })`,
 * `setCrmField({ slug, fieldKey, value })` (every widget showing the field
 * updates), `getCrmStage`, `setCrmStage`, `createCrmEntry`,
 * `getCrmFieldHistory`, `getCrmStageHistory`, `getCrmEntity`. Named exports
 * are static: a new operation of the table needs its name here.
 */
export const {
  getCrmEntries,
  getCrmField,
  setCrmField,
  getCrmStage,
  setCrmStage,
  createCrmEntry,
  getCrmFieldHistory,
  getCrmStageHistory,
  getCrmEntity,
} = operationsOn(pageRuntime);
