from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .common import HR_OFFICER, EvaluationCommon


@tagged("post_install", "-at_install")
class TestEvaluationSecurity(EvaluationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.evaluation = cls._evaluation()
        cls.colleague_evaluation = cls._evaluation(employee=cls.emp_colleague)
        cls.Evaluation = cls.env["sales.performance.evaluation"]

    def test_employee_reads_own_not_a_colleagues(self):
        Evaluation = self.Evaluation.with_user(self.user_employee)
        self.assertEqual(Evaluation.search([]), self.evaluation)
        self.evaluation.with_user(self.user_employee).read(["name", "line_ids"])
        with self.assertRaises(AccessError):
            self.colleague_evaluation.with_user(self.user_employee).read(["name"])
        with self.assertRaises(AccessError):
            self.colleague_evaluation.line_ids.with_user(self.user_employee).read(
                ["self_rating"]
            )
        with self.assertRaises(AccessError):
            Evaluation.create(
                {
                    "employee_id": self.emp_employee.id,
                    "date_from": "2025-01-01",
                    "date_to": "2025-03-31",
                }
            )

    def test_employee_cannot_write_manager_parts(self):
        self.evaluation.action_start_self_assessment()
        lines = self._lines(self.evaluation)
        as_employee = lines["competency_a"].with_user(self.user_employee)
        with self.assertRaises(AccessError):
            as_employee.write({"manager_rating": 5})
        with self.assertRaises(AccessError):
            lines["won"].with_user(self.user_employee).write(
                {"is_adjusted": True, "adjusted_score": 200, "adjustment_reason": "me"}
            )
        with self.assertRaises(AccessError):
            lines["won"].with_user(self.user_employee).write(
                {"weight": 90, "score_cap": 500}
            )
        with self.assertRaises(AccessError):
            lines["won"].with_user(self.user_employee).write({"score": 120})
        with self.assertRaises(AccessError):
            self.evaluation.with_user(self.user_employee).write(
                {"manager_comment": "great"}
            )
        with self.assertRaises(AccessError):
            self.evaluation.with_user(self.user_employee).write(
                {
                    "line_ids": [
                        Command.update(lines["competency_a"].id, {"manager_rating": 5})
                    ]
                }
            )
        with self.assertRaises(AccessError):
            self.evaluation.with_user(self.user_employee).write(
                {
                    "line_ids": [
                        Command.create(
                            {"kind": "competency", "name": "Free", "weight": 1}
                        )
                    ]
                }
            )
        self.assertFalse(lines["competency_a"].manager_rating)
        self.assertFalse(lines["won"].is_adjusted)
        # Their own part, at their step, is allowed.
        as_employee.write({"self_rating": 4})
        self.assertEqual(lines["competency_a"].self_rating, 4)

    def test_employee_cannot_search_hidden_manager_figures(self):
        self.evaluation.action_start_self_assessment()
        competencies = self.evaluation.line_ids.filtered(
            lambda ln: ln.kind == "competency"
        )
        competencies.write({"self_rating": 3})
        self.evaluation.action_submit_self_assessment()
        competencies.write({"manager_rating": 4})
        Line = self.env["sales.performance.evaluation.line"].with_user(
            self.user_employee
        )
        Evaluation = self.Evaluation.with_user(self.user_employee)
        self.assertFalse(Line.search([("manager_rating", "=", 4)]))
        self.assertFalse(Evaluation.search([("final_score", ">", 0)]))
        self.assertFalse(Evaluation._read_group([], ["rating_id"], ["__count"]))
        self.assertFalse(Evaluation._read_group([], [], ["final_score:max"])[0][0])
        # Their own self-rating stays searchable, and the manager sees everything.
        self.assertEqual(Line.search([("self_rating", "=", 3)]), competencies)
        self.assertEqual(
            self.env["sales.performance.evaluation.line"]
            .with_user(self.user_manager)
            .search([("manager_rating", "=", 4)]),
            competencies,
        )
        self.evaluation.action_done()
        self.assertEqual(Line.search([("manager_rating", "=", 4)]), competencies)
        self.assertEqual(Evaluation.search([("final_score", ">", 0)]), self.evaluation)

    def test_employee_writes_nothing_outside_their_step(self):
        line = self._lines(self.evaluation)["competency_a"]
        with self.assertRaises(AccessError):
            line.with_user(self.user_employee).write({"self_rating": 4})
        with self.assertRaises(AccessError):
            self.evaluation.with_user(self.user_employee).write(
                {"self_comment": "early"}
            )

    def test_managers_direct_and_indirect(self):
        # Direct manager and the manager's manager both read and write.
        for user in (self.user_manager, self.user_top):
            evaluation = self.evaluation.with_user(user)
            evaluation.read(["name", "final_score"])
            evaluation.write({"deadline": "2026-04-30"})
        # Tom manages Carl directly; Mia does not.
        self.colleague_evaluation.with_user(self.user_top).read(["name"])
        with self.assertRaises(AccessError):
            self.colleague_evaluation.with_user(self.user_manager).read(["name"])
        self.assertEqual(
            self.Evaluation.with_user(self.user_manager).search([]), self.evaluation
        )
        # A manager never sees the self-assessment step as theirs.
        with self.assertRaises(AccessError):
            self.evaluation.with_user(self.user_manager).write({"self_comment": "x"})

    def test_manager_cannot_evaluate_themselves(self):
        own = self._evaluation(employee=self.emp_manager)
        with self.assertRaises(AccessError):
            own.with_user(self.user_manager).action_start_self_assessment()
        with self.assertRaises(AccessError):
            own.with_user(self.user_manager).write({"manager_comment": "I am great"})

    def test_hr_officer_all_of_their_companies(self):
        Evaluation = self.Evaluation.with_user(self.user_hr)
        self.assertEqual(
            Evaluation.search(
                [("id", "in", (self.evaluation | self.colleague_evaluation).ids)]
            ),
            self.evaluation | self.colleague_evaluation,
        )
        other_company = self.company_b
        other_employee = self.env["hr.employee"].create(
            {"name": "Otto Other", "company_id": other_company.id}
        )
        other_evaluation = self.Evaluation.create(
            {
                "employee_id": other_employee.id,
                "company_id": other_company.id,
                "date_from": self.date_from,
                "date_to": self.date_to,
            }
        )
        with self.assertRaises(AccessError):
            other_evaluation.with_user(self.user_hr).read(["name"])
        hr_both = self._new_user(
            "sp_eval_hr_both", HR_OFFICER, companies=self.company | other_company
        )
        other_evaluation.with_user(hr_both).with_context(
            allowed_company_ids=(self.company | other_company).ids
        ).read(["name"])
