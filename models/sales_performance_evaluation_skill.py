"""Skills and resume (Odoo ``hr_skills``), issue #15.

* A competency may link to an ``hr.skill``; when an evaluation of a template
  that says so (``update_skills``) is done, the manager's rating of each
  linked competency becomes the employee's level of that skill: the 1-5
  rating stands for the progress ``(rating - 1) x 25`` % and the skill type's
  level of the closest progress is chosen (ties: the lower level), see
  ``engine/evaluation_skill.py``. The skill is written through the employee's
  ``employee_skill_ids`` as Odoo's Skills tab does: the previous level is
  archived (or replaced when set today) and the new one created.
* Passed training records feed the resume and the certifications: see
  ``sales_performance_training_resume.py`` (loaded after the training models).

The updates run (as superuser) only after the base workflow's own checks
passed: completing an evaluation is the manager's or HR's step; nobody
reaches them otherwise.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command

from ..engine import evaluation_skill


class SalesPerformanceEvaluationCompetency(models.Model):
    _inherit = "sales.performance.evaluation.competency"

    skill_id = fields.Many2one(
        "hr.skill",
        ondelete="set null",
        domain="[('skill_type_id.is_certification', '=', False)]",
        help="When an evaluation of a template that updates skills is done, the "
        "manager's rating of this competency sets the employee's level of this "
        "skill.",
    )

    @api.constrains("skill_id")
    def _check_skill_id(self):
        for competency in self:
            if competency.skill_id.skill_type_id.is_certification:
                raise ValidationError(
                    self.env._(
                        "The competency %(competency)s cannot be rated into the "
                        "certification %(skill)s: link it to a skill.",
                        competency=competency.name,
                        skill=competency.skill_id.name,
                    )
                )


class SalesPerformanceEvaluationTemplate(models.Model):
    _inherit = "sales.performance.evaluation.template"

    update_skills = fields.Boolean(
        string="Update employee skills when done",
        help="When an evaluation of this template is done, the manager's rating of "
        "each competency linked to a skill sets the employee's level of that skill.",
    )


class SalesPerformanceEvaluation(models.Model):
    _inherit = "sales.performance.evaluation"

    def action_done(self):
        res = super().action_done()
        self.filtered(
            lambda e: e.state == "done" and e.sudo().template_id.update_skills
        )._update_employee_skills()
        return res

    def _update_employee_skills(self):
        """Set each employee's skill levels from the manager's ratings of the
        competencies linked to skills (done evaluations only); a note in the
        evaluation's chatter lists the changes."""
        for evaluation in self.sudo().filtered(lambda e: e.state == "done"):
            employee = evaluation.employee_id
            current = {
                skill.skill_id: skill
                for skill in employee.current_employee_skill_ids
                if not skill.is_certification
            }
            commands = []
            changes = []
            for line in evaluation.line_ids:
                skill = line.competency_id.skill_id
                if line.kind != "competency" or not skill or not line.manager_rating:
                    continue
                levels = skill.skill_type_id.skill_level_ids
                level_id = evaluation_skill.level_for_rating(
                    line.manager_rating,
                    [(level.id, level.level_progress) for level in levels],
                )
                if not level_id:
                    continue
                level = levels.browse(level_id)
                changes.append(
                    self.env._(
                        "%(skill)s: %(level)s (rated %(rating)s/5)",
                        skill=skill.name,
                        level=level.name,
                        rating=line.manager_rating,
                    )
                )
                if current.get(skill) and current[skill].skill_level_id == level:
                    continue
                commands.append(
                    Command.create(
                        {
                            "skill_id": skill.id,
                            "skill_type_id": skill.skill_type_id.id,
                            "skill_level_id": level.id,
                        }
                    )
                )
            if commands:
                employee.write({"employee_skill_ids": commands})
            if changes:
                evaluation.message_post(
                    body=Markup("%s<ul>%s</ul>")
                    % (
                        self.env._("Employee skills set from the manager's ratings:"),
                        Markup().join(Markup("<li>%s</li>") % c for c in changes),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
