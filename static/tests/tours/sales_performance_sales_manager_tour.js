import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A sales manager defines a commission plan with tiers, activates it,
// generates the statements of the month and approves one.
registry.category("web_tour.tours").add("sales_performance_sales_manager_tour", {
    url: "/odoo",
    steps: () => {
        return [
            stepUtils.showAppsMenuItem(),
            {
                content: "Open the Sales Performance app",
                trigger: ".o_app[data-menu-xmlid='sales_performance.sales_performance_menu_root']",
                run: "click",
            },
            {
                content: "Open the Incentives menu",
                trigger: ".o_main_navbar [data-menu-xmlid='sales_performance.sales_performance_incentive_menu']",
                run: "click",
            },
            {
                content: "Open the plans",
                trigger: "[data-menu-xmlid='sales_performance.sales_performance_incentive_plan_menu']",
                run: "click",
            },
            {
                content: "Create a plan",
                trigger: ".o_list_view .o_list_button_add",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_field_widget[name=name] input",
                run: "edit Tour Manager Plan",
            },
            {
                content: "Monthly",
                trigger: ".o_form_view .o_field_widget[name=period_type] .o_select_menu_toggler",
                run: "click",
            },
            {
                trigger: ".o_select_menu_item:contains('Monthly')",
                run: "click",
            },
            {
                content: "Add a rule",
                trigger: ".o_form_view .o_field_widget[name=rule_ids] .o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=name] input",
                run: "edit Commission on won revenue",
            },
            {
                trigger: ".modal .o_field_widget[name=kind] .o_select_menu_toggler",
                run: "click",
            },
            {
                trigger: ".o_select_menu_item:contains('Commission on a metric')",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=metric_id] input",
                run: "edit Won Revenue",
            },
            {
                trigger: ".o-autocomplete--dropdown-item:contains('Won Revenue')",
                run: "click",
            },
            {
                content: "First tier: 0 to 100 % at 2 %",
                trigger: ".modal .o_field_widget[name=tier_ids] .o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=tier_ids] .o_selected_row .o_field_widget[name=lower] input",
                run: "edit 0",
            },
            {
                trigger: ".modal .o_field_widget[name=tier_ids] .o_selected_row .o_field_widget[name=upper] input",
                run: "edit 100",
            },
            {
                trigger: ".modal .o_field_widget[name=tier_ids] .o_selected_row .o_field_widget[name=rate] input",
                run: "edit 2",
            },
            {
                content: "Second tier: from 100 % at 5 %",
                trigger: ".modal .o_field_widget[name=tier_ids] .o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=tier_ids] .o_data_row:nth-child(2).o_selected_row .o_field_widget[name=lower] input",
                run: "edit 100",
            },
            {
                trigger: ".modal .o_field_widget[name=tier_ids] .o_selected_row .o_field_widget[name=rate] input",
                run: "edit 5",
            },
            {
                content: "Save the rule",
                trigger: ".modal .o_form_button_save",
                run: "click",
            },
            {
                trigger: "body:not(:has(.modal)) .o_field_widget[name=rule_ids] .o_data_row:contains('Commission on won revenue')",
            },
            {
                content: "Assign the plan to a salesperson",
                trigger: ".o_notebook .nav-link:contains('Assignees')",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_field_widget[name=assignment_ids] .o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                trigger: ".o_field_widget[name=assignment_ids] .o_selected_row .o_field_widget[name=user_id] input",
                run: "edit Sally Tourseller",
            },
            {
                trigger: ".o-autocomplete--dropdown-item:contains('Sally Tourseller')",
                run: "click",
            },
            {
                content: "Save the plan",
                trigger: ".o_form_view .o_form_button_save",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_form_saved",
            },
            {
                content: "Activate it",
                trigger: ".o_form_view button[name=action_activate]",
                run: "click",
            },
            {
                content: "Generate the statements",
                trigger: ".o_form_view button[name=action_open_generate]",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=plan_ids] .o_tag:contains('Tour Manager Plan')",
            },
            {
                trigger: ".modal button[name=action_generate]",
                run: "click",
            },
            {
                content: "Open the salesperson's statement",
                trigger: "body:not(:has(.modal)) .o_list_view .o_data_row .o_data_cell:contains('Tour Manager Plan')",
                run: "click",
            },
            {
                content: "The statement explains the commission",
                trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_cell[name=explanation]:contains('Base ')",
            },
            {
                content: "Confirm it",
                trigger: ".o_form_view button[name=action_confirm]",
                run: "click",
            },
            {
                content: "Approve it",
                trigger: ".o_form_view button[name=action_approve]",
                run: "click",
            },
            {
                content: "The statement is approved",
                trigger: ".o_form_view:not(:has(button[name=action_approve])) .o_statusbar_status:has(button[data-value=approved][aria-checked=true])",
            },
        ];
    },
});
