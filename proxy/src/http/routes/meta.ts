import { createRoute, z } from "@hono/zod-openapi";
import { answerJson } from "../answer.ts";
import { createRouter } from "../router.ts";

const health = createRoute({
  method: "get",
  path: "/health",
  summary: "Liveness: the proxy answers (Elasticsearch is not queried)",
  responses: {
    200: {
      description: "The proxy is up",
      content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } },
    },
  },
});

export function metaRoutes() {
  return createRouter().openapi(health, (c) => answerJson(c, { status: "ok" as const }, 200));
}
