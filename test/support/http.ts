/** One JSON call over HTTP, as the suites and the bench make it to a running proxy. */

/**
 * One request to a proxy listening at `base` (a Node proxy, or the Worker inside
 * workerd), with a bearer token and a JSON body; the answer's status and parsed
 * body (null when empty).
 */
export async function callAt(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
