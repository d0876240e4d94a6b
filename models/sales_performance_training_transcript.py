from odoo import api, models
from odoo.exceptions import AccessError

TRAINING_MANAGER = "sales_performance.group_sales_performance_training_manager"


class ReportTrainingTranscript(models.AbstractModel):
    _name = "report.sales_performance.report_training_transcript"
    _description = "Training Transcript Report"

    @api.readonly
    @api.model
    def _get_report_values(self, docids, data=None):
        employees = self.env["hr.employee"].sudo().browse(docids)
        own = employees.user_id == self.env.user and len(employees) == 1
        if not (own or self.env.su or self.env.user.has_group(TRAINING_MANAGER)):
            raise AccessError(
                self.env._(
                    "Only a training manager can print the transcripts of others."
                )
            )
        allowed = self.env.user.company_ids | self.env.company
        if employees.company_id - allowed:
            raise AccessError(
                self.env._("You cannot print transcripts of another company.")
            )
        Record = self.env["sales.performance.training.record"].sudo()
        records = Record.search(
            [("employee_id", "in", employees.ids)],
            order="date_completed desc, id desc",
        )
        by_employee = {employee.id: Record for employee in employees}
        hours = dict.fromkeys(employees.ids, 0.0)
        for record in records:
            by_employee[record.employee_id.id] |= record
            if record.status in ("attended", "passed", "failed"):
                hours[record.employee_id.id] += record.hours
        langs = {
            employee.id: employee.lang
            or employee.user_id.lang
            or self.env.lang
            or "en_US"
            for employee in employees
        }
        return {
            "doc_ids": employees.ids,
            "doc_model": "hr.employee",
            "docs": employees,
            "records_by_employee": by_employee,
            "total_hours": hours,
            "langs": langs,
        }
