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

    def _eligibility_hold(self, user):
        reason = super()._eligibility_hold(user)
        if reason or not self.required_course_ids:
            return reason
        lang = user.lang or self.env.lang or "en_US"
        env = self.with_context(lang=lang).env
        employee = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [("user_id", "=", user.id), ("company_id", "=", self.company_id.id)],
                limit=1,
            )
        )
        courses = self.required_course_ids.sudo().with_context(lang=lang)
        if not employee:
            return env._(
                "No employee is linked to the salesperson: required certifications "
                "cannot be checked (%(courses)s).",
                courses=", ".join(courses.mapped("name")),
            )
        day = self.env.context.get("training_eligibility_date") or (
            fields.Date.context_today(self)
        )
        valid = self.env["sales.performance.training.record"]._valid_certificates(
            employee, courses, day
        )
        missing = courses - valid.course_id
        if missing:
            return env._(
                "Required certification missing or expired: %(courses)s.",
                courses=", ".join(missing.mapped("name")),
            )
        return False
