import { ContextProvider, createContext } from "@lit/context";
import type { CrmRuntime } from "../runtime/runtime.ts";

/**
 * The runtime components read. A string key (not a symbol) so that widget
 * modules loaded separately still find each other's provider.
 */
export const runtimeContext = createContext<CrmRuntime>("crm-widgets-runtime");

/** Gives every CRM component inside `element` its own runtime (another proxy or session). */
export function provideRuntime(element: HTMLElement, runtime: CrmRuntime): void {
  new ContextProvider(element, { context: runtimeContext, initialValue: runtime });
}
