from collections import defaultdict

from odoo import api, fields, models

from ..engine import training


class SalesPerformanceTrainingEffectiveness(models.Model):
    """Effectiveness of a course on a metric, refreshed on demand (course form
    button): one row for the attendees and one for comparable employees who
    did not attend. See the README, section "Training"."""

    _name = "sales.performance.training.effectiveness"
    _description = "Training Effectiveness"
    _order = "course_id, metric_id, group_type"

    course_id = fields.Many2one(
        "sales.performance.training.course",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one("res.company", index=True)
    metric_id = fields.Many2one(
        "sales.performance.metric", required=True, ondelete="cascade"
    )
    group_type = fields.Selection(
        [("attendees", "Attendees"), ("others", "Comparable Non-attendees")],
        string="Group",
        required=True,
    )
    periods = fields.Integer(string="Periods Before/After")
    people_count = fields.Integer(string="People Measured", aggregator="sum")
    attainment_before = fields.Float(
        string="Attainment Before (%)", digits=(16, 2), aggregator="avg"
    )
    attainment_after = fields.Float(
        string="Attainment After (%)", digits=(16, 2), aggregator="avg"
    )
    change = fields.Float(string="Change (points)", digits=(16, 2), aggregator="avg")
    effect = fields.Float(
        string="Effect vs Non-attendees (points)",
        digits=(16, 2),
        aggregator="avg",
        help="Attendees' change minus the change of comparable non-attendees.",
    )
    date_computed = fields.Datetime(string="Computed On")

    @api.model
    def _attendance_dates(self, course):
        """{employee: training date} of the course's attendees: passed or
        attended records with a completion date (the earliest one)."""
        dates = {}
        records = (
            self.env["sales.performance.training.record"]
            .sudo()
            .search(
                [
                    ("course_id", "=", course.id),
                    ("status", "in", ("attended", "passed")),
                    ("date_completed", "!=", False),
                ]
            )
        )
        for record in records:
            employee = record.employee_id
            if employee not in dates or record.date_completed < dates[employee]:
                dates[employee] = record.date_completed
        return dates

    @api.model
    def _comparables(self, course, attendees):
        """Employees with a user, of the attendees' companies, holding the job
        position of an attendee (any when no attendee has one), who never
        registered for the course."""
        registered = (
            self.env["sales.performance.training.record"]
            .sudo()
            .search([("course_id", "=", course.id)])
            .employee_id
        )
        domain = [
            ("user_id", "!=", False),
            ("company_id", "in", attendees.company_id.ids),
            ("id", "not in", registered.ids),
        ]
        if attendees.job_id:
            domain.append(("job_id", "in", attendees.job_id.ids))
        return self.env["hr.employee"].sudo().search(domain)

    @api.model
    def _periods_by_user(self, metric, users):
        """{user id: [(date_from, date_to, attainment)]} of their own targets
        (salesperson targets with a positive target value)."""
        result = defaultdict(list)
        targets = (
            self.env["sales.performance.target"]
            .sudo()
            .search(
                [
                    ("metric_id", "=", metric.id),
                    ("assignee_type", "=", "user"),
                    ("user_id", "in", users.ids),
                    ("target_value", ">", 0),
                ]
            )
        )
        for target in targets:
            result[target.user_id.id].append(
                (target.date_from, target.date_to, target.attainment)
            )
        return result

    @api.model
    def _refresh(self, courses):
        self.sudo().search([("course_id", "in", courses.ids)]).unlink()
        vals_list = []
        now = fields.Datetime.now()
        for course in courses.sudo():
            dates = self._attendance_dates(course)
            attendees = self.env["hr.employee"].union(*dates)
            if not attendees:
                continue
            others = self._comparables(course, attendees)
            # Non-attendees are measured around the attendees' first training.
            reference = min(dates.values())
            count = course.effectiveness_periods
            for metric in course.metric_ids:
                periods = self._periods_by_user(
                    metric, attendees.user_id | others.user_id
                )
                result = training.effectiveness(
                    [(dates[e], periods.get(e.user_id.id, [])) for e in attendees],
                    [(reference, periods.get(e.user_id.id, [])) for e in others],
                    count,
                )
                for group_type in ("attendees", "others"):
                    figures = result[group_type]
                    vals_list.append(
                        {
                            "course_id": course.id,
                            "company_id": course.company_id.id,
                            "metric_id": metric.id,
                            "group_type": group_type,
                            "periods": count,
                            "people_count": figures["count"],
                            "attainment_before": figures["before"] or 0.0,
                            "attainment_after": figures["after"] or 0.0,
                            "change": figures["change"] or 0.0,
                            "effect": result["effect"] or 0.0,
                            "date_computed": now,
                        }
                    )
        return self.sudo().create(vals_list)

    @api.model
    def _cron_refresh(self):
        """Scheduled action: refresh the effectiveness of every active course
        measured on metrics (attendance and attainments change every day)."""
        courses = (
            self.env["sales.performance.training.course"]
            .sudo()
            .search([("metric_ids", "!=", False)])
        )
        return self._refresh(courses)
