/**
 * Framework declarations made from the custom-elements manifest, so they say
 * what the components declare: `types/react.d.ts` adds every element to
 * React's `JSX.IntrinsicElements` (typed properties, and event props spelled
 * as React 19 hears them: `oncrm-change`, the event's exact name after `on`),
 * `types/vue.d.ts` adds them to Vue's `GlobalComponents` (`@crm-change`, which
 * Vue's compiler and vue-tsc read as the `onCrmChange` prop). Properties are
 * typed by the component classes themselves; only their names come from the
 * manifest.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { camelize, toHandlerKey } from "vue";
import { backOfficeTags } from "./src/back-office-tags.ts";
import { customerTags } from "./src/tags.ts";

interface Member {
  kind: string;
  name: string;
  static?: boolean;
  privacy?: string;
  readonly?: boolean;
  type?: { text: string };
}

interface Declaration {
  name: string;
  tagName?: string;
  members?: Member[];
  events?: { name: string; type?: { text: string } }[];
  attributes?: { name: string; fieldName?: string }[];
}

interface Element {
  tag: string;
  className: string;
  properties: string[];
  /** Attributes spelled unlike their property (`no-heading` for `noHeading`), by attribute. */
  attributes: Record<string, string>;
  events: { name: string; type: string }[];
}

function elementsOf(manifestFile: string): Element[] {
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as {
    modules: { declarations?: Declaration[] }[];
  };
  const wanted = new Set<string>([...customerTags, ...backOfficeTags]);
  const declarations = manifest.modules.flatMap((module) => module.declarations ?? []);
  return declarations
    .filter((declaration) => declaration.tagName && wanted.has(declaration.tagName))
    .map((declaration) => ({
      tag: declaration.tagName as string,
      className: declaration.name,
      // Public instance fields and accessors with a type; methods written as arrow fields have none.
      properties: (declaration.members ?? [])
        .filter(
          (member) =>
            member.kind === "field" &&
            !member.static &&
            !member.readonly &&
            (member.privacy ?? "public") === "public" &&
            member.type !== undefined,
        )
        .map((member) => member.name),
      attributes: Object.fromEntries(
        (declaration.attributes ?? [])
          .filter((attribute) => attribute.fieldName && attribute.fieldName !== attribute.name)
          .map((attribute) => [attribute.name, attribute.fieldName as string]),
      ),
      events: (declaration.events ?? []).map((event) => {
        if (!event.type) throw new Error(`${declaration.tagName}: event ${event.name} has no type`);
        return { name: event.name, type: event.type.text };
      }),
    }))
    .sort((a, b) => a.tag.localeCompare(b.tag));
}

const eventTypes = ["CrmChangeEvent", "CrmSaveEvent", "CrmSaveErrorEvent", "CrmLoadErrorEvent"];

function imports(elements: Element[]): string {
  return [
    `import type { ${eventTypes.join(", ")} } from "./components/events.js";`,
    // A named event type of one component's own (a back office event) comes from its
    // module; `CustomEvent<…>` is the DOM's.
    ...elements.map((element) => {
      const own = element.events
        .map((event) => event.type)
        .filter((type) => /^Crm\w+$/.test(type) && !eventTypes.includes(type));
      const names = [...new Set([element.className, ...own])].join(", ");
      return `import type { ${names} } from "./components/${element.tag}/${element.tag}.js";`;
    }),
  ].join("\n");
}

const names = (element: Element) =>
  element.properties.map((name) => JSON.stringify(name)).join(" | ");

function react(elements: Element[]): string {
  const entries = elements.map((element) => {
    const events = element.events
      .map((event) => `        "on${event.name}"?: (event: ${event.type}) => void;`)
      .join("\n");
    const attributes = Object.entries(element.attributes)
      .filter(([, property]) => element.properties.includes(property))
      .map(([attribute, property]) => `${JSON.stringify(attribute)}: ${JSON.stringify(property)}`)
      .join("; ");
    return `      "${element.tag}": CrmElementProps<${element.className}, ${names(element)}, ${attributes ? `{ ${attributes} }` : "{}"}> & {\n${events}\n      };`;
  });
  return `/**
 * React 19 JSX types of the crm-widgets elements: \`import type {} from "crm-widgets/react";\`
 * once in the application. React 19 sets the element's properties (not attributes) and
 * adds a listener for \`on<exact event name>\`: \`oncrm-change\`, never \`onCrmChange\`.
 * A server render has no properties to set: it writes every prop as an attribute, and
 * hydration sets none, so \`noHeading\` would reach the browser as the attribute
 * \`noheading\`. The attribute spellings (\`no-heading\`, \`entry-id\`) are props too, for
 * server-rendered pages. Generated from the custom-elements manifest by the widget build.
 */
import type { HTMLAttributes, Ref } from "react";
${imports(elements)}

type CrmElementProps<E, K extends keyof E, A extends Record<string, K>> = Omit<
  HTMLAttributes<E>,
  K & string
> &
  Partial<Pick<E, K>> & { [N in keyof A]?: E[A[N]] | undefined } & {
    ref?: Ref<E> | undefined;
    class?: string | undefined;
  };

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
${entries.join("\n")}
    }
  }
}
`;
}

function vue(elements: Element[]): string {
  const entries = elements.map((element) => {
    const events = element.events
      // Vue's own rule for a listener on an element: `@crm-save-error` is the prop
      // `onCrmSaveError` (toHandlerKey(camelize(name))), in templates and in h().
      .map(
        (event) => `      ${toHandlerKey(camelize(event.name))}?: (event: ${event.type}) => void;`,
      )
      .join("\n");
    return `    "${element.tag}": DefineComponent<Partial<Pick<${element.className}, ${names(element)}>> & {\n${events}\n    }>;`;
  });
  return `/**
 * Vue 3 types of the crm-widgets elements: \`import type {} from "crm-widgets/vue";\` once,
 * and tell the compiler they are custom elements (\`compilerOptions.isCustomElement:
 * (tag) => tag.startsWith("crm-")\`). Listen with \`@crm-change\`; bind booleans as
 * properties (\`:editable.prop="false"\`), since an attribute "false" reads as true.
 * Generated from the custom-elements manifest by the widget build.
 */
import type { DefineComponent } from "vue";
${imports(elements)}

declare module "vue" {
  interface GlobalComponents {
${entries.join("\n")}
  }
}
`;
}

/** Writes types/react.d.ts and types/vue.d.ts from the manifest. */
export function writeFrameworkTypes(manifestFile: string, types: string): void {
  const elements = elementsOf(manifestFile);
  writeFileSync(join(types, "react.d.ts"), react(elements));
  writeFileSync(join(types, "vue.d.ts"), vue(elements));
}
