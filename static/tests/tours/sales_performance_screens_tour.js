import { registry } from "@web/core/registry";

// A sales manager opens the leaderboard (list, then the big-screen kanban),
// reads the ranks, gaps and changes since the previous period, then opens an
// incentive statement: totals per kind, band details under their rule line
// (no amount of their own), columns that fit each line type, and the band
// details of the commission nested in its line.
registry.category("web_tour.tours").add("sales_performance_screens_tour", {
    url: "/odoo/action-sales_performance.sales_performance_target_action_leaderboard",
    steps: () => [
        {
            content: "The leaderboard opens on this month: show every period",
            trigger: ".o_searchview_facet:contains('This Month') .o_facet_remove",
            run: "click",
        },
        {
            content: "Open the Won Revenue board",
            trigger: ".o_list_view .o_group_header:contains('Won Revenue')",
            run: "click",
        },
        {
            content: "Ann leads March, climbed two places, no gap",
            trigger: ".o_list_view .o_data_row:contains('SP Scr Ann'):contains('▲ 2') .o_data_cell[name=rank]:contains('1')",
        },
        {
            content: "Ben lost two places and is 9,000 from the next rank",
            trigger: ".o_list_view .o_data_row:contains('SP Scr Ben'):contains('▼ 2') .o_data_cell[name=rank_gap]:contains('9,000.00')",
        },
        {
            content: "Dan is new on the board, with an attainment bar",
            trigger: ".o_list_view .o_data_row:contains('SP Scr Dan'):contains('New') .o_progressbar",
        },
        {
            content: "Switch to the kanban for the sales room",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "Big cards: rank, avatar, attainment bar and gap",
            trigger: ".o_kanban_view .o_kanban_record:contains('SP Scr Ben'):contains('#3'):contains('9,000.00') .o_progressbar",
        },
        {
            trigger: ".o_kanban_view .o_kanban_record:contains('SP Scr Ann') img[src*='avatar_128']",
        },
        {
            content: "Open the Incentives menu",
            trigger: ".o_main_navbar [data-menu-xmlid='sales_performance.sales_performance_incentive_menu']",
            run: "click",
        },
        {
            content: "Open the statements",
            trigger: "[data-menu-xmlid='sales_performance.sales_performance_incentive_statement_menu']",
            run: "click",
        },
        {
            content: "Open Ann's statement",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains('SP Scr Plan')",
            run: "click",
        },
        {
            content: "Totals per kind: commissions and SPIFFs",
            trigger: ".o_form_view .o_field_widget[name=amount_commission]:contains('300.00')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=amount_spiff]:contains('25.00')",
        },
        {
            content: "The commission line counts its bands",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('Marginal commission') .o_data_cell[name=band_count]:contains('2')",
        },
        {
            content: "A band detail shows no amount of its own",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('Band') .o_data_cell[name=amount]:not(:contains('$'))",
        },
        {
            content: "A SPIFF line shows no attainment and no rate",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('Deal SPIFF') .o_data_cell[name=attainment]:not(:contains('.'))",
        },
        {
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('Deal SPIFF') .o_data_cell[name=rate]:not(:contains('.'))",
        },
        {
            content: "Open the commission line",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('Marginal commission') .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "Its band details are nested in it",
            trigger: ".modal .o_field_widget[name=band_line_ids] .o_data_row:nth-child(2)",
        },
        {
            content: "A confirmed statement's line is read-only",
            trigger: ".modal .o_form_renderer.o_form_readonly",
        },
    ],
});
