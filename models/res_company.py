from datetime import time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..engine import figures, periods

DEFAULT_WEEKDAYS = (0, 1, 2, 3, 4)


class ResCompany(models.Model):
    _inherit = "res.company"

    sales_performance_max_growth = fields.Float(
        string="Achievable Growth (%)",
        default=30.0,
        help="A target asking for more growth over the previous comparable period "
        "than this is flagged as possibly not achievable.",
    )
    sales_performance_at_risk_ratio = fields.Float(
        string="At Risk Below Forecast (%)",
        default=80.0,
        help="A running target whose forecast reaches this share of the target "
        "(but not all of it) is at risk; below it is off track.",
    )
    sales_performance_csat_survey_id = fields.Many2one(
        "survey.survey",
        string="Customer Satisfaction Survey",
        help="The survey sent to customers about their confirmed orders.",
    )
    sales_performance_csat_delay_days = fields.Integer(
        string="Send Satisfaction Survey After (days)",
        help="Send the survey automatically this many days after an order is "
        "invoiced; 0: only by hand.",
    )
    sales_performance_feedback_min_answers = fields.Integer(
        string="Minimum 360° Answers",
        default=3,
        help="The employee sees their feedback score only once at least this many "
        "colleagues have answered.",
    )
    sales_performance_stale_days = fields.Integer(
        string="Stale Opportunity After (days)",
        default=14,
        help="An open opportunity with no message and no activity for this many "
        "days is shown as stale in the cockpit.",
    )

    @api.constrains("sales_performance_stale_days")
    def _check_sales_performance_stale_days(self):
        for company in self:
            if not 1 <= company.sales_performance_stale_days <= 3650:
                raise ValidationError(
                    self.env._(
                        "The days after which an opportunity is stale must be "
                        "between 1 and 3650 (%(company)s).",
                        company=company.name,
                    )
                )

    @api.constrains(
        "sales_performance_csat_survey_id",
        "sales_performance_csat_delay_days",
        "sales_performance_feedback_min_answers",
    )
    def _check_sales_performance_surveys(self):
        for company in self:
            if not 0 <= company.sales_performance_csat_delay_days <= 3650:
                raise ValidationError(
                    self.env._(
                        "The satisfaction survey must be sent between 0 and 3650 "
                        "days after the order is invoiced (%(company)s).",
                        company=company.name,
                    )
                )
            if not 1 <= company.sales_performance_feedback_min_answers <= 1000:
                raise ValidationError(
                    self.env._(
                        "The minimum number of 360° answers must be between 1 and "
                        "1000 (%(company)s).",
                        company=company.name,
                    )
                )
            survey = company.sales_performance_csat_survey_id
            # surveys have no company in Community; should one get it, only
            # the company's own or shared surveys may be used
            survey_company = "company_id" in survey._fields and survey.company_id
            if survey_company and survey_company != company:
                raise ValidationError(
                    self.env._(
                        "The satisfaction survey %(survey)s belongs to another "
                        "company than %(company)s.",
                        survey=survey.display_name,
                        company=company.name,
                    )
                )

    def _sales_performance_calendar(self):
        """Weekdays, public holidays and at-risk ratio used to pace targets."""
        self.ensure_one()
        return figures.Calendar(
            self._sales_performance_weekdays(),
            self._sales_performance_holidays(),
            self.sales_performance_at_risk_ratio / 100.0,
        )

    def _sales_performance_weekdays(self):
        """Working weekdays (Monday = 0) of the company's working schedule,
        Monday to Friday when it has none."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        days = {int(day) for day in calendar.attendance_ids.mapped("dayofweek")}
        return tuple(sorted(days)) or DEFAULT_WEEKDAYS

    def _sales_performance_holidays(self):
        """Public holidays of the company's working schedule: the days (in
        the schedule's time zone) covered by its global time off (no
        resource), sorted, for pacing to leave out of the working days."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            return ()
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_fetch(
                Domain("resource_id", "=", False)
                & (
                    Domain("calendar_id", "=", calendar.id)
                    | (
                        Domain("calendar_id", "=", False)
                        & Domain("company_id", "in", [self.id, False])
                    )
                ),
                ["date_from", "date_to"],
            )
        )
        tz = pytz.timezone(periods.counting_tz(calendar.tz))
        days = set()
        for leave in leaves:
            first = pytz.utc.localize(leave.date_from).astimezone(tz).date()
            end = pytz.utc.localize(leave.date_to).astimezone(tz)
            last = end.date()
            if last > first and end.time() == time.min:
                last -= timedelta(days=1)  # ends at midnight: that day is worked
            days.update(
                first + timedelta(days=offset)
                for offset in range((last - first).days + 1)
            )
        return tuple(sorted(days))
