/**
 * Lit's `@customElement`, made harmless to repeat: the script-tag bundle and a
 * per-component module (or two copies of the package, or a hot reload) on one
 * page each define the same tags, and the registry throws on the second
 * definition. The first definition wins; later ones do nothing. Where there is
 * no registry (a server render in Node), nothing is defined.
 */
export function defineElement(tag: string): (element: CustomElementConstructor) => void {
  return (element) => {
    if (typeof customElements === "undefined" || customElements.get(tag)) return;
    customElements.define(tag, element);
  };
}
