//! `scrim explain`: for each element of an HTML page (or those a CSS
//! selector picks), how every channel would be recorded under a policy, and
//! why — the step of the resolution order that decided, the rules behind it
//! with their source lines, where up the tree they matched, and the rules
//! that matched but lost.
//!
//! The explanation itself comes from the matcher (`Page::explain`, which
//! runs the reference evaluator); this module loads the policy, parses the
//! page with `scrim-html`, and renders the answer for people (miette-style
//! source snippets) or tools (`--format json`, one array of elements).

use super::IncludeRoots;
use super::recording::{LoadedPolicy, Recording, load_policy, off_reason};
use super::report;
use super::streams::{self, eprintln_safe};
use crate::Format;
use scrim_html::{Document, ElementRef};
use scrim_matcher::{
    Cause, ChannelOutcome, ChannelRef, Context, Element, Explanation, Lost, Page, PageDecision,
    Status, Step, attribute_is_form_state,
};
use scrim_syntax::SourceFile;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::sync::Arc;

pub(crate) fn run(
    recording: &Recording,
    includes: &IncludeRoots,
    select: Option<&str>,
    format: Format,
) -> bool {
    let Some(loaded) = load_policy(&recording.policy, includes) else {
        return false;
    };
    let Some(doc) = recording.read_page("explain") else {
        return false;
    };
    let elements: Vec<ElementRef<'_>> = match select {
        None => doc.elements().collect(),
        Some(css) => match doc.select(css) {
            Ok(found) => found,
            Err(error) => {
                eprintln_safe!("error: invalid selector `{css}`: {error}");
                return false;
            }
        },
    };
    let context = recording.context();
    let page = loaded.policy.page(&context);
    let reports = explain_elements(&page, &loaded, &doc, &elements);
    let text = match format {
        Format::Json => {
            serde_json::to_string_pretty(&reports).expect("explanations serialise") + "\n"
        }
        Format::Human => human(&page, &loaded, &context, &reports),
    };
    streams::print(&text)
}

/// The report of each element. The paths are built together: one count of
/// each parent's children serves all of them.
fn explain_elements(
    page: &Page<'_>,
    loaded: &LoadedPolicy,
    doc: &Document,
    elements: &[ElementRef<'_>],
) -> Vec<ElementReport> {
    elements
        .iter()
        .zip(doc.paths(elements))
        .map(|(&e, path)| explain_element(page, loaded, e, path))
        .collect()
}

// ------------------------------------------------------------------ model

/// One element and the explanation of each of its channels: what
/// `--format json` prints, and what the human form is rendered from.
#[derive(Debug, Serialize)]
pub(super) struct ElementReport {
    /// The element's index in the parsed document (stable for a page).
    pub(super) index: usize,
    pub(super) tag: String,
    /// A CSS-like path from the root.
    pub(super) path: String,
    /// `recorded`, `placeholder` (the outermost blocked element), `hidden`
    /// (inside a blocked element) or `page-off`.
    pub(super) status: &'static str,
    pub(super) channels: Vec<ChannelReport>,
}

#[derive(Debug, Serialize)]
pub(super) struct ChannelReport {
    /// `text`, `value`, `attr:NAME`, `media` or `events`.
    pub(super) channel: String,
    /// `capture`, `mask`, `ignore` (events) or `off` (not recorded).
    pub(super) outcome: &'static str,
    /// The masking strategy, when masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) strategy: Option<String>,
    /// The resolution step that decided: `page-off`, `block`, `floor`,
    /// `sealed`, `nearest-rule`, `default`; `never-recorded` for inline
    /// event handlers.
    pub(super) step: &'static str,
    /// For attributes that hold form state: the channel that decides them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) decided_as: Option<&'static str>,
    pub(super) deciding: Vec<CauseReport>,
    pub(super) lost: Vec<LostReport>,
}

/// Where a rule or statement is written.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Place {
    file: String,
    line: u32,
    column: u32,
    /// The statement's text, when the policy sources are at hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    /// Byte range in the file, for the snippet.
    #[serde(skip)]
    span: (usize, usize),
    #[serde(skip)]
    file_text: Option<Arc<SourceFile>>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(super) enum CauseReport {
    /// A page rule turned recording off.
    PageRule {
        id: String,
        reason: String,
        #[serde(flatten)]
        at: Place,
    },
    /// An element rule, matched `levels_up` levels above the element.
    Rule {
        id: String,
        levels_up: usize,
        /// The element it matched (a short form: tag, id, classes).
        matched: String,
        #[serde(flatten)]
        at: Place,
    },
    /// The floor for password, payment, one-time-code and hidden inputs.
    Floor,
    /// A `default` statement.
    Default {
        #[serde(flatten)]
        at: Place,
    },
    /// The built-in default.
    BuiltinDefault,
}

#[derive(Debug, Serialize)]
pub(super) struct LostReport {
    id: String,
    levels_up: usize,
    matched: String,
    /// The step that beat it.
    beaten_by: &'static str,
    #[serde(flatten)]
    at: Place,
}

fn place(loaded: &LoadedPolicy, loc: scrim_artifact::Loc) -> Place {
    let file_text = loaded.files.get(loc.file as usize).cloned().flatten();
    let file = match &file_text {
        Some(f) => f.name().to_string(),
        None => loaded
            .names
            .get(loc.file as usize)
            .cloned()
            .unwrap_or_else(|| format!("<source {}>", loc.file)),
    };
    let span = (loc.start as usize, loc.end as usize);
    let source = file_text
        .as_ref()
        .and_then(|f| f.text().get(span.0..span.1))
        .map(|s| s.trim_end().to_string());
    Place {
        file,
        line: loc.line,
        column: loc.column,
        source,
        span,
        file_text,
    }
}

fn step_name(step: Step) -> &'static str {
    match step {
        Step::PageOff => "page-off",
        Step::Block => "block",
        Step::Floor => "floor",
        Step::Sealed => "sealed",
        Step::NearestRule => "nearest-rule",
        Step::Default => "default",
    }
}

fn step_title(step: &str) -> &'static str {
    match step {
        "page-off" => "step 1, page off",
        "block" => "step 2, block",
        "floor" => "step 3, floor",
        "sealed" => "step 4, sealed mask",
        "nearest-rule" => "step 5, nearest rule",
        "default" => "step 6, default",
        _ => "never recorded",
    }
}

pub(super) fn status_name(status: Status) -> &'static str {
    match status {
        Status::Recorded => "recorded",
        Status::Placeholder => "placeholder",
        Status::Hidden => "hidden",
        Status::PageOff => "page-off",
    }
}

/// `tag#id.class.class`: enough to find an element in the page source.
pub(super) fn short<E: Element>(e: E) -> String {
    let mut s = e.local_name().to_string();
    if let Some(id) = e.id() {
        s.push('#');
        s.push_str(id);
    }
    for class in e.classes() {
        s.push('.');
        s.push_str(class);
    }
    s
}

fn ancestor<E: Element>(e: E, levels_up: usize) -> String {
    let mut cur = e;
    for _ in 0..levels_up {
        match cur.parent() {
            Some(p) => cur = p,
            None => break,
        }
    }
    short(cur)
}

/// Inline event handlers (`onclick`, …) are scripts; the name is compared
/// as bytes, as `scrim mask` does, since it need not be ASCII.
fn explain_element(
    page: &Page<'_>,
    loaded: &LoadedPolicy,
    e: ElementRef<'_>,
    path: String,
) -> ElementReport {
    let mut channels = Vec::new();
    let mut status = Status::Recorded;
    let mut add = |name: String, channel: ChannelRef<'_>, decided_as: Option<&'static str>| {
        let x = page.explain(e, channel);
        status = x.status;
        channels.push(channel_report(
            page, loaded, e, name, &x, channel, decided_as,
        ));
    };
    add("text".into(), ChannelRef::Text, None);
    add("value".into(), ChannelRef::Value, None);
    let attributes: Vec<(String, bool)> = e
        .attributes()
        .map(|(n, _)| (n.to_string(), attribute_is_form_state(&e, n)))
        .collect();
    for (name, form_state) in &attributes {
        if scrim_html::is_event_handler(name) {
            continue; // below, once the closure is done
        }
        if *form_state {
            add(format!("attr:{name}"), ChannelRef::Value, Some("value"));
        } else {
            add(format!("attr:{name}"), ChannelRef::Attr(name), None);
        }
    }
    add("media".into(), ChannelRef::Media, None);
    add("events".into(), ChannelRef::Events, None);
    // Inline event handlers are scripts: never recorded, whatever the policy.
    for (name, _) in &attributes {
        if scrim_html::is_event_handler(name) {
            channels.push(ChannelReport {
                channel: format!("attr:{name}"),
                outcome: "off",
                strategy: None,
                step: "never-recorded",
                decided_as: None,
                deciding: Vec::new(),
                lost: Vec::new(),
            });
        }
    }
    ElementReport {
        index: e.index(),
        tag: e.local_name().to_string(),
        path,
        status: status_name(status),
        channels,
    }
}

pub(super) fn channel_report<E: Element>(
    page: &Page<'_>,
    loaded: &LoadedPolicy,
    e: E,
    channel: String,
    x: &Explanation<'_>,
    which: ChannelRef<'_>,
    decided_as: Option<&'static str>,
) -> ChannelReport {
    let (outcome, strategy) = match x.outcome {
        ChannelOutcome::Off => ("off", None),
        ChannelOutcome::Capture => ("capture", None),
        ChannelOutcome::Mask(_) if which == ChannelRef::Events => ("ignore", None),
        ChannelOutcome::Mask(s) => ("mask", Some(strategy_text(s))),
    };
    let deciding = x
        .deciding
        .iter()
        .map(|c| match c {
            Cause::PageRule { id, loc } => CauseReport::PageRule {
                id: id.to_string(),
                reason: page_off_reason(page),
                at: place(loaded, *loc),
            },
            Cause::Rule { id, loc, levels_up } => CauseReport::Rule {
                id: id.to_string(),
                levels_up: *levels_up,
                matched: ancestor(e, *levels_up),
                at: place(loaded, *loc),
            },
            Cause::Floor => CauseReport::Floor,
            Cause::Default { loc } => CauseReport::Default {
                at: place(loaded, *loc),
            },
            Cause::BuiltinDefault => CauseReport::BuiltinDefault,
        })
        .collect();
    let lost = x
        .lost
        .iter()
        .map(|l: &Lost<'_>| LostReport {
            id: l.id.to_string(),
            levels_up: l.levels_up,
            matched: ancestor(e, l.levels_up),
            beaten_by: step_name(l.beaten_by),
            at: place(loaded, l.loc),
        })
        .collect();
    ChannelReport {
        channel,
        outcome,
        strategy,
        step: step_name(x.step),
        decided_as,
        deciding,
        lost,
    }
}

fn strategy_text(s: &scrim_matcher::Strategy) -> String {
    match s {
        scrim_matcher::Strategy::Stars => "stars".to_string(),
        scrim_matcher::Strategy::Fixed { text } => format!("with {text:?}"),
        scrim_matcher::Strategy::Length { length } => format!("length {length}"),
    }
}

fn page_off_reason(page: &Page<'_>) -> String {
    match page.decision() {
        PageDecision::Record => String::new(),
        PageDecision::Off { reason, .. } => off_reason(reason),
    }
}

// ------------------------------------------------------------ human form

fn snippet(message: String, label: String, at: &Place) -> String {
    let (start, end) = at.span;
    // A compiled artifact carries no policy text, and a span that does not
    // fall on the text's characters cannot be shown: the location is all.
    let statement = at
        .file_text
        .as_ref()
        .and_then(|file| Some((file, file.text().get(start..end)?)))
        .filter(|(_, text)| !text.is_empty());
    let Some((file, statement)) = statement else {
        return format!(
            "  {message}\n    at {}:{}:{}\n",
            at.file, at.line, at.column
        );
    };
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // The statement without its line break.
    let end = start + statement.trim_end().len();
    let loc = scrim_syntax::Loc::new(scrim_syntax::Span::new(start, end), file.clone());
    let shown = scrim_syntax::Diagnostic::advice("explain::rule", loc, message).with_label(label);
    report::render_with(&shown, colour, 0)
}

fn indent(text: &str, by: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{by}{line}");
        }
    }
    out
}

fn where_matched(levels_up: usize, matched: &str) -> String {
    match levels_up {
        0 => format!("matched this element ({matched})"),
        1 => format!("matched 1 level up, on {matched}"),
        n => format!("matched {n} levels up, on {matched}"),
    }
}

fn causes(out: &mut String, channel: &str, c: &ChannelReport) {
    for cause in &c.deciding {
        let text = match cause {
            CauseReport::PageRule { id, reason, at } => snippet(
                format!("page rule `{id}`: {reason}"),
                "turns recording off for this page".to_string(),
                at,
            ),
            CauseReport::Rule {
                id,
                levels_up,
                matched,
                at,
            } => snippet(
                format!("rule `{id}` decides {channel}"),
                where_matched(*levels_up, matched),
                at,
            ),
            CauseReport::Floor => {
                "  the value floor: password, payment, one-time-code and hidden inputs are always masked\n"
                    .to_string()
            }
            CauseReport::Default { at } => snippet(
                format!("no rule matched: the `default` for {channel}"),
                "the default in force on this page".to_string(),
                at,
            ),
            CauseReport::BuiltinDefault => builtin_default(channel, c.outcome).to_string() + "\n",
        };
        out.push_str(&indent(&text, "  "));
    }
    for l in &c.lost {
        let _ = writeln!(
            out,
            "    lost: rule `{}` at {}:{}:{}, {} — beaten at {}",
            l.id,
            l.at.file,
            l.at.line,
            l.at.column,
            where_matched(l.levels_up, &l.matched),
            step_title(l.beaten_by),
        );
        if let Some(src) = &l.at.source {
            let _ = writeln!(out, "          {src}");
        }
    }
}

/// The built-in default, in words: private for text, values and sensitive
/// attributes; other attributes, media and events are captured.
fn builtin_default(channel: &str, outcome: &str) -> &'static str {
    match (channel.starts_with("attr:"), outcome) {
        (true, "capture") => "  no rule matched: not a sensitive attribute, captured",
        (true, _) => "  no rule matched: a sensitive attribute, masked by the built-in default",
        (false, "capture") => {
            "  no rule matched and no `default`: the built-in default captures it"
        }
        (false, _) => "  no rule matched and no `default`: the built-in default masks it",
    }
}

pub(super) fn human(
    page: &Page<'_>,
    loaded: &LoadedPolicy,
    context: &Context,
    reports: &[ElementReport],
) -> String {
    let mut out = String::new();
    let consent = if context.consent.is_empty() {
        "none".to_string()
    } else {
        context.consent.join(", ")
    };
    let region = context.region.as_deref().unwrap_or("unknown");
    let _ = writeln!(
        out,
        "page {} (consent: {consent}; region: {region})",
        context.url
    );
    if let PageDecision::Off { rule, .. } = page.decision() {
        let _ = writeln!(out, "  not recorded: {}", page_off_reason(page));
        if let Some(rule) = rule {
            out.push_str(&snippet(
                format!("page rule `{}`", rule.id),
                "turns recording off for this page".to_string(),
                &place(loaded, rule.loc),
            ));
        }
        let _ = writeln!(
            out,
            "  nothing on this page is recorded: every element and channel is off ({}), {} element(s) not shown",
            step_title("page-off"),
            reports.len()
        );
        return out;
    }
    let _ = writeln!(out, "  recorded");
    if reports.is_empty() {
        let _ = writeln!(out, "\nno element matches the selector");
    }
    for r in reports {
        let _ = writeln!(out, "\n{}", r.path);
        if r.status != "recorded" {
            // Every channel shares one explanation: say it once.
            let what = if r.status == "placeholder" {
                "blocked: recorded as an empty placeholder (tag name and size only)"
            } else {
                "inside a blocked element: not recorded"
            };
            let _ = writeln!(out, "  {what}");
            if let Some(c) = r.channels.first() {
                causes(&mut out, "this element", c);
            }
            continue;
        }
        let width = r
            .channels
            .iter()
            .map(|c| c.channel.chars().count())
            .max()
            .unwrap_or(0);
        for c in &r.channels {
            let mut note = String::new();
            if let Some(s) = c.strategy.as_deref().filter(|s| *s != "stars") {
                let _ = write!(note, ", {s}");
            }
            if let Some(v) = c.decided_as {
                let _ = write!(note, " (form state: decided as {v})");
            }
            let _ = writeln!(
                out,
                "  {:<width$}  {:<8} {}{note}",
                c.channel,
                c.outcome,
                step_title(c.step),
            );
            causes(&mut out, &c.channel, c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Names and text with multi-byte characters at every byte position,
    /// ASCII `on` prefixes (inline event handlers) among them.
    fn word(min: usize, max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("o"),
                Just("n"),
                Just("on"),
                Just("x"),
                Just("-"),
                Just("é"),
                Just("ß"),
                Just("日"),
                Just("Ω"),
                Just("😀"),
                Just("\u{301}"),
                Just(" ")
            ],
            min..=max,
        )
        .prop_map(|pieces| pieces.concat())
    }

    fn name() -> impl Strategy<Value = String> {
        word(1, 4)
            .prop_map(|w| w.replace(' ', ""))
            .prop_filter("a name", |n| !n.is_empty())
    }

    /// A page as a sequence of open tags (with attributes), close tags and
    /// text, which the parser makes a tree of.
    fn page_html() -> impl Strategy<Value = String> {
        let tag = prop_oneof![
            Just("p"),
            Just("div"),
            Just("span"),
            Just("input"),
            Just("a")
        ];
        let attribute = (name(), word(0, 3));
        let token = prop_oneof![
            (tag.clone(), proptest::collection::vec(attribute, 0..4)).prop_map(|(tag, attrs)| {
                let attrs: String = attrs.iter().map(|(n, v)| format!(" {n}=\"{v}\"")).collect();
                format!("<{tag}{attrs}>")
            }),
            tag.prop_map(|tag| format!("</{tag}>")),
            word(0, 5),
        ];
        proptest::collection::vec(token, 0..24).prop_map(|tokens| tokens.concat())
    }

    #[test]
    fn explain_renders_pages_with_non_ascii_names_values_and_text() {
        let loaded = load_policy(
            std::path::Path::new("examples/shop.scrim"),
            &IncludeRoots::default(),
        )
        .expect("the shop policy loads");
        let context = Context {
            url: "https://shop.example.com/checkout/step-2".to_string(),
            consent: vec!["session-replay".to_string()],
            region: None,
        };
        let page = loaded.policy.page(&context);
        proptest!(ProptestConfig::with_cases(128), |(html in page_html())| {
            let doc = Document::parse(&html);
            let elements: Vec<ElementRef<'_>> = doc.elements().collect();
            let reports = explain_elements(&page, &loaded, &doc, &elements);
            for (e, report) in elements.iter().zip(&reports) {
                // The one-pass paths are the paths.
                prop_assert_eq!(&report.path, &e.path());
                for (name, _) in e.attributes() {
                    let channel = format!("attr:{name}");
                    let c = report.channels.iter().find(|c| c.channel == channel);
                    prop_assert!(c.is_some(), "{} is not explained", channel);
                    prop_assert_eq!(
                        c.unwrap().step == "never-recorded",
                        scrim_html::is_event_handler(name)
                    );
                }
            }
            let text = human(&page, &loaded, &context, &reports);
            prop_assert!(text.starts_with("page "));
            serde_json::to_string(&reports).expect("explanations serialise");
        });
    }
}
