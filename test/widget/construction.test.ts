import { expect } from "@open-wc/testing";
import { backOfficeTags } from "../../widget/src/back-office-tags.ts";
import { customerTags } from "../../widget/src/tags.ts";
import "../../widget/src/components/crm-field/crm-field.ts";
import "../../widget/src/components/crm-form/crm-form.ts";
import "../../widget/src/components/crm-pipeline-progress/crm-pipeline-progress.ts";
import "../../widget/src/components/crm-entries/crm-entries.ts";
import "../../widget/src/components/crm-customer-details/crm-customer-details.ts";
import "../../widget/src/components/crm-customer-search/crm-customer-search.ts";
import "../../widget/src/components/crm-entity-editor/crm-entity-editor.ts";
import "../../widget/src/components/crm-entity-list/crm-entity-list.ts";
import "../../widget/src/components/crm-field-history/crm-field-history.ts";

describe("constructing a component", () => {
  it("makes no page runtime: the first component in the page without a provider does", async () => {
    const tags = [...customerTags, ...backOfficeTags];
    const elements = tags.map((tag) => document.createElement(tag));
    expect(
      tags.filter((tag) => !customElements.get(tag)),
      "every tag is defined",
    ).to.deep.equal([]);
    expect(elements.every((element) => element.shadowRoot === null)).to.equal(true);
    expect(window.CrmWidgets, "made by constructing").to.equal(undefined);
    const field = document.createElement("crm-field");
    document.body.append(field);
    await field.updateComplete;
    try {
      expect(window.CrmWidgets?.runtime, "made once one is needed").to.exist;
    } finally {
      field.remove();
    }
  });
});
