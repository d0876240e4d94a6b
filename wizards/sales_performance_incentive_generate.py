from odoo import api, fields, models
from odoo.exceptions import UserError


class SalesPerformanceIncentiveGenerate(models.TransientModel):
    _name = "sales.performance.incentive.generate"
    _description = "Generate Incentive Statements"

    plan_ids = fields.Many2many(
        "sales.performance.incentive.plan",
        "sales_performance_incentive_generate_plan_rel",
        "wizard_id",
        "plan_id",
        string="Plans",
        domain="[('state', '=', 'active')]",
        required=True,
    )
    date = fields.Date(
        string="A Day of the Period",
        required=True,
        default=lambda self: fields.Date.context_today(self),
        help="Each plan's period (month, quarter or year) containing this day.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "plan_ids" in fields_list and not values.get("plan_ids"):
            plans = self.env["sales.performance.incentive.plan"].search(
                [("state", "=", "active")]
            )
            values["plan_ids"] = [fields.Command.set(plans.ids)]
        return values

    def action_generate(self):
        self.ensure_one()
        if not self.plan_ids:
            raise UserError(self.env._("Choose at least one active plan."))
        statements = self.env["sales.performance.incentive.statement"]
        plans = self.plan_ids.filtered(
            lambda plan: plan.date_from <= self.date <= plan.date_to
        )
        if not plans:
            raise UserError(
                self.env._(
                    "None of the chosen plans is valid on %(date)s.", date=self.date
                )
            )
        for plan in plans:
            date_from, date_to = plan._period_of(self.date)
            statements |= plan.generate_statements(date_from, date_to)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_incentive_statement_action"
        )
        action["domain"] = [("id", "in", statements.ids)]
        return action
