import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A team leader opens Sales Performance: the cockpit is the first screen. She
// reads a salesperson's figures and diagnosis, then opens the records behind
// them (the targets, then the stale opportunities).
registry.category("web_tour.tours").add("sales_performance_cockpit_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Sales Performance app",
            trigger: ".o_app[data-menu-xmlid='sales_performance.sales_performance_menu_root']",
            run: "click",
        },
        {
            content: "The cockpit opens first, with the team's salespeople",
            trigger: ".o_sp_cockpit .o_sp_cockpit_rep:contains('SP Alice Seller')",
        },
        {
            content: "Bob is in the team too",
            trigger: ".o_sp_cockpit .o_sp_cockpit_rep:contains('SP Bob Seller')",
        },
        {
            content: "Alice's diagnosis names her weakest driver",
            trigger:
                ".o_sp_cockpit_rep:contains('SP Alice Seller') .o_sp_rep_diagnosis:contains('Pipeline covers 40 % of the gap')",
        },
        {
            content: "Open the targets behind Alice's attainment (60 %)",
            trigger: ".o_sp_cockpit_rep:contains('SP Alice Seller') a.o_sp_rep_attainment:contains('60.0')",
            run: "click",
        },
        {
            content: "Alice's target is listed",
            trigger: ".o_list_view .o_data_row:contains('SP Alice Seller')",
        },
        {
            content: "Back to the cockpit",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Open Alice's stale opportunities",
            trigger: ".o_sp_cockpit_rep:contains('SP Alice Seller') a.o_sp_rep_stale:contains('1')",
            run: "click",
        },
        {
            content: "The stale opportunity is listed, alone",
            trigger: ".o_list_view .o_data_row:contains('SP Ckp SP Alice Seller 10')",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:nth-child(2)))",
        },
    ],
});
