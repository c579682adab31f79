/**
 * fast-check generators of hostile requests for every route of the proxy:
 * random shapes, wrong types, huge numbers, invalid dates, long and odd
 * unicode, `__proto__`/`constructor` keys, oversized batches, malformed JSON
 * and foreign references (another customer's id and entry ids).
 */
import fc from "fast-check";
import type { z } from "zod";
import { MAX_BATCH_CALLS, OPERATION_NAMES, OPERATIONS, type OperationName } from "#domain";
import { testEntities } from "../../support/entities.ts";

/** The route family a generated request aims at, for coverage counts. */
export type RouteKind =
  | "batch"
  | "entries.list"
  | "entries.create"
  | "field.get"
  | "field.put"
  | "stage.get"
  | "stage.put"
  | "entity.get"
  | "meta"
  | "admin"
  | "unrouted";

export type Credential = "customer" | "none" | "garbage" | "expired" | "newcomer" | "admin";

export interface GeneratedRequest {
  kind: RouteKind;
  method: string;
  path: string;
  credential: Credential;
  /** Raw body text, sent as is (so it may be malformed or carry `__proto__` keys). */
  body?: string;
  contentType?: string;
  /** Operations the request carries: the calls of a batch, else 1. */
  calls: number;
}

/** Ids of the data the tests own, so generators can aim at them. */
export interface Targets {
  /** The other customer's id: a foreign reference. */
  victimId: string;
  /** Entry ids of the other customer (tracker entry, a deal). */
  victimEntryIds: string[];
  /** Entry ids of the calling customer. */
  ownEntryIds: string[];
}

const ODD_STRINGS = [
  "",
  " ",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "../../etc/passwd",
  "..%2F..%2F",
  "%00",
  "\u0000",
  "\uFEFF",
  "\u202Etxet",
  "Z̷̢̛a̵l̶g̸o̴",
  "👩‍👩‍👧‍👦",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "ǅ",
  "\uD800",
  "\uDFFF\uD800",
  "null",
  "undefined",
  "NaN",
  "*",
  "customer:*",
  '{"match_all":{}}',
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "a".repeat(129),
  "x".repeat(10_001),
];

/** Strings of every kind: short ascii, full unicode, graphemes, odd constants, long runs. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 1, arbitrary: fc.string({ minLength: 200, maxLength: 3_000 }) },
);

/** Number literals as JSON text, including ones JSON.parse turns into Infinity or rounds. */
const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.constantFrom(
    "1e999",
    "-1e999",
    "1e-400",
    "-0",
    "123456789012345678901234567890",
    "9007199254740993",
    "1.7976931348623157e308",
    "5e-324",
    "0.1",
    "80",
    "250.5",
  ),
);

const dateText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "2024-02-30",
    "2023-02-29",
    "2024-13-01",
    "0000-00-00",
    "99999-01-01",
    "2024-01-01T25:00:00Z",
    "2024-1-1",
    "yesterday",
    "1970-01-01",
    "2024-06-15",
    "2024-06-15T10:00:00.000Z",
    "+275760-09-13",
  ),
  fc
    .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
    .map((d) => d.toISOString()),
);

const jsonString = (s: fc.Arbitrary<string>) => s.map((text) => JSON.stringify(text));

/** A JSON value as text, possibly with duplicate and prototype-polluting keys. */
const keyText = jsonString(
  fc.oneof(
    fc.constantFrom(
      "__proto__",
      "constructor",
      "prototype",
      "slug",
      "fieldKey",
      "value",
      "values",
      "entryId",
      "referenceType",
      "referenceId",
      "pipeline",
      "stage",
      "calls",
      "op",
      "args",
    ),
    oddString,
  ),
);

function jsonTree(leaves: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const { tree } = fc.letrec<{ tree: string; array: string; object: string }>((tie) => ({
    tree: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaves,
      tie("array"),
      tie("object"),
    ),
    array: fc.array(tie("tree"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
    object: fc
      .array(fc.tuple(keyText, tie("tree")), { maxLength: 4 })
      .map((pairs) => `{${pairs.map(([k, v]) => `${k}:${v}`).join(",")}}`),
  }));
  return tree;
}

const leafText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("null", "true", "false"),
  numberText,
  jsonString(oddString),
  jsonString(dateText),
);

/** Any JSON value, as text. */
export const anyJson = jsonTree(leafText);

/** Text that is not JSON, or barely. */
const brokenJson = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "{",
    "{}}",
    '{"calls":[',
    "NaN",
    "{'a':1}",
    '{"value":NaN}',
    '{"value":Infinity}',
    "\u0000",
    '{"a":1,}',
    "[1,2",
    "\uFEFF{}",
  ),
);

/** A value for a field: right and wrong types, extremes, dates, odd text, nested shapes. */
const valueText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: numberText },
  { weight: 2, arbitrary: jsonString(dateText) },
  { weight: 2, arbitrary: jsonString(oddString) },
  { weight: 1, arbitrary: fc.constantFrom("true", "false", "null", '"basic"', '"premium"') },
  { weight: 1, arbitrary: anyJson },
);

interface Vocabulary {
  slug: fc.Arbitrary<string>;
  fieldKey: fc.Arbitrary<string>;
  pipeline: fc.Arbitrary<string>;
  stage: fc.Arbitrary<string>;
  entryId: fc.Arbitrary<string>;
  referenceId: fc.Arbitrary<string>;
  referenceType: fc.Arbitrary<string>;
}

function vocabulary(targets: Targets): Vocabulary {
  const mostlyKnown = (known: string[]) =>
    fc.oneof(
      { weight: 10, arbitrary: fc.constantFrom(...known) },
      { weight: 1, arbitrary: oddString },
    );
  return {
    slug: mostlyKnown(["tracker", "tracker", "deals", "deals", "missing-entity", "Tracker"]),
    // Every key of the seeded entities (hidden and read-only ones too), and one of neither.
    fieldKey: mostlyKnown([
      ...testEntities.flatMap((entity) => entity.fields.map((field) => field.key)),
      "unknown_field",
    ]),
    pipeline: mostlyKnown(["progress", "review", "sales", "nope"]),
    stage: mostlyKnown([
      "starting",
      "in_progress",
      "goal_reached",
      "open",
      "done",
      "lead",
      "won",
      "x",
    ]),
    entryId: mostlyKnown([...targets.victimEntryIds, ...targets.ownEntryIds, "e_missing"]),
    referenceId: mostlyKnown([targets.victimId, "c_someone_else", "*"]),
    referenceType: mostlyKnown(["customer", "company", "Customer"]),
  };
}

/** An arguments object as JSON text: known keys with hostile values, plus stray keys. */
function argsText(v: Vocabulary): fc.Arbitrary<string> {
  const pair = (key: string, value: fc.Arbitrary<string>) =>
    fc.option(
      value.map((text) => `${JSON.stringify(key)}:${text}`),
      { nil: undefined },
    );
  return fc
    .tuple(
      pair("slug", fc.oneof(jsonString(v.slug), leafText)),
      pair("fieldKey", fc.oneof(jsonString(v.fieldKey), leafText)),
      pair("value", valueText),
      pair("entryId", fc.oneof(jsonString(v.entryId), leafText)),
      pair("referenceType", jsonString(v.referenceType)),
      pair("referenceId", fc.oneof(jsonString(v.referenceId), leafText)),
      pair("pipeline", jsonString(v.pipeline)),
      pair("stage", jsonString(v.stage)),
      fc.array(fc.tuple(keyText, valueText), { maxLength: 2 }),
    )
    .map(([...parts]) => {
      const stray = (parts.pop() as [string, string][]).map(([k, val]) => `${k}:${val}`);
      const known = (parts as (string | undefined)[]).filter((p): p is string => p !== undefined);
      return `{${[...known, ...stray].join(",")}}`;
    });
}

/**
 * Which keys each operation takes, read from its strict schema in the operation table:
 * required first, then optional. A new operation or argument is generated as soon as it exists.
 */
function operationKeys(op: OperationName): { required: string[]; optional: string[] } {
  const shape = (OPERATIONS[op].args as z.ZodObject).shape;
  const keys = Object.keys(shape);
  const isOptional = (key: string) => shape[key]?.safeParse(undefined).success === true;
  return {
    required: keys.filter((key) => !isOptional(key)),
    optional: keys.filter(isOptional),
  };
}

/** A value for one argument: mostly of the right kind (so calls reach the store), sometimes not. */
function argumentValue(v: Vocabulary, key: string): fc.Arbitrary<string> {
  if (key === "value") return valueText;
  const known: Record<string, fc.Arbitrary<string>> = {
    slug: v.slug,
    fieldKey: v.fieldKey,
    pipeline: v.pipeline,
    stage: v.stage,
    entryId: v.entryId,
    referenceType: v.referenceType,
    referenceId: v.referenceId,
  };
  return fc.oneof(
    { weight: 12, arbitrary: jsonString(known[key] ?? oddString) },
    { weight: 1, arbitrary: leafText },
  );
}

/** The arguments of one operation as JSON text: its keys, sometimes one missing or one stray. */
function operationArgs(v: Vocabulary, op: OperationName): fc.Arbitrary<string> {
  const keys = operationKeys(op);
  const pair = (key: string) =>
    argumentValue(v, key).map((text) => `${JSON.stringify(key)}:${text}`);
  const parts = [
    ...keys.required.map((key) =>
      fc.oneof({ weight: 30, arbitrary: pair(key) }, { weight: 1, arbitrary: fc.constant("") }),
    ),
    ...keys.optional.map((key) =>
      fc.oneof({ weight: 4, arbitrary: fc.constant("") }, { weight: 1, arbitrary: pair(key) }),
    ),
    fc.oneof(
      { weight: 15, arbitrary: fc.constant("") },
      { weight: 1, arbitrary: fc.tuple(keyText, valueText).map(([k, val]) => `${k}:${val}`) },
    ),
  ];
  return fc.tuple(...parts).map((texts) => `{${texts.filter(Boolean).join(",")}}`);
}

function callText(v: Vocabulary): fc.Arbitrary<string> {
  const known = fc
    .constantFrom(...OPERATION_NAMES)
    .chain((op) =>
      operationArgs(v, op).map((args) => `{"op":${JSON.stringify(op)},"args":${args}}`),
    );
  return fc.oneof(
    { weight: 12, arbitrary: known },
    {
      weight: 1,
      arbitrary: fc
        .tuple(jsonString(oddString), argsText(v))
        .map(([op, args]) => `{"op":${op},"args":${args}}`),
    },
    { weight: 1, arbitrary: anyJson },
  );
}

function batchBody(v: Vocabulary): fc.Arbitrary<{ body: string; calls: number }> {
  const calls = (min: number, max: number) =>
    fc.array(callText(v), { minLength: min, maxLength: max }).map((items) => ({
      body: `{"calls":[${items.join(",")}]}`,
      calls: items.length,
    }));
  return fc.oneof(
    { weight: 8, arbitrary: calls(1, 12) },
    // Full batches carry most of the calls; oversized ones must be refused whole.
    { weight: 3, arbitrary: calls(MAX_BATCH_CALLS - 5, MAX_BATCH_CALLS) },
    { weight: 1, arbitrary: calls(MAX_BATCH_CALLS + 1, MAX_BATCH_CALLS + 8) },
    { weight: 1, arbitrary: calls(0, 0) },
    {
      weight: 1,
      arbitrary: fc.tuple(argsText(v), jsonString(v.referenceId)).map(([args, ref]) => ({
        body: `{"calls":[{"op":"getCrmEntries","args":${args},"__proto__":{"args":{"referenceId":${ref}}}}],"__proto__":{"calls":[]}}`,
        calls: 1,
      })),
    },
    { weight: 1, arbitrary: anyJson.map((body) => ({ body, calls: 1 })) },
    { weight: 1, arbitrary: brokenJson.map((body) => ({ body, calls: 1 })) },
  );
}

/** A path segment: usually encoded, sometimes raw with broken percent escapes. */
function segment(known: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: known.map((s) => encodeURIComponent(s.toWellFormed())) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("%", "%zz", "%E0%A4%A", "%C0%AE%C0%AE", "..", ".", "%2F", "a%00b"),
    },
  );
}

function query(v: Vocabulary): fc.Arbitrary<string> {
  return fc
    .array(
      fc.tuple(
        fc.constantFrom(
          "referenceType",
          "referenceId",
          "entryId",
          "slug",
          "__proto__",
          "constructor",
          "x",
        ),
        fc.oneof(v.referenceId, v.entryId, v.referenceType, oddString),
      ),
      { maxLength: 3 },
    )
    .map((pairs) => {
      if (pairs.length === 0) return "";
      const search = new URLSearchParams(pairs.map(([k, val]) => [k, val.toWellFormed()]));
      return `?${search.toString()}`;
    });
}

const credential: fc.Arbitrary<Credential> = fc.oneof(
  { weight: 20, arbitrary: fc.constant("customer" as const) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "none",
      "garbage",
      "expired",
      "newcomer",
    ) as fc.Arbitrary<Credential>,
  },
);

const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant("application/json") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      undefined,
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/json; charset=utf-16",
      "multipart/form-data; boundary=x",
    ),
  },
);

/** One hostile request to any route. */
export function requestArbitrary(targets: Targets): fc.Arbitrary<GeneratedRequest> {
  const v = vocabulary(targets);
  const bodyOf = (known: fc.Arbitrary<string>) =>
    fc.oneof(
      { weight: 6, arbitrary: known },
      { weight: 1, arbitrary: anyJson },
      { weight: 1, arbitrary: brokenJson },
    );
  const request = (
    kind: RouteKind,
    method: string,
    path: fc.Arbitrary<string>,
    body?: fc.Arbitrary<string>,
  ): fc.Arbitrary<GeneratedRequest> =>
    fc
      .record({
        path,
        credential,
        body: body ?? fc.constant(undefined),
        contentType: body ? contentType : fc.constant(undefined),
      })
      .map(({ path: p, credential: c, body: b, contentType: t }) => ({
        kind,
        method,
        path: p,
        credential: c,
        ...(b === undefined ? {} : { body: b }),
        ...(t === undefined ? {} : { contentType: t }),
        calls: 1,
      }));

  const entries = (rest: fc.Arbitrary<string>) =>
    fc
      .tuple(segment(v.slug), rest, query(v))
      .map(([slug, tail, q]) => `/v1/entries/${slug}${tail}${q}`);
  const fieldPath = entries(segment(v.fieldKey).map((key) => `/fields/${key}`));
  const stagePath = entries(segment(v.pipeline).map((key) => `/stages/${key}`));
  const putFieldBody = fc
    .tuple(valueText, fc.option(argsText(v), { nil: undefined }))
    .map(([value, extra]) =>
      extra === undefined || extra === "{}"
        ? `{"value":${value}}`
        : `${extra.slice(0, -1)},"value":${value}}`,
    );
  const putStageBody = fc
    .tuple(jsonString(v.stage), fc.option(jsonString(v.entryId), { nil: undefined }))
    .map(([stage, entryId]) =>
      entryId ? `{"stage":${stage},"entryId":${entryId}}` : `{"stage":${stage}}`,
    );
  const createBody = fc
    .array(fc.tuple(fc.oneof(jsonString(v.fieldKey), keyText), valueText), { maxLength: 4 })
    .map((pairs) => `{"values":{${pairs.map(([k, val]) => `${k}:${val}`).join(",")}}}`);

  const batch = fc
    .record({ body: batchBody(v), credential, contentType })
    .map(({ body, credential: c, contentType: t }) => ({
      kind: "batch" as const,
      method: "POST",
      path: "/v1/batch",
      credential: c,
      body: body.body,
      ...(t === undefined ? {} : { contentType: t }),
      calls: body.calls,
    }));

  // Admin routes: a customer session (or nothing) must never pass; the admin
  // credential only writes definitions under slugs the other generators never use.
  const adminSlug = fc.oneof(
    fc.constantFrom("fuzz-a", "fuzz-b"),
    oddString.map((s) => `fuzz-${s}`),
  );
  const admin = fc.oneof(
    request("admin", "GET", fc.constant("/v1/admin/entities")),
    request(
      "admin",
      "GET",
      segment(v.referenceId).map((id) => `/v1/admin/customers/${id}/entries`),
    ),
    request("admin", "POST", fc.constant("/v1/admin/entities"), bodyOf(anyJson)),
    fc
      .record({ slug: adminSlug, body: anyJson, method: fc.constantFrom("GET", "PUT") })
      .map(({ slug, body, method }) => ({
        kind: "admin" as const,
        method,
        path: `/v1/admin/entities/${encodeURIComponent(slug.toWellFormed())}`,
        credential: "admin" as const,
        ...(method === "PUT" ? { body, contentType: "application/json" } : {}),
        calls: 1,
      })),
  );

  const unrouted = fc
    .record({
      method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"),
      segments: fc.array(segment(oddString), { maxLength: 4 }),
      prefix: fc.constantFrom("/v1/", "/", "/v2/", "/v1/entries/", "/v1/batch/"),
      credential,
    })
    .map(({ method, segments, prefix, credential: c }) => ({
      kind: "unrouted" as const,
      method,
      path: `${prefix}${segments.join("/")}`,
      credential: c,
      calls: 1,
    }));

  // Bodies past the proxy's 64 KB limit: one huge value, or a full batch of big ones.
  const oversized = fc
    .record({ kilobytes: fc.integer({ min: 65, max: 300 }), asBatch: fc.boolean(), credential })
    .map(({ kilobytes, asBatch, credential: c }) => {
      const filler = "é".repeat(kilobytes * 512);
      return asBatch
        ? {
            kind: "batch" as const,
            method: "POST",
            path: "/v1/batch",
            credential: c,
            contentType: "application/json",
            body: `{"calls":[${Array.from({ length: MAX_BATCH_CALLS }, () => `{"op":"setCrmField","args":{"slug":"tracker","fieldKey":"nickname","value":"${filler.slice(0, filler.length / MAX_BATCH_CALLS)}"}}`).join(",")}]}`,
            calls: MAX_BATCH_CALLS,
          }
        : {
            kind: "field.put" as const,
            method: "PUT",
            path: "/v1/entries/tracker/fields/nickname",
            credential: c,
            contentType: "application/json",
            body: `{"value":"${filler}"}`,
            calls: 1,
          };
    });

  return fc.oneof(
    { weight: 6, arbitrary: batch },
    { weight: 1, arbitrary: oversized },
    { weight: 2, arbitrary: request("entries.list", "GET", entries(fc.constant(""))) },
    {
      weight: 1,
      arbitrary: request("entries.create", "POST", entries(fc.constant("")), bodyOf(createBody)),
    },
    { weight: 3, arbitrary: request("field.get", "GET", fieldPath) },
    { weight: 3, arbitrary: request("field.put", "PUT", fieldPath, bodyOf(putFieldBody)) },
    { weight: 1, arbitrary: request("stage.get", "GET", stagePath) },
    { weight: 1, arbitrary: request("stage.put", "PUT", stagePath, bodyOf(putStageBody)) },
    {
      weight: 1,
      arbitrary: request(
        "entity.get",
        "GET",
        segment(v.slug).map((slug) => `/v1/entities/${slug}`),
      ),
    },
    {
      weight: 1,
      arbitrary: request("meta", "GET", fc.constantFrom("/v1/health", "/v1/openapi.json")),
    },
    { weight: 1, arbitrary: admin },
    { weight: 1, arbitrary: unrouted },
  );
}
