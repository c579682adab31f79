import { OPERATIONS } from "#domain";
import type { CrmAdapter } from "../../adapter/types.ts";
import { answerJson } from "../answer.ts";
import { type CustomerRouter, customerRoute } from "../route-kinds.ts";
import { slugParamSchema } from "../schemas.ts";

const getEntity = customerRoute({
  method: "get",
  path: "/{slug}",
  summary: `getCrmEntity: ${OPERATIONS.getCrmEntity.summary}`,
  description: "Fields customers may not read are left out.",
  request: { params: slugParamSchema },
  responses: {
    200: {
      description: "The entity definition",
      content: { "application/json": { schema: OPERATIONS.getCrmEntity.result } },
    },
  },
});

/** The entity definitions as the session customer sees them (mounted at `/v1/entities`). */
export function entityRoutes(router: CustomerRouter, adapter: CrmAdapter) {
  return router.openapi(getEntity, async (c) => {
    const ops = adapter.forCustomer(c.get("customer").id);
    return answerJson(c, await ops.getCrmEntity(c.req.valid("param")), 200);
  });
}
