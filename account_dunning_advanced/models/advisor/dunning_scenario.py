# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

#: Joins the parts of a segment key (a grade and a category, say).
SEGMENT_SEPARATOR = "|"


class DunningScenario(models.Model):
    """The scenario's advisor: its last analysis, the segments it splits."""

    # One extension per concern folder (readme/DEVELOP.md, "Where things are").
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "dunning.scenario"

    advisor_analysis_id = fields.Many2one(
        "dunning.scenario.analysis",
        string="Last analysis",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="Written by the analysis, which replaces the previous one.",
    )
    advisor_date = fields.Date(related="advisor_analysis_id.date", string="Analysed on")
    advisor_date_from = fields.Date(related="advisor_analysis_id.date_from")
    advisor_invoice_count = fields.Integer(related="advisor_analysis_id.invoice_count")
    advisor_open_count = fields.Integer(related="advisor_analysis_id.open_count")
    advisor_reminder_count = fields.Integer(
        related="advisor_analysis_id.reminder_count"
    )
    advisor_median_days = fields.Integer(related="advisor_analysis_id.median_days")
    advisor_median_range = fields.Char(related="advisor_analysis_id.median_range")
    advisor_curve_svg = fields.Html(related="advisor_analysis_id.curve_svg")
    advisor_level_stat_ids = fields.One2many(
        related="advisor_analysis_id.level_stat_ids", string="Figures per level"
    )
    advisor_suggestion_ids = fields.One2many(
        related="advisor_analysis_id.suggestion_ids", string="Suggestions"
    )

    @api.model
    def _dunning_advisor_segments(self, partner_ids, company):
        """Return the segment of each debtor for the advisor's figures.

        Override to split a scenario's figures (the score's grade, a
        category): dict commercial partner id -> segment key. A key is
        language-neutral (``"grade:3"``, not the grade's name): it is
        stored on the analysis, which a nightly job writes and users of
        every language read; :meth:`_dunning_advisor_segment_labels` names
        it for the reader. Parts of a key are joined by
        :data:`SEGMENT_SEPARATOR`. The whole scenario is always analysed
        (segment ""); when its debtors fall in two segments or more, each
        segment is analysed as well (its figures, suggestions and curve);
        debtors left out count in the whole only. Called once per analysis
        with every debtor: read them in bulk, in one query.
        """
        return {}

    @api.model
    def _dunning_advisor_segment_labels(self, keys):
        """Return the label of each segment key, in the reader's language.

        dict key -> label; the labels of the parts of a key are joined by
        " / ". Override :meth:`_dunning_advisor_segment_part_labels` for the
        parts your :meth:`_dunning_advisor_segments` makes.
        """
        parts = {part for key in keys if key for part in key.split(SEGMENT_SEPARATOR)}
        labels = self._dunning_advisor_segment_part_labels(parts)
        return {
            key: " / ".join(
                labels.get(part, part) for part in key.split(SEGMENT_SEPARATOR)
            )
            for key in keys
            if key
        }

    @api.model
    def _dunning_advisor_segment_part_labels(self, parts):
        """Return the label of the segment parts this module knows (dict
        part -> label); a part nobody names is shown as it is stored."""
        return {}

    def action_dunning_advisor_analyse(self):
        """Analyse the history of the company's scenarios (all of them: the
        reference rates of the channels are the company's)."""
        Analysis = self.env["dunning.scenario.analysis"]
        for company in self.company_id:
            Analysis._dunning_analyse(company)
        return True

    def action_dunning_advisor_curve(self):
        """Open the survival curve of the last analysis as a graph."""
        self.ensure_one()
        return self.advisor_analysis_id.action_open_curve()
