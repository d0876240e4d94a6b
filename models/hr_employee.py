from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    sales_performance_evaluation_ids = fields.One2many(
        "sales.performance.evaluation",
        "employee_id",
        string="Evaluations",
        groups="hr.group_hr_user",
    )
    sales_performance_evaluation_count = fields.Integer(
        compute="_compute_sales_performance_evaluation_count", groups="hr.group_hr_user"
    )

    def _compute_sales_performance_evaluation_count(self):
        counts = dict(
            self.env["sales.performance.evaluation"]._read_group(
                [("employee_id", "in", self.ids)], ["employee_id"], ["__count"]
            )
        )
        for employee in self:
            employee.sales_performance_evaluation_count = counts.get(employee, 0)

    def action_open_sales_performance_evaluations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_evaluation_action_history"
        )
        action["domain"] = [("employee_id", "=", self.id)]
        action["context"] = {"default_employee_id": self.id}
        return action
