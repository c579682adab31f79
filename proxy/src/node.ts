import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { CrmError } from "#domain";
import { ConfigError, type EnvRecord, loadConfig } from "./config.ts";
import { checkCrmIndices, ensureCrmIndices } from "./elasticsearch/setup.ts";
import { createApp } from "./http/app.ts";
import { createCrmServices } from "./services.ts";

export interface RunningProxy {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the proxy on Node: validates the configuration, checks that the CRM
 * indices exist (it never creates or changes them: that is `npm run setup`,
 * with an elevated credential), and listens on PORT (0 picks a free port).
 * Tests, the demo and the bench start it in-process with their own env
 * record; `setUpIndices` runs the setup first with the same credential, for
 * tests against a development cluster.
 */
export async function startProxy(
  env: EnvRecord,
  options: { hostname?: string; setUpIndices?: boolean } = {},
): Promise<RunningProxy> {
  const config = loadConfig(env);
  const { client, indices, adapter } = createCrmServices(config);
  try {
    if (options.setUpIndices) await ensureCrmIndices(client, indices);
    else await checkCrmIndices(client, indices);
  } catch (error) {
    await client.close();
    throw error;
  }
  const { clientAddressHeader } = config;
  const app = createApp({
    config,
    adapter,
    // Behind a reverse proxy every socket is the proxy's: it names the client in a header.
    clientAddress: clientAddressHeader
      ? (c) => c.req.header(clientAddressHeader)
      : (c) => getConnInfo(c).remote.address,
  });
  const hostname = options.hostname ?? "127.0.0.1";
  let server: ReturnType<typeof serve>;
  try {
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const started = serve({ fetch: app.fetch, port: config.port, hostname }, () => {
        started.off("error", reject);
        resolve(started);
      });
      // A taken port fails the start instead of crashing the process.
      started.once("error", reject);
    });
  } catch (error) {
    await client.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostname === "0.0.0.0" ? "127.0.0.1" : hostname}:${port}`,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          // Idle keep-alive sockets would hold close() open until they time out.
          if ("closeIdleConnections" in server) server.closeIdleConnections();
        });
        await client.close();
      })();
      return closing;
    },
  };
}

async function main(): Promise<void> {
  let proxy: RunningProxy;
  try {
    proxy = await startProxy(process.env, { hostname: process.env.HOST ?? "127.0.0.1" });
  } catch (error) {
    console.error(
      error instanceof ConfigError || error instanceof CrmError ? error.message : error,
    );
    process.exit(1);
  }
  console.log(`crm-widgets proxy listening on ${proxy.url}/v1`);
  const shutdown = (signal: string) => {
    console.log(`${signal}: closing the proxy`);
    proxy.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

if (import.meta.main) await main();
