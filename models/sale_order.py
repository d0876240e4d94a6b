import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# satisfaction surveys sent by one run of the scheduled action (the rest
# follows in the next run, committed batch by batch)
CSAT_BATCH = 200


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = [
        "sale.order",
        "sales.performance.credit.split.mixin",
        "sales.performance.freshness.mixin",
    ]

    sales_performance_csat_sent_date = fields.Datetime(
        string="Satisfaction Survey Sent On",
        copy=False,
        readonly=True,
        help="When the customer satisfaction survey about this order was last sent.",
    )
    sales_performance_csat_ids = fields.One2many(
        "survey.user_input",
        "sales_performance_order_id",
        string="Satisfaction Answers",
    )
    sales_performance_csat_count = fields.Integer(
        string="Satisfaction Surveys",
        compute="_compute_sales_performance_csat_count",
    )

    def _compute_sales_performance_csat_count(self):
        counts = dict(
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [("sales_performance_order_id", "in", self.ids)],
                ["sales_performance_order_id"],
                ["__count"],
            )
        )
        for order in self:
            order.sales_performance_csat_count = counts.get(order, 0)

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        from_leads = orders.filtered("opportunity_id")
        if from_leads:
            # an order made from an opportunity is credited like it
            self.env["sales.performance.credit.split"]._copy_split(
                "sale.order",
                from_leads,
                {
                    order.id: [
                        (
                            1.0,
                            "crm.lead",
                            order.opportunity_id.id,
                            order.opportunity_id.user_id.id,
                        )
                    ]
                    for order in from_leads
                },
            )
        return orders

    # ------------------------------------------------------------------
    # Customer satisfaction
    # ------------------------------------------------------------------
    def action_sales_performance_send_survey(self):
        """Invite the customers of these confirmed orders to the company's
        satisfaction survey and e-mail them the link. An order whose
        invitation is still unanswered gets the same invitation again (never
        a second one); one already answered gets a new one."""
        self.check_access("write")
        for order in self:
            order._sales_performance_check_csat()
        self._sales_performance_send_csat()
        return True

    def action_sales_performance_view_csat(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.survey_user_input_action_csat"
        )
        action["domain"] = [("sales_performance_order_id", "=", self.id)]
        return action

    def _sales_performance_check_csat(self):
        """Why this order's survey cannot be sent, as a UserError."""
        self.ensure_one()
        if self.state != "sale":
            raise UserError(
                self.env._(
                    "The satisfaction survey is sent about confirmed orders only; "
                    "%(order)s is not confirmed.",
                    order=self.name,
                )
            )
        survey = self.company_id.sales_performance_csat_survey_id
        if not survey:
            raise UserError(
                self.env._(
                    "No customer satisfaction survey is set for %(company)s: choose "
                    "one in the Sales Performance settings.",
                    company=self.company_id.name,
                )
            )
        if not survey.active:
            raise UserError(
                self.env._(
                    "The customer satisfaction survey %(survey)s is archived.",
                    survey=survey.display_name,
                )
            )
        if not self.partner_id.email:
            raise UserError(
                self.env._(
                    "The customer %(customer)s of %(order)s has no e-mail address to "
                    "send the satisfaction survey to.",
                    customer=self.partner_id.display_name,
                    order=self.name,
                )
            )

    def _sales_performance_send_csat(self):
        """Create (or reuse the pending) invitation of each order's customer
        and queue its e-mail: a few queries per order, none per answer line.
        The orders are assumed checked (``_sales_performance_check_csat``)."""
        if not self:
            return self.env["survey.user_input"]
        Answer = self.env["survey.user_input"].sudo()
        pending = {
            answer.sales_performance_order_id: answer
            for answer in Answer.search(
                [
                    ("sales_performance_order_id", "in", self.ids),
                    ("sales_performance_evaluation_id", "=", False),
                    ("state", "!=", "done"),
                ],
                order="id desc",
            )
        }
        template = self.env.ref(
            "sales_performance.mail_template_csat_invite", raise_if_not_found=False
        ) or self.env.ref("survey.mail_template_user_input_invite")
        now = fields.Datetime.now()
        answers = Answer.browse()
        for order in self:
            survey = order.company_id.sales_performance_csat_survey_id.sudo()
            answer = pending.get(order)
            if not answer or answer.survey_id != survey:
                answer = survey._create_answer(
                    partner=order.partner_id,
                    check_attempts=False,
                    **{
                        "sales_performance_user_id": order.user_id.id,
                        "sales_performance_order_id": order.id,
                    },
                )
            template.sudo().send_mail(
                answer.id,
                email_layout_xmlid="mail.mail_notification_light",
                email_values={"recipient_ids": [(4, order.partner_id.id)]},
            )
            order.message_post(
                body=self.env._(
                    "Satisfaction survey %(survey)s sent to %(customer)s.",
                    survey=survey.display_name,
                    customer=order.partner_id.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            answers |= answer
        self.sudo().write({"sales_performance_csat_sent_date": now})
        return answers

    @api.model
    def _cron_send_satisfaction_surveys(self, batch_size=CSAT_BATCH):
        """Send the satisfaction survey of the orders invoiced the company's
        delay ago (first posted customer invoice), once per order: the orders
        due are found by one query, then sent by batches."""
        today = fields.Date.context_today(self)
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT so.id
                  FROM sale_order so
                  JOIN res_company c ON c.id = so.company_id
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale'
                   AND so.sales_performance_csat_sent_date IS NULL
                   AND c.sales_performance_csat_survey_id IS NOT NULL
                   AND c.sales_performance_csat_delay_days > 0
                   AND COALESCE(p.email, '') != ''
                   AND NOT EXISTS (
                       SELECT 1 FROM survey_user_input a
                        WHERE a.sales_performance_order_id = so.id)
                   AND (SELECT MIN(m.invoice_date)
                          FROM sale_order_line sol
                          JOIN sale_order_line_invoice_rel r
                            ON r.order_line_id = sol.id
                          JOIN account_move_line aml ON aml.id = r.invoice_line_id
                          JOIN account_move m ON m.id = aml.move_id
                         WHERE sol.order_id = so.id
                           AND m.state = 'posted'
                           AND m.move_type = 'out_invoice')
                       <= %s::date - c.sales_performance_csat_delay_days
                 ORDER BY so.id
                """,
                today,
            )
        )
        order_ids = [row[0] for row in rows]
        _logger.info("Sending the satisfaction survey of %s orders", len(order_ids))
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        while order_ids:
            batch, order_ids = order_ids[:batch_size], order_ids[batch_size:]
            orders = self.browse(batch)
            survey_ok = orders.filtered(
                lambda o: o.company_id.sales_performance_csat_survey_id.active
            )
            survey_ok._sales_performance_send_csat()
            if in_cron:
                # commits: a batch sent stays sent whatever happens next
                self.env["ir.cron"]._commit_progress(
                    len(batch), remaining=len(order_ids)
                )
