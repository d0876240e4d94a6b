from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import EvaluationCommon


@tagged("post_install", "-at_install")
class TestEvaluationScoring(EvaluationCommon):
    def test_kpi_lines_take_summed_targets_of_the_period(self):
        evaluation = self._evaluation()
        lines = self._lines(evaluation)
        # Won revenue: January 10000/9000 + February 10000/14000; April is outside.
        self.assertTrue(lines["won"].has_target)
        self.assertAlmostEqual(lines["won"].target_value, 20000.0)
        self.assertAlmostEqual(lines["won"].achieved_value, 23000.0)
        self.assertAlmostEqual(lines["won"].attainment, 115.0)
        self.assertAlmostEqual(lines["won"].score, 115.0)
        # Confirmed sales: 7500 / 5000 = 150 %, capped at 120.
        self.assertAlmostEqual(lines["sales"].attainment, 150.0)
        self.assertAlmostEqual(lines["sales"].score, 120.0)

    def test_final_score_and_band_by_hand(self):
        evaluation = self._evaluation()
        lines = self._lines(evaluation)
        lines["competency_a"].manager_rating = 4
        lines["competency_b"].manager_rating = 3
        # 40 % x 115 + 20 % x 120 + 20 % x (4 / 5 x 100) + 20 % x (3 / 5 x 100)
        # = 46 + 24 + 16 + 12 = 98
        self.assertAlmostEqual(evaluation.final_score, 98.0)
        self.assertAlmostEqual(evaluation.total_weight, 100.0)
        self.assertEqual(
            evaluation.rating_id,
            self.env.ref("sales_performance.evaluation_rating_good"),
        )

    def test_open_evaluations_follow_edited_bands(self):
        evaluation = self._evaluation()
        lines = self._lines(evaluation)
        (lines["competency_a"] | lines["competency_b"]).write({"manager_rating": 5})
        # 46 + 24 + 20 + 20 = 110: Outstanding (>= 110).
        self.assertAlmostEqual(evaluation.final_score, 110.0)
        outstanding = self.env.ref("sales_performance.evaluation_rating_outstanding")
        self.assertEqual(evaluation.rating_id, outstanding)
        outstanding.min_score = 115.0
        self.assertEqual(
            evaluation.rating_id,
            self.env.ref("sales_performance.evaluation_rating_good"),
        )

    def test_custom_cap(self):
        evaluation = self._evaluation()
        lines = self._lines(evaluation)
        lines["sales"].score_cap = 140.0
        self.assertAlmostEqual(lines["sales"].score, 140.0)
        lines["sales"].score_cap = 100.0
        self.assertAlmostEqual(lines["sales"].score, 100.0)

    def test_adjusted_kpi_needs_a_kept_justification(self):
        evaluation = self._evaluation()
        lines = self._lines(evaluation)
        lines["competency_a"].manager_rating = 4
        lines["competency_b"].manager_rating = 3
        with self.assertRaises(ValidationError):
            lines["sales"].write({"is_adjusted": True, "adjusted_score": 100.0})
        self.assertFalse(lines["sales"].is_adjusted)
        lines["sales"].write(
            {
                "is_adjusted": True,
                "adjusted_score": 100.0,
                "adjustment_reason": "Order booked a day late by the customer",
            }
        )
        # 46 + 20 % x 100 + 16 + 12 = 94
        self.assertAlmostEqual(lines["sales"].score, 100.0)
        self.assertAlmostEqual(evaluation.final_score, 94.0)
        # Kept in the chatter when the manager submits the review, not before
        # (the employee could read it there).
        messages = "\n".join(evaluation.message_ids.mapped("body"))
        self.assertNotIn("Order booked a day late by the customer", messages)
        evaluation.action_start_self_assessment()
        (lines["competency_a"] | lines["competency_b"]).write({"self_rating": 3})
        evaluation.action_submit_self_assessment()
        evaluation.action_done()
        self.assertEqual(evaluation.state, "done")
        self.assertAlmostEqual(evaluation.final_score, 94.0)
        messages = "\n".join(evaluation.message_ids.mapped("body"))
        self.assertIn("Order booked a day late by the customer", messages)
        self.assertIn("from 120.0 to 100.0", messages)

    def test_refresh_kpis_follows_new_achievement(self):
        evaluation = self._evaluation()
        target = self.env["sales.performance.target"].search(
            [
                ("user_id", "=", self.user_employee.id),
                ("metric_id", "=", self.metric_sales.id),
            ]
        )
        target.sudo().write({"achieved_value": 2500.0})
        evaluation.action_refresh_kpis()
        self.assertAlmostEqual(self._lines(evaluation)["sales"].attainment, 50.0)
        self.assertAlmostEqual(self._lines(evaluation)["sales"].score, 50.0)

    def test_metric_without_target_is_flagged_and_blocks_the_start(self):
        metric = self.env.ref("sales_performance.metric_new_customers")
        evaluation = self._evaluation(
            template_id=False,
            line_ids=[
                Command.create({"kind": "kpi", "metric_id": metric.id, "weight": 50}),
                Command.create(
                    {
                        "kind": "competency",
                        "competency_id": self.competency_a.id,
                        "weight": 50,
                    }
                ),
            ],
        )
        kpi = evaluation.line_ids.filtered(lambda ln: ln.kind == "kpi")
        self.assertFalse(kpi.has_target)
        self.assertEqual(evaluation.missing_target_count, 1)
        with self.assertRaisesMessage(ValidationError, "No target"):
            evaluation.action_start_self_assessment()
        self.assertEqual(evaluation.state, "draft")
        # A justified manual score makes it usable.
        kpi.write(
            {
                "is_adjusted": True,
                "adjusted_score": 80.0,
                "adjustment_reason": "New territory",
            }
        )
        evaluation.action_start_self_assessment()
        self.assertEqual(evaluation.state, "self_assessment")


@tagged("post_install", "-at_install")
class TestEvaluationBadInput(EvaluationCommon):
    def test_weights_must_total_100_to_leave_draft(self):
        evaluation = self._evaluation()
        self._lines(evaluation)["won"].weight = 30.0
        with self.assertRaisesMessage(ValidationError, "90"):
            evaluation.action_start_self_assessment()
        self.assertEqual(evaluation.state, "draft")

    def test_template_weights_must_total_100(self):
        with self.assertRaises(ValidationError):
            self.env["sales.performance.evaluation.template"].create(
                {
                    "name": "Bad",
                    "line_ids": [
                        Command.create(
                            {
                                "kind": "competency",
                                "competency_id": self.competency_a.id,
                                "weight": 60,
                            }
                        )
                    ],
                }
            )

    def test_rating_outside_1_5(self):
        evaluation = self._evaluation()
        line = self._lines(evaluation)["competency_a"]
        for bad in (6, -1):
            with self.assertRaises(ValidationError):
                line.write({"manager_rating": bad})
        self.assertEqual(line.manager_rating, 0)
        with self.assertRaises(ValidationError):
            line.write({"self_rating": 9})

    def test_period_end_before_start(self):
        count = self.env["sales.performance.evaluation"].search_count([])
        Evaluation = self.env["sales.performance.evaluation"]
        with self.assertRaises(IntegrityError) as caught, mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self._evaluation(date_from=date(2026, 3, 1), date_to=date(2026, 2, 1))
                Evaluation.flush_model()
        self.assertIn(
            "end after it starts", Evaluation._sql_error_to_message(caught.exception)
        )
        self.assertEqual(
            self.env["sales.performance.evaluation"].search_count([]), count
        )

    def test_overlapping_evaluation_for_same_employee(self):
        self._evaluation()
        with self.assertRaisesMessage(ValidationError, "overlapping"):
            self._evaluation(date_from=date(2026, 3, 1), date_to=date(2026, 5, 31))
        # Another employee, or a cancelled evaluation, does not overlap.
        self._evaluation(employee=self.emp_colleague)
        first = self.env["sales.performance.evaluation"].search(
            [("employee_id", "=", self.emp_employee.id)]
        )
        first.action_cancel()
        self._evaluation(date_from=date(2026, 3, 1), date_to=date(2026, 5, 31))

    def test_overlap_is_checked_in_one_query_for_a_batch(self):
        """Creating many evaluations checks their overlaps with one query:
        inside the batch too, and nothing of a refused batch is saved."""
        Evaluation = self.env["sales.performance.evaluation"]
        vals = [
            {
                "employee_id": self.emp_employee.id,
                "date_from": date(2027, month, 1),
                "date_to": date(2027, month, 28),
            }
            for month in range(1, 13)
        ]
        with self.assertRaisesMessage(ValidationError, "overlapping"):
            Evaluation.create([*vals, dict(vals[3], date_from=date(2027, 4, 10))])
        self.assertFalse(
            Evaluation.search(
                [
                    ("employee_id", "=", self.emp_employee.id),
                    ("date_from", ">=", date(2027, 1, 1)),
                ]
            )
        )
        created = Evaluation.create(vals)
        self.assertEqual(len(created), 12)
        created.invalidate_recordset()
        before = self.env.cr.sql_log_count
        created._check_overlap()
        self.assertEqual(self.env.cr.sql_log_count - before, 1)
