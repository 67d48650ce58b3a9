//! Sentry's `replayIntegration()` options (getsentry/sentry-javascript
//! 10.63.0: `packages/replay-internal/src/integration.ts`,
//! `util/getPrivacyOptions.ts`, `util/maskAttribute.ts`), as its recorder,
//! the fork `@sentry-internal/rrweb` (getsentry/rrweb 2.35.0,
//! `packages/rrweb-snapshot/src/snapshot.ts`), applies them:
//!
//! - `mask` and `unmask` are one list for text and for form values: the
//!   nearer of a mask and an unmask (self or ancestor) wins, a mask on a
//!   tie; with neither, `maskAllText` (text) or the input's type under
//!   `maskAllInputs` (values) decides.
//! - `block` (with `.sentry-block`, `[data-sentry-block]`,
//!   `iframe[srcdoc]:not([src])`, `base`, and the media elements under
//!   `blockAllMedia`) unless the element itself matches `unblock`.
//! - `ignore` (with `.sentry-ignore`, `[data-sentry-ignore]`,
//!   `input[type="file"]`): the element's input events are dropped.
//! - `maskAttributes` (`title`, `placeholder`, `aria-label`) are masked on
//!   every element that does not itself match `unmask`.
//! - The recorder keeps rrweb's default classes `rr-block`, `rr-ignore`
//!   and `rr-mask`.

use crate::ImportError;
use crate::policy::{PolicyText, allow_refused, check_selector, is_attribute_name, list, quote};
use crate::settings::Settings;

/// The elements `blockAllMedia` blocks (`MEDIA_SELECTORS` in
/// `integration.ts`).
const MEDIA: &str = "img, image, svg, video, object, picture, embed, map, audio, link[rel='icon'], link[rel='apple-touch-icon']";

/// The attributes Sentry masks by default (`maskAttributes`).
const MASK_ATTRIBUTES: [&str; 3] = ["title", "placeholder", "aria-label"];

/// Attributes scrim's built-in sensitive set covers on every element.
const SCRIM_SENSITIVE: [&str; 6] = [
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-valuetext",
];

pub(crate) fn import(settings: &mut Settings, out: &mut PolicyText) -> Result<(), ImportError> {
    let mask_all_text = settings.bool("maskAllText")?.unwrap_or(true);
    let mask_all_inputs = settings.bool("maskAllInputs")?.unwrap_or(true);
    let block_all_media = settings.bool("blockAllMedia")?.unwrap_or(true);
    let mask = selectors(settings, "mask")?;
    let block = selectors(settings, "block")?;
    let ignore = selectors(settings, "ignore")?;
    let unmask = settings.strings("unmask")?.unwrap_or_default();
    let unblock = settings.strings("unblock")?.unwrap_or_default();
    let mask_attributes = settings.strings("maskAttributes")?;
    settings.function(
        "maskFn",
        "masked text and values are written with the rule's strategy (`with stars` by default)",
    );
    settings.unrelated(&[
        "flushMinDelay",
        "flushMaxDelay",
        "minReplayDuration",
        "maxReplayDuration",
        "stickySession",
        "useCompression",
        "workerUrl",
        "_experiments",
        "mutationBreadcrumbLimit",
        "mutationLimit",
        "slowClickTimeout",
        "slowClickIgnoreSelectors",
        "networkDetailAllowUrls",
        "networkDetailDenyUrls",
        "networkCaptureBodies",
        "networkRequestHeaders",
        "networkResponseHeaders",
        "beforeAddRecordingEvent",
        "beforeErrorSampling",
        "onError",
        "attachRawBodyFromRequest",
    ]);

    out.group(
        "Sentry's recorder honours its own markup (.sentry-block, .sentry-mask, .sentry-ignore and their data- attributes), blocks iframe[srcdoc] without src, ignores file inputs, and keeps rrweb's classes (rr-block, rr-mask, rr-ignore): the sentry and rrweb presets.",
        vec!["preset rrweb, sentry".to_string()],
    );
    out.group(
        format!(
            "maskAllText: {mask_all_text}{}",
            if mask_all_text {
                ""
            } else {
                ". Text is recorded in clear unless `mask` covers it."
            }
        ),
        vec![format!("default text {}", outcome(mask_all_text))],
    );
    out.group(
        format!(
            "maskAllInputs: {mask_all_inputs}{}",
            if mask_all_inputs {
                ". Every form value is masked (also the state of checkboxes and radio buttons, and hidden inputs, which Sentry records in clear)."
            } else {
                ". Form values are recorded in clear, except passwords and card fields, which scrim always masks."
            }
        ),
        vec![format!("default value {}", outcome(mask_all_inputs))],
    );
    if mask_all_text && !mask_all_inputs {
        out.group(
            "maskAllText masks the text of <option>s; scrim records an option's text as its select's value, so select values are masked.",
            vec!["mask value \"select\"".to_string()],
        );
    }
    write_attributes(settings, out, mask_attributes)?;

    let unblock = usable_unblock(settings, unblock);
    let except_unblocked = |selectors: &str| match &unblock {
        None => selectors.to_string(),
        Some(unblock) => format!(":is({selectors}):not({unblock})"),
    };
    if block_all_media {
        out.group(
            "blockAllMedia: true (the default). Images, video, audio, SVG and embedded objects become placeholders.",
            vec![format!("block {}", quote(&except_unblocked(MEDIA)))],
        );
    }
    if !block.is_empty() {
        out.group(
            format!("block: {}", list(&block)),
            vec![format!("block {}", quote(&except_unblocked(&list(&block))))],
        );
    }
    if !mask.is_empty() {
        out.group(
            format!("mask: {}", list(&mask)),
            vec![format!("mask text, value {}", quote(&list(&mask)))],
        );
    }
    let unmask = usable_unmask(settings, unmask);
    if !unmask.is_empty() {
        out.group(
            format!(
                "unmask: {}. Text and form values in clear; Sentry also shows the masked attributes of the elements themselves, which stay masked here.",
                list(&unmask)
            ),
            vec![format!("allow text, value {}", quote(&list(&unmask)))],
        );
    }
    if !ignore.is_empty() {
        out.group(
            format!(
                "ignore: {}. The input events are dropped; the value is masked too, since snapshots would still carry it.",
                list(&ignore)
            ),
            vec![
                format!("ignore events {}", quote(&list(&ignore))),
                format!("mask value {}", quote(&list(&ignore))),
            ],
        );
    }
    Ok(())
}

fn outcome(mask: bool) -> &'static str {
    if mask { "mask" } else { "capture" }
}

/// A list of selectors for elements to hide: each must be one scrim
/// matches.
fn selectors(settings: &mut Settings, key: &str) -> Result<Vec<String>, ImportError> {
    let found = settings.strings(key)?.unwrap_or_default();
    for selector in &found {
        check_selector(&settings.path(key), selector)?;
    }
    Ok(found)
}

/// The `unmask` selectors an `allow` can be written for; the others are
/// left masked, with a warning.
fn usable_unmask(settings: &mut Settings, unmask: Vec<String>) -> Vec<String> {
    let mut usable = Vec::new();
    for selector in unmask {
        match allow_refused(&selector) {
            None => usable.push(selector),
            Some(reason) => settings.warn("unmask", format!("`{selector}` stays masked: {reason}")),
        }
    }
    usable
}

/// The `unblock` selectors as one list, if scrim can match them all; if
/// not, nothing is unblocked (a warning says so).
fn usable_unblock(settings: &mut Settings, unblock: Vec<String>) -> Option<String> {
    if unblock.is_empty() {
        return None;
    }
    let joined = list(&unblock);
    match check_selector("unblock", &format!(":not({joined})")) {
        Ok(()) => {
            settings.warn(
                "unblock",
                "written as an exception in each block selector; the blocks of the presets (.sentry-block, [data-sentry-block], .rr-block, iframe[srcdoc]) are not lifted",
            );
            Some(joined)
        }
        Err(error) => {
            settings.warn(
                "unblock",
                format!(
                    "not imported, so what it unblocks stays blocked: {}",
                    error.message
                ),
            );
            None
        }
    }
}

/// `maskAttributes`: Sentry masks these on every element; scrim's
/// sensitive set covers its defaults and more, and takes the others.
fn write_attributes(
    settings: &mut Settings,
    out: &mut PolicyText,
    mask_attributes: Option<Vec<String>>,
) -> Result<(), ImportError> {
    let given = mask_attributes.is_some();
    let names = mask_attributes.unwrap_or_else(|| MASK_ATTRIBUTES.map(String::from).to_vec());
    let mut extra = Vec::new();
    for name in &names {
        let lower = name.to_ascii_lowercase();
        if !is_attribute_name(&lower) {
            return Err(ImportError::new(format!(
                "`maskAttributes`: `{name}` cannot be written as an attribute name in a policy"
            ))
            .with_help("attribute names are letters, digits, `_`, `-`, `.` and `:`"));
        }
        if !SCRIM_SENSITIVE.contains(&lower.as_str()) && !extra.contains(&lower) {
            extra.push(lower);
        }
    }
    let dropped: Vec<&str> = MASK_ATTRIBUTES
        .into_iter()
        .filter(|d| !names.iter().any(|n| n.eq_ignore_ascii_case(d)))
        .collect();
    if given && !dropped.is_empty() {
        settings.warn(
            "maskAttributes",
            format!(
                "{} stay masked: scrim's sensitive attributes always include them (write `default attributes capture` to record every sensitive attribute in clear)",
                dropped.join(", ")
            ),
        );
    }
    let comment = format!(
        "maskAttributes: {}. scrim's sensitive attributes cover these{}, and also alt, aria-description, aria-valuetext, button values, contact links and srcdoc.",
        names.join(", "),
        if extra.is_empty() {
            ""
        } else {
            " with the ones named"
        }
    );
    let mut statements = Vec::new();
    if !extra.is_empty() {
        statements.push(format!(
            "sensitive attributes defaults, {}",
            extra.join(", ")
        ));
    }
    statements.push("default attributes mask".to_string());
    out.group(comment, statements);
    Ok(())
}
