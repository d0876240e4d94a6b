"""Calibration and 9-box (#15): performance from the rating band, the 9-box
cells and grid, the distribution of a cycle against its guide, calibrations
logged, and who may calibrate and read the log."""

from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import HR_OFFICER, SALESMAN, EvaluationCommon


class NineBoxCommon(EvaluationCommon):
    """A company of its own with three rating bands (0 / 60 / 90: low /
    medium / high by their place), a hierarchy Nina (top) > Max (manager) >
    Ella (employee) and Cora (Nina's other report), an HR officer of the
    company, and a cycle of 2026 Q1 in it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_nb = cls._new_company("SP Nine Box Co")
        Rating = cls.env["sales.performance.evaluation.rating"]
        cls.band_high = Rating.create(
            {"name": "NB High", "min_score": 90, "company_id": cls.company_nb.id}
        )
        cls.band_mid = Rating.create(
            {"name": "NB Mid", "min_score": 60, "company_id": cls.company_nb.id}
        )
        cls.band_low = Rating.create(
            {"name": "NB Low", "min_score": 0, "company_id": cls.company_nb.id}
        )

        def user(login, name, groups=SALESMAN):
            return cls._new_user(login, groups, company=cls.company_nb, name=name)

        cls.nb_hr = user("sp_nb_hr", "Hugo HR", f"{SALESMAN},{HR_OFFICER}")
        cls.nb_top = user("sp_nb_top", "Nina Top")
        cls.nb_manager = user("sp_nb_manager", "Max Manager")
        cls.nb_employee = user("sp_nb_employee", "Ella Employee")
        cls.nb_colleague = user("sp_nb_colleague", "Cora Colleague")
        Employee = cls.env["hr.employee"].with_company(cls.company_nb)

        def employee(name, user=None, parent=None):
            return Employee.create(
                {
                    "name": name,
                    "company_id": cls.company_nb.id,
                    "user_id": user.id if user else False,
                    "parent_id": parent.id if parent else False,
                }
            )

        cls.e_top = employee("Nina Top", cls.nb_top)
        cls.e_manager = employee("Max Manager", cls.nb_manager, cls.e_top)
        cls.e_employee = employee("Ella Employee", cls.nb_employee, cls.e_manager)
        cls.e_colleague = employee("Cora Colleague", cls.nb_colleague, cls.e_top)
        cls.team = [employee(f"NB Seller {n}", parent=cls.e_manager) for n in range(9)]
        cls.cycle = cls.env["sales.performance.evaluation.cycle"].create(
            {
                "name": "NB 2026 Q1",
                "company_id": cls.company_nb.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 31),
                "state": "running",
            }
        )

    @classmethod
    def _rated(cls, employee, rating, potential=False, state="done", cycle=None):
        """A done evaluation of ``employee``, reviewed by their manager's
        user, scored by one competency rated ``rating`` (score = rating / 5 x
        100)."""
        return cls.env["sales.performance.evaluation"].create(
            {
                "employee_id": employee.id,
                "evaluator_id": employee.parent_id.user_id.id,
                "company_id": cls.company_nb.id,
                "cycle_id": (cycle or cls.cycle).id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 31),
                "state": state,
                "potential": potential,
                "line_ids": [
                    Command.create(
                        {
                            "kind": "competency",
                            "competency_id": cls.competency_a.id,
                            "weight": 100,
                            "manager_rating": rating,
                        }
                    )
                ],
            }
        )

    def _start_calibration(self, cycle=None):
        cycle = cycle or self.cycle
        cycle.with_user(self.nb_hr).action_start_calibration()
        self.assertEqual(cycle.state, "calibration")

    def _logs(self, evaluation):
        return (
            self.env["sales.performance.evaluation.calibration"]
            .sudo()
            .search([("evaluation_id", "=", evaluation.id)])
        )


@tagged("post_install", "-at_install")
class TestEvaluationNineBox(NineBoxCommon):
    def test_performance_from_the_rating_band(self):
        # 5/5 -> 100 >= 90: NB High (top of three bands: high);
        # 4/5 -> 80 (NB Mid: medium); 2/5 -> 40 (NB Low: low)
        high = self._rated(self.team[0], 5)
        mid = self._rated(self.team[1], 4)
        low = self._rated(self.team[2], 2)
        self.assertEqual(high.rating_id, self.band_high)
        self.assertEqual(
            (high.performance, mid.performance, low.performance),
            ("high", "medium", "low"),
        )
        self.assertEqual(self.band_mid.effective_performance_level, "medium")
        # A level set on the band wins over its place.
        self.band_mid.performance_level = "high"
        self.assertEqual(mid.performance, "high")
        # A fourth band above the others: NB Mid (60) becomes 2nd of 4 and
        # NB High (90) 3rd of 4 -> 4 // 3 = 1 band at each end is low/high.
        self.band_mid.performance_level = False
        self.env["sales.performance.evaluation.rating"].create(
            {"name": "NB Star", "min_score": 120, "company_id": self.company_nb.id}
        )
        self.assertEqual(self.band_high.effective_performance_level, "medium")
        self.assertEqual(high.performance, "medium")
        self.assertEqual(low.performance, "low")

    def test_shipped_bands_levels(self):
        # The four shared bands (0 / 70 / 90 / 110): low, medium, medium, high.
        ref = self.env.ref
        levels = [
            ref(
                f"sales_performance.evaluation_rating_{name}"
            ).effective_performance_level
            for name in ("needs_improvement", "meets", "good", "outstanding")
        ]
        self.assertEqual(levels, ["low", "medium", "medium", "high"])

    def test_nine_box_cells(self):
        star = self._rated(self.team[0], 5, "high")  # high/high = 9
        diamond = self._rated(self.team[1], 2, "high")  # low perf, high pot = 7
        pro = self._rated(self.team[2], 5, "low")  # high perf, low pot = 3
        core = self._rated(self.team[3], 4, "medium")  # medium/medium = 5
        risk = self._rated(self.team[4], 2, "low")  # low/low = 1
        unplaced = self._rated(self.team[5], 4)  # no potential: no cell
        self.assertEqual(
            [e.nine_box for e in (star, diamond, pro, core, risk, unplaced)],
            [9, 7, 3, 5, 1, 0],
        )
        self.assertEqual(star.nine_box_label, "Star")
        self.assertEqual(risk.nine_box_label, "Underperformer")
        # 3 x potential + performance + 1: low potential (0), medium
        # performance (1, 80 is NB Mid) -> 0 + 1 + 1 = 2
        unplaced.potential = "low"
        self.assertEqual(unplaced.nine_box, 2)
        grid = str(self.cycle.nine_box_html)
        cell_9 = grid.split("data-cell='9'")[1].split("</td>")[0]
        self.assertIn("NB Seller 0", cell_9)
        self.assertNotIn("NB Seller 3", cell_9)
        cell_2 = grid.split("data-cell='2'")[1].split("</td>")[0]
        self.assertIn("NB Seller 5", cell_2)
        self.assertIn(f"data-evaluation-id='{unplaced.id}'", cell_2)
        # 9 cells; cell 6 (high performance, medium potential) is empty
        self.assertEqual(grid.count("o_sales_performance_nine_box_cell"), 9)
        cell_6 = grid.split("data-cell='6'")[1].split("</td>")[0]
        self.assertNotIn("<li>", cell_6)

    def test_grid_escapes_names(self):
        self.team[6].name = "Zed <script>alert(1)</script>"
        self._rated(self.team[6], 5, "high")
        grid = str(self.cycle.nine_box_html)
        self.assertNotIn("<script>", grid)
        self.assertIn("Zed &lt;script&gt;alert(1)&lt;/script&gt;", grid)

    def test_distribution_warning(self):
        # 10 rated: 3 high (5/5), 6 medium (4/5), 1 low (2/5), plus a
        # cancelled one that does not count.
        for employee in self.team[:3]:
            self._rated(employee, 5)
        for employee in self.team[3:8] + [self.e_employee]:
            self._rated(employee, 4)
        self._rated(self.team[8], 2)
        self._rated(self.e_colleague, 5, state="cancel")
        cycle = self.cycle
        self.assertEqual(cycle.distribution_guide, "20/70/10")
        self.assertEqual(cycle.distribution_tolerance, 5.0)
        self.assertEqual(
            (
                cycle.distribution_high_count,
                cycle.distribution_medium_count,
                cycle.distribution_low_count,
            ),
            (3, 6, 1),
        )
        # shares 30 / 60 / 10 %: +10 and -10 points against 20 / 70 / 10
        self.assertAlmostEqual(cycle.distribution_high_share, 30.0)
        self.assertAlmostEqual(cycle.distribution_medium_share, 60.0)
        self.assertAlmostEqual(cycle.distribution_low_share, 10.0)
        self.assertTrue(cycle.distribution_warning)
        self.assertIn("20/70/10", cycle.distribution_warning_message)
        html = str(cycle.distribution_html)
        self.assertIn("+10.0", html)
        self.assertIn("-10.0", html)
        self.assertIn("NB Mid", html)  # the per-band table
        # A tolerance of 10 points: a deviation of exactly 10 is allowed.
        cycle.distribution_tolerance = 10.0
        self.assertFalse(cycle.distribution_warning)
        self.assertFalse(cycle.distribution_warning_message)
        # The guide of what happened: no deviation at all.
        cycle.write({"distribution_guide": "30/60/10", "distribution_tolerance": 0})
        self.assertFalse(cycle.distribution_warning)

    def test_distribution_guide_bad_input(self):
        cycle = self.cycle
        for guide in (
            "20/70/20",
            "20/60/10",
            "abc",
            "nan/50/50",
            "-10/100/10",
            "20/80",
        ):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                cycle.write({"distribution_guide": guide})
        for tolerance in (-1.0, 101.0, float("nan"), float("inf")):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                cycle.write({"distribution_tolerance": tolerance})
        cycle.invalidate_recordset()
        self.assertEqual(cycle.distribution_guide, "20/70/10")
        self.assertEqual(cycle.distribution_tolerance, 5.0)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["sales.performance.evaluation.cycle"].create(
                {
                    "name": "NB bad guide",
                    "company_id": self.company_nb.id,
                    "date_from": date(2026, 4, 1),
                    "date_to": date(2026, 6, 30),
                    "distribution_guide": "50/50/50",
                }
            )

    def test_cycle_form_calibration_page(self):
        # the Calibration page of the cycle form and the calibration screen
        arch = self.cycle.with_user(self.nb_hr).get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn('name="calibration"', arch)
        self.assertIn("nine_box_html", arch)
        self.assertIn("action_open_calibrations", arch)
        action = self.cycle.with_user(self.nb_hr).action_open_calibration_screen()
        self.assertEqual(action["res_id"], self.cycle.id)
        screen = self.env["ir.ui.view"].browse(action["views"][0][0])
        self.assertEqual(screen.model, self.cycle._name)

    def test_no_warning_without_ratings(self):
        self.assertFalse(self.cycle.distribution_warning)
        self.assertEqual(self.cycle.distribution_high_share, 0.0)


@tagged("post_install", "-at_install")
class TestEvaluationCalibrate(NineBoxCommon):
    def test_calibration_logged(self):
        evaluation = self._rated(self.e_employee, 5, "high")
        self.assertEqual(evaluation.nine_box, 9)
        self._start_calibration()
        reason = "Peer review: <b>strong</b> quarter was one big deal"
        evaluation.with_user(self.nb_hr).action_calibrate(self.band_mid.id, reason)
        # the rating changes, and with it the performance and the 9-box cell
        self.assertEqual(evaluation.rating_id, self.band_mid)
        self.assertEqual(evaluation.performance, "medium")
        self.assertEqual(evaluation.nine_box, 8)  # medium perf, high potential
        log = self._logs(evaluation)
        self.assertEqual(len(log), 1)
        self.assertEqual(log.rating_before_id, self.band_high)
        self.assertEqual(log.rating_after_id, self.band_mid)
        self.assertEqual(log.user_id, self.nb_hr)
        self.assertEqual(log.cycle_id, self.cycle)
        self.assertEqual(log.company_id, self.company_nb)
        self.assertEqual(log.employee_id, self.e_employee)
        self.assertEqual(log.reason, reason)
        self.assertTrue(log.date)
        message = evaluation.message_ids[0]
        self.assertEqual(message.author_id, self.nb_hr.partner_id)
        self.assertIn("NB High", message.body)
        self.assertIn("NB Mid", message.body)
        self.assertIn("&lt;b&gt;strong&lt;/b&gt;", message.body)
        self.assertNotIn("<b>strong", message.body)
        # the cycle counts it and opens its log
        self.assertEqual(self.cycle.calibration_count, 1)
        action = self.cycle.action_open_calibrations()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), log)
        # a recompute of the score keeps the calibrated rating
        evaluation.line_ids.manager_rating = 4
        self.assertAlmostEqual(evaluation.final_score, 80.0)
        self.assertEqual(evaluation.rating_id, self.band_mid)
        # a second calibration logs from the calibrated rating
        evaluation.with_user(self.nb_top).action_calibrate(self.band_low, "Not proven")
        logs = self._logs(evaluation)
        self.assertEqual(len(logs), 2)
        self.assertEqual(logs[0].rating_before_id, self.band_mid)
        self.assertEqual(logs[0].user_id, self.nb_top)
        self.assertEqual(evaluation.nine_box, 7)

    def test_calibration_bad_input(self):
        evaluation = self._rated(self.e_employee, 5, "high")
        as_hr = evaluation.with_user(self.nb_hr)
        # outside the calibration step
        with self.assertRaisesMessage(UserError, "calibration step"):
            as_hr.action_calibrate(self.band_mid.id, "Too early")
        self._start_calibration()
        for reason in ("", "   ", None, 42):
            with self.assertRaisesMessage(UserError, "reason"):
                as_hr.action_calibrate(self.band_mid.id, reason)
        # a band of another company, a missing band, no band
        other_band = self.env["sales.performance.evaluation.rating"].create(
            {"name": "B band", "min_score": 0, "company_id": self.company_b.id}
        )
        for rating in (other_band.id, 999999999, False, "x", 2.5):
            with self.assertRaises(ValidationError):
                as_hr.action_calibrate(rating, "Wrong band")
        with self.assertRaisesMessage(UserError, "already has the rating"):
            as_hr.action_calibrate(self.band_high.id, "Same")
        cancelled = self._rated(self.e_colleague, 4, state="cancel")
        with self.assertRaisesMessage(UserError, "cancelled"):
            cancelled.with_user(self.nb_hr).action_calibrate(self.band_low.id, "x")
        # nothing saved
        self.assertEqual(evaluation.rating_id, self.band_high)
        self.assertFalse(evaluation.calibrated_rating_id)
        self.assertFalse(self._logs(evaluation) | self._logs(cancelled))

    def test_who_calibrates(self):
        evaluation = self._rated(self.e_employee, 5, "high")
        self._start_calibration()
        # the direct manager (the evaluator), the employee, a colleague: no
        for user in (self.nb_manager, self.nb_employee, self.nb_colleague):
            with self.assertRaises(AccessError):
                evaluation.with_user(user).action_calibrate(self.band_mid.id, "No")
        self.assertFalse(evaluation.with_user(self.nb_manager).can_calibrate)
        # the manager's manager: yes
        self.assertTrue(evaluation.with_user(self.nb_top).can_calibrate)
        evaluation.with_user(self.nb_top).action_calibrate(self.band_mid.id, "Bar")
        self.assertEqual(evaluation.rating_id, self.band_mid)
        self.assertEqual(self._logs(evaluation).user_id, self.nb_top)

    def test_wizard(self):
        evaluation = self._rated(self.e_employee, 4, "low")
        self._start_calibration()
        action = evaluation.with_user(self.nb_top).action_open_calibrate()
        Wizard = self.env[action["res_model"]].with_user(self.nb_top)
        wizard = Wizard.with_context(**action["context"]).create(
            {"rating_id": self.band_high.id, "reason": "Best quarter of the team"}
        )
        self.assertEqual(wizard.current_rating_id, self.band_mid)
        wizard.action_calibrate()
        self.assertEqual(evaluation.rating_id, self.band_high)
        self.assertEqual(evaluation.nine_box, 3)  # high perf, low potential
        self.assertEqual(self._logs(evaluation).reason, "Best quarter of the team")

    def test_potential_rights(self):
        evaluation = self._rated(self.e_employee, 4)
        # end the creation's transaction step (a record created in it is not
        # tracked), then the manager sets it on a done evaluation: tracked
        self.env.flush_all()
        self.cr.precommit.run()
        evaluation.with_user(self.nb_manager).with_context(
            tracking_disable=False, mail_notrack=False
        ).potential = "high"
        self.assertEqual(evaluation.nine_box, 8)  # 3 x 2 + 1 + 1
        self.env.flush_all()
        self.cr.precommit.run()
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", evaluation._name),
                ("mail_message_id.res_id", "=", evaluation.id),
                ("field_id.name", "=", "potential"),
            ]
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(tracked.mail_message_id.author_id, self.nb_manager.partner_id)
        for user in (self.nb_employee, self.nb_colleague):
            with self.assertRaises(AccessError), self.cr.savepoint():
                evaluation.with_user(user).potential = "low"
        with self.assertRaises(ValidationError), self.cr.savepoint():
            evaluation.with_user(self.nb_hr).write({"potential": "huge"})
        evaluation.invalidate_recordset()
        self.assertEqual(evaluation.potential, "high")

    def test_employee_sees_no_figures_before_done(self):
        evaluation = self._rated(self.e_employee, 5, "high", state="manager_review")
        self.assertEqual(evaluation.nine_box, 9)
        values = evaluation.with_user(self.nb_employee).read(
            ["potential", "performance", "nine_box"]
        )[0]
        self.assertFalse(values["potential"])
        self.assertFalse(values["performance"])
        self.assertFalse(values["nine_box"])


@tagged("post_install", "-at_install")
class TestEvaluationCalibrationSecurity(NineBoxCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.evaluation = cls._rated(cls.e_employee, 5, "high")
        cls.other = cls._rated(cls.e_colleague, 4, "low")
        cls.cycle.with_user(cls.nb_hr).action_start_calibration()
        cls.evaluation.with_user(cls.nb_hr).action_calibrate(cls.band_mid.id, "Calib")
        cls.other.with_user(cls.nb_hr).action_calibrate(cls.band_high.id, "Calib")
        cls.log = cls.env["sales.performance.evaluation.calibration"].search(
            [("evaluation_id", "=", cls.evaluation.id)]
        )
        cls.other_log = cls.env["sales.performance.evaluation.calibration"].search(
            [("evaluation_id", "=", cls.other.id)]
        )

    def _visible(self, user):
        return (
            self.env["sales.performance.evaluation.calibration"]
            .with_user(user)
            .search([("cycle_id", "=", self.cycle.id)])
        )

    def test_who_reads_the_log(self):
        both = self.log | self.other_log
        self.assertEqual(self._visible(self.nb_hr), both)
        # Nina manages both employees (Max's manager and Cora's)
        self.assertEqual(self._visible(self.nb_top), both)
        # Max manages Ella only
        self.assertEqual(self._visible(self.nb_manager), self.log)
        # the employees: their own done evaluation's log only
        self.assertEqual(self._visible(self.nb_employee), self.log)
        self.assertEqual(self._visible(self.nb_colleague), self.other_log)
        with self.assertRaises(AccessError):
            self.other_log.with_user(self.nb_employee).read(["reason"])
        # an HR officer of another company sees nothing
        self.assertFalse(self._visible(self.user_hr))
        with self.assertRaises(AccessError):
            self.log.with_user(self.user_hr).read(["reason"])

    def test_employee_log_hidden_until_done(self):
        self.evaluation.sudo().state = "manager_review"
        self.assertFalse(self._visible(self.nb_employee))
        self.assertEqual(self._visible(self.nb_manager), self.log)

    def test_log_is_read_only(self):
        Log = self.env["sales.performance.evaluation.calibration"]
        vals = {
            "evaluation_id": self.evaluation.id,
            "rating_after_id": self.band_low.id,
            "reason": "forged",
            "user_id": self.nb_hr.id,
            "date": "2026-04-01 00:00:00",
        }
        for user in (self.nb_hr, self.nb_top, self.nb_employee):
            with self.assertRaises(AccessError):
                Log.with_user(user).create(vals)
            with self.assertRaises(AccessError):
                self.log.with_user(user).write({"reason": "changed"})
            with self.assertRaises(AccessError):
                self.log.with_user(user).unlink()
        # not even in code, outside action_calibrate
        with self.assertRaises(UserError):
            Log.sudo().create(vals)
        with self.assertRaises(UserError):
            self.log.sudo().write({"reason": "changed"})
        self.log.invalidate_recordset()
        self.assertEqual(self.log.reason, "Calib")
        self.assertEqual(len(Log.sudo().search([("cycle_id", "=", self.cycle.id)])), 2)
