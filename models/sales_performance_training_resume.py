"""Skills and resume (Odoo ``hr_skills``), issue #15: training.

A passed training record adds one resume line of type Training
(``hr_skills.resume_type_training``) to the employee, kept in step with the
record (never a second one on a re-pass, removed when the record is no longer
passed); a course linked to a certification skill (``skill_id``, a skill of a
type with ``is_certification``) also gives the employee that certification
(``hr.employee.skill`` with ``valid_from`` = the completion date and
``valid_to`` = the record's certificate expiry). The updates run (as
superuser) only after the training record's own checks passed: recording a
result is the training manager's job.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine.payout import fmt

# Fields of a training record that the resume line and certification follow.
TRAINING_SYNC_FIELDS = {
    "status",
    "course_id",
    "employee_id",
    "date_completed",
    "date_expiry",
    "hours",
    "score",
}


class SalesPerformanceTrainingCourse(models.Model):
    _inherit = "sales.performance.training.course"

    skill_id = fields.Many2one(
        "hr.skill",
        string="Certification",
        ondelete="set null",
        domain="[('skill_type_id.is_certification', '=', True)]",
        help="Passing the course gives the employee this certification (Skills tab), "
        "valid until the certificate expires.",
    )

    @api.constrains("skill_id")
    def _check_skill_id(self):
        for course in self:
            if course.skill_id and not course.skill_id.skill_type_id.is_certification:
                raise ValidationError(
                    self.env._(
                        "The course %(course)s can only give a certification: "
                        "%(skill)s is not of a certification skill type.",
                        course=course.name,
                        skill=course.skill_id.name,
                    )
                )


class SalesPerformanceTrainingRecord(models.Model):
    _inherit = "sales.performance.training.record"

    resume_line_id = fields.Many2one(
        "hr.resume.line",
        readonly=True,
        copy=False,
        ondelete="set null",
        index="btree_not_null",
    )
    employee_skill_id = fields.Many2one(
        "hr.employee.skill",
        string="Certification",
        readonly=True,
        copy=False,
        ondelete="set null",
        index="btree_not_null",
    )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._sync_resume()
        return records

    def write(self, vals):
        res = super().write(vals)
        if TRAINING_SYNC_FIELDS & set(vals):
            self._sync_resume()
        return res

    def _training_resume_type(self):
        line_type = self.env.ref(
            "hr_skills.resume_type_training", raise_if_not_found=False
        )
        if not line_type:
            Type = self.env["hr.resume.line.type"].sudo()
            line_type = Type.search([("name", "=", "Training")], limit=1) or (
                Type.create({"name": "Training", "is_course": True})
            )
        return line_type

    def _resume_line_vals(self, line_type):
        self.ensure_one()
        day = self.date_completed or fields.Date.context_today(self)
        parts = [
            self.env._("Passed on %(date)s.", date=day),
        ]
        if self.hours:
            parts.append(self.env._("%(hours)s hours.", hours=fmt(self.hours)))
        if self.score:
            parts.append(self.env._("Score %(score)s/100.", score=fmt(self.score)))
        if self.date_expiry:
            parts.append(
                self.env._("Certificate valid until %(date)s.", date=self.date_expiry)
            )
        return {
            "employee_id": self.employee_id.id,
            "name": self.course_id.name,
            "date_start": day,
            "date_end": day,
            "line_type_id": line_type.id,
            "description": Markup("<p>%s</p>") % " ".join(parts),
        }

    def _sync_resume(self):
        """Keep the resume line and certification of each record in step
        with it: present while passed (updated, never duplicated), removed
        otherwise."""
        records = self.sudo()
        passed = records.filtered(lambda r: r.status == "passed")
        gone = records - passed
        gone.resume_line_id.unlink()
        gone.employee_skill_id.unlink()
        if not passed:
            return
        line_type = self._training_resume_type()
        for record in passed:
            vals = record._resume_line_vals(line_type)
            line = record.resume_line_id
            if line and line.employee_id == record.employee_id:
                line.write(vals)
            else:
                line.unlink()
                record.resume_line_id = self.env["hr.resume.line"].sudo().create(vals)
            record._sync_certification()

    def _sync_certification(self):
        """The employee's certification of the course's certification skill,
        valid from the completion date to the certificate's expiry (none
        without a certification skill)."""
        self.ensure_one()
        skill = self.course_id.skill_id
        existing = self.employee_skill_id
        if not skill:
            existing.unlink()
            return
        levels = skill.skill_type_id.skill_level_ids
        level = (
            levels.filtered("default_level")[:1]
            or levels.sorted(lambda lv: (lv.level_progress, lv.id))[-1:]
        )
        valid_from = self.date_completed or fields.Date.context_today(self)
        wanted = {
            "employee_id": self.employee_id.id,
            "skill_id": skill.id,
            "skill_type_id": skill.skill_type_id.id,
            "skill_level_id": level.id,
            "valid_from": valid_from,
            "valid_to": self.date_expiry or False,
        }
        if existing and all(
            (existing[f].id if f.endswith("_id") else existing[f]) == value
            for f, value in wanted.items()
        ):
            return
        existing.unlink()
        EmployeeSkill = self.env["hr.employee.skill"].sudo()
        same = EmployeeSkill.search(
            [(f, "=", value) for f, value in wanted.items()], limit=1
        )
        self.employee_skill_id = same or EmployeeSkill.create(wanted)
