import { createRoute } from "@hono/zod-openapi";
import type { CrmAdapter } from "../../adapter/types.ts";
import { createRouter } from "../router.ts";
import { CUSTOMER_ERRORS, entitySchema, errorResponses, slugParamSchema } from "../schemas.ts";

const getEntity = createRoute({
  method: "get",
  path: "/entities/{slug}",
  summary: "getCrmEntity: the entity definition as the session customer sees it",
  description: "Fields customers may not read are left out.",
  security: [{ session: [] }],
  request: { params: slugParamSchema },
  responses: {
    200: {
      description: "The entity definition",
      content: { "application/json": { schema: entitySchema } },
    },
    ...errorResponses(...CUSTOMER_ERRORS),
  },
});

export function entityRoutes(adapter: CrmAdapter) {
  return createRouter().openapi(getEntity, async (c) => {
    const ops = adapter.forCustomer(c.var.customer.id);
    return c.json(await ops.getCrmEntity(c.req.valid("param")), 200);
  });
}
