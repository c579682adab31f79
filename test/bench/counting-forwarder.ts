/**
 * A pass-through HTTP forwarder that counts the requests it carries: placed
 * between a client (the proxy, or the widget runtime) and its server, it
 * counts real traffic instead of estimating it.
 */
import { Agent, createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface CountingForwarder {
  url: string;
  /** Requests forwarded so far, as `METHOD /path?query`. */
  readonly log: readonly string[];
  /** The requests forwarded while `run` ran. */
  during(run: () => Promise<unknown>): Promise<string[]>;
  close(): Promise<void>;
}

export async function startCountingForwarder(target: string): Promise<CountingForwarder> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const log: string[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    log.push(`${incoming.method} ${incoming.url ?? "/"}`);
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: upstream.host },
        agent,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on("error", () => {
      outgoing.destroy();
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    async during(run) {
      const before = log.length;
      await run();
      return log.slice(before);
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
