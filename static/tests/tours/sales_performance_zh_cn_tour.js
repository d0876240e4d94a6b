import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A salesperson whose language is Chinese (zh_CN) sees the app, its menus,
// the form's buttons and sections in Chinese.
registry.category("web_tour.tours").add("sales_performance_zh_cn_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "The app is named 销售绩效",
            trigger: ".o_app[data-menu-xmlid='sales_performance.sales_performance_menu_root']:contains('销售绩效')",
            run: "click",
        },
        {
            content: "The menus are in Chinese",
            trigger: ".o_main_navbar [data-menu-xmlid='sales_performance.sales_performance_target_menu']:contains('目标')",
        },
        {
            trigger: ".o_main_navbar [data-menu-xmlid='sales_performance.sales_performance_evaluation_menu']:contains('绩效考核')",
        },
        {
            trigger: ".o_main_navbar [data-menu-xmlid='sales_performance.sales_performance_incentive_menu']:contains('激励')",
        },
        {
            trigger: ".o_main_navbar [data-menu-xmlid='sales_performance.sales_performance_reporting_menu']:contains('报表')",
        },
        {
            content: "The action title is 我的目标",
            trigger: ".o_breadcrumb:contains('我的目标')",
        },
        {
            content: "Open my target",
            trigger: ".o_kanban_record:contains('12,345')",
            run: "click",
        },
        {
            content: "The form's button and sections are in Chinese",
            trigger: ".o_form_view .o_form_statusbar button[name=action_recompute]:contains('重新计算')",
        },
        {
            trigger: ".o_form_view .o_notebook .nav-link:contains('具体目标')",
        },
        {
            trigger: ".o_form_view .o_horizontal_separator:contains('完成情况')",
        },
        {
            trigger: ".o_form_view .o_horizontal_separator:contains('对象')",
        },
    ],
});
