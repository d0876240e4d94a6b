import { registry } from "@web/core/registry";

// Names and texts typed with HTML and <script> (see tests/test_markup_tour.py)
// are shown literally in kanban cards and forms: the text is there, as text,
// and none of its elements or scripts made it into the page.
const USER_NAME = "Mallory <b class=sp_xss>Bold</b>";
const TEAM_NAME = "Team <img src=x class=sp_xss onerror=window.spXss=1>";
const DESCRIPTION = "Quota <script>window.spXss=1</script><i class=sp_xss>it</i>";
const REASON = "Missing deal <img src=x class=sp_xss onerror=window.spXss=1>";
const CYCLE_NAME = "Cycle <script>window.spXss=1</script><u class=sp_xss>u</u>";

function shownLiterally(texts, where) {
    // a kanban card shows its text; a form field may be an input (its value)
    const form = where.startsWith(".o_form_view");
    return {
        content: `${where}: the markup is shown as text, nothing injected`,
        trigger: form ? where : `${where}:contains(sp_xss)`,
        run() {
            const values = [...this.anchor.querySelectorAll("input, textarea")].map(
                (input) => input.value
            );
            const shown = [this.anchor.innerText, ...values].join(" ").replace(/\s+/g, " ");
            for (const text of texts) {
                if (!shown.includes(text)) {
                    throw new Error(`${where} does not show ${text} literally: ${shown}`);
                }
            }
            if (document.querySelector(".sp_xss") || window.spXss) {
                throw new Error(`markup of ${where} was injected into the page`);
            }
        },
    };
}

function openMenu(app, menu) {
    return [
        {
            trigger: `.o_main_navbar [data-menu-xmlid='${app}']`,
            run: "click",
        },
        {
            trigger: `[data-menu-xmlid='${menu}']`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("sales_performance_markup_tour", {
    steps: () => [
        shownLiterally([TEAM_NAME], ".o_kanban_view .o_kanban_record"),
        {
            content: "Open the team target",
            trigger: `.o_kanban_view .o_kanban_record:contains(sp_xss)`,
            run: "click",
        },
        shownLiterally([TEAM_NAME], ".o_form_view .o_field_widget[name=team_id]"),
        shownLiterally([DESCRIPTION], ".o_form_view .o_field_widget[name=description]"),
        ...openMenu(
            "sales_performance.sales_performance_incentive_menu",
            "sales_performance.sales_performance_incentive_dispute_menu"
        ),
        shownLiterally([REASON], ".o_kanban_view .o_kanban_record"),
        {
            content: "Open the dispute",
            trigger: ".o_kanban_view .o_kanban_record:contains(sp_xss)",
            run: "click",
        },
        shownLiterally([REASON], ".o_form_view .o_field_widget[name=reason]"),
        shownLiterally([USER_NAME], ".o_form_view .o_field_widget[name=user_id]"),
        {
            content: "Open the evaluation cycles",
            trigger: ".o_main_navbar [data-menu-xmlid='sales_performance.sales_performance_evaluation_menu']",
            run: "click",
        },
        {
            trigger: "[data-menu-xmlid='sales_performance.sales_performance_evaluation_cycle_menu']",
            run: "click",
        },
        {
            content: "The cycles in kanban",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        shownLiterally([CYCLE_NAME], ".o_kanban_view .o_kanban_record"),
        {
            content: "Open the cycle",
            trigger: ".o_kanban_view .o_kanban_record:contains(sp_xss)",
            run: "click",
        },
        shownLiterally([CYCLE_NAME], ".o_form_view .o_field_widget[name=name]"),
        {
            content: "The chatter shows the names as text too",
            trigger: ".o-mail-Chatter",
            run() {
                if (document.querySelector(".sp_xss") || window.spXss) {
                    throw new Error("markup was injected into the page");
                }
            },
        },
    ],
});
