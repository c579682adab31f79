/**
 * Headers for a JSON API that serves personal data: nothing may be framed,
 * scripted or cached by shared caches. These are the headers Hono's
 * `secureHeaders` sets with this API's options (CSP `default-src 'none';
 * frame-ancestors 'none'`, a one-year HSTS, `X-Frame-Options: DENY`; a test
 * compares the two), written once as a plain record: the request gate puts
 * them on every answer in the one object the answer is made with, where the
 * middleware set them one by one on a `Headers` after the route had answered.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=31536000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-dns-prefetch-control": "off",
  "x-download-options": "noopen",
  "x-frame-options": "DENY",
  "x-permitted-cross-domain-policies": "none",
  "x-xss-protection": "0",
};
