from odoo import api, models
from odoo.exceptions import AccessError


class ReportSalesPerformanceEvaluation(models.AbstractModel):
    _name = "report.sales_performance.report_evaluation"
    _description = "Appraisal Report"

    @api.readonly
    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["sales.performance.evaluation"].browse(docids)
        docs.check_access("read")
        if not self.env.su and any(not doc.manager_visible for doc in docs):
            raise AccessError(
                self.env._(
                    "The appraisal can be printed once the manager has completed the "
                    "review."
                )
            )
        return {
            "doc_ids": docs.ids,
            "doc_model": "sales.performance.evaluation",
            "docs": docs,
        }
