import base64
import io

import xlsxwriter

from odoo import fields, models
from odoo.exceptions import UserError


class SalesPerformanceIncentiveExport(models.TransientModel):
    """Payroll export: approved statements of a period as a spreadsheet."""

    _name = "sales.performance.incentive.export"
    _description = "Incentive Payroll Export"

    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    include_paid = fields.Boolean(string="Include Paid Statements")
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    def _statements(self):
        wanted = ["approved", "paid"] if self.include_paid else ["approved"]
        return self.env["sales.performance.incentive.statement"].search(
            [
                ("state", "in", wanted),
                ("date_from", ">=", self.date_from),
                ("date_to", "<=", self.date_to),
            ],
            order="user_id, date_from",
        )

    def action_export(self):
        self.ensure_one()
        self.env["sales.performance.incentive.plan"]._check_admin()
        statements = self._statements()
        if not statements:
            raise UserError(self.env._("No approved statement in this period."))
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Incentives"))
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        headers = [
            self.env._("Employee"),
            self.env._("Salesperson"),
            self.env._("Login"),
            self.env._("Plan"),
            self.env._("Period Start"),
            self.env._("Period End"),
            self.env._("Amount"),
            self.env._("Currency"),
            self.env._("Status"),
            self.env._("Statement"),
        ]
        for col, header in enumerate(headers):
            sheet.write(0, col, header, bold)
        state_labels = dict(
            statements._fields["state"]._description_selection(self.env)
        )
        for row, statement in enumerate(statements, start=1):
            employee = statement.user_id.sudo().employee_ids[:1]
            values = [
                employee.name or "",
                statement.user_id.name,
                statement.user_id.login,
                statement.plan_id.name,
                str(statement.date_from),
                str(statement.date_to),
                statement.amount_total,
                statement.currency_id.name,
                state_labels[statement.state],
                statement.id,
            ]
            for col, value in enumerate(values):
                sheet.write(row, col, value, money if col == 6 else None)
        sheet.set_column(0, 3, 24)
        sheet.set_column(4, 9, 14)
        workbook.close()
        self.file_data = base64.b64encode(buffer.getvalue())
        self.file_name = "incentives_%s_%s.xlsx" % (self.date_from, self.date_to)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
