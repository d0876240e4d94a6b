from odoo import api, fields, models
from odoo.exceptions import UserError


class SalesPerformanceIncentiveWhatif(models.TransientModel):
    """Run a (draft) plan or one of its versions over past periods and
    compare with what the active plan paid."""

    _name = "sales.performance.incentive.whatif"
    _description = "Incentive What-if"

    plan_id = fields.Many2one(
        "sales.performance.incentive.plan", string="Plan to Simulate", required=True
    )
    version_id = fields.Many2one(
        "sales.performance.incentive.plan.version",
        domain="[('plan_id', '=', plan_id)]",
        help="Simulate this version of the plan; empty: its current rules.",
    )
    compare_plan_id = fields.Many2one(
        "sales.performance.incentive.plan",
        string="Compare With",
        required=True,
        domain="[('state', 'in', ('active', 'archived'))]",
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    line_ids = fields.One2many("sales.performance.incentive.whatif.line", "wizard_id")
    amount_simulated = fields.Monetary(string="Simulated Total", readonly=True)
    amount_paid = fields.Monetary(string="Actually Paid", readonly=True)
    amount_difference = fields.Monetary(string="Difference", readonly=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise UserError(self.env._("The period must end after it starts."))

    def action_run(self):
        self.ensure_one()
        self.env["sales.performance.incentive.plan"]._check_admin()
        plan = self.plan_id.sudo()
        compare = self.compare_plan_id.sudo()
        rules = self.version_id._rules() if self.version_id else plan._rules_snapshot()
        simulated = {}
        for date_from, date_to in plan._periods_between(self.date_from, self.date_to):
            # the draft plan's assignments, else those of the plan compared
            windows = {
                **compare._assignment_windows(date_from, date_to),
                **plan._assignment_windows(date_from, date_to),
            }
            users = self.env["res.users"].browse(list(windows))
            results = plan._compute_payouts(users, date_from, date_to, rules, windows)
            for user_id, lines in results.items():
                simulated[user_id] = simulated.get(user_id, 0.0) + sum(
                    result.amount for _rule, _base, _target, result in lines
                )
        paid_groups = (
            self.env["sales.performance.incentive.statement"]
            .sudo()
            ._read_group(
                [
                    ("plan_id", "=", compare.id),
                    ("state", "in", ["approved", "paid"]),
                    ("date_from", ">=", self.date_from),
                    ("date_to", "<=", self.date_to),
                ],
                ["user_id"],
                ["amount_total:sum"],
            )
        )
        paid = {user.id: total for user, total in paid_groups}
        self.line_ids.unlink()
        self.line_ids = [
            fields.Command.create(
                {
                    "user_id": user_id,
                    "amount_simulated": simulated.get(user_id, 0.0),
                    "amount_paid": paid.get(user_id, 0.0),
                }
            )
            for user_id in sorted(set(simulated) | set(paid))
        ]
        self.amount_simulated = sum(simulated.values())
        self.amount_paid = sum(paid.values())
        self.amount_difference = self.amount_simulated - self.amount_paid
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class SalesPerformanceIncentiveWhatifLine(models.TransientModel):
    _name = "sales.performance.incentive.whatif.line"
    _description = "Incentive What-if Line"

    wizard_id = fields.Many2one(
        "sales.performance.incentive.whatif", ondelete="cascade"
    )
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    user_id = fields.Many2one("res.users", string="Salesperson")
    amount_simulated = fields.Monetary(string="Simulated")
    amount_paid = fields.Monetary(string="Paid")
    amount_difference = fields.Monetary(
        string="Difference", compute="_compute_difference"
    )

    @api.depends("amount_simulated", "amount_paid")
    def _compute_difference(self):
        for line in self:
            line.amount_difference = line.amount_simulated - line.amount_paid
