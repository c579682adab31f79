/** What a node answers over HTTP: health, version, or nothing at all. */

/**
 * The cluster's health status, after waiting up to `waitSeconds` for yellow; undefined when
 * nothing answers. A red status still means the node is up (for instance while an index is
 * being created).
 */
export async function clusterHealth(
  url: string,
  waitSeconds = 0,
  headers: Record<string, string> = {},
): Promise<string | undefined> {
  const wait = waitSeconds > 0 ? `?wait_for_status=yellow&timeout=${waitSeconds}s` : "";
  try {
    const response = await fetch(`${url}/_cluster/health${wait}`, {
      headers,
      signal: AbortSignal.timeout(waitSeconds * 1000 + 3000),
    });
    // 408: the wait for yellow timed out; the body still carries the status.
    if (response.status !== 200 && response.status !== 408) return undefined;
    return ((await response.json()) as { status?: string }).status;
  } catch {
    return undefined;
  }
}

/**
 * The node's version. `GET /` is not available in the integ-test distribution (it lacks the
 * `rest-root` module and answers 405), so it is read from the local node's info.
 */
export async function nodeVersion(url: string): Promise<string> {
  const response = await fetch(`${url}/_nodes/_local`, { signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new Error(`${url}/_nodes/_local answered ${response.status}`);
  const info = (await response.json()) as { nodes?: Record<string, { version?: string }> };
  const version = Object.values(info.nodes ?? {})[0]?.version;
  if (!version) throw new Error(`${url}/_nodes/_local did not report a version`);
  return version;
}

/** Whether anything answers HTTP on the loopback port (Elasticsearch or not). */
export async function portAnswers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}
