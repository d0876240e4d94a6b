from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class SalesPerformanceEvaluationCreate(models.TransientModel):
    _name = "sales.performance.evaluation.create"
    _description = "Create Evaluations in Bulk"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(string="Start", required=True)
    date_to = fields.Date(string="End", required=True)
    deadline = fields.Date()
    cycle = fields.Char()
    department_ids = fields.Many2many(
        "hr.department",
        "sp_evaluation_create_department_rel",
        "wizard_id",
        "department_id",
        string="Departments",
    )
    team_ids = fields.Many2many(
        "crm.team",
        "sp_evaluation_create_team_rel",
        "wizard_id",
        "team_id",
        string="Sales Teams",
    )
    job_ids = fields.Many2many(
        "hr.job",
        "sp_evaluation_create_job_rel",
        "wizard_id",
        "job_id",
        string="Job Positions",
    )
    template_id = fields.Many2one(
        "sales.performance.evaluation.template",
        help="Use this template for everybody instead of each employee's own template.",
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_to < wizard.date_from:
                raise UserError(
                    self.env._("The evaluation period must end after it starts.")
                )

    def _get_employees(self):
        self.ensure_one()
        domains = []
        if self.department_ids:
            domains.append(Domain("department_id", "child_of", self.department_ids.ids))
        if self.job_ids:
            domains.append(Domain("job_id", "in", self.job_ids.ids))
        if self.team_ids:
            users = self.team_ids.member_ids | self.team_ids.user_id
            domains.append(Domain("user_id", "in", users.ids))
        if not domains:
            raise UserError(
                self.env._(
                    "Choose at least one department, sales team or job position."
                )
            )
        return (
            self.env["hr.employee"]
            .sudo()
            .search(
                Domain.AND(
                    [Domain.OR(domains), Domain("company_id", "=", self.company_id.id)]
                )
            )
        )

    def action_create(self):
        self.ensure_one()
        Evaluation = self.env["sales.performance.evaluation"]
        employees = self._get_employees()
        existing = (
            Evaluation.sudo()
            .search(
                Evaluation._search_domain_for_period(
                    employees, self.date_from, self.date_to
                )
            )
            .employee_id
        )
        Template = self.env["sales.performance.evaluation.template"]
        vals_list = []
        without_template = self.env["hr.employee"]
        for employee in employees - existing:
            template = self.template_id or Template._find_for_employee(
                employee, self.company_id
            )
            if not template:
                without_template |= employee
                continue
            vals_list.append(
                {
                    "employee_id": employee.id,
                    "company_id": self.company_id.id,
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "deadline": self.deadline,
                    "cycle": self.cycle,
                    "template_id": template.id,
                }
            )
        evaluations = Evaluation.create(vals_list)
        message = self.env._(
            "%(created)s evaluations created, %(skipped)s skipped (already evaluated "
            "for the "
            "period), %(missing)s without a template.",
            created=len(evaluations),
            skipped=len(existing),
            missing=len(without_template),
        )
        for evaluation in evaluations:
            evaluation.message_post(
                body=self.env._("Created in bulk for the period."),
                subtype_xmlid="mail.mt_note",
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_evaluation_action"
        )
        action["domain"] = [("id", "in", evaluations.ids)]
        action["context"] = {}
        action["help"] = message
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Evaluations"),
                "message": message,
                "type": "success" if evaluations else "warning",
                "sticky": False,
                "next": action,
            },
        }
