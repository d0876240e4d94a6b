"""Evaluation cycles (#15): launch, progress, calibration step, close with
recurrence, late-step reminders, bad input, record rules and the migration
of the former free-text cycle label."""

import importlib.util
from datetime import date
from pathlib import Path

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import EvaluationCommon

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _migration(name):
    path = MIGRATIONS / "19.0.1.4.0" / name
    spec = importlib.util.spec_from_file_location("sp_migration_1_4_0", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CycleCommon(EvaluationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Cycle = cls.env["sales.performance.evaluation.cycle"]

    def _cycle(self, **vals):
        return self.Cycle.with_user(self.user_hr).create(
            {
                "name": "2026 Q1",
                "date_from": self.date_from,
                "date_to": self.date_to,
                "template_id": self.template.id,
                "employee_ids": [
                    Command.set((self.emp_employee | self.emp_colleague).ids)
                ],
                "deadline_self": date(2026, 4, 10),
                "deadline_manager": date(2026, 4, 20),
                **vals,
            }
        )

    def _complete(self, evaluation):
        """Take Eve's evaluation through its steps as the right people."""
        lines = self._lines(evaluation)
        evaluation.with_user(self.user_manager).action_start_self_assessment()
        evaluation.with_user(self.user_employee).write(
            {
                "line_ids": [
                    Command.update(lines["competency_a"].id, {"self_rating": 4}),
                    Command.update(lines["competency_b"].id, {"self_rating": 4}),
                ]
            }
        )
        evaluation.with_user(self.user_employee).action_submit_self_assessment()
        evaluation.with_user(self.user_manager).write(
            {
                "line_ids": [
                    Command.update(lines["competency_a"].id, {"manager_rating": 3}),
                    Command.update(lines["competency_b"].id, {"manager_rating": 5}),
                ]
            }
        )
        evaluation.with_user(self.user_manager).action_done()


@tagged("post_install", "-at_install")
class TestEvaluationCycle(CycleCommon):
    def test_launch_progress_and_close_with_recurrence(self):
        cycle = self._cycle(recurrence="quarterly")
        self.assertEqual(cycle.state, "draft")
        self.assertEqual(cycle.employee_count, 2)
        cycle.with_user(self.user_hr).action_launch()
        self.assertEqual(cycle.state, "running")
        evaluations = cycle.evaluation_ids
        self.assertEqual(
            evaluations.employee_id, self.emp_employee | self.emp_colleague
        )
        self.assertEqual(set(evaluations.mapped("state")), {"draft"})
        eve = evaluations.filtered(lambda e: e.employee_id == self.emp_employee)
        carl = evaluations - eve
        self.assertEqual((eve.date_from, eve.date_to), (self.date_from, self.date_to))
        self.assertEqual(eve.template_id, self.template)
        # the template's weights 40 / 20 / 20 / 20
        self.assertEqual(
            sorted(eve.line_ids.mapped("weight")), [20.0, 20.0, 20.0, 40.0]
        )
        # first step's deadline: the self-assessment deadline
        self.assertEqual(eve.deadline, date(2026, 4, 10))
        self.assertEqual(eve.cycle_id.name, "2026 Q1")
        self.assertEqual((cycle.evaluation_count, cycle.done_count), (2, 0))
        self.assertEqual(cycle.progress, 0.0)

        self._complete(eve)
        # after the self-assessment, the deadline is the manager's
        self.assertEqual(eve.deadline, date(2026, 4, 20))
        # 1 done out of 2 -> 50 %
        self.assertEqual((cycle.evaluation_count, cycle.done_count), (2, 1))
        self.assertAlmostEqual(cycle.progress, 50.0)

        # Carl's evaluation is still a draft: the cycle cannot close.
        with self.assertRaises(UserError) as cm:
            cycle.with_user(self.user_hr).action_close()
        self.assertIn("Carl Colleague", str(cm.exception))
        self.assertEqual(cycle.state, "running")

        cycle.with_user(self.user_hr).action_start_calibration()
        self.assertEqual(cycle.state, "calibration")
        carl.with_user(self.user_hr).action_cancel()
        # cancelled ones are left out: 1 done out of 1 -> 100 %
        self.assertEqual(cycle.evaluation_count, 1)
        self.assertAlmostEqual(cycle.progress, 100.0)
        cycle.with_user(self.user_hr).action_close()
        self.assertEqual(cycle.state, "closed")

        following = self.Cycle.search([("previous_cycle_id", "=", cycle.id)])
        self.assertEqual(len(following), 1)
        # quarterly: 2026-01-01..03-31 -> 2026-04-01..06-30; deadlines keep
        # their offsets after the end: 04-10 is 10 days after 03-31 -> 07-10,
        # 04-20 is 20 days after -> 07-20.
        self.assertEqual(
            (following.date_from, following.date_to),
            (date(2026, 4, 1), date(2026, 6, 30)),
        )
        self.assertEqual(
            (following.deadline_self, following.deadline_manager),
            (date(2026, 7, 10), date(2026, 7, 20)),
        )
        self.assertEqual(following.state, "draft")
        self.assertEqual(following.template_id, self.template)
        self.assertEqual(following.employee_ids, self.emp_employee | self.emp_colleague)
        self.assertEqual(following.recurrence, "quarterly")
        self.assertFalse(following.evaluation_ids)
        # the next one launches without clashing with the closed one
        following.with_user(self.user_hr).action_launch()
        self.assertEqual(len(following.evaluation_ids), 2)

    def test_shift_by_recurrence(self):
        # half-yearly from a whole half: 2026-01-01..06-30 -> 07-01..12-31;
        # yearly from a leap February end: 2027-03-01..2028-02-29 ->
        # 2028-03-01..2029-02-28.
        self.assertEqual(
            self.Cycle._shift(date(2026, 1, 1), date(2026, 6, 30), 6),
            (date(2026, 7, 1), date(2026, 12, 31)),
        )
        self.assertEqual(
            self.Cycle._shift(date(2027, 3, 1), date(2028, 2, 29), 12),
            (date(2028, 3, 1), date(2029, 2, 28)),
        )
        # a yearly cycle closing without recurrence plans nothing
        cycle = self._cycle(employee_ids=[Command.set(self.emp_colleague.ids)])
        cycle.with_user(self.user_hr).action_launch()
        cycle.evaluation_ids.with_user(self.user_hr).action_cancel()
        cycle.with_user(self.user_hr).action_close()
        self.assertFalse(self.Cycle.search([("previous_cycle_id", "=", cycle.id)]))

    def test_reset_to_draft_only_before_anything_started(self):
        cycle = self._cycle()
        cycle.with_user(self.user_hr).action_launch()
        cycle.with_user(self.user_hr).action_reset_to_draft()
        self.assertEqual(cycle.state, "draft")
        self.assertFalse(
            self.env["sales.performance.evaluation"].search(
                [("employee_id", "=", self.emp_employee.id)]
            )
        )
        cycle.with_user(self.user_hr).action_launch()
        eve = cycle.evaluation_ids.filtered(
            lambda e: e.employee_id == self.emp_employee
        )
        eve.with_user(self.user_manager).action_start_self_assessment()
        with self.assertRaises(UserError):
            cycle.with_user(self.user_hr).action_reset_to_draft()
        self.assertEqual(cycle.state, "running")
        self.assertEqual(len(cycle.evaluation_ids), 2)
        # a launched cycle's period is fixed
        with self.assertRaises(UserError):
            cycle.with_user(self.user_hr).date_to = date(2026, 6, 30)

    def test_start_self_assessments_reports_those_not_ready(self):
        cycle = self._cycle()
        cycle.with_user(self.user_hr).action_launch()
        result = cycle.with_user(self.user_hr).action_start_self_assessments()
        eve = cycle.evaluation_ids.filtered(
            lambda e: e.employee_id == self.emp_employee
        )
        # Eve has her targets; Carl has none for the KPIs: he stays a draft.
        self.assertEqual(eve.state, "self_assessment")
        self.assertEqual((cycle.evaluation_ids - eve).state, "draft")
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn(
            "1 self-assessments started, 1 not ready", result["params"]["message"]
        )
        self.assertIn("Carl Colleague", result["params"]["message"])

    def test_late_steps_reminded_once_per_step(self):
        cycle = self._cycle()
        cycle.with_user(self.user_hr).action_launch()
        eve = cycle.evaluation_ids.filtered(
            lambda e: e.employee_id == self.emp_employee
        )
        carl = cycle.evaluation_ids - eve
        eve.with_user(self.user_manager).action_start_self_assessment()
        Cron = self.Cycle.sudo()

        def todo(evaluation, user):
            return self.env["mail.activity"].search(
                [
                    ("res_model", "=", "sales.performance.evaluation"),
                    ("res_id", "=", evaluation.id),
                    ("user_id", "=", user.id),
                    ("summary", "=", "Late evaluation step"),
                ]
            )

        with freeze_time("2026-04-10"):
            # on the deadline day nothing is late yet
            self.assertEqual(Cron._cron_remind_late_steps(), 0)
            self.assertEqual(cycle.late_count, 0)
        with freeze_time("2026-04-11"):
            # Eve's self-assessment and Carl's unstarted draft are late
            cycle.invalidate_recordset(["late_count"])
            self.assertEqual(cycle.late_count, 2)
            self.assertEqual(Cron._cron_remind_late_steps(), 2)
            self.assertEqual(len(todo(eve, self.user_employee)), 1)
            # Carl's draft: his evaluator (Tom, his manager's user) is told
            self.assertEqual(len(todo(carl, self.user_top)), 1)
            # a second run sends nothing more
            self.assertEqual(Cron._cron_remind_late_steps(), 0)
            self.assertEqual(len(todo(eve, self.user_employee)), 1)
        self._submit(eve)
        with freeze_time("2026-04-15"):
            # manager review before its deadline (04-20): not late
            self.assertEqual(Cron._cron_remind_late_steps(), 0)
        with freeze_time("2026-04-21"):
            self.assertEqual(Cron._cron_remind_late_steps(), 1)
            self.assertEqual(len(todo(eve, self.user_manager)), 1)
            self.assertEqual(Cron._cron_remind_late_steps(), 0)
        self.assertEqual(eve.late_reminder_state, "manager_review")

    def _submit(self, evaluation):
        lines = self._lines(evaluation)
        evaluation.with_user(self.user_employee).write(
            {
                "line_ids": [
                    Command.update(lines["competency_a"].id, {"self_rating": 4}),
                    Command.update(lines["competency_b"].id, {"self_rating": 4}),
                ]
            }
        )
        evaluation.with_user(self.user_employee).action_submit_self_assessment()

    def test_cron_record(self):
        cron = self.env.ref("sales_performance.ir_cron_evaluation_cycle_late_steps")
        self.assertEqual(cron.model_id.model, "sales.performance.evaluation.cycle")
        self.assertIn("_cron_remind_late_steps", cron.code)


@tagged("post_install", "-at_install")
class TestEvaluationCycleBadInput(CycleCommon):
    def test_end_before_start(self):
        with self.assertRaises(ValidationError):
            self._cycle(date_from=date(2026, 3, 31), date_to=date(2026, 1, 1))
        self.assertFalse(self.Cycle.search([("name", "=", "2026 Q1")]))

    def test_deadlines_out_of_bounds(self):
        for deadlines in (
            # before the cycle starts
            {"deadline_self": date(2025, 12, 31)},
            # more than a year after its end (2026-03-31 + 366 days = 2027-04-01)
            {"deadline_manager": date(2027, 4, 2)},
            # the manager's before the employee's
            {"deadline_self": date(2026, 4, 20), "deadline_manager": date(2026, 4, 10)},
        ):
            with self.assertRaises(ValidationError):
                self._cycle(**deadlines)
        self.assertFalse(self.Cycle.search([("name", "=", "2026 Q1")]))
        # the last sensible day is accepted
        self.assertTrue(self._cycle(deadline_manager=date(2027, 4, 1)))

    def test_launch_without_template_or_participants(self):
        for vals in ({"template_id": False}, {"employee_ids": [Command.clear()]}):
            cycle = self._cycle(**vals)
            with self.assertRaises(UserError):
                cycle.with_user(self.user_hr).action_launch()
            self.assertEqual(cycle.state, "draft")
            self.assertFalse(cycle.evaluation_ids)
            cycle.unlink()

    def test_employee_in_an_overlapping_cycle(self):
        first = self._cycle(employee_ids=[Command.set(self.emp_employee.ids)])
        first.with_user(self.user_hr).action_launch()
        # a cycle from February to April overlaps Eve's January-March one
        second = self._cycle(
            name="Feb-Apr",
            date_from=date(2026, 2, 1),
            date_to=date(2026, 4, 30),
        )
        with self.assertRaises(UserError) as cm:
            second.with_user(self.user_hr).action_launch()
        self.assertIn("Eve Employee in 2026 Q1", str(cm.exception))
        self.assertEqual(second.state, "draft")
        self.assertFalse(
            self.env["sales.performance.evaluation"].search(
                [("employee_id", "=", self.emp_colleague.id)]
            ),
            "nothing is created for the other participant either",
        )
        # without Eve it launches
        second.with_user(self.user_hr).employee_ids = [
            Command.unlink(self.emp_employee.id)
        ]
        second.with_user(self.user_hr).action_launch()
        self.assertEqual(second.evaluation_ids.employee_id, self.emp_colleague)

    def test_wrong_steps(self):
        cycle = self._cycle()
        with self.assertRaises(UserError):
            cycle.with_user(self.user_hr).action_start_calibration()
        with self.assertRaises(UserError):
            cycle.with_user(self.user_hr).action_close()
        cycle.with_user(self.user_hr).action_launch()
        with self.assertRaises(UserError):
            cycle.with_user(self.user_hr).action_launch()
        with self.assertRaises(UserError):
            cycle.with_user(self.user_hr).unlink()


@tagged("post_install", "-at_install")
class TestEvaluationCycleSecurity(CycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_outsider = cls._new_user("sp_cycle_outsider", name="Olga Outsider")
        cls.user_hr_b = cls._new_user(
            "sp_cycle_hr_b", "hr.group_hr_user", company=cls.company_b
        )

    def test_participants_read_hr_manages(self):
        cycle = self._cycle(employee_ids=[Command.set(self.emp_employee.ids)])
        cycle.with_user(self.user_hr).action_launch()
        # Eve takes part, Mia evaluates her, Tom manages Mia: they read it
        for user in (self.user_employee, self.user_manager, self.user_top):
            self.assertEqual(cycle.with_user(user).read(["name"])[0]["name"], "2026 Q1")
        # nobody else does
        with self.assertRaises(AccessError):
            cycle.with_user(self.user_outsider).read(["name"])
        with self.assertRaises(AccessError):
            cycle.with_user(self.user_colleague).read(["name"])
        # participants cannot change, launch or create cycles
        with self.assertRaises(AccessError):
            cycle.with_user(self.user_employee).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            cycle.with_user(self.user_manager).action_start_calibration()
        with self.assertRaises(AccessError):
            self.Cycle.with_user(self.user_manager).create(
                {"name": "X", "date_from": self.date_from, "date_to": self.date_to}
            )
        self.assertEqual(cycle.name, "2026 Q1")
        self.assertEqual(cycle.state, "running")

    def test_other_company_hr_sees_nothing(self):
        cycle = self._cycle()
        with self.assertRaises(AccessError):
            cycle.with_user(self.user_hr_b).read(["name"])
        self.assertFalse(
            self.Cycle.with_user(self.user_hr_b).search([("id", "=", cycle.id)])
        )
        # a participant of another company cannot be added
        employee_b = self.env["hr.employee"].create(
            {"name": "Bea B", "company_id": self.company_b.id}
        )
        with self.assertRaises(UserError):
            self._cycle(name="Mixed", employee_ids=[Command.set(employee_b.ids)])
        self.assertFalse(self.Cycle.search([("name", "=", "Mixed")]))


@tagged("post_install", "-at_install")
class TestEvaluationCycleWizard(CycleCommon):
    def test_wizard_launches_one_cycle_per_template(self):
        generic = self.env["sales.performance.evaluation.template"].create(
            {
                "name": "SP Generic",
                "sequence": -1,
                "line_ids": [
                    Command.create(
                        {
                            "kind": "competency",
                            "competency_id": self.competency_a.id,
                            "weight": 100,
                        }
                    )
                ],
            }
        )
        wizard = (
            self.env["sales.performance.evaluation.create"]
            .with_user(self.user_hr)
            .create(
                {
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "cycle": "2026 Q1",
                    "deadline_self": date(2026, 4, 5),
                    "deadline": date(2026, 4, 15),
                    "department_ids": [Command.set(self.department.ids)],
                }
            )
        )
        wizard.action_create()
        cycles = self.Cycle.search([("name", "like", "2026 Q1")])
        # Eve (job template) and Carl (the generic one): two cycles
        self.assertEqual(
            sorted(cycles.mapped("name")),
            ["2026 Q1 - SP Eval Template", "2026 Q1 - SP Generic"],
        )
        self.assertEqual(set(cycles.mapped("state")), {"running"})
        by_template = {c.template_id: c for c in cycles}
        self.assertEqual(by_template[self.template].employee_ids, self.emp_employee)
        self.assertEqual(by_template[generic].employee_ids, self.emp_colleague)
        self.assertEqual(by_template[generic].evaluation_ids.deadline, date(2026, 4, 5))
        self.assertEqual(by_template[generic].deadline_manager, date(2026, 4, 15))


@tagged("post_install", "-at_install")
class TestEvaluationCycleMigration(CycleCommon):
    def test_1_4_0_labels_become_cycles(self):
        Evaluation = self.env["sales.performance.evaluation"]
        # "2025" label: Eve done (Jan-Mar) and Carl done (Feb-May) -> closed
        eve_2025 = self._evaluation(
            date_from=date(2025, 1, 1), date_to=date(2025, 3, 31)
        )
        carl_2025 = self._evaluation(
            employee=self.emp_colleague,
            date_from=date(2025, 2, 1),
            date_to=date(2025, 5, 31),
        )
        # "2026 H1" label: Eve still a draft -> running
        eve_2026 = self._evaluation(
            date_from=date(2026, 1, 1), date_to=date(2026, 6, 30)
        )
        unlabelled = self._evaluation(
            employee=self.emp_colleague,
            date_from=date(2026, 1, 1),
            date_to=date(2026, 6, 30),
        )
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("ALTER TABLE sales_performance_evaluation ADD COLUMN cycle varchar")
        cr.execute(
            "UPDATE sales_performance_evaluation SET state = 'done' WHERE id IN %s",
            [(eve_2025.id, carl_2025.id)],
        )
        for evaluation, label in (
            (eve_2025, "2025"),
            (carl_2025, " 2025 "),
            (eve_2026, "2026 H1"),
            (unlabelled, ""),
        ):
            cr.execute(
                "UPDATE sales_performance_evaluation SET cycle = %s WHERE id = %s",
                [label, evaluation.id],
            )
        self.env.invalidate_all()
        pre = _migration("pre-migration.py")
        post = _migration("post-migration.py")
        pre.migrate(cr, "19.0.1.3.0")
        cr.execute(
            "SELECT cycle_legacy FROM sales_performance_evaluation WHERE id = %s",
            [eve_2026.id],
        )
        self.assertEqual(cr.fetchone()[0], "2026 H1")
        post.migrate(cr, "19.0.1.3.0")
        self.env.invalidate_all()

        cycle_2025 = eve_2025.cycle_id
        self.assertEqual(cycle_2025.name, "2025")
        self.assertEqual(carl_2025.cycle_id, cycle_2025)
        # min start 2025-01-01, max end 2025-05-31
        self.assertEqual(
            (cycle_2025.date_from, cycle_2025.date_to),
            (date(2025, 1, 1), date(2025, 5, 31)),
        )
        self.assertEqual(cycle_2025.state, "closed")
        self.assertEqual(
            cycle_2025.employee_ids, self.emp_employee | self.emp_colleague
        )
        self.assertEqual(cycle_2025.template_id, self.template)
        self.assertAlmostEqual(cycle_2025.progress, 100.0)
        self.assertEqual(eve_2026.cycle_id.name, "2026 H1")
        self.assertEqual(eve_2026.cycle_id.state, "running")
        self.assertFalse(unlabelled.cycle_id)

        # a second run creates nothing more
        cycles = self.Cycle.search([("company_id", "!=", False)])
        pre.migrate(cr, "19.0.1.3.0")
        post.migrate(cr, "19.0.1.3.0")
        self.env.invalidate_all()
        self.assertEqual(self.Cycle.search([("company_id", "!=", False)]), cycles)
        self.assertEqual(eve_2025.cycle_id, cycle_2025)
        # a fresh install does nothing
        pre.migrate(cr, None)
        post.migrate(cr, None)
        self.assertEqual(Evaluation.search_count([("cycle_id", "=", cycle_2025.id)]), 2)
