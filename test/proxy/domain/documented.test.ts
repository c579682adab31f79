import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { describe, expect, test } from "vitest";
import { entityDefinitionSchema, storedEntityDefinitionSchema } from "#domain";
import { entityDefinitionSchema as entityDefinition } from "#domain/entity";

const example = {
  slug: "weight-tracker",
  name: "Weight Tracker",
  fields: [{ key: "current_weight", label: "Current weight", type: "number", min: 0 }],
};

describe("the entity schemas, written in zod/mini, on the server", () => {
  test("the server's stand-in accepts, fills in and refuses exactly as the zod/mini schema", () => {
    const inputs: unknown[] = [
      example,
      { ...example, slug: "Not A Slug" },
      { ...example, fields: [{ key: "a", label: " ", type: "text", extra: 1 }] },
      { ...example, pipelines: [{ key: "p", label: "P", stages: [] }] },
      "not an object",
    ];
    for (const input of inputs) {
      const mini = entityDefinition.safeParse(input);
      const server = entityDefinitionSchema.safeParse(input);
      expect(server.success).toBe(mini.success);
      if (mini.success) expect(server.data).toEqual(mini.data);
      else expect(server.error?.issues).toEqual(mini.error.issues);
    }
    expect(entityDefinitionSchema.parse(example)).toMatchObject({
      entriesPerReference: "one",
      fields: [{ customerAccess: "none", required: false, history: false }],
      pipelines: [],
    });
  });

  test("zod/mini's messages are the product's own, without any zod locale", () => {
    const result = entityDefinition.safeParse({
      ...example,
      name: "",
      fields: [{ key: "a", label: "x".repeat(101), type: "colour" }],
    });
    expect(result.error?.issues.map(({ path, message }) => [path.join("."), message])).toEqual([
      ["name", "Required"],
      ["fields.0.type", "Must be one of: text, number, date, boolean, select"],
    ]);
  });

  test("OpenAPI documents what callers send and what the proxy answers from the one schema", () => {
    const app = new OpenAPIHono();
    const route = createRoute({
      method: "post",
      path: "/entities",
      request: { body: { content: { "application/json": { schema: entityDefinitionSchema } } } },
      responses: {
        200: {
          description: "stored",
          content: { "application/json": { schema: storedEntityDefinitionSchema } },
        },
      },
    });
    app.openapi(route, async (c) => c.json(c.req.valid("json"), 200));
    const { components } = app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: { title: "entities", version: "1" },
    });
    const input = components?.schemas?.EntityDefinitionInput as Record<string, unknown>;
    const stored = components?.schemas?.EntityDefinition as Record<string, unknown>;
    expect(input).toMatchObject({
      type: "object",
      additionalProperties: false,
      required: ["slug", "name"],
      properties: { slug: { type: "string", pattern: "^[a-z][a-z0-9-]{0,62}$" } },
    });
    expect(stored.required).toEqual(expect.arrayContaining(["fields", "pipelines"]));
  });
});
