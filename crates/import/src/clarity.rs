//! Microsoft Clarity's masking settings: what its dashboard holds under
//! Settings > Masking, the masking mode and the elements to mask or
//! unmask by CSS selector, which the tag Clarity serves hands to its
//! recorder, clarity-js (microsoft/clarity 0.8.69), as `content`, `mask`
//! and `unmask` (the modes as clarity-js's own masking tests set them,
//! `test/masking.test.ts`: Strict is `content: false`, Relaxed adds `body`
//! to `unmask`).
//!
//! clarity-js gives every node a privacy level, inherited from its parent
//! and changed by the first of these that applies
//! (`packages/clarity-js/src/layout/dom.ts`, `privacy()`):
//!
//! - inputs, drop-downs and text areas are masked in every mode (their
//!   values and `data-*` attributes), except checkbox, radio, range and
//!   button inputs, which keep the level around them;
//! - `data-clarity-mask`, then `data-clarity-unmask` (the clarity preset);
//! - the dashboard's `unmask`, then its `mask` selectors;
//! - in Balanced, an element whose class names contain `address`,
//!   `password` or `contact` masks its text and `data-*` attributes.
//!
//! The levels (`src/core/scrub.ts`): Strict masks text, values, `data-*`
//! attributes, placeholders, image sources and links; Balanced masks the
//! words of text that hold a digit or an `@`, and records the rest in
//! clear; Relaxed records everything but form fields in clear. `title`,
//! `alt` and `aria-label` are never recorded (`src/layout/node.ts`).

use crate::ImportError;
use crate::policy::{PolicyText, check_selector, list, probe, quote};
use crate::settings::Settings;

const MODES: [&str; 3] = ["strict", "balanced", "relaxed"];

/// The channels Clarity masks under `data-clarity-mask` and a `mask`
/// selector: text, values, placeholders and `data-*` attributes, and image
/// sources and links, which Clarity writes empty (a masked URL keeps its
/// scheme and host in scrim).
const MASKED: &str = "mask all, attr:data-*, attr:href, attr:placeholder, attr:xlink:href";

/// The detector that masks what Balanced masks in text: every word (as
/// Clarity splits words, at spaces, tabs and line breaks) that holds an
/// ASCII digit or an `@`.
pub(crate) const BALANCED_DETECTOR: &str =
    r"detect clarity-balanced /[^\x20\t\n\r]*[0-9@][^\x20\t\n\r]*/";

pub(crate) fn import(settings: &mut Settings, out: &mut PolicyText) -> Result<(), ImportError> {
    let given = settings.string("mode")?;
    let mode = match &given {
        None => "balanced".to_string(),
        Some(mode) => mode.to_ascii_lowercase(),
    };
    if !MODES.contains(&mode.as_str()) {
        return Err(ImportError::new(format!(
            "`mode`: `{}` is not a Clarity masking mode",
            given.unwrap_or_default()
        ))
        .with_help(format!(
            "use one of {}",
            MODES.map(|m| format!("`{m}`")).join(", ")
        )));
    }
    let mask = settings.strings("mask")?.unwrap_or_default();
    for selector in &mask {
        check_selector("mask", selector)?;
    }
    let unmask = settings.strings("unmask")?.unwrap_or_default();
    let unmask = usable_unmask(settings, unmask);
    settings.unrelated(&["projectId"]);
    let default_note = if given.is_none() {
        " (the default)"
    } else {
        ""
    };
    if mode == "balanced" {
        settings.warn(
            "mode",
            format!(
                "`balanced`{default_note} masks only the words of text that hold a digit or an `@` (numbers, email addresses), which no rule can select: the policy masks all text; to record text as Balanced did, replace `default text mask` with `default text capture` and `{BALANCED_DETECTOR}`"
            ),
        );
    }

    out.group(
        "Clarity never records the title, alt and aria-label attributes. scrim writes every attribute an element has: these keep their name, with an empty value. The rule comes first so that its strategy wins where a mask below names them too.",
        vec!["mask attr:alt, attr:aria-label, attr:title \"*\" with \"\"".to_string()],
    );
    out.group(
        "Clarity's markup (data-clarity-mask, data-clarity-unmask): the clarity preset.",
        vec!["preset clarity".to_string()],
    );
    out.group(
        "Clarity masks the values and data-* attributes of inputs, drop-downs and text areas in every mode. The value and state of checkboxes and radio buttons are masked too, which Clarity records in clear.",
        vec![
            "default value mask".to_string(),
            "mask attr:data-* \"input, select, textarea\"".to_string(),
        ],
    );
    match mode.as_str() {
        "strict" => out.group(
            "mode: strict. Text, images, links and data-* attributes are masked wherever no unmask shows them.",
            vec![
                "default text, media mask".to_string(),
                "default attr:data-*, attr:href, attr:xlink:href mask".to_string(),
            ],
        ),
        "balanced" => {
            out.group(
                format!(
                    "mode: balanced{default_note}. Clarity masks the words of text that hold a digit or an @ (numbers, email addresses), which no rule can select: all text is masked. To record text as Balanced did, write these two lines instead:\n  default text capture\n  {BALANCED_DETECTOR}"
                ),
                vec!["default text mask".to_string()],
            );
            out.group(
                "Balanced masks the text and data-* attributes of elements whose class names contain address, password or contact.",
                vec![
                    "mask text, attr:data-* \"[class*='address'], [class*='password'], [class*='contact']\""
                        .to_string(),
                ],
            );
        }
        _ => out.group(
            "mode: relaxed. Text, images, links and data-* attributes are recorded in clear.",
            vec!["default text capture".to_string()],
        ),
    }
    out.group(
        "Clarity records most other attributes in clear. The policy keeps scrim's default, which masks the sensitive ones (placeholders, button values, contact links, …) on every element.",
        vec!["default attributes mask".to_string()],
    );
    if !mask.is_empty() {
        out.group(
            format!(
                "mask: {}. As data-clarity-mask: text, values, placeholders, data-* attributes, image sources and links masked.",
                list(&mask)
            ),
            vec![format!("{MASKED} {}", quote(&list(&mask)))],
        );
    }
    if !unmask.is_empty() {
        out.group(
            format!(
                "unmask: {}. As the clarity preset reads data-clarity-unmask: text and images in clear. Form fields stay masked, as in Clarity, and attributes keep their masks, which Clarity shows.",
                list(&unmask)
            ),
            vec![format!("allow text, media {}", quote(&list(&unmask)))],
        );
    }
    Ok(())
}

/// The `unmask` selectors an `allow` can be written for; the others are
/// left out, with a warning (what they unmask stays masked).
fn usable_unmask(settings: &mut Settings, unmask: Vec<String>) -> Vec<String> {
    let mut usable = Vec::new();
    for entry in unmask {
        if entry.contains('!') {
            // clarity-js reads an entry with `!` as a text override: text
            // whose parent's selector, as clarity-js writes selectors,
            // contains the rest. A policy cannot see those selectors.
            settings.warn(
                "unmask",
                format!(
                    "`{entry}` stays masked: an entry with `!` is a Clarity text override, matched against the selectors Clarity writes for the page, not a CSS selector"
                ),
            );
            continue;
        }
        match probe(&format!("allow text, media {}", quote(&entry))) {
            None => usable.push(entry),
            Some(reason) => settings.warn("unmask", format!("`{entry}` stays masked: {reason}")),
        }
    }
    usable
}
