import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..engine import segments as abc

_logger = logging.getLogger(__name__)

MANAGER = "sales_performance.group_sales_performance_manager"
SEGMENT_SELECTION = [("a", "A"), ("b", "B"), ("c", "C")]


class ResPartner(models.Model):
    _inherit = "res.partner"

    sales_performance_segment = fields.Selection(
        SEGMENT_SELECTION,
        string="Customer Segment",
        index=True,
        copy=False,
        readonly=True,
        help="ABC segment of the customer by invoiced revenue over the trailing "
        "12 months (posted invoices minus credit notes, untaxed): A, the top "
        "customers making up 80 % of the revenue; B, the next 15 %; C, the rest "
        "with revenue. Customers without revenue have no segment. Recomputed every "
        "week and on demand, for the commercial entity (the company) and its "
        "contacts.",
    )

    @api.model
    def _commercial_fields(self):
        # a contact shows the segment of its company (synced on create/write)
        return super()._commercial_fields() + ["sales_performance_segment"]

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("sales_performance_segment") for vals in vals_list):
            self._sales_performance_check_segment_manager()
        return super().create(vals_list)

    def write(self, vals):
        if "sales_performance_segment" in vals:
            self._sales_performance_check_segment_manager()
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def action_sales_performance_recompute_segments(self):
        """Recompute the segments of every customer now (managers only)."""
        self._sales_performance_check_segment_manager()
        counts = self.sudo()._sales_performance_compute_segments()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Customer segments recomputed"),
                "message": self.env._(
                    "%(a)s customers in segment A, %(b)s in B and %(c)s in C.",
                    a=counts["a"],
                    b=counts["b"],
                    c=counts["c"],
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _sales_performance_check_segment_manager(self):
        """The segments are computed: only the recompute (and the sync of a
        company's segment to its contacts, as superuser) or a sales
        performance administrator may set them."""
        if not (self.env.su or self.env.user.has_group(MANAGER)):
            raise AccessError(
                self.env._(
                    "Only a sales performance administrator can recompute or set "
                    "the customer segments."
                )
            )

    @api.model
    def _cron_compute_sales_performance_segments(self):
        self._sales_performance_compute_segments()

    @api.model
    def _sales_performance_segment_revenue(self, date_from, date_to):
        """``{(company_id, commercial_partner_id): revenue}``: posted customer
        invoices minus posted credit notes dated from ``date_from`` to
        ``date_to``, untaxed, in company currency (one GROUP BY)."""
        self.env["account.move"].flush_model(
            [
                "move_type",
                "state",
                "invoice_date",
                "company_id",
                "commercial_partner_id",
                "amount_untaxed_signed",
            ]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT company_id, commercial_partner_id, SUM(amount_untaxed_signed)
                  FROM account_move
                 WHERE move_type IN ('out_invoice', 'out_refund')
                   AND state = 'posted'
                   AND invoice_date BETWEEN %(date_from)s AND %(date_to)s
                   AND commercial_partner_id IS NOT NULL
              GROUP BY company_id, commercial_partner_id
                """,
                date_from=date_from,
                date_to=date_to,
            )
        )
        return {
            (company, partner): revenue or 0.0 for company, partner, revenue in rows
        }

    @api.model
    def _sales_performance_compute_segments(self, today=None):
        """Rank the customers of each company by their revenue over the
        trailing 12 months (``today`` and the 12 months before it: from the
        same day a year ago + 1 day) and store the segment on the commercial
        partners: per company of the invoices, in that company's currency (no
        conversion); a customer invoiced by several companies keeps its best
        segment (A over B over C). The commercial partner and its contacts
        get it. One UPDATE per segment, one to clear the customers that lost
        theirs. Returns ``{segment: number of commercial partners}``."""
        today = today or fields.Date.context_today(self)
        date_from = today - relativedelta(years=1) + relativedelta(days=1)
        revenue = self._sales_performance_segment_revenue(date_from, today)
        by_company = defaultdict(dict)
        for (company_id, partner_id), amount in revenue.items():
            by_company[company_id][partner_id] = amount
        segment_of = {}
        for company_revenue in by_company.values():
            for partner_id, segment in abc.segments(company_revenue).items():
                segment_of[partner_id] = abc.best(segment_of.get(partner_id), segment)
        ids_by_segment = {segment: [] for segment in abc.SEGMENTS}
        for partner_id, segment in segment_of.items():
            ids_by_segment[segment].append(partner_id)

        self.flush_model(["sales_performance_segment", "commercial_partner_id"])
        cr = self.env.cr
        for segment, partner_ids in ids_by_segment.items():
            if partner_ids:
                cr.execute(
                    SQL(
                        """
                        UPDATE res_partner SET sales_performance_segment = %(segment)s
                         WHERE commercial_partner_id = ANY(%(ids)s)
                           AND sales_performance_segment IS DISTINCT FROM %(segment)s
                        """,
                        segment=segment,
                        ids=partner_ids,
                    )
                )
        cr.execute(
            SQL(
                """
                UPDATE res_partner SET sales_performance_segment = NULL
                 WHERE sales_performance_segment IS NOT NULL
                   AND (commercial_partner_id IS NULL
                        OR NOT (commercial_partner_id = ANY(%(ids)s)))
                """,
                ids=list(segment_of),
            )
        )
        self.invalidate_model(["sales_performance_segment"])
        counts = {segment: len(ids) for segment, ids in ids_by_segment.items()}
        _logger.info(
            "Customer segments from %s to %s: %s A, %s B, %s C",
            date_from,
            today,
            counts["a"],
            counts["b"],
            counts["c"],
        )
        return counts
