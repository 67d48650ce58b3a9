//! The proof of equivalence: for each vendor, random pages and random
//! configurations; the configuration imported into a policy, and every
//! slot of every element (status, text, values, attributes, input events)
//! decided by scrim (through `scrim explain`'s data) and by an executable
//! model of the vendor (`vendors/`). scrim must record the same, or less
//! where a documented difference says so: the table in `docs/import.md`
//! is the allow-list, so a new difference fails until it is documented.
//! Each difference is recognised by what causes it (the element, the
//! slot, the configuration), never by the outcomes alone.

mod vendors;

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use vendors::page::{Page, page};
use vendors::{Seen, Slot, floored, is_form_value, scrim_sensitive};

/// Selectors configurations use: classes, attributes, tags, combinators.
const SELECTORS: &[&str] = &[
    ".a",
    ".b",
    ".private",
    ".public",
    "[data-private]",
    "[data-user]",
    "section .a",
    "nav > .b",
    "input",
    "textarea",
    "label",
    "select",
];

fn selector() -> impl Strategy<Value = String> {
    prop::sample::select(SELECTORS).prop_map(String::from)
}

fn selectors() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(selector(), 0..3)
}

fn maybe<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop::option::weighted(0.5, s)
}

fn insert(object: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        object.insert(key.to_string(), value);
    }
}

const INPUT_OPTIONS: &[&str] = &[
    "password", "email", "tel", "text", "textarea", "select", "number", "search",
];

fn input_options() -> impl Strategy<Value = Value> {
    prop::collection::vec((prop::sample::select(INPUT_OPTIONS), any::<bool>()), 0..4).prop_map(
        |pairs| {
            Value::Object(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), Value::Bool(v)))
                    .collect(),
            )
        },
    )
}

/// rrweb's `record()` options (and PostHog's `session_recording`).
fn rrweb_options(classes: [&'static str; 3]) -> impl Strategy<Value = Value> {
    (
        maybe(prop::sample::select(vec![classes[0], "private"])),
        maybe(selector()),
        maybe(prop::sample::select(vec![classes[1], "a"])),
        maybe(selector()),
        maybe(prop::sample::select(vec![classes[2], "b"])),
        maybe(prop_oneof![4 => selector(), 1 => Just("*".to_string())]),
        maybe(any::<bool>()),
        maybe(input_options()),
    )
        .prop_map(
            |(block_class, block, ignore_class, ignore, mask_class, mask, all, options)| {
                let mut o = Map::new();
                insert(&mut o, "blockClass", block_class.map(|c| json!(c)));
                insert(&mut o, "blockSelector", block.map(Value::String));
                insert(&mut o, "ignoreClass", ignore_class.map(|c| json!(c)));
                insert(&mut o, "ignoreSelector", ignore.map(Value::String));
                insert(&mut o, "maskTextClass", mask_class.map(|c| json!(c)));
                insert(&mut o, "maskTextSelector", mask.map(Value::String));
                insert(&mut o, "maskAllInputs", all.map(Value::Bool));
                insert(&mut o, "maskInputOptions", options);
                Value::Object(o)
            },
        )
}

fn sentry_options() -> impl Strategy<Value = Value> {
    (
        (
            maybe(any::<bool>()),
            maybe(any::<bool>()),
            maybe(any::<bool>()),
        ),
        (
            selectors(),
            selectors(),
            selectors(),
            selectors(),
            selectors(),
        ),
        maybe(prop::collection::vec(
            prop::sample::select(vec![
                "title",
                "placeholder",
                "aria-label",
                "data-user",
                "alt",
            ]),
            0..3,
        )),
    )
        .prop_map(
            |((text, inputs, media), (mask, unmask, block, unblock, ignore), attrs)| {
                let mut o = Map::new();
                insert(&mut o, "maskAllText", text.map(Value::Bool));
                insert(&mut o, "maskAllInputs", inputs.map(Value::Bool));
                insert(&mut o, "blockAllMedia", media.map(Value::Bool));
                for (key, list) in [
                    ("mask", mask),
                    ("unmask", unmask),
                    ("block", block),
                    ("unblock", unblock),
                    ("ignore", ignore),
                ] {
                    if !list.is_empty() {
                        o.insert(key.into(), json!(list));
                    }
                }
                insert(&mut o, "maskAttributes", attrs.map(|a| json!(a)));
                Value::Object(o)
            },
        )
}

fn posthog_options() -> impl Strategy<Value = Value> {
    (
        rrweb_options(["ph-no-capture", "ph-ignore-input", "ph-mask"]),
        maybe(any::<bool>()),
    )
        .prop_map(|(mut recording, attributes)| {
            // PostHog passes no ignoreSelector on.
            recording.as_object_mut().unwrap().remove("ignoreSelector");
            insert(
                recording.as_object_mut().unwrap(),
                "maskAllElementAttributes",
                attributes.map(Value::Bool),
            );
            json!({ "session_recording": recording })
        })
}

fn datadog_options() -> impl Strategy<Value = Value> {
    maybe(prop::sample::select(vec![
        "allow",
        "mask",
        "mask-user-input",
        "mask-unless-allowlisted",
    ]))
    .prop_map(|level| match level {
        Some(level) => json!({ "defaultPrivacyLevel": level, "service": "shop" }),
        None => json!({ "service": "shop" }),
    })
}

/// Microsoft Clarity's masking settings: a mode (in the dashboard's
/// spelling too), and element selectors to mask and unmask.
fn clarity_options() -> impl Strategy<Value = Value> {
    (
        maybe(prop::sample::select(vec![
            "strict", "balanced", "relaxed", "Strict", "Relaxed",
        ])),
        selectors(),
        selectors(),
    )
        .prop_map(|(mode, mask, unmask)| {
            let mut o = Map::new();
            insert(&mut o, "mode", mode.map(|m| json!(m)));
            for (key, list) in [("mask", mask), ("unmask", unmask)] {
                if !list.is_empty() {
                    o.insert(key.into(), json!(list));
                }
            }
            o.insert("projectId".into(), json!("k2x9c1"));
            Value::Object(o)
        })
}

/// Imports `config` and compares scrim with the model on `page`.
fn check(
    vendor: scrim_import::Vendor,
    config: &Value,
    page: &Page,
    model: &[vendors::Observed],
    explain: impl Fn(usize, &Slot, Seen, Seen) -> Option<&'static str>,
) -> Result<(), TestCaseError> {
    let import = scrim_import::import(vendor, &config.to_string())
        .map_err(|e| TestCaseError::fail(format!("import failed: {e}\n{config}")))?;
    let policy = vendors::compile(&import.policy);
    let ours = vendors::scrim(&policy, page);
    vendors::compare(vendor.name(), page, &ours, model, explain).map_err(|e| {
        TestCaseError::fail(format!(
            "{e}\nconfig: {config}\npage: {}\npolicy:\n{}",
            page.html(),
            import.policy
        ))
    })?;
    Ok(())
}

/// The differences every vendor shares.
fn common(page: &Page, i: usize, slot: &Slot, theirs: Seen, ours: Seen) -> Option<&'static str> {
    match slot {
        Slot::Attr(n) if n == "type" && page.input_type(i) == "hidden" && ours == Seen::Clear => {
            Some("hidden-input-type")
        }
        Slot::Attr(n) if n == "class" && theirs > Seen::Gone && ours == Seen::Gone => {
            // Their placeholder keeps the class; scrim's keeps nothing.
            Some("placeholder-class")
        }
        _ if is_form_value(page, i, slot) && floored(page, i) => Some("floors"),
        Slot::Attr(n) if scrim_sensitive(page, i, n) && theirs == Seen::Clear => {
            Some("sensitive-attributes")
        }
        _ => None,
    }
}

/// Whether element `i` or an ancestor has class `class` or matches
/// `selector`.
fn under(page: &Page, i: usize, class: Option<&str>, selector: Option<&str>) -> bool {
    page.self_and_ancestors(i).into_iter().any(|x| {
        class.is_some_and(|c| page.has_class(x, c))
            || selector.is_some_and(|s| !s.is_empty() && page.matches(x, s))
    })
}

/// The differences of rrweb and its PostHog fork.
fn rrweb_family(
    options: &vendors::rrweb::Options,
    config: &Value,
    page: &Page,
    i: usize,
    slot: &Slot,
    theirs: Seen,
    ours: Seen,
) -> Option<&'static str> {
    if let Some(id) = common(page, i, slot, theirs, ours) {
        return Some(id);
    }
    let form = is_form_value(page, i, slot);
    let tag = page.tag(i);
    let checkable = tag == "input" && matches!(page.input_type(i).as_str(), "checkbox" | "radio");
    if form && options.masks_text(page, i) {
        return Some("text-masks-cover-values");
    }
    let ignored = under(
        page,
        i,
        Some(&options.ignore_class),
        options.ignore_selector.as_deref(),
    );
    if (form || *slot == Slot::Events) && ignored {
        return Some("ignore-masks-value");
    }
    let masks_all_inputs = config.get("maskAllInputs").and_then(Value::as_bool) == Some(true)
        || (config.get("maskAllInputs").is_none() && options.mask_input.len() > 3);
    if form && checkable && masks_all_inputs {
        return Some("checkable-state");
    }
    if form && tag == "option" {
        return Some("option-labels");
    }
    if under(page, i, Some("ph-sensitive"), None) {
        return Some("ph-sensitive");
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn rrweb(config in rrweb_options(["rr-block", "rr-ignore", "rr-mask"]), page in page(10)) {
        let options = vendors::rrweb::Options::record(&config);
        let model = options.observe(&page);
        check(scrim_import::Vendor::Rrweb, &config, &page, &model, |i, slot, theirs, ours| {
            rrweb_family(&options, &config, &page, i, slot, theirs, ours)
        })?;
    }

    #[test]
    fn posthog(config in posthog_options(), page in page(10)) {
        let options = vendors::posthog::options(&config);
        let model = options.observe(&page);
        let recording = config["session_recording"].clone();
        check(scrim_import::Vendor::Posthog, &config, &page, &model, |i, slot, theirs, ours| {
            rrweb_family(&options, &recording, &page, i, slot, theirs, ours)
        })?;
    }

    #[test]
    fn sentry(config in sentry_options(), page in page(10)) {
        let sentry = vendors::sentry::Sentry::new(&config);
        let model = sentry.observe(&page);
        check(scrim_import::Vendor::Sentry, &config, &page, &model, |i, slot, theirs, ours| {
            if let Some(id) = common(&page, i, slot, theirs, ours) {
                return Some(id);
            }
            let form = is_form_value(&page, i, slot);
            let tag = page.tag(i);
            if let Slot::Attr(n) = slot
                && (scrim_sensitive(&page, i, n) || sentry.mask_attributes.contains(n))
            {
                return Some("sensitive-attributes");
            }
            let unblocked_preset = page.self_and_ancestors(i).into_iter().any(|x| {
                vendors::sentry::Sentry::matches(&page, x, &sentry.unblock_selector)
                    && (page.has_class(x, "rr-block")
                        || page.matches(x, ".sentry-block, [data-sentry-block], iframe[srcdoc]:not([src])"))
            });
            if unblocked_preset && ours != Seen::Clear {
                return Some("unblock-presets");
            }
            let ignored = under(&page, i, Some("rr-ignore"), Some(&sentry.ignore_selector));
            if (form || *slot == Slot::Events) && ignored {
                return Some("ignore-masks-value");
            }
            if form && tag == "input" && matches!(page.input_type(i).as_str(), "checkbox" | "radio") {
                return Some("checkable-state");
            }
            if form && matches!(tag, "select" | "option") && sentry.mask_all_text
                && !sentry.mask_input.contains(&"select")
            {
                return Some("selects-follow-text");
            }
            None
        })?;
    }

    #[test]
    fn datadog(config in datadog_options(), page in page(10)) {
        use vendors::datadog::{Datadog, Level};
        let datadog = Datadog::new(&config);
        let model = datadog.observe(&page);
        check(scrim_import::Vendor::Datadog, &config, &page, &model, |i, slot, theirs, ours| {
            let tag = page.tag(i);
            let level = datadog.level(&page, i);
            if tag == "input"
                && Datadog::own_level(&page, i) == Some(Level::Mask)
                && (page.attr(i, "data-dd-privacy") == Some("hidden") || page.has_class(i, "dd-privacy-hidden"))
            {
                return Some("forced-masks-before-hidden");
            }
            if let Some(id) = common(&page, i, slot, theirs, ours) {
                return Some(id);
            }
            match slot {
                Slot::Attr(n) if n == "value" && tag == "option" => return Some("option-value"),
                Slot::Attr(n) if n == "src" && tag == "video" => return Some("media"),
                Slot::Attr(n) if n.starts_with("data-") && theirs == Seen::Clear
                    && matches!(level, Level::Mask | Level::MaskUnlessAllowlisted) => {
                    return Some("data-attributes");
                }
                _ => {}
            }
            // An override below a mask: scrim's mask-user-input rule masks
            // only values, so the text and attributes fall back to the
            // nearer mask (or a masking default).
            if level == Level::MaskUserInput && matches!(slot, Slot::Text | Slot::Attr(_)) {
                return Some("mask-user-input-inside-mask");
            }
            None
        })?;
    }

    #[test]
    fn clarity(config in clarity_options(), page in page(10)) {
        use vendors::clarity::{Clarity, MASK_DISABLE, MASK_TEXT, Mode, NEVER_RECORDED, Privacy};
        let clarity = Clarity::new(&config);
        let model = clarity.observe(&page);
        let privacy = clarity.privacies(&page);
        check(scrim_import::Vendor::Clarity, &config, &page, &model, |i, slot, theirs, ours| {
            let data = matches!(slot, Slot::Attr(n) if n.starts_with("data-"));
            if let Slot::Attr(n) = slot
                && NEVER_RECORDED.contains(&n.as_str())
                && theirs == Seen::Gone
            {
                return Some("dropped-attributes");
            }
            let checkable = page.tag(i) == "input"
                && page.attr(i, "type").is_some_and(|t| MASK_DISABLE.contains(&t));
            if checkable && (is_form_value(&page, i, slot) || data) {
                return Some("checkable-inputs");
            }
            if let Some(id) = common(&page, i, slot, theirs, ours) {
                return Some(id);
            }
            let ancestors = page.self_and_ancestors(i);
            // Where an element is matched by a mask and an unmask, Clarity
            // reads the unmask (its markup, or the selector, set last).
            let unmask_wins = ancestors.iter().any(|&x| {
                clarity.mask.iter().any(|s| page.matches(x, s))
                    && (page.attr(x, "data-clarity-unmask").is_some()
                        || clarity.unmask.iter().any(|s| page.matches(x, s)))
            });
            if unmask_wins && theirs == Seen::Clear {
                return Some("mask-beats-unmask");
            }
            if clarity.mode == Mode::Balanced {
                if *slot == Slot::Text && privacy[i] == Privacy::Sensitive {
                    return Some("balanced-text");
                }
                let classed = ancestors.iter().any(|&x| {
                    let class = page.attr(x, "class").unwrap_or("");
                    MASK_TEXT.iter().any(|w| class.contains(w))
                });
                if classed && (*slot == Slot::Text || data) {
                    return Some("balanced-classes");
                }
            }
            // Under an unmask, the attributes a mask names besides the
            // sensitive ones, masked by the Strict default or a mask above.
            let masked_above = clarity.mode == Mode::Strict
                || ancestors.iter().any(|&x| {
                    page.attr(x, "data-clarity-mask").is_some()
                        || clarity.mask.iter().any(|s| page.matches(x, s))
                });
            let named = matches!(slot, Slot::Attr(n) if n == "href" || n == "src") || data;
            if named && masked_above && privacy[i] == Privacy::None {
                return Some("unmask-attributes");
            }
            None
        })?;
    }

    /// `dropped-attributes`, the one difference where scrim records more
    /// than Clarity, is only the attributes' names: under every imported
    /// configuration, every `title`, `alt` and `aria-label` of the masked
    /// page is empty (also where a mask with another strategy names them).
    #[test]
    fn clarity_dropped_attributes_are_empty(config in clarity_options(), page in page(10)) {
        use scrim_matcher::Element;
        use vendors::clarity::NEVER_RECORDED;
        let import = scrim_import::import(scrim_import::Vendor::Clarity, &config.to_string()).unwrap();
        let policy = vendors::compile(&import.policy);
        let context = scrim_matcher::Context { url: vendors::URL.to_string(), consent: vec![], region: None };
        let masked = scrim_html::mask_html(&page.html(), &policy.page(&context));
        let doc = scrim_html::Document::parse(&masked);
        for element in doc.elements() {
            for name in NEVER_RECORDED {
                prop_assert!(
                    element.attr(name).is_none_or(str::is_empty),
                    "`{}` recorded with a value: {}\npolicy:\n{}", name, masked, import.policy
                );
            }
        }
    }

    /// The two lines the Balanced import offers (in the policy's comment
    /// and in the warning) instead of `default text mask` mask every
    /// character Balanced masks in text, and nothing outside the words
    /// Balanced looks at (those that hold a digit or an `@`).
    #[test]
    fn clarity_balanced_detector(text in "[aZé19٣@$€.#\\- \\t\\n\\x0c]{0,40}") {
        let import = scrim_import::import(scrim_import::Vendor::Clarity, r#"{"mode": "balanced"}"#).unwrap();
        let offered: Vec<&str> = import.policy.lines().filter_map(|l| l.strip_prefix("#   ")).collect();
        prop_assert_eq!(offered.len(), 2, "{}", import.policy);
        prop_assert_eq!(offered[0], "default text capture");
        let detector = offered[1];
        let warning = import.notes.iter().find(|n| n.setting == "mode").expect("a warning on `mode`");
        prop_assert!(warning.message.ends_with(&format!("`{detector}`")), "{}", warning.message);
        let policy = import.policy.replace(
            "\ndefault text mask\n",
            &format!("\ndefault text capture\n{detector}\n"),
        );
        let policy = vendors::compile(&policy);
        let context = scrim_matcher::Context { url: vendors::URL.to_string(), consent: vec![], region: None };
        let html = format!("<!DOCTYPE html><html><head></head><body><p>{text}</p></body></html>");
        let masked = scrim_html::mask_html(&html, &policy.page(&context));
        let ours: Vec<char> = masked.split("<p>").nth(1).and_then(|p| p.split("</p>").next()).unwrap().chars().collect();
        let original: Vec<char> = text.chars().collect();
        let theirs: Vec<char> = vendors::clarity::redact(&text).chars().collect();
        prop_assert_eq!(ours.len(), original.len(), "{}", masked);
        // The words Balanced looks at, by character.
        let mut looked_at = vec![false; original.len()];
        let mut start = 0;
        for end in 0..=original.len() {
            if end == original.len() || matches!(original[end], ' ' | '\t' | '\n' | '\r') {
                let word = &original[start..end];
                let sensitive = word.iter().any(|c| c.is_ascii_digit() || *c == '@');
                looked_at[start..end].fill(sensitive);
                start = end + 1;
            }
        }
        for k in 0..original.len() {
            if theirs[k] != original[k] {
                prop_assert_eq!(ours[k], '*', "Balanced masks character {} of {:?}: {}", k, text, masked);
            }
            if ours[k] != original[k] {
                prop_assert!(looked_at[k], "character {} of {:?} masked outside the words Balanced looks at: {}", k, text, masked);
            }
        }
    }
}
