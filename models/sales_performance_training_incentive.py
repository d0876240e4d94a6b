from odoo import fields, models


class SalesPerformanceIncentivePlan(models.Model):
    _inherit = "sales.performance.incentive.plan"

    required_course_ids = fields.Many2many(
        "sales.performance.training.course",
        "sales_performance_incentive_plan_course_rel",
        "plan_id",
        "course_id",
        string="Required Certifications",
        help="Courses the salesperson must have passed, with a certificate still "
        "valid when the statement is computed; otherwise the payout is held.",
    )

    def _eligibility_holds(self, users, date_from=None, date_to=None):
        """Payouts are held for salespeople without a valid certificate of
        every required course (one search for the employees and one for the
        certificates, whatever the number of salespeople)."""
        reasons = super()._eligibility_holds(users, date_from, date_to)
        if not self.required_course_ids:
            return reasons
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search_fetch(
                [
                    ("user_id", "in", users.ids),
                    ("company_id", "=", self.company_id.id),
                ],
                ["user_id"],
                order="id",
            )
        )
        employee_of = {}
        for employee in employees:
            employee_of.setdefault(employee.user_id.id, employee)
        courses = self.required_course_ids.sudo()
        day = self.env.context.get("training_eligibility_date") or (
            fields.Date.context_today(self)
        )
        valid = self.env["sales.performance.training.record"]._valid_certificates(
            employees, courses, day
        )
        valid_courses = {}
        for record in valid:
            valid_courses.setdefault(record.employee_id.id, []).append(
                record.course_id.id
            )
        users.partner_id.fetch(["lang"])
        for user in users:
            lang = user.lang or self.env.lang or "en_US"
            env = self.with_context(lang=lang).env
            employee = employee_of.get(user.id)
            if not employee:
                reason = env._(
                    "No employee is linked to the salesperson: required "
                    "certifications cannot be checked (%(courses)s).",
                    courses=", ".join(courses.with_env(env).mapped("name")),
                )
                reasons[user.id] = " ".join(
                    filter(None, (reasons.get(user.id), reason))
                )
                continue
            missing = courses - courses.browse(valid_courses.get(employee.id, ()))
            if missing:
                reason = env._(
                    "Required certification missing or expired: %(courses)s.",
                    courses=", ".join(missing.with_env(env).mapped("name")),
                )
                reasons[user.id] = " ".join(
                    filter(None, (reasons.get(user.id), reason))
                )
        return reasons
