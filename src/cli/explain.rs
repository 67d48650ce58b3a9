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
use scrim_content::explain::{
    Content, ContentExplanation, Decided, ElementExplanation, SourceExplanation, Unwritten,
};
use scrim_content::route::{Dropped, Route, Source};
use scrim_html::{Document, ElementRef};
use scrim_matcher::{
    Cause, ChannelOutcome, ChannelRef, Context, Element, Explanation, Lost, Page, PageDecision,
    Status, Step,
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
pub(super) fn explain_elements(
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
    /// `capture`, `mask`, `ignore` (events), `off` (not recorded) or
    /// `fixed` (written in one form whatever the policy).
    pub(super) outcome: &'static str,
    /// The masking strategy, when masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) strategy: Option<String>,
    /// The resolution step that decided: `page-off`, `block`, `floor`,
    /// `sealed`, `nearest-rule`, `default`; `never-recorded` for content no
    /// policy can record, `structure` for content written in a fixed form.
    pub(super) step: &'static str,
    /// Why content is never recorded, written in a fixed form, or not
    /// written with its element.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) reason: Option<&'static str>,
    /// The fixed form structure is written in (absent: left out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) written: Option<&'static str>,
    /// The channel that decided, when the content is routed through other
    /// channels than its own (form state, media URLs …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) decided_as: Option<String>,
    /// The channels the content is routed through, when not its own: the
    /// stricter decides.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) sources: Vec<SourceReport>,
    /// For style sheets: how their strings and URLs are decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) css: Option<CssReport>,
    pub(super) deciding: Vec<CauseReport>,
    pub(super) lost: Vec<LostReport>,
}

/// One channel a content's routing reads.
#[derive(Debug, Serialize)]
pub(super) struct SourceReport {
    /// `text`, `value`, `attr:NAME`, `media`, `events`, or `text-default`
    /// (the page's default for text).
    channel: String,
    /// Where the element whose channel it is stands: 0 for the element
    /// itself, more for an enclosing select or option.
    levels_up: usize,
    matched: String,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    strategy: Option<String>,
    step: &'static str,
    /// Whether this channel decided (the stricter one).
    decides: bool,
}

/// How one part of a style sheet is decided.
#[derive(Debug, Serialize)]
pub(super) struct PartReport {
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    strategy: Option<String>,
    step: &'static str,
    decided_as: String,
    sources: Vec<SourceReport>,
}

#[derive(Debug, Serialize)]
pub(super) struct CssReport {
    strings: PartReport,
    urls: PartReport,
}

/// Where a rule or statement is written.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Place {
    pub(super) file: String,
    pub(super) line: u32,
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

#[derive(Debug, Clone, Serialize)]
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
    /// The page's default for text, which style-sheet strings follow.
    PageDefault,
    /// The element is not written with its ancestor `levels_up` levels
    /// up: `placeholder` (already one), `script` (inside one), `srcdoc`
    /// (in a document whose `srcdoc` is not captured).
    Unwritten {
        reason: &'static str,
        levels_up: usize,
        matched: String,
    },
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

pub(super) fn place(loaded: &LoadedPolicy, loc: scrim_artifact::Loc) -> Place {
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
        "structure" => "structure",
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

/// The report of one element of a page: each piece of its content as
/// `scrim_html::explain_element` routes and decides it.
fn explain_element(
    page: &Page<'_>,
    loaded: &LoadedPolicy,
    e: ElementRef<'_>,
    path: String,
) -> ElementReport {
    let x = scrim_html::explain_element(page, e);
    element_report(page, loaded, &x, e.index(), path)
}

/// The report of one explained element, of a page or of a recording:
/// `index` is its index in the page, or its rrweb id.
pub(super) fn element_report<E: Element>(
    page: &Page<'_>,
    loaded: &LoadedPolicy,
    x: &ElementExplanation<'_, '_, E>,
    index: usize,
    path: String,
) -> ElementReport {
    let e = x.element;
    let channels = x
        .contents
        .iter()
        .map(|c| match x.unwritten {
            Some(why) => unwritten_report(page, loaded, e, c, why),
            None => content_report(page, loaded, e, c),
        })
        .collect();
    ElementReport {
        index,
        tag: e.local_name().to_string(),
        path,
        status: status_name(x.status),
        channels,
    }
}

fn content_name(content: &Content<'_>) -> String {
    match content {
        Content::Text => "text".to_string(),
        Content::Value => "value".to_string(),
        Content::Attr { name, .. } => format!("attr:{name}"),
        Content::Media => "media".to_string(),
        Content::Events => "events".to_string(),
    }
}

/// The channel a content is decided by when its routing reads nothing
/// else.
fn own_source(content: &Content<'_>) -> Source {
    match content {
        Content::Text => Source::Text,
        Content::Value => Source::FormState,
        Content::Attr { .. } => Source::Attr,
        Content::Media => Source::Media,
        Content::Events => Source::Events,
    }
}

fn source_name<E>(s: &SourceExplanation<'_, E>, content: &Content<'_>) -> String {
    match (s.source, content) {
        (Source::Text, _) => "text".to_string(),
        (Source::FormState, _) => "value".to_string(),
        (Source::Media, _) => "media".to_string(),
        (Source::Events, _) => "events".to_string(),
        (Source::Attr, Content::Attr { name, .. }) => format!("attr:{name}"),
        (Source::Attr, _) => "attr".to_string(),
        (Source::PageText, _) => "text-default".to_string(),
    }
}

fn outcome_text(outcome: ChannelOutcome<'_>, events: bool) -> (&'static str, Option<String>) {
    match outcome {
        ChannelOutcome::Off => ("off", None),
        ChannelOutcome::Capture => ("capture", None),
        ChannelOutcome::Mask(_) if events => ("ignore", None),
        ChannelOutcome::Mask(s) => ("mask", Some(strategy_text(s))),
    }
}

fn dropped_reason(why: Dropped) -> &'static str {
    match why {
        Dropped::Script => "script",
        Dropped::EventHandler => "event-handler",
        Dropped::ScriptUrl => "script-url",
        Dropped::ScriptDocument => "script-document",
        Dropped::TooDeep => "srcdoc-too-deep",
    }
}

fn source_report<E: Element>(
    e: E,
    content: &Content<'_>,
    s: &SourceExplanation<'_, E>,
    decides: bool,
) -> SourceReport {
    let (outcome, strategy) = outcome_text(s.outcome, s.source == Source::Events);
    SourceReport {
        channel: source_name(s, content),
        levels_up: s.levels_up,
        matched: ancestor(e, s.levels_up),
        outcome,
        strategy,
        step: s
            .explanation
            .as_ref()
            .map_or("default", |x| step_name(x.step)),
        decides,
    }
}

fn part_report<E: Element>(e: E, content: &Content<'_>, d: &Decided<'_, E>) -> PartReport {
    let (outcome, strategy) = outcome_text(d.outcome, false);
    let decider = d.deciding();
    PartReport {
        outcome,
        strategy,
        step: decider
            .and_then(|s| s.explanation.as_ref())
            .map_or("default", |x| step_name(x.step)),
        decided_as: decider.map_or_else(String::new, |s| source_name(s, content)),
        sources: d
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| source_report(e, content, s, i == d.decider))
            .collect(),
    }
}

/// A report with nothing decided by a rule: dropped or structure.
fn fixed_report(
    channel: String,
    outcome: &'static str,
    step: &'static str,
    reason: Option<&'static str>,
    written: Option<&'static str>,
) -> ChannelReport {
    ChannelReport {
        channel,
        outcome,
        strategy: None,
        step,
        reason,
        written,
        decided_as: None,
        sources: Vec::new(),
        css: None,
        deciding: Vec::new(),
        lost: Vec::new(),
    }
}

fn content_report<E: Element>(
    page: &Page<'_>,
    loaded: &LoadedPolicy,
    e: E,
    c: &ContentExplanation<'_, '_, E>,
) -> ChannelReport {
    let channel = content_name(&c.content);
    match c.routing.map(|r| r.route) {
        Some(Route::Dropped(why)) => {
            return fixed_report(
                channel,
                "off",
                "never-recorded",
                Some(dropped_reason(why)),
                None,
            );
        }
        Some(Route::Fixed(written)) => {
            let outcome = if written.is_some() { "fixed" } else { "off" };
            return fixed_report(channel, outcome, "structure", Some("parser-state"), written);
        }
        _ => {}
    }
    let Some(decided) = &c.decided else {
        return fixed_report(channel, "off", "never-recorded", None, None);
    };
    let events = c.content == Content::Events;
    let (outcome, strategy) = outcome_text(decided.outcome, events);
    let decider = decided.deciding();
    // Only the content's own channel on the element itself: nothing to
    // add. Anything else names the channels read and the one that decided.
    let own = decided.sources.len() == 1
        && decider.is_some_and(|s| s.levels_up == 0 && s.source == own_source(&c.content));
    let (decided_as, sources) = if own || c.routing.is_none() {
        (None, Vec::new())
    } else {
        (
            decider.map(|s| source_name(s, &c.content)),
            decided
                .sources
                .iter()
                .enumerate()
                .map(|(i, s)| source_report(e, &c.content, s, i == decided.decider))
                .collect(),
        )
    };
    let (step, deciding, lost) = match decider {
        Some(SourceExplanation {
            explanation: Some(x),
            levels_up,
            ..
        }) => (
            step_name(x.step),
            causes_of(page, loaded, e, x, *levels_up),
            lost_of(loaded, e, x, *levels_up),
        ),
        _ => ("default", vec![CauseReport::PageDefault], Vec::new()),
    };
    ChannelReport {
        channel,
        outcome,
        strategy,
        step,
        reason: None,
        written: None,
        decided_as,
        sources,
        css: c.css.as_ref().map(|css| CssReport {
            strings: part_report(e, &c.content, &css.strings),
            urls: part_report(e, &c.content, &css.urls),
        }),
        deciding,
        lost,
    }
}

/// A content of an element that the matcher records but that is not
/// written: every content is off, for the same reason.
fn unwritten_report<E: Element>(
    page: &Page<'_>,
    loaded: &LoadedPolicy,
    e: E,
    c: &ContentExplanation<'_, '_, E>,
    why: Unwritten,
) -> ChannelReport {
    let channel = content_name(&c.content);
    let (reason, levels_up) = match why {
        Unwritten::Placeholder { levels_up } => ("placeholder", levels_up),
        Unwritten::Script { levels_up } => ("script", levels_up),
        Unwritten::Srcdoc { levels_up } => ("srcdoc", levels_up),
    };
    let mut report = fixed_report(
        channel,
        "off",
        if reason == "placeholder" {
            "block"
        } else {
            "never-recorded"
        },
        Some(reason),
        None,
    );
    report.deciding.push(CauseReport::Unwritten {
        reason,
        levels_up,
        matched: ancestor(e, levels_up),
    });
    if let Unwritten::Srcdoc { levels_up } = why {
        // The iframe's `srcdoc` decision: the rules behind it.
        let mut iframe = e;
        for _ in 0..levels_up {
            iframe = iframe.parent().unwrap_or(iframe);
        }
        let x = page.explain(iframe, ChannelRef::Attr("srcdoc"));
        report.step = step_name(x.step);
        report
            .deciding
            .extend(causes_of(page, loaded, e, &x, levels_up));
        report.lost = lost_of(loaded, e, &x, levels_up);
    }
    report
}

/// The causes of an explanation of the element `shift` levels above `e`,
/// with their levels counted from `e`.
fn causes_of<E: Element>(
    page: &Page<'_>,
    loaded: &LoadedPolicy,
    e: E,
    x: &Explanation<'_>,
    shift: usize,
) -> Vec<CauseReport> {
    x.deciding
        .iter()
        .map(|c| match c {
            Cause::PageRule { id, loc } => CauseReport::PageRule {
                id: id.to_string(),
                reason: page_off_reason(page),
                at: place(loaded, *loc),
            },
            Cause::Rule { id, loc, levels_up } => CauseReport::Rule {
                id: id.to_string(),
                levels_up: levels_up + shift,
                matched: ancestor(e, levels_up + shift),
                at: place(loaded, *loc),
            },
            Cause::Floor => CauseReport::Floor,
            Cause::Default { loc } => CauseReport::Default {
                at: place(loaded, *loc),
            },
            Cause::BuiltinDefault => CauseReport::BuiltinDefault,
        })
        .collect()
}

fn lost_of<E: Element>(
    loaded: &LoadedPolicy,
    e: E,
    x: &Explanation<'_>,
    shift: usize,
) -> Vec<LostReport> {
    x.lost
        .iter()
        .map(|l: &Lost<'_>| LostReport {
            id: l.id.to_string(),
            levels_up: l.levels_up + shift,
            matched: ancestor(e, l.levels_up + shift),
            beaten_by: step_name(l.beaten_by),
            at: place(loaded, l.loc),
        })
        .collect()
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
    let shown = scrim_syntax::Diagnostic::advice(scrim_syntax::Code::ExplainRule, loc, message)
        .with_label(label);
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
            CauseReport::PageDefault => {
                "  the page's default for text: style sheets are page content\n".to_string()
            }
            CauseReport::Unwritten {
                reason,
                levels_up,
                matched,
            } => format!("  {}\n", unwritten_text(reason, *levels_up, matched)),
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

/// Why an element is not written, in words.
fn unwritten_text(reason: &str, levels_up: usize, matched: &str) -> String {
    let at = match levels_up {
        0 => "this element".to_string(),
        1 => format!("{matched}, 1 level up"),
        n => format!("{matched}, {n} levels up"),
    };
    match reason {
        "placeholder" => format!("already a placeholder (`data-scrim-blocked`): {at}"),
        "script" => format!("inside a script, whose content is never recorded: {at}"),
        _ => format!("in the `srcdoc` document of {at}, whose `srcdoc` is not captured"),
    }
}

/// Why content is never recorded, or written in a fixed form, in words.
fn reason_text(reason: &str) -> &'static str {
    match reason {
        "event-handler" => "an inline event handler",
        "script" => "a script's",
        "script-url" => "a script URL",
        "script-document" => "a document that runs script, as a `data:` URL",
        "srcdoc-too-deep" => "an `srcdoc` nested too deep to be parsed",
        _ => "structure that steers the parser",
    }
}

/// What the channel line adds after the step: the strategy, why content
/// is never recorded or fixed, and which channel decided.
fn note(c: &ChannelReport) -> String {
    let mut note = String::new();
    if let Some(s) = c.strategy.as_deref().filter(|s| *s != "stars") {
        let _ = write!(note, ", {s}");
    }
    match (c.step, c.reason) {
        ("never-recorded", Some(reason)) if c.deciding.is_empty() => {
            let _ = write!(note, ": {}", reason_text(reason));
        }
        ("structure", _) => match c.written {
            Some(w) => {
                let _ = write!(note, ": written {w:?} whatever the policy");
            }
            None => note.push_str(": left out whatever the policy"),
        },
        _ => {}
    }
    let Some(decider) = c.sources.iter().find(|s| s.decides) else {
        return note;
    };
    let named = |s: &SourceReport| match (s.channel.as_str(), s.levels_up) {
        ("text-default", _) => "the page's text default".to_string(),
        (channel, 0) => channel.to_string(),
        (channel, 1) => format!("{channel} of {}, 1 level up", s.matched),
        (channel, n) => format!("{channel} of {}, {n} levels up", s.matched),
    };
    let _ = write!(note, " (decided as {}", named(decider));
    if c.sources.len() > 1 {
        let all: Vec<String> = c
            .sources
            .iter()
            .map(|s| format!("{} = {}", named(s), s.outcome))
            .collect();
        let _ = write!(note, "; the stricter of: {}", all.join(", "));
    }
    note.push(')');
    note
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
    if write_page_off(&mut out, page, loaded) {
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
            write_unrecorded(&mut out, r);
            continue;
        }
        let width = channel_width(&r.channels);
        for c in &r.channels {
            write_channel(&mut out, c, width);
        }
    }
    out
}

/// When the page is off: why, and the page rule that turned it off, with
/// its policy line. `false` (nothing written) when the page is recorded.
pub(super) fn write_page_off(out: &mut String, page: &Page<'_>, loaded: &LoadedPolicy) -> bool {
    let PageDecision::Off { rule, .. } = page.decision() else {
        return false;
    };
    let _ = writeln!(out, "  not recorded: {}", page_off_reason(page));
    if let Some(rule) = rule {
        out.push_str(&snippet(
            format!("page rule `{}`", rule.id),
            "turns recording off for this page".to_string(),
            &place(loaded, rule.loc),
        ));
    }
    true
}

/// An element that is not recorded (`status` other than `recorded`): why,
/// once for all its channels, with the rule behind it.
pub(super) fn write_unrecorded(out: &mut String, r: &ElementReport) {
    // Every channel shares one explanation: say it once.
    let what = match (r.status, r.channels.first().and_then(|c| c.reason)) {
        ("placeholder", Some("placeholder")) => {
            "already a placeholder: recorded as an empty placeholder again (tag name and size only)"
        }
        ("placeholder", _) => "blocked: recorded as an empty placeholder (tag name and size only)",
        ("page-off", _) => "not recorded: the page is off",
        (_, Some("placeholder")) => "inside a placeholder: not recorded",
        (_, Some("script")) => "inside a script: not recorded",
        (_, Some("srcdoc")) => "in an `srcdoc` document that is not captured: not recorded",
        _ => "inside a blocked element: not recorded",
    };
    let _ = writeln!(out, "  {what}");
    if let Some(c) = r.channels.first() {
        // Not captured `srcdoc`: the iframe's attribute decided.
        let decided = if c.reason == Some("srcdoc") {
            "attr:srcdoc"
        } else {
            "this element"
        };
        causes(out, decided, c);
    }
}

/// The width of the channel column for these channels.
pub(super) fn channel_width(channels: &[ChannelReport]) -> usize {
    channels
        .iter()
        .map(|c| c.channel.chars().count())
        .max()
        .unwrap_or(0)
}

/// One channel of a recorded element: its outcome and step, the rules
/// behind it with their policy lines, and the rules that lost.
pub(super) fn write_channel(out: &mut String, c: &ChannelReport, width: usize) {
    let _ = writeln!(
        out,
        "  {:<width$}  {:<8} {}{}",
        c.channel,
        c.outcome,
        step_title(c.step),
        note(c),
    );
    let decided = c.decided_as.as_deref().unwrap_or(&c.channel);
    causes(out, decided, c);
    if let Some(css) = &c.css {
        for (part, p) in [("strings", &css.strings), ("urls", &css.urls)] {
            let strategy = p
                .strategy
                .as_deref()
                .filter(|s| *s != "stars")
                .map(|s| format!(", {s}"))
                .unwrap_or_default();
            let decided_as = if p.decided_as == "text-default" {
                "the page's text default"
            } else {
                &p.decided_as
            };
            let _ = writeln!(
                out,
                "    style sheet {part}: {}{strategy}, decided as {decided_as} ({})",
                p.outcome,
                step_title(p.step),
            );
        }
    }
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
