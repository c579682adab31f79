/**
 * Takes the place of `undici` in the Worker bundle (see `[alias]` in
 * wrangler.toml). The transport's default connection imports undici, but the
 * Worker always hands the client `FetchConnection`, so undici never runs
 * there; aliasing it keeps its ~1.2 MB of source out of the upload. Should
 * anything construct the default connection in a Worker, it fails loudly.
 */
function unavailable(): never {
  throw new Error("undici is not bundled into the Worker: pass FetchConnection to the client");
}

export class Pool {
  constructor() {
    unavailable();
  }
}

export const buildConnector = unavailable;
