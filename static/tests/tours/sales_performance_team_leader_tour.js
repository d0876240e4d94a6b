import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A team leader allocates the team's target to the members with the wizard,
// then looks at the leaderboard.
registry.category("web_tour.tours").add("sales_performance_team_leader_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Sales Performance app",
            trigger: ".o_app[data-menu-xmlid='sales_performance.sales_performance_menu_root']",
            run: "click",
        },
        {
            content: "Open the Targets menu",
            trigger: ".o_main_navbar [data-menu-xmlid='sales_performance.sales_performance_target_menu']",
            run: "click",
        },
        {
            content: "Open All Targets",
            trigger: "[data-menu-xmlid='sales_performance.sales_performance_target_all_menu']",
            run: "click",
        },
        {
            content: "Open the team target",
            trigger: ".o_kanban_view .o_kanban_record:contains('SP Tour Team'):contains('20,000')",
            run: "click",
        },
        {
            content: "Allocate it to the members",
            trigger: ".o_form_view button[name=action_open_allocate]",
            run: "click",
        },
        {
            content: "The wizard proposes one line per member",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains('Sally Tourseller')",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains('Olga Otherseller')",
        },
        {
            content: "Create the sub-targets",
            trigger: ".modal button[name=action_allocate]",
            run: "click",
        },
        {
            content: "The members' sub-targets are shown",
            trigger: "body:not(:has(.modal)) .o_kanban_view .o_kanban_record:contains('Confirmed Sales'):contains('10,000')",
        },
        {
            content: "Open the Reporting menu",
            trigger: ".o_main_navbar [data-menu-xmlid='sales_performance.sales_performance_reporting_menu']",
            run: "click",
        },
        {
            content: "Open the leaderboard",
            trigger: "[data-menu-xmlid='sales_performance.sales_performance_target_leaderboard_menu']",
            run: "click",
        },
        {
            content: "Unfold the Confirmed Sales group",
            trigger: ".o_list_view .o_group_header:contains('Confirmed Sales')",
            run: "click",
        },
        {
            content: "The members are ranked",
            trigger: ".o_list_view .o_data_row:contains('Sally Tourseller')",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Olga Otherseller')",
        },
    ],
});
