import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A salesperson opens Sales Performance, sees only her own targets (with their
// progress), follows a target to its source documents, reads her incentive
// statement (with explanations), opens the estimator, and does not see a
// colleague's target even under All Targets.
registry.category("web_tour.tours").add("sales_performance_salesperson_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Sales Performance app",
            trigger: ".o_app[data-menu-xmlid='sales_performance.sales_performance_menu_root']",
            run: "click",
        },
        {
            content: "My Targets opens as a kanban with my target and its progress bar",
            trigger: ".o_kanban_view .o_kanban_record:contains('12,345') .o_progressbar",
        },
        {
            content: "Another salesperson's target is not shown",
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('54,321')))",
        },
        {
            content: "Open my target",
            trigger: ".o_kanban_record:contains('12,345')",
            run: "click",
        },
        {
            content: "The form shows the attainment",
            trigger: ".o_form_view .o_field_widget[name=attainment] .o_progressbar",
        },
        {
            content: "Follow the Source Documents smart button",
            trigger: ".o_form_view button[name=action_view_sources]",
            run: "click",
        },
        {
            content: "The won deal behind the achievement is listed",
            trigger: ".o_list_view .o_data_row:contains('Tour Deal Sally')",
        },
        {
            content: "Open the Incentives menu",
            trigger: ".o_main_navbar [data-menu-xmlid='sales_performance.sales_performance_incentive_menu']",
            run: "click",
        },
        {
            content: "Open My Statements",
            trigger: "[data-menu-xmlid='sales_performance.sales_performance_incentive_statement_my_menu']",
            run: "click",
        },
        {
            content: "Open my statement",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains('Tour Commission Plan')",
            run: "click",
        },
        {
            content: "Its lines explain the payout",
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row .o_data_cell[name=explanation]:contains('Base ')",
        },
        {
            content: "Open the Incentives menu again",
            trigger: ".o_main_navbar [data-menu-xmlid='sales_performance.sales_performance_incentive_menu']",
            run: "click",
        },
        {
            content: "Open the estimator",
            trigger: "[data-menu-xmlid='sales_performance.sales_performance_incentive_estimate_menu']",
            run: "click",
        },
        {
            content: "The estimator shows the payout at the current pace",
            trigger: ".modal .o_form_view .o_field_widget[name=amount_pace]",
        },
        {
            content: "Close the estimator",
            trigger: ".modal .modal-footer button:contains('Close')",
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal .o_form_view))",
        },
        {
            content: "Open the Targets menu",
            trigger: ".o_main_navbar [data-menu-xmlid='sales_performance.sales_performance_target_menu']",
            run: "click",
        },
        {
            content: "Open All Targets (what the record rules let me read)",
            trigger: "[data-menu-xmlid='sales_performance.sales_performance_target_all_menu']",
            run: "click",
        },
        {
            content: "My target is there",
            trigger: ".o_breadcrumb:contains('Sales Targets')",
        },
        {
            trigger: ".o_kanban_view .o_kanban_record:contains('12,345')",
        },
        {
            content: "A colleague's target is not, even among all targets",
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('54,321')))",
        },
    ],
});
