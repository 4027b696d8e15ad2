/** @odoo-module */
/* Copyright 2026 Dunning Advanced Contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

import {registry} from "@web/core/registry";

// A salesperson with the Collections viewer right opens a customer: the
// collections tab shows the level and the reminders, and nothing in it can be
// changed.
registry.category("web_tour.tours").add("account_dunning_advanced_viewer", {
    steps: () => [
        {
            content: "Open the collections tab of the customer",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Collections')",
            run: "click",
        },
        {
            content: "The viewer sees the customer's level",
            trigger: ".o_field_widget[name='dunning_level_id']:contains('First')",
        },
        {
            content: "The viewer sees the last reminder",
            trigger: ".o_field_widget[name='dunning_last_reminder_date']:not(:empty)",
        },
        {
            content: "The collector is shown, not editable",
            trigger: ".o_field_widget[name='dunning_collector_id'].o_readonly_modifier",
        },
        {
            content: "The pause is shown, not editable either",
            trigger: ".o_field_widget[name='dunning_paused_until'].o_readonly_modifier:not(:has(input))",
        },
        {
            content: "No button of the collector (force the level, promise...)",
            trigger: ".o_notebook:not(:has(button[name='action_dunning_force_level'])):not(:has(button[name='action_dunning_new_promise']))",
        },
    ],
});
