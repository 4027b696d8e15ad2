/** @odoo-module */
/* Copyright 2026 Dunning Advanced Contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

import {registry} from "@web/core/registry";

// A manager sees the setup checklist on the cockpit and marks the default
// scenario as reviewed: the step ticks itself; Run now opens the run.
registry.category("web_tour.tours").add("account_dunning_advanced_setup_checklist", {
    steps: () => [
        {
            content: "The checklist is shown, the scenario step not done",
            trigger:
                ".o_dunning_setup_panel .o_dunning_setup_step[data-step='scenario'] .o_field_boolean input:not(:checked)",
        },
        {
            content: "Mark the default scenario as reviewed",
            trigger:
                ".o_dunning_setup_step[data-step='scenario'] button[name='action_setup_scenario_reviewed']",
            run: "click",
        },
        {
            content: "The scenario step is ticked",
            trigger:
                ".o_dunning_setup_panel .o_dunning_setup_step[data-step='scenario'] .o_field_boolean input:checked",
        },
        {
            content: "Run now opens the run's form",
            trigger: ".o_form_view button[name='action_run_now']",
            run: "click",
        },
        {
            content: "The run's form, with its Run now button",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_run']",
        },
    ],
});

// The penalty step opens the penalty settings alone, in a dialog: the legal
// rate chosen and saved, the company's penalty mode is set.
registry.category("web_tour.tours").add("account_dunning_advanced_setup_penalty", {
    steps: () => [
        {
            content: "The penalty step is not done",
            trigger:
                ".o_dunning_setup_panel .o_dunning_setup_step[data-step='penalty'] .o_field_boolean input:not(:checked)",
        },
        {
            content: "Open the penalty step",
            trigger: ".o_dunning_setup_step[data-step='penalty'] button[name='action_setup_penalty']",
            run: "click",
        },
        {
            content: "Choose the legal rate in the dialog",
            trigger: ".modal div[name='dunning_penalty_mode'] input[data-value='legal']",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".modal footer button[name='execute']",
            run: "click",
        },
        {
            content: "The dialog is closed, the cockpit is back",
            trigger: "body:not(:has(.modal)) .o_dunning_setup_panel",
        },
    ],
});
