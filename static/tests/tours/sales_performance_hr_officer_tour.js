import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// An HR officer creates this year's evaluations of a department with the
// wizard and starts the employee's self-assessment. (The employee and her
// manager fill in their parts as themselves, in the test, between tours.)
registry.category("web_tour.tours").add("sales_performance_hr_officer_tour", {
    url: "/odoo",
    steps: () => {
        const year = new Date().getFullYear();
        return [
            stepUtils.showAppsMenuItem(),
            {
                content: "Open the Sales Performance app",
                trigger: ".o_app[data-menu-xmlid='sales_performance.sales_performance_menu_root']",
                run: "click",
            },
            {
                content: "Open the Evaluations menu",
                trigger: ".o_main_navbar [data-menu-xmlid='sales_performance.sales_performance_evaluation_menu']",
                run: "click",
            },
            {
                content: "Open the Create Evaluations wizard",
                trigger: "[data-menu-xmlid='sales_performance.sales_performance_evaluation_create_menu']",
                run: "click",
            },
            {
                content: "Period start",
                trigger: ".modal .o_field_widget[name=date_from] input",
                run: `edit 01/01/${year}`,
            },
            {
                content: "Period end",
                trigger: ".modal .o_field_widget[name=date_to] input",
                run: `click && edit 12/31/${year}`,
            },
            {
                content: "Cycle",
                trigger: ".modal .o_field_widget[name=cycle] input",
                run: "click && edit Tour Cycle",
            },
            {
                content: "Choose the department",
                trigger: ".modal .o_field_widget[name=department_ids] input",
                run: "edit SP Tour Department",
            },
            {
                trigger: ".o-autocomplete--dropdown-item:contains('SP Tour Department')",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=department_ids] .o_tag:contains('SP Tour Department')",
            },
            {
                content: "Create the evaluations",
                trigger: ".modal button[name=action_create]",
                run: "click",
            },
            {
                content: "The created evaluation is listed",
                trigger: "body:not(:has(.modal)) .o_list_view .o_data_row .o_data_cell:contains('SP Tour Department')",
                run: "click",
            },
            {
                content: "It is a draft with the template's lines",
                trigger: ".o_form_view .o_statusbar_status:has(button[data-value=draft][aria-checked=true])",
            },
            {
                trigger: ".o_form_view .o_field_widget[name=kpi_line_ids] .o_data_row:contains('Won Revenue')",
            },
            {
                content: "Start the self-assessment",
                trigger: ".o_form_view button[name=action_start_self_assessment]",
                run: "click",
            },
            {
                content: "The evaluation waits for the employee",
                trigger: ".o_form_view .o_statusbar_status:has(button[data-value=self_assessment][aria-checked=true])",
            },
            {
                trigger: ".o_form_view:not(:has(button[name=action_start_self_assessment]))",
            },
        ];
    },
});

// Once the employee and her manager have done their parts: the HR officer
// completes the review and prints the appraisal.
registry.category("web_tour.tours").add("sales_performance_hr_officer_print_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Sales Performance app",
            trigger: ".o_app[data-menu-xmlid='sales_performance.sales_performance_menu_root']",
            run: "click",
        },
        {
            content: "Open the Evaluations menu",
            trigger: ".o_main_navbar [data-menu-xmlid='sales_performance.sales_performance_evaluation_menu']",
            run: "click",
        },
        {
            content: "Open all evaluations",
            trigger: "[data-menu-xmlid='sales_performance.sales_performance_evaluation_all_menu']",
            run: "click",
        },
        {
            content: "Open the evaluation under review",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains('SP Tour Department')",
            run: "click",
        },
        {
            content: "Open the competencies",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Competencies')",
            run: "click",
        },
        {
            content: "The manager's rating is visible to HR",
            trigger: ".o_form_view .o_field_widget[name=competency_line_ids] .o_data_row .o_data_cell[name=manager_rating]",
        },
        {
            content: "Complete the review",
            trigger: ".o_form_view button[name=action_done]",
            run: "click",
        },
        {
            content: "The evaluation is done",
            trigger: ".o_form_view:not(:has(button[name=action_done])) .o_statusbar_status:has(button[data-value=done][aria-checked=true])",
        },
        {
            content: "Watch for the report download",
            trigger: ".o_form_view button[name=action_print]",
            run() {
                const open = XMLHttpRequest.prototype.open;
                XMLHttpRequest.prototype.open = function (method, url, ...args) {
                    if (String(url).includes("/report/download")) {
                        this.addEventListener("loadend", () => {
                            if (this.status === 200) {
                                document.body.classList.add("o_sp_report_downloaded");
                            }
                        });
                    }
                    return open.call(this, method, url, ...args);
                };
            },
        },
        {
            content: "Print the appraisal",
            trigger: ".o_form_view button[name=action_print]",
            run: "click",
        },
        {
            content: "The appraisal report was downloaded",
            trigger: "body.o_sp_report_downloaded:not(.o_ui_blocked) .o_form_view",
            // wkhtmltopdf takes about 10 s on a busy 2-core machine
            timeout: 60000,
        },
    ],
});
