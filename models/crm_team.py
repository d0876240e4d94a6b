from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    sales_performance_target_ids = fields.One2many(
        "sales.performance.target", "team_id", string="Sales Targets"
    )
    sales_performance_target_count = fields.Integer(
        compute="_compute_sales_performance_target_count", string="Targets"
    )

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
