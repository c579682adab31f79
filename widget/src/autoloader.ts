/**
 * Loads a component's module the first time its tag appears on the page, so a
 * page downloads only the components it uses (the way Shoelace's and Web
 * Awesome's autoloaders do). Watches the document and every open shadow root
 * it finds, including those of elements that are upgraded later; a closed
 * shadow root is out of reach: pass it to `discover()` yourself.
 */

/** Tag name → module URL. */
export type ComponentModules = Readonly<Record<string, URL>>;

const known = new Map<string, URL>();
const loading = new Map<string, Promise<void>>();
const observed = new WeakSet<Node>();
let observer: MutationObserver | undefined;

function loadTag(tag: string): Promise<void> | undefined {
  const url = known.get(tag);
  if (!url || customElements.get(tag)) return undefined;
  let pending = loading.get(tag);
  if (!pending) {
    pending = import(/* @vite-ignore */ url.href).then(
      () => undefined,
      (error: unknown) => {
        // Forget the failure so a later appearance of the tag tries again (a flaky network).
        loading.delete(tag);
        console.error(`crm-widgets: could not load <${tag}> from ${url.href}`, error);
      },
    );
    loading.set(tag, pending);
  }
  return pending;
}

function watch(root: Node): void {
  if (observed.has(root) || !observer) return;
  observed.add(root);
  observer.observe(root, { childList: true, subtree: true });
}

/** Every element of `root`'s subtree, the root included, and of the open shadow roots inside. */
function* elementsOf(root: Element | Document | ShadowRoot): Generator<Element> {
  if (root instanceof Element) yield root;
  for (const element of root.querySelectorAll("*")) {
    yield element;
    if (element.shadowRoot) yield* elementsOf(element.shadowRoot);
  }
  if (root instanceof Element && root.shadowRoot) yield* elementsOf(root.shadowRoot);
}

/**
 * Loads the modules of the known tags used in `root` (its subtree and the open
 * shadow roots in it) and keeps watching those shadow roots. Resolves once they
 * are defined (failures are logged, not thrown).
 */
export async function discover(root: Element | Document | ShadowRoot): Promise<void> {
  const pending: Promise<void>[] = [];
  for (const element of elementsOf(root)) {
    const tag = element.localName;
    if (element.shadowRoot) watch(element.shadowRoot);
    const load = loadTag(tag);
    if (load) pending.push(load);
    else if (tag.includes("-") && !known.has(tag) && !customElements.get(tag)) {
      // Another library's element, not upgraded yet: its shadow root may hold our tags.
      void customElements.whenDefined(tag).then(() => {
        if (element.isConnected) void discover(element);
      });
    }
  }
  await Promise.all(pending);
}

/**
 * Teaches the page's autoloader the given tags and starts it if it was not
 * running: the document is searched now and watched from then on. Safe to call
 * from several bundles on one page, and a no-op where there is no DOM.
 */
export function autoload(modules: ComponentModules): void {
  if (typeof document === "undefined" || typeof MutationObserver === "undefined") return;
  for (const [tag, url] of Object.entries(modules)) known.set(tag, url);
  observer ??= new MutationObserver((mutations) => {
    for (const { addedNodes } of mutations) {
      for (const node of addedNodes) {
        if (node instanceof Element) void discover(node);
      }
    }
  });
  watch(document);
  void discover(document);
}
