import { Component, onWillStart, onWillUnmount, useEffect, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { cookie } from "@web/core/browser/cookie";
import { getColor } from "@web/core/colors/colors";
import { serializeDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloat } from "@web/views/fields/formatters";

const { DateTime } = luxon;

/**
 * A Chart.js chart (Odoo's own bundle, as the graph view loads it), drawn
 * again whenever its config changes. A click on a bar or point calls
 * `onClick(index)`.
 */
export class CockpitChart extends Component {
    static template = "sales_performance.CockpitChart";
    static props = { config: Object, onClick: { type: Function, optional: true } };

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(
            () => {
                this.render_chart();
            },
            () => [this.props.config]
        );
        onWillUnmount(() => this.chart?.destroy());
    }

    render_chart() {
        this.chart?.destroy();
        const config = {
            ...this.props.config,
            options: {
                responsive: true,
                maintainAspectRatio: false,
                animation: false,
                ...this.props.config.options,
                onClick: (event, elements) => {
                    if (elements.length && this.props.onClick) {
                        this.props.onClick(elements[0].index, elements[0].datasetIndex);
                    }
                },
            },
        };
        this.chart = new Chart(this.canvasRef.el, config);
    }
}

export class SalesPerformanceCockpit extends Component {
    static template = "sales_performance.Cockpit";
    static components = { CockpitChart };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.colorScheme = cookie.get("color_scheme");
        const today = DateTime.local();
        this.state = useState({
            period: "month",
            dateFrom: serializeDate(today.startOf("month")),
            dateTo: serializeDate(today.endOf("month")),
            teamId: "",
            // the dimensions of the targets shown, as JSON ("" = whole metrics)
            dimensionKey: "",
            data: null,
            loading: true,
        });
        onWillStart(() => this.load());
    }

    get periodOptions() {
        return [
            ["month", _t("This month")],
            ["quarter", _t("This quarter")],
            ["year", _t("This year")],
            ["custom", _t("Custom")],
        ];
    }

    async load() {
        this.state.loading = true;
        const teamIds = this.state.teamId ? [parseInt(this.state.teamId)] : null;
        const dimensions = this.state.dimensionKey ? JSON.parse(this.state.dimensionKey) : null;
        this.state.data = await this.orm.call(
            "sales.performance.cockpit",
            "get_cockpit_data",
            [this.state.dateFrom, this.state.dateTo],
            { team_ids: teamIds, dimensions }
        );
        this.state.loading = false;
    }

    onPeriodChange(ev) {
        const period = ev.target.value;
        this.state.period = period;
        if (period !== "custom") {
            const today = DateTime.local();
            this.state.dateFrom = serializeDate(today.startOf(period));
            this.state.dateTo = serializeDate(today.endOf(period));
            this.load();
        }
    }

    onDateChange(which, ev) {
        if (!ev.target.value) {
            return;
        }
        this.state[which] = ev.target.value;
        if (this.state.dateFrom <= this.state.dateTo) {
            this.load();
        }
    }

    onTeamChange(ev) {
        this.state.teamId = ev.target.value;
        this.load();
    }

    /** The targets narrowed by one set of dimensions (product category,
     * segment, country, tag, channel), or those on whole metrics. */
    dimensionValue(choice) {
        return JSON.stringify(choice.key);
    }

    onDimensionChange(ev) {
        this.state.dimensionKey = ev.target.value;
        this.load();
    }

    /** Open the records behind a figure ({model, domain, name, context}). */
    openRecords(records) {
        if (!records) {
            return;
        }
        this.actionService.doAction({
            type: "ir.actions.act_window",
            name: records.name,
            res_model: records.model,
            domain: records.domain,
            context: records.context || {},
            views: [
                [false, "list"],
                [false, "form"],
            ],
            target: "current",
        });
    }

    fmt(value, suffix = "") {
        if (value === null || value === undefined || value === false) {
            return "–";
        }
        return formatFloat(value, { digits: [false, 1] }) + suffix;
    }

    pct(value) {
        return this.fmt(value, " %");
    }

    amount(value) {
        if (value === null || value === undefined) {
            return "–";
        }
        return formatFloat(value, { digits: [false, 0] });
    }

    teamName(teamId) {
        const team = (this.state.data.teams || []).find((t) => t.team_id === teamId);
        return team ? team.name : "";
    }

    attainmentClass(value) {
        if (value === null || value === undefined) {
            return "text-muted";
        }
        return value >= 100 ? "text-success" : value >= 80 ? "text-warning" : "text-danger";
    }

    // ------------------------------------------------------------------
    // Charts
    // ------------------------------------------------------------------
    get trendConfig() {
        const data = this.state.data;
        const labels = data.company.trend.map((p) => p.date_from);
        const datasets = [
            {
                label: _t("Company"),
                data: data.company.trend.map((p) => p.attainment),
                borderColor: getColor(0, this.colorScheme),
                backgroundColor: getColor(0, this.colorScheme),
                spanGaps: true,
            },
            ...data.teams.map((team, index) => ({
                label: team.name,
                data: team.trend.map((p) => p.attainment),
                borderColor: getColor(index + 1, this.colorScheme),
                backgroundColor: getColor(index + 1, this.colorScheme),
                spanGaps: true,
            })),
        ];
        return {
            type: "line",
            data: { labels, datasets },
            options: { scales: { y: { beginAtZero: true, title: { display: true, text: "%" } } } },
        };
    }

    get repsConfig() {
        const reps = this.state.data.reps;
        return {
            type: "bar",
            data: {
                labels: reps.map((r) => r.name),
                datasets: [
                    {
                        label: _t("Attainment (%)"),
                        data: reps.map((r) => r.attainment),
                        backgroundColor: getColor(1, this.colorScheme),
                    },
                    {
                        label: _t("Pipeline coverage (%)"),
                        data: reps.map((r) => r.pipeline_coverage),
                        backgroundColor: getColor(2, this.colorScheme),
                    },
                ],
            },
            options: { scales: { y: { beginAtZero: true } } },
        };
    }

    onRepsChartClick(index, datasetIndex) {
        const rep = this.state.data.reps[index];
        this.openRecords(datasetIndex ? rep.pipeline_action : rep.targets_action);
    }

    get funnelConfig() {
        const funnel = this.state.data.funnel;
        return {
            type: "bar",
            data: {
                labels: funnel.map((s) => s.name),
                datasets: [
                    {
                        label: _t("Conversion (%)"),
                        data: funnel.map((s) => s.conversion),
                        backgroundColor: funnel.map((s) =>
                            s.worst ? "#dc3545" : getColor(3, this.colorScheme)
                        ),
                    },
                    {
                        label: _t("Previous period (%)"),
                        data: funnel.map((s) => s.conversion_previous),
                        backgroundColor: getColor(4, this.colorScheme),
                    },
                ],
            },
            options: { scales: { y: { beginAtZero: true, max: 100 } } },
        };
    }

    onFunnelChartClick(index) {
        this.openRecords(this.state.data.funnel[index].action);
    }

    get segmentsConfig() {
        const segments = this.state.data.segments;
        return {
            type: "bar",
            data: {
                labels: segments.map((s) => s.name),
                datasets: [
                    {
                        label: _t("Revenue"),
                        data: segments.map((s) => s.revenue),
                        backgroundColor: getColor(5, this.colorScheme),
                    },
                ],
            },
            options: { plugins: { legend: { display: false } } },
        };
    }

    onSegmentsChartClick(index) {
        this.openRecords(this.state.data.segments[index].revenue_action);
    }
}

registry.category("actions").add("sales_performance.cockpit", SalesPerformanceCockpit);
