//! rrweb's `record()` options (rrweb-io/rrweb 2.1.0,
//! `packages/rrweb/src/record/index.ts`; masking in
//! `packages/rrweb-snapshot/src/snapshot.ts` and `utils.ts`), also the
//! reading PostHog's recorder (a fork of rrweb) shares.
//!
//! What rrweb does with them:
//! - `blockClass` (on the element) and `blockSelector` (`matches`): the
//!   element is recorded as a placeholder, nothing inside it.
//! - `maskTextClass` and `maskTextSelector`, on the text's element or any
//!   ancestor (`closest`): text masked. They do not reach form values: a
//!   `<textarea>` or `<input>` under them is recorded in clear.
//! - `maskAllInputs` / `maskInputOptions`: input values masked by the
//!   input's type (`el.type`, so a missing or unknown type is `text`),
//!   `textarea` and `select` by tag. With `maskAllInputs` the options are
//!   every type but checkbox, radio, file and hidden; without either,
//!   `{ password: true }`; given options replace that default.
//! - `ignoreClass` / `ignoreSelector`: the element's input events are not
//!   recorded; its value still is, in every snapshot.
//! - `recordCanvas` (off by default): canvas content.
//!
//! Text is recorded in clear unless a mask covers it, and attributes always
//! are: the policy says so with `default text capture`, and keeps scrim's
//! default for sensitive attributes (masked), which rrweb has no option for.

use crate::ImportError;
use crate::policy::{PolicyText, check_selector, class_selector, list, quote};
use crate::settings::Settings;

/// The input types rrweb's `maskInputOptions` names, besides `text`,
/// `textarea` and `select`, in its order.
const TYPED_INPUTS: [&str; 13] = [
    "color",
    "date",
    "datetime-local",
    "email",
    "month",
    "number",
    "range",
    "search",
    "tel",
    "time",
    "url",
    "week",
    "password",
];

/// Every input type HTML knows but `text`: an input whose type is none of
/// these (missing, `text`, or a value the browser does not know) is a text
/// input, as `el.type` reads it.
const NOT_TEXT_TYPES: [&str; 20] = [
    "hidden",
    "search",
    "tel",
    "url",
    "email",
    "password",
    "date",
    "month",
    "week",
    "time",
    "datetime-local",
    "number",
    "range",
    "color",
    "checkbox",
    "radio",
    "file",
    "submit",
    "image",
    "reset",
];

/// The recorder's defaults, which differ between rrweb and its forks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Defaults {
    /// The vendor's name in comments.
    pub vendor: &'static str,
    /// The preset that is exactly the default classes.
    pub preset: &'static str,
    pub block_class: &'static str,
    pub ignore_class: &'static str,
    pub mask_text_class: &'static str,
    pub mask_all_inputs: bool,
    /// Whether given `maskInputOptions` keep `password: true` unless they
    /// say otherwise (PostHog's wrapper adds it; rrweb does not).
    pub keeps_password: bool,
}

const RRWEB: Defaults = Defaults {
    vendor: "rrweb",
    preset: "rrweb",
    block_class: "rr-block",
    ignore_class: "rr-ignore",
    mask_text_class: "rr-mask",
    mask_all_inputs: false,
    keeps_password: false,
};

/// The options read, with the vendor's defaults filled in.
#[derive(Debug)]
pub(crate) struct RecordOptions {
    block_class: String,
    block_selector: Option<String>,
    ignore_class: String,
    ignore_selector: Option<String>,
    mask_text_class: String,
    mask_text_selector: Option<String>,
    mask_all_inputs: bool,
    /// `maskInputOptions` as given (`None`: not given).
    mask_input_options: Option<Vec<(String, bool)>>,
    pub(crate) record_canvas: bool,
}

pub(crate) fn import(settings: &mut Settings, out: &mut PolicyText) -> Result<(), ImportError> {
    if settings.bool("recordDOM")? == Some(false) {
        out.group(
            "recordDOM: false. rrweb records no page content at all, so no page is recorded.",
            vec!["never record \"*\"".to_string()],
        );
    }
    let options = read(settings, &RRWEB, true)?;
    settings.unrelated(&[
        "emit",
        "checkoutEveryNms",
        "checkoutEveryNth",
        "sampling",
        "slimDOMOptions",
        "inlineStylesheet",
        "hooks",
        "packFn",
        "dataURLOptions",
        "mousemoveWait",
        "recordCrossOriginIframes",
        "recordAfter",
        "userTriggeredOnInput",
        "collectFonts",
        "inlineImages",
        "plugins",
        "keepIframeSrcFn",
        "ignoreCSSAttributes",
        "errorHandler",
    ]);
    write(settings, out, &RRWEB, &options);
    Ok(())
}

/// Reads the options rrweb's masking depends on. `canvas_option` is
/// whether `recordCanvas` is one of them (PostHog has its own setting).
pub(crate) fn read(
    settings: &mut Settings,
    defaults: &Defaults,
    canvas_option: bool,
) -> Result<RecordOptions, ImportError> {
    let class = |settings: &mut Settings, key: &str, default: &str| {
        let help = "a regular expression cannot be given as JSON: list the classes in the matching selector option instead";
        match settings.string(key) {
            Ok(value) => Ok(value.unwrap_or_else(|| default.to_string())),
            Err(error) => Err(error.with_help(help)),
        }
    };
    let options = RecordOptions {
        block_class: class(settings, "blockClass", defaults.block_class)?,
        block_selector: settings.string("blockSelector")?,
        ignore_class: class(settings, "ignoreClass", defaults.ignore_class)?,
        ignore_selector: settings.string("ignoreSelector")?,
        mask_text_class: class(settings, "maskTextClass", defaults.mask_text_class)?,
        mask_text_selector: settings.string("maskTextSelector")?,
        mask_all_inputs: settings
            .bool("maskAllInputs")?
            .unwrap_or(defaults.mask_all_inputs),
        mask_input_options: match settings.object("maskInputOptions")? {
            None => None,
            Some(mut nested) => {
                let mut read = Vec::new();
                for key in TYPED_INPUTS.iter().chain(&["text", "textarea", "select"]) {
                    if let Some(on) = nested.bool(key)? {
                        read.push((key.to_string(), on));
                    }
                }
                settings.absorb(nested);
                Some(read)
            }
        },
        record_canvas: canvas_option && settings.bool("recordCanvas")?.unwrap_or(false),
    };
    settings.function(
        "maskTextFn",
        "masked text is written with the rule's strategy (`with stars` by default)",
    );
    settings.function(
        "maskInputFn",
        "masked values are written with the rule's strategy (`with stars` by default)",
    );
    for (key, value) in [
        ("blockSelector", &options.block_selector),
        ("ignoreSelector", &options.ignore_selector),
        ("maskTextSelector", &options.mask_text_selector),
    ] {
        if let Some(selector) = value {
            check_selector(&settings.path(key), selector)?;
        }
    }
    Ok(options)
}

/// Writes the policy for `options`.
pub(crate) fn write(
    settings: &mut Settings,
    out: &mut PolicyText,
    defaults: &Defaults,
    options: &RecordOptions,
) {
    let vendor = defaults.vendor;
    let default_classes = options.block_class == defaults.block_class
        && options.ignore_class == defaults.ignore_class
        && options.mask_text_class == defaults.mask_text_class;
    if default_classes {
        out.group(
            format!(
                "blockClass, ignoreClass and maskTextClass: {vendor}'s defaults ({}, {}, {}), which the {} preset honours.",
                defaults.block_class, defaults.ignore_class, defaults.mask_text_class, defaults.preset
            ),
            vec![format!("preset {}", defaults.preset)],
        );
    } else {
        let block = class_selector(&options.block_class);
        let ignore = class_selector(&options.ignore_class);
        let mask = class_selector(&options.mask_text_class);
        out.group(
            format!("blockClass: {}", options.block_class),
            vec![format!("block {}", quote(&block))],
        );
        out.group(
            format!(
                "ignoreClass: {}. {vendor} drops the element's input events; its value is still recorded in snapshots, so it is masked too.",
                options.ignore_class
            ),
            vec![
                format!("ignore events {}", quote(&ignore)),
                format!("mask value {}", quote(&ignore)),
            ],
        );
        out.group(
            format!(
                "maskTextClass: {}. {vendor} masks the text; the values of form fields inside are masked too, which {vendor} does not do.",
                options.mask_text_class
            ),
            vec![format!("mask text, value {}", quote(&mask))],
        );
    }
    if let Some(selector) = &options.block_selector {
        out.group(
            format!("blockSelector: {selector}"),
            vec![format!("block {}", quote(selector))],
        );
    }
    if let Some(selector) = &options.ignore_selector {
        out.group(
            format!(
                "ignoreSelector: {selector}. The input events are dropped; the value is masked too, since snapshots would still carry it."
            ),
            vec![
                format!("ignore events {}", quote(selector)),
                format!("mask value {}", quote(selector)),
            ],
        );
    }
    let mask_all_text = options.mask_text_selector.as_deref().map(str::trim) == Some("*");
    match &options.mask_text_selector {
        Some(_) if mask_all_text => out.group(
            format!(
                "maskTextSelector: *. Every text is masked, and every form value with it ({vendor}'s text masking does not reach values)."
            ),
            vec!["default text, value mask".to_string()],
        ),
        Some(selector) => out.group(
            format!(
                "maskTextSelector: {selector}. {vendor} masks the text; the values of form fields inside (textarea, input, select) are masked too, which {vendor} does not do."
            ),
            vec![format!("mask text, value {}", quote(selector))],
        ),
        None => {}
    }
    if !mask_all_text {
        out.group(
            format!("{vendor} records text in clear unless a mask class or selector covers it."),
            vec!["default text capture".to_string()],
        );
        write_inputs(settings, out, defaults, options);
    }
    out.group(
        format!(
            "{vendor} records every attribute in clear. The policy keeps scrim's default, which masks the sensitive ones (title, alt, placeholder, aria-label, …): write `default attributes capture` to record them as {vendor} did."
        ),
        vec!["default attributes mask".to_string()],
    );
    if !options.record_canvas {
        out.group(
            format!("recordCanvas is off: {vendor} does not record what a canvas shows."),
            vec!["mask media \"canvas\"".to_string()],
        );
    }
}

/// `maskAllInputs` and `maskInputOptions`.
fn write_inputs(
    settings: &mut Settings,
    out: &mut PolicyText,
    defaults: &Defaults,
    options: &RecordOptions,
) {
    let vendor = defaults.vendor;
    if options.mask_all_inputs {
        if options.mask_input_options.is_some() {
            settings.warn(
                &settings.path("maskInputOptions"),
                format!("{vendor} ignores it when `maskAllInputs` is true: every value is masked"),
            );
        }
        out.group(
            format!("maskAllInputs: true. Every form value is masked (the state of checkboxes and radio buttons, and hidden inputs, too, which {vendor} records in clear)."),
            vec!["default value mask".to_string()],
        );
        return;
    }
    let given = options.mask_input_options.as_ref();
    let mut masked: Vec<String> = match given {
        Some(read) => read
            .iter()
            .filter(|(_, on)| *on)
            .map(|(key, _)| key.clone())
            .collect(),
        None => vec!["password".to_string()],
    };
    if given.is_some()
        && defaults.keeps_password
        && !given.into_iter().flatten().any(|(k, _)| k == "password")
    {
        masked.push("password".to_string());
    }
    if !masked.iter().any(|k| k == "password") {
        settings.warn(
            &settings.path("maskInputOptions"),
            format!("{vendor} records password values in clear with these options; scrim masks them whatever a policy says (a floor)"),
        );
    }
    out.group(
        format!("maskAllInputs is off: {vendor} records form values in clear, except the input types below."),
        vec!["default value capture".to_string()],
    );
    let mut selectors = Vec::new();
    for key in &masked {
        match key.as_str() {
            // Floors mask these already; a rule would only repeat them.
            "password" => {}
            "textarea" | "select" => selectors.push(key.clone()),
            "text" => selectors.push(format!(
                "input:not({})",
                NOT_TEXT_TYPES
                    .iter()
                    .map(|t| format!("[type='{t}' i]"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            other => selectors.push(format!("input[type='{other}' i]")),
        }
    }
    if !selectors.is_empty() {
        out.group(
            format!("maskInputOptions: {}", masked.join(", ")),
            vec![format!("mask value {}", quote(&list(&selectors)))],
        );
    }
}
