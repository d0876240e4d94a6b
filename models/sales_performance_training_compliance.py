from odoo import fields, models, tools
from odoo.tools import SQL


class SalesPerformanceTrainingCompliance(models.Model):
    """Mandatory training: every employee × course made mandatory for their job
    position or one of their sales teams, with the state of their latest
    passed record (missing, expired, expiring soon or valid)."""

    _name = "sales.performance.training.compliance"
    _description = "Mandatory Training Compliance"
    _auto = False
    _order = "compliance_state, date_expiry, employee_id"

    employee_id = fields.Many2one("hr.employee", readonly=True)
    employee_user_id = fields.Many2one("res.users", string="User", readonly=True)
    manager_id = fields.Many2one("hr.employee", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    job_id = fields.Many2one("hr.job", string="Job Position", readonly=True)
    course_id = fields.Many2one("sales.performance.training.course", readonly=True)
    date_completed = fields.Date(string="Last Passed On", readonly=True)
    date_expiry = fields.Date(string="Certificate Expiry", readonly=True)
    compliance_state = fields.Selection(
        [
            ("missing", "Missing"),
            ("expired", "Expired"),
            ("expiring", "Expiring Soon"),
            ("valid", "Valid"),
        ],
        string="Status",
        readonly=True,
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                WITH warn AS (
                    SELECT COALESCE((
                        SELECT value::int FROM ir_config_parameter
                         WHERE key = 'sales_performance.training_expiry_warning_days'
                           AND value ~ '^[0-9]+$'
                    ), 30) AS days
                ), required AS (
                    SELECT e.id AS employee_id, r.course_id
                      FROM hr_employee e
                      JOIN hr_version v ON v.id = e.current_version_id
                      JOIN sales_performance_training_course_job_rel r
                        ON r.job_id = v.job_id
                     WHERE e.active
                    UNION
                    SELECT e.id AS employee_id, r.course_id
                      FROM hr_employee e
                      JOIN crm_team_member m
                        ON m.user_id = e.user_id AND m.active
                      JOIN sales_performance_training_course_team_rel r
                        ON r.team_id = m.crm_team_id
                     WHERE e.active
                ), latest AS (
                    SELECT DISTINCT ON (rec.employee_id, rec.course_id)
                           rec.employee_id, rec.course_id, rec.date_completed,
                           rec.date_expiry
                      FROM sales_performance_training_record rec
                     WHERE rec.status = 'passed'
                  ORDER BY rec.employee_id, rec.course_id,
                           rec.date_expiry DESC NULLS FIRST,
                           rec.date_completed DESC NULLS LAST
                )
                SELECT row_number() OVER (
                           ORDER BY req.employee_id, req.course_id
                       ) AS id,
                       req.employee_id, e.user_id AS employee_user_id,
                       e.parent_id AS manager_id, e.company_id, v.job_id,
                       req.course_id, l.date_completed, l.date_expiry,
                       CASE
                           WHEN l.employee_id IS NULL THEN 'missing'
                           WHEN c.validity_months > 0 AND l.date_expiry IS NULL
                               THEN 'expired'
                           WHEN l.date_expiry < CURRENT_DATE THEN 'expired'
                           WHEN l.date_expiry <= CURRENT_DATE + warn.days
                               THEN 'expiring'
                           ELSE 'valid'
                       END AS compliance_state
                  FROM required req
                  JOIN hr_employee e ON e.id = req.employee_id
                  LEFT JOIN hr_version v ON v.id = e.current_version_id
                  JOIN sales_performance_training_course c
                    ON c.id = req.course_id AND c.active
                  LEFT JOIN latest l
                    ON l.employee_id = req.employee_id
                   AND l.course_id = req.course_id
                 CROSS JOIN warn
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
