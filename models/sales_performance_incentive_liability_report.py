from odoo import fields, models, tools
from odoo.tools import SQL


class SalesPerformanceIncentiveLiabilityReport(models.Model):
    """Incentive liability per statement (plan, period, salesperson,
    company), read from the posted journal items of the statements' entries
    on their plan's accrued liability account: accrued (accrual entries and
    their reversals, credit positive), paid (settlement entries) and
    outstanding (accrued - paid). Summed over statements it is the balance of
    the liability account for these entries, in the company currency."""

    _name = "sales.performance.incentive.liability.report"
    _description = "Incentive Liability"
    _auto = False
    _order = "date_from desc, plan_id, user_id"
    # flushed before the view is read (not a cache invalidation)
    _depends = {
        "account.move": [
            "state",
            "sales_performance_statement_id",
            "sales_performance_entry_type",
        ],
        "account.move.line": ["move_id", "account_id", "balance"],
        "sales.performance.incentive.statement": [
            "plan_id",
            "user_id",
            "company_id",
            "date_from",
            "date_to",
            "state",
        ],
        "sales.performance.incentive.plan": ["liability_account_id"],
        "res.company": ["currency_id"],
    }

    statement_id = fields.Many2one(
        "sales.performance.incentive.statement", readonly=True
    )
    plan_id = fields.Many2one("sales.performance.incentive.plan", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    account_id = fields.Many2one(
        "account.account", string="Liability Account", readonly=True
    )
    date_from = fields.Date(string="Period Start", readonly=True)
    date_to = fields.Date(string="Period End", readonly=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("confirmed", "Confirmed"),
            ("approved", "Approved"),
            ("paid", "Paid"),
            ("cancel", "Cancelled"),
        ],
        string="Statement Status",
        readonly=True,
    )
    accrued = fields.Monetary(readonly=True)
    paid = fields.Monetary(readonly=True)
    outstanding = fields.Monetary(readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT s.id AS id,
                   s.id AS statement_id,
                   s.plan_id AS plan_id,
                   s.user_id AS user_id,
                   s.company_id AS company_id,
                   c.currency_id AS currency_id,
                   p.liability_account_id AS account_id,
                   s.date_from AS date_from,
                   s.date_to AS date_to,
                   s.state AS state,
                   SUM(CASE WHEN m.sales_performance_entry_type = 'accrual'
                            THEN -l.balance ELSE 0 END) AS accrued,
                   SUM(CASE WHEN m.sales_performance_entry_type = 'settlement'
                            THEN l.balance ELSE 0 END) AS paid,
                   SUM(-l.balance) AS outstanding
              FROM account_move_line l
              JOIN account_move m
                ON m.id = l.move_id
               AND m.state = 'posted'
               AND m.sales_performance_statement_id IS NOT NULL
              JOIN sales_performance_incentive_statement s
                ON s.id = m.sales_performance_statement_id
              JOIN sales_performance_incentive_plan p
                ON p.id = s.plan_id
               AND p.liability_account_id = l.account_id
              JOIN res_company c ON c.id = s.company_id
             GROUP BY s.id, c.currency_id, p.liability_account_id
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
