from datetime import date

from odoo.tests import tagged

from .common import TrainingCommon

# Monthly attainments (percent) of 2026, February to June; the training is on
# 15 April, so April is neither before nor after.
MONTHS = [date(2026, m, 1) for m in (1, 2, 3, 4, 5, 6)]


@tagged("post_install", "-at_install")
class TestTrainingEffectiveness(TrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.metric = cls.env.ref("sales_performance.metric_won_revenue")
        cls.course.write({"metric_ids": cls.metric, "effectiveness_periods": 2})
        cls.user_peer = cls._new_user("sp_tr_peer", name="Pia Peer")
        cls.emp_peer = cls.env["hr.employee"].create(
            {"name": "Pia Peer", "user_id": cls.user_peer.id, "job_id": cls.job.id}
        )
        # Eve and Carl attend (Eve passes, Carl attends); Pia, same job, does
        # not; Mia (the manager, another job) is not comparable.
        cls._record(status="passed", date_completed=date(2026, 4, 15))
        cls._record(
            cls.emp_colleague, status="attended", date_completed=date(2026, 4, 15)
        )
        cls._attainments(cls.user_employee, [10, 80, 90, 0, 100, 110])
        cls._attainments(cls.user_colleague, [10, 60, 60, 0, 70, 70])
        cls._attainments(cls.user_peer, [0, 100, 100, 0, 104, 104])
        cls._attainments(cls.user_manager, [0, 0, 0, 0, 500, 500])

    @classmethod
    def _attainments(cls, user, percents):
        for start, percent in zip(MONTHS, percents, strict=True):
            target = cls.env["sales.performance.target"].create(
                {
                    "user_id": user.id,
                    "metric_id": cls.metric.id,
                    "company_id": cls.company.id,
                    "date_from": start,
                    "date_to": start.replace(day=28),
                    "target_value": 1000.0,
                }
            )
            target.sudo().write({"achieved_value": percent * 10.0})

    def test_before_after_against_non_attendees(self):
        self.course.action_compute_effectiveness()
        rows = {row.group_type: row for row in self.course.effectiveness_ids}
        attendees, others = rows["attendees"], rows["others"]
        # Eve: (80 + 90) / 2 = 85 -> (100 + 110) / 2 = 105, +20.
        # Carl: 60 -> 70, +10. Means: 72.5 -> 87.5, +15.
        self.assertEqual(attendees.people_count, 2)
        self.assertAlmostEqual(attendees.attainment_before, 72.5)
        self.assertAlmostEqual(attendees.attainment_after, 87.5)
        self.assertAlmostEqual(attendees.change, 15.0)
        # Pia: 100 -> 104, +4 (Mia holds another job position: left out).
        self.assertEqual(others.people_count, 1)
        self.assertAlmostEqual(others.attainment_before, 100.0)
        self.assertAlmostEqual(others.attainment_after, 104.0)
        self.assertAlmostEqual(others.change, 4.0)
        # Effect: 15 - 4 = 11 points.
        self.assertAlmostEqual(attendees.effect, 11.0)
        self.assertEqual(attendees.metric_id, self.metric)

    def test_one_period_and_recompute_replaces_rows(self):
        self.course.effectiveness_periods = 1
        self.course.action_compute_effectiveness()
        self.course.action_compute_effectiveness()
        self.assertEqual(len(self.course.effectiveness_ids), 2)
        rows = {row.group_type: row for row in self.course.effectiveness_ids}
        # Eve 90 -> 100 (+10), Carl 60 -> 70 (+10); Pia 100 -> 104 (+4).
        self.assertAlmostEqual(rows["attendees"].change, 10.0)
        self.assertAlmostEqual(rows["others"].change, 4.0)
        self.assertAlmostEqual(rows["attendees"].effect, 6.0)

    def test_weekly_scheduled_refresh(self):
        """The scheduled action refreshes the courses measured on metrics, as
        the button of the course form does."""
        self.course.action_compute_effectiveness()
        by_button = {
            row.group_type: (row.people_count, row.change, row.effect)
            for row in self.course.effectiveness_ids
        }
        self.course.effectiveness_ids.unlink()
        cron = self.env.ref("sales_performance.ir_cron_training_effectiveness")
        self.assertEqual(cron.interval_type, "weeks")
        cron.ir_actions_server_id.run()
        self.assertEqual(
            {
                row.group_type: (row.people_count, row.change, row.effect)
                for row in self.course.effectiveness_ids
            },
            by_button,
        )
        self.assertEqual(by_button["attendees"][0], 2)

    def test_report_groups_by_course(self):
        self.course.action_compute_effectiveness()
        groups = self.env["sales.performance.training.effectiveness"]._read_group(
            [("course_id", "=", self.course.id)],
            ["group_type"],
            ["change:avg", "people_count:sum"],
        )
        self.assertEqual(
            {g: (round(c, 2), n) for g, c, n in groups},
            {"attendees": (15.0, 2), "others": (4.0, 1)},
        )
