from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command, Domain


class SalesPerformanceEvaluationCreate(models.TransientModel):
    """Launch evaluation cycles for departments, sales teams or job positions:
    one cycle per template, its participants being the chosen employees who
    are not evaluated yet for an overlapping period."""

    _name = "sales.performance.evaluation.create"
    _description = "Launch Evaluation Cycles in Bulk"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(string="Start", required=True)
    date_to = fields.Date(string="End", required=True)
    deadline_self = fields.Date(string="Self-assessment Deadline")
    deadline = fields.Date(
        string="Review Deadline",
        help="When the evaluations must be done (the cycle's manager review deadline).",
    )
    cycle = fields.Char(
        string="Cycle Name",
        help="Name of the cycle to create, e.g. 2026 H1; one cycle is created per "
        "template (named after it when there are several).",
    )
    recurrence = fields.Selection(
        [
            ("none", "None"),
            ("quarterly", "Quarterly"),
            ("half_yearly", "Half-yearly"),
            ("yearly", "Yearly"),
        ],
        default="none",
        required=True,
    )
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

    def _prepare_cycle_vals(self, template, employees, several):
        name = self.cycle or self.env._(
            "Evaluations %(date_from)s - %(date_to)s",
            date_from=self.date_from,
            date_to=self.date_to,
        )
        if several:
            name = self.env._(
                "%(cycle)s - %(template)s", cycle=name, template=template.name
            )
        return {
            "name": name,
            "company_id": self.company_id.id,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "template_id": template.id,
            "employee_ids": [Command.set(employees.ids)],
            "deadline_self": self.deadline_self,
            "deadline_manager": self.deadline,
            "recurrence": self.recurrence,
        }

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
        by_template = {}
        without_template = self.env["hr.employee"]
        for employee in employees - existing:
            template = self.template_id or Template._find_for_employee(
                employee, self.company_id
            )
            if not template:
                without_template |= employee
                continue
            by_template[template] = by_template.get(template, employee.browse()) | (
                employee
            )
        Cycle = self.env["sales.performance.evaluation.cycle"]
        cycles = Cycle.create(
            [
                self._prepare_cycle_vals(template, members, len(by_template) > 1)
                for template, members in by_template.items()
            ]
        )
        evaluations = cycles._launch()
        message = self.env._(
            "%(created)s evaluations created, %(skipped)s skipped (already "
            "evaluated for the period), %(missing)s without a template; "
            "%(cycles)s cycles launched.",
            created=len(evaluations),
            cycles=len(cycles),
            skipped=len(existing),
            missing=len(without_template),
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
