import { expect } from "@open-wc/testing";
import { type Fetch, type ProxySettings, Transport } from "../../widget/src/runtime/transport.ts";
import { weightHistoryEntity } from "./seed.ts";
import { freshToken, historySearchable, newSession, ownEntity, runtimeFor } from "./support.ts";

/** The real `fetch` with a record of what each request carried. */
function recordingFetch(before?: (sent: number) => void): {
  fetch: Fetch;
  sent: { url: string; authorization: string | undefined; contentType: string | undefined }[];
} {
  const sent: {
    url: string;
    authorization: string | undefined;
    contentType: string | undefined;
  }[] = [];
  return {
    sent,
    fetch: (url, init) => {
      const headers = new Headers(init.headers);
      sent.push({
        url,
        authorization: headers.get("authorization") ?? undefined,
        contentType: headers.get("content-type") ?? undefined,
      });
      before?.(sent.length);
      return fetch(url, init);
    },
  };
}

const entityCall = JSON.stringify({ calls: [{ op: "getCrmEntity", args: { slug: "tracker" } }] });
const batch = { method: "POST", body: entityCall };

describe("transport", () => {
  it("sends JSON with the session token and resolves with the proxy's answer", async () => {
    const session = await newSession("transport-json");
    const { fetch, sent } = recordingFetch();
    const transport = new Transport(() => ({ proxyUrl: `${session.proxyUrl}/`, fetch }));
    transport.token = session.token;
    const answer = (await transport.request("/v1/batch", batch)) as {
      results: { ok: boolean; data: { slug: string } }[];
    };
    expect(answer.results[0]!.ok).to.equal(true);
    expect(answer.results[0]!.data.slug).to.equal("tracker");
    expect(sent).to.deep.equal([
      {
        url: `${session.proxyUrl}/v1/batch`,
        authorization: `Bearer ${session.token}`,
        contentType: "application/json",
      },
    ]);
  });

  it("asks the token provider for a first token, and once more after a 401, then retries", async () => {
    const session = await newSession("transport-401");
    const { fetch, sent } = recordingFetch();
    const tokens = [session.expiredToken, await freshToken(session)];
    let asked = 0;
    const transport = new Transport(() => ({
      proxyUrl: session.proxyUrl,
      fetch,
      tokenProvider: () => tokens[asked++]!,
    }));
    await transport.request("/v1/batch", batch);
    expect(asked).to.equal(2);
    expect(sent.map((request) => request.authorization)).to.deep.equal(
      tokens.map((token) => `Bearer ${token}`),
    );
    expect(transport.token).to.equal(tokens[1]);
  });

  it("retries a 401 with a token set meanwhile instead of asking the provider", async () => {
    const session = await newSession("transport-401-newer");
    const fresh = await freshToken(session);
    let asked = 0;
    const settings: ProxySettings = {
      proxyUrl: session.proxyUrl,
      tokenProvider: () => {
        asked++;
        return fresh;
      },
    };
    const transport = new Transport(() => settings);
    transport.token = session.expiredToken;
    // The page signs the visitor in again while the expired token is on its way.
    const recorder = recordingFetch((count) => {
      if (count === 1) transport.token = fresh;
    });
    settings.fetch = recorder.fetch;
    await transport.request("/v1/batch", batch);
    expect(asked).to.equal(0);
    expect(recorder.sent.map((request) => request.authorization)).to.deep.equal([
      `Bearer ${session.expiredToken}`,
      `Bearer ${fresh}`,
    ]);
  });

  it("shares one token request among requests refused at the same moment", async () => {
    const session = await newSession("transport-401-shared");
    const fresh = await freshToken(session);
    let asked = 0;
    const transport = new Transport(() => ({
      proxyUrl: session.proxyUrl,
      tokenProvider: async () => {
        asked++;
        return fresh;
      },
    }));
    transport.token = session.expiredToken;
    await Promise.all([
      transport.request("/v1/batch", batch),
      transport.request("/v1/batch", batch),
      transport.request("/v1/batch", batch),
    ]);
    expect(asked).to.equal(1);
  });

  it("gives up with unauthenticated when the renewed token is refused too", async () => {
    const session = await newSession("transport-401-twice");
    const { fetch, sent } = recordingFetch();
    let asked = 0;
    const transport = new Transport(() => ({
      proxyUrl: session.proxyUrl,
      fetch,
      tokenProvider: () => {
        asked++;
        return session.expiredToken;
      },
    }));
    const error = await transport.request("/v1/batch", batch).catch((reason: unknown) => reason);
    expect((error as { code: string }).code).to.equal("unauthenticated");
    expect([asked, sent.length]).to.deep.equal([2, 2]);
  });

  it("says unauthenticated when the token provider fails", async () => {
    const session = await newSession("transport-provider-down");
    const { fetch, sent } = recordingFetch();
    const transport = new Transport(() => ({
      proxyUrl: session.proxyUrl,
      fetch,
      tokenProvider: () => {
        throw new Error("The site's session endpoint is down");
      },
    }));
    const error = await transport.request("/v1/batch", batch).catch((reason: unknown) => reason);
    expect((error as { code: string }).code).to.equal("unauthenticated");
    expect(sent).to.have.length(0);
  });

  it("turns a request that never reached the proxy into unavailable", async () => {
    const transport = new Transport(() => ({
      proxyUrl: "http://127.0.0.1:9",
      fetch: () => Promise.reject(new TypeError("Failed to fetch")),
    }));
    transport.token = "x";
    const error = await transport.request("/v1/batch", batch).catch((reason: unknown) => reason);
    expect((error as { code: string }).code).to.equal("unavailable");
  });

  it("sends a write whose answer was lost again, the same body, and the proxy records it once", async () => {
    const session = await newSession("transport-resend");
    const slug = await ownEntity(session, "resend", weightHistoryEntity);
    const runtime = runtimeFor(session);
    const bodies: string[] = [];
    let lose = true;
    runtime.configure({
      // The real proxy saves the write; its answer is lost on the way back, as on a dropped
      // connection. Nothing of the proxy's answer is imitated.
      fetch: async (url, init) => {
        const body = String(init.body);
        bodies.push(body);
        const response = await fetch(url, init);
        if (lose && body.includes("setCrmField")) {
          lose = false;
          throw new TypeError("Failed to fetch");
        }
        return response;
      },
    });
    const saved = await runtime.setCrmField({ slug, fieldKey: "weight", value: 71.5 });
    expect(saved.value).to.equal(71.5);
    expect(bodies).to.have.length(2);
    expect(bodies[1], "the resend is the same body").to.equal(bodies[0]);
    const call = (JSON.parse(bodies[0]!) as { calls: { args: { operationId?: string } }[] })
      .calls[0];
    expect(call?.args.operationId).to.match(/^\d{1,3}(-\d{1,3}){15}$/);
    await historySearchable();
    const history = await runtimeFor(session).getCrmFieldHistory({ slug, fieldKey: "weight" });
    expect(history.points.map((point) => point.value)).to.deep.equal([71.5]);
  });

  it("gives up after two resends when the answers stay lost", async () => {
    let sent = 0;
    const transport = new Transport(() => ({
      proxyUrl: "http://127.0.0.1:9",
      fetch: () => {
        sent++;
        return Promise.reject(new TypeError("Failed to fetch"));
      },
    }));
    const error = await transport.request("/v1/batch", batch, true).then(
      () => undefined,
      (reason: unknown) => reason as { code?: string },
    );
    expect(error?.code).to.equal("unavailable");
    expect(sent).to.equal(3);
  });

  it("sends nothing while no proxy URL is configured", async () => {
    const { fetch, sent } = recordingFetch();
    const transport = new Transport(() => ({ proxyUrl: "", fetch }));
    const error = await transport.request("/v1/batch", batch).catch((reason: unknown) => reason);
    expect((error as { code: string }).code).to.equal("invalid_request");
    expect(sent).to.have.length(0);
  });

  it("reads the settings at each request, so a later configuration applies at once", async () => {
    const session = await newSession("transport-settings");
    const { fetch, sent } = recordingFetch();
    const settings: ProxySettings = { proxyUrl: "", fetch };
    const transport = new Transport(() => settings);
    transport.token = session.token;
    await transport.request("/v1/batch", batch).catch(() => undefined);
    settings.proxyUrl = session.proxyUrl;
    await transport.request("/v1/batch", batch);
    expect(sent.map((request) => request.url)).to.deep.equal([`${session.proxyUrl}/v1/batch`]);
  });
});
