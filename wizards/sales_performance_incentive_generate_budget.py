from odoo import models


class SalesPerformanceIncentiveGenerate(models.TransientModel):
    """Generating statements that take a plan over budget warns the
    administrator (the statements open after the warning)."""

    _inherit = "sales.performance.incentive.generate"

    def action_generate(self):
        action = super().action_generate()
        Budget = self.env["sales.performance.incentive.budget"].sudo()
        for plan in self.plan_ids.filtered(
            lambda p: p.date_from <= self.date <= p.date_to
        ):
            Budget |= plan._budgets_containing(*plan._period_of(self.date))
        over = Budget.filtered("over_budget")
        if not over:
            return action
        return over._notification(
            self.env._("Over budget"),
            self.env["res.users"]._sales_performance_is_incentive_admin(),
            next_action=action,
        )
