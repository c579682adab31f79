/**
 * The Worker inside workerd, started through wrangler the way every worker
 * suite starts it: the test session keys and admin token, then the suite's
 * own `vars`; nothing reaches the network (wrangler fetches no Request.cf
 * data and sends no metrics).
 */
import { resolve } from "node:path";
import { type Unstable_DevWorker, unstable_dev } from "wrangler";
import { ADMIN_TOKEN, AUDIENCE, ISSUER, SESSION_SECRET } from "../proxy/http/support.ts";

export async function startTestWorker(
  vars: Record<string, string>,
  options: { config?: string; logLevel?: "warn" | "none" } = {},
): Promise<Unstable_DevWorker> {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  process.env.WRANGLER_SEND_METRICS = "false";
  return unstable_dev(resolve("proxy/src/worker.ts"), {
    config: options.config ?? "wrangler.toml",
    vars: {
      SESSION_ISSUER: ISSUER,
      SESSION_AUDIENCE: AUDIENCE,
      SESSION_SECRET,
      ADMIN_TOKEN,
      ...vars,
    },
    ip: "127.0.0.1",
    port: 0,
    inspect: false,
    logLevel: options.logLevel ?? "warn",
    experimental: { disableExperimentalWarning: true, disableDevRegistry: true },
  });
}
