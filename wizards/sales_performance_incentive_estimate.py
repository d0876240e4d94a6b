from odoo import api, fields, models

from ..engine import pacing, payout


class SalesPerformanceIncentiveEstimate(models.TransientModel):
    """What a salesperson would earn at their current pace, and at a chosen
    attainment, under the plans that apply to them."""

    _name = "sales.performance.incentive.estimate"
    _description = "Incentive Estimator"

    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        default=lambda self: self.env.user,
    )
    plan_id = fields.Many2one(
        "sales.performance.incentive.plan",
        required=True,
        domain="[('state', '=', 'active')]",
    )
    date = fields.Date(
        string="A Day of the Period",
        required=True,
        default=lambda self: fields.Date.context_today(self),
    )
    attainment = fields.Float(string="At Attainment (%)", default=100.0)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    amount_pace = fields.Monetary(string="At Current Pace", compute="_compute_estimate")
    amount_chosen = fields.Monetary(
        string="At Chosen Attainment", compute="_compute_estimate"
    )
    explanation = fields.Text(compute="_compute_estimate")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "plan_id" in fields_list and not values.get("plan_id"):
            plan = self.env["sales.performance.incentive.plan"].search(
                [("state", "=", "active")], limit=1
            )
            values["plan_id"] = plan.id
        return values

    def _check_user(self):
        """A salesperson estimates for themselves; leaders and administrators
        for the people they manage (the targets' read rules decide)."""
        self.ensure_one()
        user = self.env.user
        return (
            self.user_id == user
            or self.env["res.users"]._sales_performance_is_incentive_admin()
            or user._sales_performance_leads(self.user_id)
        )

    @api.depends("user_id", "plan_id", "date", "attainment")
    def _compute_estimate(self):
        for wizard in self:
            wizard.amount_pace = wizard.amount_chosen = 0.0
            wizard.explanation = False
            if (
                not (wizard.plan_id and wizard.user_id and wizard.date)
                or not wizard._check_user()
            ):
                continue
            plan = wizard.plan_id.sudo()
            date_from, date_to = plan._period_of(wizard.date)
            version = plan._version_at(date_from)
            rules = version._rules() if version else plan._rules_snapshot()
            today = fields.Date.context_today(wizard)
            calendar = plan.company_id._sales_performance_calendar()
            current = plan._compute_payouts(wizard.user_id, date_from, date_to, rules)
            texts, pace_total, chosen_total = [], 0.0, 0.0
            for rule, base, target, _result in current.get(wizard.user_id.id, []):
                # current pace: the run rate over the working days of the period
                pace_base = pacing.forecast_value(
                    base,
                    date_from,
                    date_to,
                    today,
                    calendar.weekdays,
                    holidays=calendar.holidays,
                )
                pace = payout.compute_rule(rule, pace_base, target, self.env._)
                chosen_base = (target or 0.0) * wizard.attainment / 100.0
                chosen = payout.compute_rule(rule, chosen_base, target, self.env._)
                pace_total += pace.amount
                chosen_total += chosen.amount
                texts.append(
                    self.env._(
                        "%(rule)s\n  At current pace: %(pace)s\n  At %(attainment)s%%: "
                        "%(chosen)s",
                        rule=rule.get("name"),
                        pace=pace.explanation,
                        attainment=wizard.attainment,
                        chosen=chosen.explanation,
                    )
                )
            wizard.amount_pace = pace_total
            wizard.amount_chosen = chosen_total
            wizard.explanation = "\n\n".join(texts)
