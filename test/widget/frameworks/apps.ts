/**
 * What a React 19 page and a Vue 3 page put on screen: crm-field (editable),
 * crm-pipeline-progress and crm-form, with properties set the framework's way
 * and the components' events heard through the framework's own listeners.
 * Bundled by esbuild for the widget tests (React ships CommonJS only), with
 * the widget package's main module inside, as an application bundles it.
 */
import { createElement, useState } from "react";
import { createRoot } from "react-dom/client";
import { createApp, h, ref } from "vue";
import { configure } from "../../../widget/src/index.ts";

export interface AppOptions {
  proxyUrl: string;
  token: string;
  /** Called with each event the framework hands to the page's listener. */
  heard: (type: string, detail: unknown) => void;
}

export interface MountedApp {
  /** Flips a boolean property the framework passes down (crm-form's noHeading). */
  toggleHeading(): void;
  unmount(): void;
}

export function mountReact(container: HTMLElement, options: AppOptions): MountedApp {
  configure({ proxyUrl: options.proxyUrl, token: options.token });
  let toggle = () => {};
  const listen = (type: string) => (event: Event) =>
    options.heard(type, (event as CustomEvent).detail);
  function Page() {
    const [noHeading, setNoHeading] = useState(true);
    toggle = () => setNoHeading((value) => !value);
    return createElement(
      "div",
      null,
      // React 19 assigns properties it finds on the element (value too) and listens on `on<event>`.
      createElement("crm-field", {
        slug: "tracker",
        field: "current_weight",
        editable: true,
        value: 80,
        "oncrm-change": listen("crm-change"),
        "oncrm-save": listen("crm-save"),
      }),
      createElement("crm-pipeline-progress", { slug: "tracker", pipeline: "progress" }),
      createElement("crm-form", {
        slug: "tracker",
        fields: "notes",
        noHeading,
        "oncrm-save": listen("crm-save"),
      }),
    );
  }
  const root = createRoot(container);
  root.render(createElement(Page));
  return { toggleHeading: () => toggle(), unmount: () => root.unmount() };
}

export function mountVue(container: HTMLElement, options: AppOptions): MountedApp {
  configure({ proxyUrl: options.proxyUrl, token: options.token });
  const noHeading = ref(true);
  const listen = (type: string) => (event: Event) =>
    options.heard(type, (event as CustomEvent).detail);
  const app = createApp({
    render: () =>
      h("div", [
        // Vue sets a key the element has as a property (booleans stay booleans); `onCrm-save`
        // is `@crm-save`.
        h("crm-field", {
          slug: "tracker",
          field: "current_weight",
          editable: true,
          "onCrm-change": listen("crm-change"),
          "onCrm-save": listen("crm-save"),
        }),
        h("crm-pipeline-progress", { slug: "tracker", pipeline: "progress" }),
        h("crm-form", {
          slug: "tracker",
          fields: "notes",
          noHeading: noHeading.value,
          "onCrm-save": listen("crm-save"),
        }),
      ]),
  });
  app.mount(container);
  return {
    toggleHeading: () => {
      noHeading.value = !noHeading.value;
    },
    unmount: () => app.unmount(),
  };
}
