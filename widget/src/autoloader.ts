/**
 * Loads a component's module the first time its tag appears on the page, so a
 * page downloads only the components it uses (the way Shoelace's and Web
 * Awesome's autoloaders do). Watches the document and every open shadow root
 * it finds, including those of elements that are upgraded later; a closed
 * shadow root is out of reach: pass it to `discover()` yourself.
 */

/** Modules that define tags: `<folder><tag>.js` each, and optionally all of them in one. */
export interface ComponentModules {
  /** The folder's URL, ending in `/`. */
  folder: URL;
  tags: readonly string[];
  /**
   * A file in the folder that defines every one of `tags`: loaded instead of
   * their own modules when two or more of them are found at once, because one
   * file gzips far smaller than the same code in several.
   */
  all?: string;
}

const sources: ComponentModules[] = [];
const loading = new Map<string, Promise<void>>();
const observed = new WeakSet<Node>();
let observer: MutationObserver | undefined;

function load(tags: readonly string[], url: URL): Promise<void> {
  const pending = import(/* @vite-ignore */ url.href).then(
    () => undefined,
    (error: unknown) => {
      // Forget the failure so a later appearance of the tags tries again (a flaky network).
      // The browser's error names the module's URL.
      for (const tag of tags) loading.delete(tag);
      console.error(error);
    },
  );
  for (const tag of tags) loading.set(tag, pending);
  return pending;
}

/** Loads what defines the `wanted` tags not defined yet; resolves when all are. */
function loadTags(wanted: Set<string>): Promise<unknown> {
  const pending: Promise<void>[] = [];
  for (const source of sources) {
    const missing = source.tags.filter((tag) => {
      const started = loading.get(tag);
      if (started && wanted.has(tag)) pending.push(started);
      return wanted.has(tag) && !started && !customElements.get(tag);
    });
    if (source.all && missing.length > 1) {
      pending.push(load(source.tags, new URL(source.all, source.folder)));
    } else {
      for (const tag of missing) pending.push(load([tag], new URL(`${tag}.js`, source.folder)));
    }
  }
  return Promise.all(pending);
}

function watch(root: Node): void {
  if (observed.has(root) || !observer) return;
  observed.add(root);
  observer.observe(root, { childList: true, subtree: true });
}

/** Every element of `root`'s subtree, the root included, and of the open shadow roots inside. */
function* elementsOf(root: Element | Document | ShadowRoot): Generator<Element> {
  const below = root.querySelectorAll("*");
  for (const element of root instanceof Element ? [root, ...below] : below) {
    yield element;
    if (element.shadowRoot) yield* elementsOf(element.shadowRoot);
  }
}

/** Adds the tags used in `root` to `wanted`, watching the open shadow roots on the way. */
function collect(root: Element | Document | ShadowRoot, wanted: Set<string>): void {
  for (const element of elementsOf(root)) {
    const tag = element.localName;
    if (element.shadowRoot) watch(element.shadowRoot);
    wanted.add(tag);
    if (tag.includes("-") && !customElements.get(tag)) {
      // Not upgraded yet (ours or another library's): its shadow root may hold our tags, also
      // ones it renders later (a back office editor renders customer components in its own).
      void customElements.whenDefined(tag).then(() => {
        if (!element.isConnected || !element.shadowRoot) return;
        watch(element.shadowRoot);
        void discover(element.shadowRoot);
      });
    }
  }
}

/**
 * Loads the modules of the known tags used in `root` (its subtree and the open
 * shadow roots in it) and keeps watching those shadow roots. Resolves once they
 * are defined (failures are logged, not thrown).
 */
export async function discover(root: Element | Document | ShadowRoot): Promise<void> {
  const wanted = new Set<string>();
  collect(root, wanted);
  await loadTags(wanted);
}

/**
 * Teaches the page's autoloader where the given tags' modules are and starts
 * it if it was not running: the document is searched now and watched from
 * then on. Safe to call from several bundles on one page, and a no-op where
 * there is no DOM.
 */
export function autoload(modules: ComponentModules): void {
  if (typeof document === "undefined") return;
  sources.push(modules);
  observer ??= new MutationObserver((mutations) => {
    // Everything added since the last callback counts as found together.
    const wanted = new Set<string>();
    for (const { addedNodes } of mutations) {
      for (const node of addedNodes) {
        if (node instanceof Element) collect(node, wanted);
      }
    }
    void loadTags(wanted);
  });
  watch(document);
  void discover(document);
}
