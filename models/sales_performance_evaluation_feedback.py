"""360° feedback on evaluations: a feedback survey per template and
evaluation, invitations to colleagues, the completed answers' count and
average score (shown to the evaluated employee only from the company's
anonymity threshold), and evaluation lines of kind ``feedback``."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..engine import scoring

OPEN_STATES = ("draft", "self_assessment", "manager_review")
FEEDBACK_KIND = [("feedback", "360° Feedback")]


class SalesPerformanceEvaluationTemplate(models.Model):
    _inherit = "sales.performance.evaluation.template"

    feedback_survey_id = fields.Many2one(
        "survey.survey",
        help="The survey colleagues answer about the evaluated employee (360° "
        "feedback); copied into the evaluations made from this template.",
    )


class SalesPerformanceEvaluationTemplateLine(models.Model):
    _inherit = "sales.performance.evaluation.template.line"

    kind = fields.Selection(
        selection_add=FEEDBACK_KIND, ondelete={"feedback": "cascade"}
    )


class SalesPerformanceEvaluation(models.Model):
    _inherit = "sales.performance.evaluation"

    feedback_survey_id = fields.Many2one(
        "survey.survey",
        compute="_compute_feedback_survey_id",
        store=True,
        readonly=False,
        tracking=True,
        help="The survey colleagues answer about the employee; from the template, "
        "changeable while the evaluation is open.",
    )
    feedback_input_ids = fields.One2many(
        "survey.user_input",
        "sales_performance_evaluation_id",
        string="Feedback Answers",
        groups="hr.group_hr_user",
    )
    feedback_line_ids = fields.One2many(
        "sales.performance.evaluation.line",
        "evaluation_id",
        string="Feedback Lines",
        domain=[("kind", "=", "feedback")],
    )
    feedback_count = fields.Integer(
        string="Feedback Answers Count",
        compute="_compute_feedback",
        help="Completed answers of colleagues (hidden from the employee below the "
        "anonymity threshold).",
    )
    feedback_score = fields.Float(
        string="Feedback Score (%)",
        compute="_compute_feedback",
        digits=(16, 2),
        help="Average score (%) of the colleagues' completed answers (hidden from the "
        "employee below the anonymity threshold).",
    )
    feedback_pending_count = fields.Integer(
        string="Pending Feedback Requests", compute="_compute_feedback"
    )
    feedback_visible = fields.Boolean(
        compute="_compute_feedback",
        help="Whether the current user may see the feedback figures.",
    )
    feedback_min_answers = fields.Integer(
        related="company_id.sales_performance_feedback_min_answers",
        string="Minimum 360° Answers",
    )

    @api.depends("template_id")
    def _compute_feedback_survey_id(self):
        for evaluation in self:
            evaluation.feedback_survey_id = (
                evaluation.template_id.sudo().feedback_survey_id
            )

    def _feedback_figures(self):
        """``{evaluation id: (completed count, average score, pending count)}``
        of the real (saved) evaluations, in one grouped query, whoever reads."""
        ids = [evaluation.id for evaluation in self if isinstance(evaluation.id, int)]
        figures = dict.fromkeys(ids, (0, 0.0, 0))
        if not ids:
            return figures
        groups = (
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [("sales_performance_evaluation_id", "in", ids)],
                ["sales_performance_evaluation_id", "state"],
                ["__count", "scoring_percentage:array_agg"],
            )
        )
        done, pending = {}, {}
        for evaluation, state, count, percentages in groups:
            if state == "done":
                done[evaluation.id] = (count, scoring.feedback_score(percentages))
            else:
                pending[evaluation.id] = pending.get(evaluation.id, 0) + count
        for evaluation_id in ids:
            count, score = done.get(evaluation_id, (0, 0.0))
            figures[evaluation_id] = (count, score, pending.get(evaluation_id, 0))
        return figures

    @api.depends_context("uid")
    @api.depends(
        "feedback_input_ids.state",
        "feedback_input_ids.scoring_percentage",
        "company_id.sales_performance_feedback_min_answers",
    )
    def _compute_feedback(self):
        figures = self._feedback_figures()
        for evaluation in self:
            count, score, pending = figures.get(evaluation.id, (0, 0.0, 0))
            visible = evaluation._feedback_visible_to_user(count)
            evaluation.feedback_visible = visible
            evaluation.feedback_count = count if visible else 0
            evaluation.feedback_score = score if visible else 0.0
            evaluation.feedback_pending_count = pending if visible else 0

    def _feedback_visible_to_user(self, count):
        """The evaluated employee sees the figures from the company's threshold
        on; everybody else who reads the evaluation sees them always."""
        self.ensure_one()
        if self.env.su or self.employee_user_id != self.env.user:
            return True
        return scoring.feedback_visible(
            count, self.company_id.sales_performance_feedback_min_answers
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        if "feedback_survey_id" in vals:
            closed = self.filtered(lambda e: e.state not in OPEN_STATES)
            if closed:
                raise UserError(
                    self.env._(
                        "The feedback survey of %(name)s can only change while the "
                        "evaluation is open.",
                        name=closed[0].name,
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_request_feedback(self, user_ids=None):
        """Invite each colleague of ``user_ids`` (ids or a ``res.users``
        recordset) to answer the evaluation's feedback survey, and e-mail the
        invitation (queued). Everything is checked before anything is saved."""
        self._check_role(
            {"hr", "manager"},
            self.env._(
                "Only the employee's manager or an HR officer can request feedback."
            ),
        )
        users = self._feedback_request_users(user_ids)
        pending = self._feedback_pending_by_evaluation()
        for evaluation in self:
            evaluation._check_feedback_request(users, pending.get(evaluation.id, set()))
        template = self.env.ref(
            "survey.mail_template_user_input_invite", raise_if_not_found=False
        )
        for evaluation in self:
            survey = evaluation.sudo().feedback_survey_id
            answers = self.env["survey.user_input"].sudo()
            for user in users.sudo():
                answers |= survey._create_answer(
                    user=user,
                    check_attempts=False,
                    sales_performance_evaluation_id=evaluation.id,
                )
            evaluation._send_feedback_invitations(survey, answers, template)
            evaluation.sudo().message_post(
                body=self.env._(
                    "360° feedback requested from %(count)s colleague(s).",
                    count=len(answers),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_open_feedback_request(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Feedback"),
            "res_model": "sales.performance.evaluation.feedback.request",
            "view_mode": "form",
            "target": "new",
            "context": {"default_evaluation_id": self.id},
        }

    def action_view_feedback(self):
        """HR officers: the answers, with who gave them."""
        self.ensure_one()
        if not self.env.user.has_group("hr.group_hr_user"):
            raise AccessError(
                self.env._("Only HR officers see who answered the 360° feedback.")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("360° Feedback"),
            "res_model": "survey.user_input",
            "view_mode": "list,form",
            "domain": [("sales_performance_evaluation_id", "=", self.id)],
            "context": {"create": False},
        }

    def action_done(self):
        for evaluation in self:
            if not evaluation.line_ids.filtered(lambda ln: ln.kind == "feedback"):
                continue
            count = evaluation.sudo()._feedback_figures()[evaluation.id][0]
            minimum = evaluation.company_id.sales_performance_feedback_min_answers
            if not scoring.feedback_visible(count, minimum):
                raise ValidationError(
                    self.env._(
                        "%(name)s weighs 360° feedback in the final score but only "
                        "%(count)s colleague(s) answered; at least %(minimum)s answers "
                        "are needed (request feedback from more colleagues).",
                        name=evaluation.name,
                        count=count,
                        minimum=max(minimum, 1),
                    )
                )
        result = super().action_done()
        self._withdraw_pending_feedback()
        return result

    def action_cancel(self):
        result = super().action_cancel()
        self._withdraw_pending_feedback()
        return result

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _feedback_request_users(self, user_ids):
        Users = self.env["res.users"]
        if isinstance(user_ids, models.BaseModel):
            if user_ids._name != "res.users":
                raise UserError(self.env._("Pick colleagues (users) to ask."))
            ids = user_ids.ids
        elif isinstance(user_ids, (list, tuple, set)) and all(
            isinstance(uid, int) and not isinstance(uid, bool) for uid in user_ids
        ):
            ids = list(user_ids)
        elif isinstance(user_ids, int) and not isinstance(user_ids, bool):
            ids = [user_ids]
        else:
            raise UserError(
                self.env._("The colleagues to ask must be given as user ids.")
            )
        if not ids:
            raise UserError(self.env._("Pick at least one colleague to ask."))
        users = Users.sudo().browse(dict.fromkeys(ids)).exists()
        if len(users) != len(set(ids)):
            raise UserError(self.env._("Some of the colleagues to ask do not exist."))
        for user in users:
            if not user.active or not user._is_internal():
                raise UserError(
                    self.env._(
                        "%(user)s is not an active internal user and cannot give "
                        "360° feedback.",
                        user=user.name,
                    )
                )
            if not user.partner_id.email:
                raise UserError(
                    self.env._(
                        "%(user)s has no e-mail address for the invitation.",
                        user=user.name,
                    )
                )
        return Users.browse(users.ids)

    def _feedback_pending_by_evaluation(self):
        groups = (
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [
                    ("sales_performance_evaluation_id", "in", self.ids),
                    ("state", "!=", "done"),
                ],
                ["sales_performance_evaluation_id"],
                ["partner_id:array_agg"],
            )
        )
        return {evaluation.id: set(partners) for evaluation, partners in groups}

    def _check_feedback_request(self, users, pending_partner_ids):
        self.ensure_one()
        if self.state not in OPEN_STATES:
            raise UserError(
                self.env._(
                    "Feedback can only be requested while the evaluation %(name)s is "
                    "open.",
                    name=self.name,
                )
            )
        survey = self.sudo().feedback_survey_id
        if not survey:
            raise UserError(
                self.env._(
                    "Choose the feedback survey of %(name)s before requesting "
                    "feedback.",
                    name=self.name,
                )
            )
        if not survey.active:
            raise UserError(
                self.env._(
                    "The feedback survey %(survey)s is archived.", survey=survey.title
                )
            )
        if self.employee_user_id in users:
            raise UserError(
                self.env._(
                    "%(user)s is the evaluated employee: 360° feedback comes from "
                    "colleagues, not from the employee themselves.",
                    user=self.employee_user_id.name,
                )
            )
        for user in users.sudo():
            if self.company_id not in user.company_ids:
                raise UserError(
                    self.env._(
                        "%(user)s does not work for %(company)s.",
                        user=user.name,
                        company=self.company_id.name,
                    )
                )
            if user.partner_id.id in pending_partner_ids:
                raise UserError(
                    self.env._(
                        "%(user)s already has a pending feedback request for %(name)s.",
                        user=user.name,
                        name=self.name,
                    )
                )

    def _send_feedback_invitations(self, survey, answers, template):
        """One queued e-mail per invitation, through the survey's own invite
        composer (its template, the answer's personal link)."""
        self.ensure_one()
        author = self.env.user.partner_id
        if not author.email:
            author = self.company_id.partner_id
        invite = (
            self.env["survey.invite"]
            .sudo()
            .create(
                {
                    "survey_id": survey.id,
                    "template_id": template.id if template else False,
                    "author_id": author.id,
                    "partner_ids": [(6, 0, answers.partner_id.ids)],
                }
            )
        )
        for answer in answers:
            lang = answer.partner_id.lang or self.env.lang
            invite.with_context(lang=lang)._send_mail(answer)

    def _withdraw_pending_feedback(self):
        """Once an evaluation is done or cancelled its feedback is closed: the
        invitations nobody completed are withdrawn (the score no longer moves)."""
        pending = (
            self.env["survey.user_input"]
            .sudo()
            .search(
                [
                    ("sales_performance_evaluation_id", "in", self.ids),
                    ("state", "!=", "done"),
                ]
            )
        )
        for evaluation, answers in pending.grouped(
            "sales_performance_evaluation_id"
        ).items():
            evaluation.sudo().message_post(
                body=self.env._(
                    "%(count)s pending 360° feedback request(s) withdrawn.",
                    count=len(answers),
                ),
                subtype_xmlid="mail.mt_note",
            )
        pending.unlink()


class SalesPerformanceEvaluationLine(models.Model):
    _inherit = "sales.performance.evaluation.line"

    kind = fields.Selection(
        selection_add=FEEDBACK_KIND, ondelete={"feedback": "cascade"}
    )

    @api.depends(
        "evaluation_id.feedback_input_ids.state",
        "evaluation_id.feedback_input_ids.scoring_percentage",
    )
    def _compute_score(self):
        result = super()._compute_score()
        feedback = self.filtered(lambda ln: ln.kind == "feedback")
        if feedback:
            figures = feedback.evaluation_id.sudo()._feedback_figures()
            for line in feedback:
                line.score = figures.get(line.evaluation_id.id, (0, 0.0, 0))[1]
        return result

    @api.model
    def _default_line_name(self, vals):
        if vals.get("kind") == "feedback" and not vals.get("name"):
            return self.env._("360° Feedback")
        return super()._default_line_name(vals)

    def _read_format(self, fnames, load="_classic_read"):
        """The feedback line's score tells the employee nothing below the
        anonymity threshold."""
        result = super()._read_format(fnames, load=load)
        if "score" in fnames and not self.env.su:
            by_id = {line.id: line for line in self}
            for values in result:
                line = by_id.get(values["id"])
                if (
                    line
                    and line.kind == "feedback"
                    and not line.evaluation_id.feedback_visible
                ):
                    values["score"] = False
        return result
