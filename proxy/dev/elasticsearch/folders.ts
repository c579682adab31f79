/** Where the local Elasticsearch nodes keep their distribution, data, logs and pid files. */
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../../..");

function othersCanEnter(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

/**
 * `.local/` in the checkout, unless the checkout sits below a folder other users cannot enter
 * (e.g. a private temporary folder) while running as root: the service user could not reach it
 * there, so the folders go to a per-checkout place under /var/tmp.
 */
const localBase =
  process.getuid?.() === 0 && !othersCanEnter(root)
    ? join(
        "/var/tmp",
        `crm-widgets-${createHash("sha256").update(root).digest("hex").slice(0, 12)}`,
      )
    : join(root, ".local");

/** A folder of this checkout's local services, e.g. `localFolder("elasticsearch")`. */
export function localFolder(name: string): string {
  return join(localBase, name);
}

/** The development manager's own folder: distributions, and the single node's data. */
export const managerHome = localFolder("elasticsearch");
