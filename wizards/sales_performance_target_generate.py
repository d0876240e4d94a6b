from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import periods


class SalesPerformanceTargetGenerate(models.TransientModel):
    _name = "sales.performance.target.generate"
    _description = "Create a Year of Sales Targets"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year
    )
    period_type = fields.Selection(
        [("month", "Monthly"), ("quarter", "Quarterly")], required=True, default="month"
    )
    assignee_type = fields.Selection(
        [("user", "Salespeople"), ("team", "Sales Teams"), ("company", "Company")],
        required=True,
        default="user",
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Salespeople",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    team_ids = fields.Many2many("crm.team", string="Sales Teams", check_company=True)
    metric_id = fields.Many2one("sales.performance.metric", required=True)
    target_value = fields.Float(string="Target per Period", required=True)
    skip_existing = fields.Boolean(
        default=True,
        help="Leave out periods where the assignee already has a target on this "
        "metric.",
    )

    @api.constrains("year", "target_value")
    def _check_values(self):
        for wizard in self:
            if not 2000 <= wizard.year <= 2100:
                raise UserError(self.env._("Choose a year between 2000 and 2100."))
            if wizard.target_value < 0:
                raise UserError(self.env._("A target cannot be negative."))

    def _assignees(self):
        self.ensure_one()
        if self.assignee_type == "user":
            if not self.user_ids:
                raise UserError(
                    self.env._("Choose the salespeople to set targets for.")
                )
            return [{"user_id": user.id} for user in self.user_ids]
        if self.assignee_type == "team":
            if not self.team_ids:
                raise UserError(
                    self.env._("Choose the sales teams to set targets for.")
                )
            return [{"team_id": team.id} for team in self.team_ids]
        return [{}]

    def action_generate(self):
        self.ensure_one()
        Target = self.env["sales.performance.target"]
        year_periods = periods.split_year(self.year, self.period_type)
        existing = set()
        if self.skip_existing:
            for target in Target.search(
                [
                    ("metric_id", "=", self.metric_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("date_from", "<=", year_periods[-1][1]),
                    ("date_to", ">=", year_periods[0][0]),
                ]
            ):
                key = (
                    target.user_id.id,
                    target.team_id.id if not target.user_id else False,
                )
                existing.add((key, target.date_from, target.date_to))
        vals_list = []
        for assignee in self._assignees():
            key = (assignee.get("user_id", False), assignee.get("team_id", False))
            for date_from, date_to in year_periods:
                if any(
                    k == key and periods.overlaps(date_from, date_to, f, t)
                    for (k, f, t) in existing
                ):
                    continue
                vals_list.append(
                    dict(
                        assignee,
                        company_id=self.company_id.id,
                        metric_id=self.metric_id.id,
                        date_from=date_from,
                        date_to=date_to,
                        target_value=self.target_value,
                    )
                )
        if not vals_list:
            raise UserError(self.env._("Every assignee already has these targets."))
        targets = Target.create(vals_list)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_target_action"
        )
        action["domain"] = [("id", "in", targets.ids)]
        action["context"] = {}
        return action
