/**
 * The user Elasticsearch runs as: it refuses to run as root, so root (the CI) runs it as a
 * system user, created if missing; anyone else runs it as themselves.
 */
import { spawnSync } from "node:child_process";
import { log } from "./log.ts";

const SERVICE_USER = "crm-elasticsearch";

export interface ServiceAccount {
  name: string;
  uid: number;
  gid: number;
}

function lookup(): ServiceAccount | undefined {
  const uid = spawnSync("id", ["-u", SERVICE_USER], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", SERVICE_USER], { encoding: "utf8" });
  return uid.status === 0 && gid.status === 0
    ? { name: SERVICE_USER, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
    : undefined;
}

/** The service account when running as root (created on first use), else undefined. */
export function serviceAccount(): ServiceAccount | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const existing = lookup();
  if (existing) return existing;
  log(`creating system user ${SERVICE_USER}`);
  const created = spawnSync(
    "useradd",
    ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
    { encoding: "utf8" },
  );
  const account = lookup();
  if (account) return account;
  throw new Error(
    `Elasticsearch refuses to run as root and the user ${SERVICE_USER} could not be created ` +
      `(${created.stderr.trim() || created.error?.message}). Run as a non-root user instead.`,
  );
}

/** Hands `folder` to the service account, and checks that it can reach the distribution. */
export function handOver(account: ServiceAccount, folder: string, elasticsearchBin: string): void {
  const chown = spawnSync("chown", ["-R", `${account.uid}:${account.gid}`, folder], {
    encoding: "utf8",
  });
  if (chown.status !== 0) throw new Error(`chown of ${folder} failed: ${chown.stderr}`);
  const reachable = spawnSync("test", ["-x", elasticsearchBin], {
    uid: account.uid,
    gid: account.gid,
  });
  if (reachable.status !== 0) {
    throw new Error(
      `User ${account.name} cannot reach ${elasticsearchBin}: a parent folder of the checkout ` +
        "is not readable by other users. Move the checkout or set ELASTICSEARCH_URL.",
    );
  }
}
