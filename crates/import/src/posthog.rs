//! PostHog's `posthog.init()` options (PostHog/posthog-js 1.418.10:
//! `packages/browser/src/extensions/replay/external/lazy-loaded-session-recorder.ts`,
//! `_startRecorder`; option types in `packages/types/src/posthog-config.ts`).
//!
//! PostHog records with its fork of rrweb (`packages/rrweb`), whose text
//! and input masking is rrweb's ([`crate::rrweb`]), with its own defaults:
//! `blockClass: 'ph-no-capture'`, `ignoreClass: 'ph-ignore-input'`,
//! `maskTextClass: 'ph-mask'`, `maskAllInputs: true`, and
//! `maskInputOptions` that keep `password: true` unless they turn it off.
//! Only the settings PostHog passes on are read from `session_recording`;
//! its own `maskAllElementAttributes` masks every attribute.

use crate::ImportError;
use crate::policy::PolicyText;
use crate::rrweb::{self, Defaults};
use crate::settings::Settings;

const POSTHOG: Defaults = Defaults {
    vendor: "PostHog",
    preset: "posthog",
    block_class: "ph-no-capture",
    ignore_class: "ph-ignore-input",
    mask_text_class: "ph-mask",
    mask_all_inputs: true,
    keeps_password: true,
};

pub(crate) fn import(settings: &mut Settings, out: &mut PolicyText) -> Result<(), ImportError> {
    if settings.bool("disable_session_recording")? == Some(true) {
        out.group(
            "disable_session_recording: true. PostHog records no session, so no page is recorded.",
            vec!["never record \"*\"".to_string()],
        );
    }
    let mut recording = settings
        .object("session_recording")?
        .unwrap_or_else(|| Settings::new(Default::default()));
    let mut options = rrweb::read(&mut recording, &POSTHOG, false)?;
    let mask_all_attributes = recording.bool("maskAllElementAttributes")?.unwrap_or(false);
    recording.function(
        "maskAttributeFn",
        "write the attributes it masks as `mask attr:NAME` rules or in `sensitive attributes`",
    );
    let record_canvas = match recording.object("captureCanvas")? {
        None => false,
        Some(mut canvas) => {
            let on = canvas.bool("recordCanvas")?.unwrap_or(false);
            canvas.unrelated(&["canvasFps", "canvasQuality"]);
            recording.absorb(canvas);
            on
        }
    };
    recording.unrelated(&[
        "slimDOMOptions",
        "collectFonts",
        "inlineStylesheet",
        "inlineStylesheetBudgetRules",
        "recordCrossOriginIframes",
        "attributeFilter",
        "recordHeaders",
        "recordBody",
        "streamNetworkBody",
        "canvasCapture",
        "sampling",
        "minimumDurationMilliseconds",
        "full_snapshot_interval_millis",
        "compress_events",
        "session_idle_threshold_ms",
        "strictMinimumDuration",
        "trigger_pending_buffer_interval_millis",
        "maskNetworkRequestFn",
        "maskCapturedNetworkRequestFn",
        "networkPayloadCapture",
        "captureNetworkTiming",
    ]);
    settings.absorb(recording);
    settings.unrelated(&[
        "api_host",
        "ui_host",
        "token",
        "person_profiles",
        "capture_pageview",
        "capture_pageleave",
        "autocapture",
        "persistence",
        "persistence_name",
        "cross_subdomain_cookie",
        "loaded",
        "debug",
        "advanced_disable_decide",
        "advanced_disable_flags",
        "disable_surveys",
        "enable_recording_console_log",
        "capture_performance",
        "bootstrap",
        "opt_out_capturing_by_default",
        "respect_dnt",
        "mask_all_text",
        "mask_all_element_attributes",
        "defaults",
    ]);

    options.record_canvas = record_canvas;
    rrweb::write(settings, out, &POSTHOG, &options);
    if mask_all_attributes {
        out.group(
            "session_recording.maskAllElementAttributes: true. Every attribute is masked, class and id included, and so is every form value, which PostHog writes as an attribute (this overrides the value default above).",
            vec![
                "sensitive attributes all".to_string(),
                "default value mask".to_string(),
            ],
        );
    }
    Ok(())
}
