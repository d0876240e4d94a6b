from odoo import api, fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    sales_performance_target_ids = fields.One2many(
        "sales.performance.target", "team_id", string="Sales Targets"
    )
    sales_performance_target_count = fields.Integer(
        compute="_compute_sales_performance_target_count", string="Targets"
    )

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        self.env["sales.performance.team.membership"]._open(
            [(team, team.user_id) for team in teams if team.user_id], role="leader"
        )
        return teams

    def write(self, vals):
        """Team leadership history: who led the team when."""
        if "user_id" not in vals:
            return super().write(vals)
        before = [(team, team.user_id) for team in self if team.user_id]
        res = super().write(vals)
        Membership = self.env["sales.performance.team.membership"]
        after = [(team, team.user_id) for team in self if team.user_id]
        Membership._close([pair for pair in before if pair not in after], "leader")
        Membership._open([pair for pair in after if pair not in before], "leader")
        return res

    def _compute_sales_performance_target_count(self):
        counts = dict(
            self.env["sales.performance.target"]._read_group(
                [("team_id", "in", self.ids)], ["team_id"], ["__count"]
            )
        )
        for team in self:
            team.sales_performance_target_count = counts.get(team, 0)

    def action_view_sales_performance_targets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_target_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id}
        return action
