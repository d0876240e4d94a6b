from odoo import fields, models
from odoo.exceptions import UserError


class SalesPerformanceIncentiveFairnessCompute(models.TransientModel):
    _name = "sales.performance.incentive.fairness.compute"
    _description = "Compute Incentive Fairness"

    plan_id = fields.Many2one(
        "sales.performance.incentive.plan",
        required=True,
        domain="[('state', '!=', 'draft')]",
    )
    date = fields.Date(
        string="A Day of the Period",
        required=True,
        default=lambda self: fields.Date.context_today(self),
        help="The plan's period (month, quarter or year) containing this day.",
    )

    def action_compute(self):
        """Fill the Fairness report of the plan's period and open it."""
        self.ensure_one()
        plan = self.plan_id
        if not plan.date_from <= self.date <= plan.date_to:
            raise UserError(
                self.env._(
                    "%(date)s is outside the validity of the plan %(plan)s.",
                    date=self.date,
                    plan=plan.name,
                )
            )
        date_from, date_to = plan._period_of(self.date)
        return self.env["sales.performance.incentive.fairness.report"]._action_for(
            plan, date_from, date_to
        )
