from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    sales_performance_training_count = fields.Integer(
        string="My Trainings", compute="_compute_sales_performance_training"
    )
    sales_performance_training_hours_year = fields.Float(
        string="My Training Hours This Year",
        compute="_compute_sales_performance_training",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + [
            "sales_performance_training_count",
            "sales_performance_training_hours_year",
        ]

    def _compute_sales_performance_training(self):
        for user in self:
            totals = user.sudo().employee_ids
            user.sales_performance_training_count = sum(
                totals.mapped("sales_performance_training_count")
            )
            user.sales_performance_training_hours_year = sum(
                totals.mapped("sales_performance_training_hours_year")
            )

    def action_open_my_training(self):
        """The user's own training records (history, results, certificates)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_training_record_action_my"
        )
        return action
