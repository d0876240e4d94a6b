"""Skills and resume (Odoo hr_skills), issue #15: a done evaluation sets the
employee's skill levels from the manager's ratings; a passed training record
adds a resume line and the course's certification. Expected levels and dates
are worked out by hand in the comments."""

from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import EvaluationCommon, TrainingCommon


def _skill_type(env, name, levels, skills, certification=False):
    """A skill type with ``levels`` ((name, progress, default)) and skills."""
    return env["hr.skill.type"].create(
        {
            "name": name,
            "is_certification": certification,
            "skill_level_ids": [
                Command.create(
                    {"name": lv, "level_progress": progress, "default_level": default}
                )
                for lv, progress, default in levels
            ],
            "skill_ids": [Command.create({"name": skill}) for skill in skills],
        }
    )


@tagged("post_install", "-at_install")
class TestEvaluationSkill(EvaluationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.skill_type = _skill_type(
            cls.env,
            "SP Selling Skills",
            [
                ("Beginner", 15, False),
                ("Intermediate", 50, False),
                ("Advanced", 75, False),
                ("Expert", 100, False),
            ],
            ["SP Product Knowledge"],
        )
        cls.skill = cls.skill_type.skill_ids
        cls.level = {lv.name: lv for lv in cls.skill_type.skill_level_ids}
        cls.competency_a.skill_id = cls.skill
        cls.template.update_skills = True

    def _to_review(self, rating_a, rating_b=3):
        evaluation = self._evaluation()
        evaluation.with_user(self.user_manager).action_start_self_assessment()
        competencies = evaluation.sudo().line_ids.filtered(
            lambda ln: ln.kind == "competency"
        )
        competencies.with_user(self.user_employee).write({"self_rating": 3})
        evaluation.with_user(self.user_employee).action_submit_self_assessment()
        lines = self._lines(evaluation)
        lines["competency_a"].with_user(self.user_manager).write(
            {"manager_rating": rating_a}
        )
        lines["competency_b"].with_user(self.user_manager).write(
            {"manager_rating": rating_b}
        )
        return evaluation

    def _current(self, employee=None):
        employee = employee or self.emp_employee
        return employee.sudo().current_employee_skill_ids.filtered(
            lambda s: s.skill_id == self.skill
        )

    def test_done_sets_the_skill_level(self):
        # rating 4 -> progress (4 - 1) x 25 = 75 % -> Advanced (75 %)
        evaluation = self._to_review(4)
        self.assertFalse(self._current())
        evaluation.with_user(self.user_manager).action_done()
        skill = self._current()
        self.assertEqual(len(skill), 1)
        self.assertEqual(skill.skill_level_id, self.level["Advanced"])
        self.assertIn("Advanced", evaluation.message_ids[:3].mapped("body")[0])
        # competency_b has no skill: no other skill of this type appears
        self.assertEqual(
            self.emp_employee.sudo().employee_skill_ids.skill_type_id, self.skill_type
        )

        # reopened and rated 2 -> 25 %: Beginner (15 %, 10 away) beats
        # Intermediate (50 %, 25 away); the level is replaced, not doubled
        evaluation.with_user(self.user_hr).action_reopen("Rating entered wrong")
        self._lines(evaluation)["competency_a"].with_user(self.user_manager).write(
            {"manager_rating": 2}
        )
        evaluation.with_user(self.user_manager).action_done()
        skill = self._current()
        self.assertEqual(len(skill), 1)
        self.assertEqual(skill.skill_level_id, self.level["Beginner"])

    def test_template_flag_and_rating_five(self):
        # without the template's flag nothing changes
        self.template.update_skills = False
        evaluation = self._to_review(5)
        evaluation.action_done()
        self.assertFalse(self._current())
        # with it, done again: rating 5 -> (5 - 1) x 25 = 100 % -> Expert
        evaluation.with_user(self.user_hr).action_reopen("Skills were not updated")
        self.template.update_skills = True
        evaluation.with_user(self.user_manager).action_done()
        self.assertEqual(self._current().skill_level_id, self.level["Expert"])

    def test_employee_cannot_trigger_updates(self):
        evaluation = self._to_review(4)
        # the employee cannot complete their own evaluation (nor anybody's)
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_employee).action_done()
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_colleague).action_done()
        self.assertEqual(evaluation.state, "manager_review")
        self.assertFalse(self._current())

    def test_competency_cannot_link_a_certification(self):
        certification = _skill_type(
            self.env, "SP Certs", [("Certified", 100, True)], ["SP Cert"], True
        )
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.competency_b.skill_id = certification.skill_ids
        self.assertFalse(self.competency_b.skill_id)


@tagged("post_install", "-at_install")
class TestTrainingResume(TrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cert_type = _skill_type(
            cls.env,
            "SP Sales Certifications",
            [("Certified", 100, True), ("Candidate", 20, False)],
            ["SP Consultative Selling Certificate"],
            certification=True,
        )
        cls.cert_skill = cls.cert_type.skill_ids
        cls.course.skill_id = cls.cert_skill
        cls.training_type = cls.env.ref("hr_skills.resume_type_training")

    def _resume(self, employee=None):
        return (
            (employee or self.emp_employee)
            .sudo()
            .resume_line_ids.filtered(lambda ln: ln.line_type_id == self.training_type)
        )

    def _certifications(self, employee=None):
        return (
            (employee or self.emp_employee)
            .sudo()
            .employee_skill_ids.filtered(lambda s: s.skill_id == self.cert_skill)
        )

    def test_pass_adds_resume_line_and_certification(self):
        record = self._record(status="registered")
        self.assertFalse(self._resume())
        record.with_user(self.user_trainer).write(
            {"status": "passed", "date_completed": date(2026, 1, 15), "hours": 8}
        )
        line = self._resume()
        self.assertEqual(len(line), 1)
        self.assertEqual(line.name, "Consultative Selling")
        self.assertEqual(line.date_start, date(2026, 1, 15))
        self.assertIn("8 hours", str(line.description))
        # 12-month certificate: 2026-01-15 + 12 months = 2027-01-15
        cert = self._certifications()
        self.assertEqual(len(cert), 1)
        self.assertEqual(cert.valid_from, date(2026, 1, 15))
        self.assertEqual(cert.valid_to, date(2027, 1, 15))
        self.assertEqual(cert.skill_level_id.name, "Certified")  # default level
        self.assertTrue(cert.is_certification)

        # re-passed (recorded again, then a later date): still one line
        record.with_user(self.user_trainer).write({"status": "attended"})
        self.assertFalse(self._resume())
        self.assertFalse(self._certifications())
        record.with_user(self.user_trainer).write({"status": "passed"})
        record.with_user(self.user_trainer).write({"status": "passed", "score": 90})
        self.assertEqual(len(self._resume()), 1)
        self.assertEqual(len(self._certifications()), 1)
        record.with_user(self.user_trainer).write({"date_completed": date(2026, 2, 1)})
        self.assertEqual(len(self._resume()), 1)
        self.assertEqual(self._resume().date_start, date(2026, 2, 1))
        # 2026-02-01 + 12 months = 2027-02-01
        self.assertEqual(self._certifications().valid_to, date(2027, 2, 1))
        self.assertEqual(len(self._certifications()), 1)

    def test_course_without_certification_adds_only_resume_line(self):
        self.course.skill_id = False
        self._passed()
        self.assertEqual(len(self._resume()), 1)
        self.assertFalse(self._certifications())

    def test_course_needs_a_certification_skill(self):
        regular = _skill_type(
            self.env, "SP Regular", [("Good", 50, True)], ["SP Regular Skill"]
        )
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.course.skill_id = regular.skill_ids
        self.assertEqual(self.course.skill_id, self.cert_skill)

    def test_employee_cannot_pass_themselves(self):
        record = self._record(status="registered")
        with self.assertRaises(AccessError):
            record.with_user(self.user_employee).write({"status": "passed"})
        with self.assertRaises(AccessError):
            self.env["sales.performance.training.record"].with_user(
                self.user_employee
            ).create(
                {
                    "employee_id": self.emp_colleague.id,
                    "course_id": self.course.id,
                    "status": "passed",
                }
            )
        self.assertFalse(self._resume())
        self.assertFalse(self._resume(self.emp_colleague))
        self.assertFalse(self._certifications())

    def test_upgrade_gives_passed_records_their_resume_line_once(self):
        """19.0.1.4.0: records passed before the upgrade (no resume line
        yet) get one; a second run adds nothing."""
        import importlib.util
        from pathlib import Path

        record = self._record(status="registered")
        record.with_user(self.user_trainer).write(
            {"status": "passed", "date_completed": date(2026, 1, 15)}
        )
        # as before the upgrade: no resume line, no certification
        record.sudo().resume_line_id.unlink()
        record.sudo().employee_skill_id.unlink()
        self.assertFalse(self._resume())
        path = (
            Path(__file__).resolve().parent.parent
            / "migrations"
            / "19.0.1.4.0"
            / "post-migration.py"
        )
        spec = importlib.util.spec_from_file_location("sp_migration_1_4_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        for _run in range(2):
            migration.migrate(self.env.cr, "19.0.1.3.0")
            self.env.invalidate_all()
            self.assertEqual(len(self._resume()), 1)
            self.assertEqual(len(self._certifications()), 1)
            self.assertEqual(self._certifications().valid_to, date(2027, 1, 15))
