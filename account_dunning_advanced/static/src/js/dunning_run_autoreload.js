/** @odoo-module **/
// Copyright 2026 Dunning Advanced Contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// Reloads the form of a collections run every few seconds while it runs,
// so that its progress (batches done / total) moves without a click.

import {Component, onWillUnmount} from "@odoo/owl";
import {registry} from "@web/core/registry";

export const RELOAD_DELAY = 3000;

export class DunningRunAutoreload extends Component {
    static template = "account_dunning_advanced.DunningRunAutoreload";
    static props = {record: Object, "*": true};

    setup() {
        this.timer = setInterval(() => this.reload(), RELOAD_DELAY);
        onWillUnmount(() => clearInterval(this.timer));
    }

    async reload() {
        const record = this.props.record;
        if (record.data.state !== "running" || record.dirty || record.isNew) {
            return;
        }
        await record.load();
    }
}

registry.category("view_widgets").add("dunning_run_autoreload", {
    component: DunningRunAutoreload,
});
