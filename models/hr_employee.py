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

    sales_performance_training_record_ids = fields.One2many(
        "sales.performance.training.record",
        "employee_id",
        string="Training Records",
        groups="hr.group_hr_user,"
        "sales_performance.group_sales_performance_training_manager",
    )
    sales_performance_training_count = fields.Integer(
        string="Trainings",
        compute="_compute_sales_performance_training",
        groups="hr.group_hr_user,"
        "sales_performance.group_sales_performance_training_manager",
    )
    sales_performance_training_hours_year = fields.Float(
        string="Training Hours This Year",
        compute="_compute_sales_performance_training",
        groups="hr.group_hr_user,"
        "sales_performance.group_sales_performance_training_manager",
    )

    def _compute_sales_performance_evaluation_count(self):
        counts = dict(
            self.env["sales.performance.evaluation"]._read_group(
                [("employee_id", "in", self.ids)], ["employee_id"], ["__count"]
            )
        )
        for employee in self:
            employee.sales_performance_evaluation_count = counts.get(employee, 0)

    def _compute_sales_performance_training(self):
        today = fields.Date.context_today(self)
        year_start = today.replace(month=1, day=1)
        Record = self.env["sales.performance.training.record"].sudo()
        counts = dict(
            Record._read_group(
                [("employee_id", "in", self.ids)], ["employee_id"], ["__count"]
            )
        )
        hours = dict(
            Record._read_group(
                [
                    ("employee_id", "in", self.ids),
                    ("status", "in", ("attended", "passed", "failed")),
                    ("date_completed", ">=", year_start),
                    ("date_completed", "<=", today),
                ],
                ["employee_id"],
                ["hours:sum"],
            )
        )
        for employee in self:
            employee.sales_performance_training_count = counts.get(employee, 0)
            employee.sales_performance_training_hours_year = hours.get(employee, 0.0)

    def action_open_sales_performance_evaluations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_evaluation_action_history"
        )
        action["domain"] = [("employee_id", "=", self.id)]
        action["context"] = {"default_employee_id": self.id}
        return action

    def action_open_sales_performance_training(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_training_record_action"
        )
        action["domain"] = [("employee_id", "=", self.id)]
        action["context"] = {"default_employee_id": self.id}
        return action
