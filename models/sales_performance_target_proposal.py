"""Bottom-up target proposals (issue #16).

A salesperson proposes their own targets (state ``proposed``, with the
*Propose My Targets* wizard); their team leader or a sales performance
administrator approves them (to ``active``, or to ``draft`` when
``approve_to_draft`` is ticked on the target), adjusts the value with a reason
(the Revise Target wizard) or refuses them with a reason (state
``refused``). Each step is posted in the chatter and notifies the proposer;
the reviewer gets a To-Do activity when the proposal is submitted.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

PERF_MANAGER = "sales_performance.group_sales_performance_manager"
MAX_REASON_LENGTH = 2000


class SalesPerformanceTarget(models.Model):
    _inherit = "sales.performance.target"

    state = fields.Selection(
        selection_add=[
            ("proposed", "Proposed"),
            ("draft",),
            ("closed",),
            ("refused", "Refused"),
        ],
        ondelete={"proposed": "set default", "refused": "set default"},
    )
    proposed_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="The salesperson who proposed this target for themselves.",
    )
    approve_to_draft = fields.Boolean(
        string="Approve as Draft",
        copy=False,
        help="When ticked, approving the proposal turns it into a draft (to "
        "adjust or allocate before activating it) instead of an active target.",
    )
    refuse_reason = fields.Text(string="Refusal Reason", readonly=True, copy=False)
    can_review_proposal = fields.Boolean(compute="_compute_can_review_proposal")

    @api.depends_context("uid")
    @api.depends("state", "proposed_by_id")
    def _compute_can_review_proposal(self):
        is_admin = self.env.user.has_group(PERF_MANAGER)
        for target in self:
            target.can_review_proposal = (
                target.state == "proposed"
                and target.proposed_by_id != self.env.user
                and (is_admin or target._is_led_by(self.env.user))
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            is_admin = self.env.user.has_group(PERF_MANAGER)
            for vals in vals_list:
                proposing = vals.get("state") == "proposed"
                own = vals.get("user_id") == self.env.uid
                if proposing and not own:
                    raise AccessError(
                        self.env._(
                            "A proposal is made by a salesperson for themselves: "
                            "you cannot propose a target for somebody else."
                        )
                    )
                if own and not proposing and not is_admin:
                    raise AccessError(
                        self.env._(
                            "You set your own targets by proposing them (Propose My "
                            "Targets): your team leader or a manager approves them."
                        )
                    )
                if proposing:
                    vals["proposed_by_id"] = self.env.uid
                    vals.pop("approve_to_draft", None)
                    vals.pop("refuse_reason", None)
        else:
            for vals in vals_list:
                if vals.get("state") == "proposed":
                    vals.setdefault("proposed_by_id", vals.get("user_id"))
        targets = super().create(vals_list)
        targets.filtered(lambda t: t.state == "proposed")._notify_proposal_submitted()
        return targets

    def write(self, vals):
        if not self.env.su:
            if any(
                t.state in ("proposed", "refused") and t.proposed_by_id == self.env.user
                for t in self
            ):
                raise UserError(
                    self.env._(
                        "A submitted proposal cannot be changed by its author: your "
                        "team leader or a manager approves, adjusts or refuses it."
                    )
                )
            if vals.get("state") in ("proposed", "refused"):
                raise UserError(
                    self.env._(
                        "Targets are proposed with Propose My Targets and refused "
                        "with Refuse, not by changing their state."
                    )
                )
            if "proposed_by_id" in vals:
                raise AccessError(self.env._("The proposer of a target is fixed."))
        adjusted = {}
        if "target_value" in vals and not self.env.context.get(
            "sales_performance_resubmit"
        ):
            adjusted = {t: t.target_value for t in self if t.state == "proposed"}
        res = super().write(vals)
        for target, old_value in adjusted.items():
            target._notify_proposal_adjusted(old_value)
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_approve_proposal(self):
        """Approve proposals: active targets, or drafts for those whose
        ``approve_to_draft`` is ticked. The reviewer is the team leader or a
        sales performance administrator, never the proposer."""
        self._check_proposal_review()
        for target in self:
            new_state = "draft" if target.approve_to_draft else "active"
            # the rights were checked above: a team leader may approve to draft
            # although only administrators reopen targets to draft
            target.sudo().write({"state": new_state})
            if new_state == "active":
                body = self.env._(
                    "Proposal approved by %(user)s: the target is active.",
                    user=self.env.user.name,
                )
            else:
                body = self.env._(
                    "Proposal approved by %(user)s as a draft target.",
                    user=self.env.user.name,
                )
            target._post_to_proposer(body)
        self._close_review_activities(self.env._("Approved"))
        self.filtered(lambda t: t.state == "active")._recompute_batch()
        return True

    def action_refuse_proposal(self, reason=None):
        """Refuse proposals with ``reason`` (required): they stay in the chatter,
        in state ``refused``, and the proposer may propose again."""
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(self.env._("Say why the proposal is refused."))
        reason = reason.strip()
        if len(reason) > MAX_REASON_LENGTH:
            raise UserError(
                self.env._(
                    "The refusal reason is too long (at most %(max)s characters).",
                    max=MAX_REASON_LENGTH,
                )
            )
        self._check_proposal_review()
        self.sudo().write({"state": "refused", "refuse_reason": reason})
        for target in self:
            target._post_to_proposer(
                self.env._(
                    "Proposal refused by %(user)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                )
            )
        self._close_review_activities(self.env._("Refused"))
        return True

    def action_open_refuse_proposal(self):
        self.ensure_one()
        self._check_proposal_review()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_target_refuse_action"
        )
        action["context"] = {"default_target_id": self.id}
        return action

    def action_open_adjust_proposal(self):
        """Adjust a proposal's value with a reason: the Revise Target wizard."""
        self.ensure_one()
        self._check_proposal_review()
        return self.action_open_revise()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_proposal_review(self):
        """Raise unless every target of ``self`` is a proposal the current
        user may review: its team leader or an administrator, not its author,
        in a company they work in."""
        if not self:
            raise UserError(self.env._("Choose the proposals to review."))
        not_proposed = self.filtered(lambda t: t.state != "proposed")
        if not_proposed:
            raise UserError(
                self.env._(
                    "Only proposed targets can be approved or refused: %(names)s",
                    names=", ".join(not_proposed.mapped("name")),
                )
            )
        if not self.env.su:
            own = self.filtered(lambda t: t.proposed_by_id == self.env.user)
            if own:
                raise UserError(
                    self.env._(
                        "You cannot review your own proposal: %(names)s",
                        names=", ".join(own.mapped("name")),
                    )
                )
        self.check_access("write")
        self._check_manager()

    def _proposal_reviewer(self):
        """The team leader who reviews this proposal (none when the
        salesperson has no team, or leads it: administrators review)."""
        self.ensure_one()
        team = (self.team_id or self.user_id.sale_team_id).sudo()
        leader = team.user_id
        if (
            leader
            and leader != self.proposed_by_id
            and self.company_id in (leader.company_ids)
        ):
            return leader
        return self.env["res.users"]

    def _notify_proposal_submitted(self):
        activity_type = self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        )
        for target in self:
            reviewer = target._proposal_reviewer()
            body = self.env._(
                "Target proposed by %(user)s: %(value)s. Waiting for the team "
                "leader's or a manager's review.",
                user=target.proposed_by_id.name,
                value=target.target_value,
            )
            target.sudo().message_post(
                body=body,
                partner_ids=reviewer.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
            if reviewer and activity_type:
                target.sudo().activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=self.env._("Review the proposed target"),
                    user_id=reviewer.id,
                )

    def _notify_proposal_adjusted(self, old_value):
        self.ensure_one()
        reason = self.env.context.get("sales_performance_change_reason") or ""
        self._post_to_proposer(
            self.env._(
                "Proposal adjusted by %(user)s from %(old)s to %(new)s. Reason: "
                "%(reason)s",
                user=self.env.user.name,
                old=old_value,
                new=self.target_value,
                reason=reason,
            )
        )

    def _post_to_proposer(self, body):
        """A note in the chatter that notifies the proposer (the text is
        escaped: reasons are the reviewer's plain text)."""
        self.ensure_one()
        proposer = self.proposed_by_id
        self.sudo().message_post(
            body=Markup("<p>%s</p>") % body,
            partner_ids=proposer.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )

    def _close_review_activities(self, feedback):
        activity_type = self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        )
        if not activity_type:
            return
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        activities.action_feedback(feedback=feedback)
