//! The resolution corpus: every file in `tests/resolution/` is one case of
//! the design's resolution order — a policy, a page, a recording context —
//! and the decision, step and deciding rule of every element and channel,
//! compared as text. `docs/testing.md` describes the format.
//!
//! The runner compiles the policy (nothing can be included), parses the
//! page with `scrim-html`, asks the matcher for each channel's explanation
//! (`Page::explain`, the reference evaluator) and renders it in its own
//! compact text, then checks that the fast paths agree with it: the
//! top-down walk `scrim mask` runs and `Page::decide` / `decide_channel`.
//! A disagreement is written into the rendering (`!! …`), so it fails the
//! case like any other difference.
//!
//! `UPDATE_EXPECT=1 cargo test --test resolution` rewrites the `expected`
//! and `masked` sections of every failing case in place. A case with a
//! `known-bug` section records a disagreement between the engine and the
//! design: its expected sections say what the design says, the runner
//! prints the difference and the note, and does not fail (nor rewrite it).

use scrim_compiler::{NoFiles, compile};
use scrim_html::{Document, ElementRef};
use scrim_matcher::{
    Cause, ChannelOutcome, ChannelRef, Context, Element, Explanation, OffReason, Page,
    PageDecision, Policy, Status, Step, Strategy, attribute_is_form_state,
};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The file name rule ids are made of (`policy.scrim:3`).
const POLICY_FILE: &str = "policy.scrim";

/// The sections of a case, in the order they are written.
const SECTIONS: &[&str] = &[
    "policy",
    "page",
    "context",
    "expected",
    "masked",
    "known-bug",
];

// ------------------------------------------------------------ case files

/// One case file, split into its description and sections.
#[derive(Debug)]
struct Case {
    path: PathBuf,
    /// The `#` lines before the first section.
    description: String,
    /// Section name and content (each line ending in `\n`), in file order.
    sections: Vec<(String, String)>,
}

impl Case {
    fn read(path: &Path) -> Result<Case, String> {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let mut description = String::new();
        let mut sections: Vec<(String, String)> = Vec::new();
        for line in text.lines() {
            if let Some(name) = line.strip_prefix("--- ") {
                let name = name.trim();
                if !SECTIONS.contains(&name) {
                    return Err(format!(
                        "unknown section `{name}` (sections: {})",
                        SECTIONS.join(", ")
                    ));
                }
                if sections.iter().any(|(n, _)| n == name) {
                    return Err(format!("section `{name}` appears twice"));
                }
                sections.push((name.to_string(), String::new()));
            } else if let Some((_, content)) = sections.last_mut() {
                content.push_str(line);
                content.push('\n');
            } else if line.starts_with('#') {
                description.push_str(line);
                description.push('\n');
            } else if !line.trim().is_empty() {
                return Err(format!(
                    "`{line}` stands before the first section: describe the case in `#` lines"
                ));
            }
        }
        if description.trim().is_empty() {
            return Err("a case starts with `#` lines saying what it shows".to_string());
        }
        for required in ["policy", "page", "context"] {
            if !sections.iter().any(|(n, _)| n == required) {
                return Err(format!("the `{required}` section is missing"));
            }
        }
        Ok(Case {
            path: path.to_path_buf(),
            description,
            sections,
        })
    }

    fn section(&self, name: &str) -> Option<&str> {
        self.sections
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.as_str())
    }

    /// Sets a section's content, adding the section in its place when the
    /// case has none.
    fn set_section(&mut self, name: &str, content: &str) {
        let content = normal(content);
        if let Some((_, c)) = self.sections.iter_mut().find(|(n, _)| n == name) {
            *c = content;
            return;
        }
        let rank = |n: &str| SECTIONS.iter().position(|s| *s == n).unwrap_or(usize::MAX);
        let at = self
            .sections
            .iter()
            .position(|(n, _)| rank(n) > rank(name))
            .unwrap_or(self.sections.len());
        self.sections.insert(at, (name.to_string(), content));
    }

    fn write(&self) -> std::io::Result<()> {
        let mut out = self.description.clone();
        for (name, content) in &self.sections {
            out.push_str("--- ");
            out.push_str(name);
            out.push('\n');
            out.push_str(content);
        }
        std::fs::write(&self.path, out)
    }
}

/// The `context` section: `key: value` lines.
#[derive(Debug, Default)]
struct CaseContext {
    context: Context,
    /// Which elements to render (a selector of the policy dialect).
    select: Option<String>,
    /// Which channels to render; `None` for all of them.
    channels: Option<Vec<String>>,
}

fn parse_context(text: &str) -> Result<CaseContext, String> {
    let mut out = CaseContext::default();
    let mut url = None;
    let list = |v: &str| -> Vec<String> {
        v.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| format!("context line `{line}` is not `key: value`"))?;
        // The value as written, but for the one space after the colon: a
        // URL with leading or trailing spaces must stay as it is.
        let value = value.strip_prefix(' ').unwrap_or(value);
        match key.trim() {
            "url" => url = Some(value.to_string()),
            "consent" => out.context.consent = list(value),
            "region" => out.context.region = Some(value.to_string()),
            "select" => out.select = Some(value.trim().to_string()),
            "channels" => out.channels = Some(list(value)),
            other => {
                return Err(format!(
                    "unknown context key `{other}` (keys: url, consent, region, select, channels)"
                ));
            }
        }
    }
    out.context.url = url.ok_or("the context needs a `url:` line")?;
    Ok(out)
}

// ------------------------------------------------------------- rendering

/// Renders what a case's `expected` and `masked` sections must hold.
fn render(case: &Case) -> Result<(String, String), String> {
    let context = parse_context(case.section("context").unwrap_or(""))?;
    let policy_text = case.section("policy").unwrap_or("");
    let compilation = compile(POLICY_FILE, policy_text, &NoFiles);
    let mut out = String::new();
    for d in &compilation.diagnostics {
        let json = d.to_json();
        let severity = if d.is_error() { "error" } else { "warning" };
        let _ = writeln!(
            out,
            "{severity} {} (line {}): {}",
            d.code, json.line, d.message
        );
    }
    let Some(artifact) = compilation.artifact else {
        // A policy that does not compile records nothing; there is no
        // decision to show.
        return Ok((out, String::new()));
    };
    let policy = Policy::from_artifact(artifact).map_err(|e| format!("policy load: {e}"))?;
    let page = policy.page(&context.context);
    let doc = Document::parse(case.section("page").unwrap_or(""));
    let elements: Vec<ElementRef<'_>> = match &context.select {
        Some(css) => doc
            .select(css)
            .map_err(|e| format!("select `{css}`: {}", e.message))?,
        None => doc.elements().filter(|e| !implied(e)).collect(),
    };
    let named: Vec<&str> = context
        .channels
        .iter()
        .flatten()
        .filter_map(|c| c.strip_prefix("attr:"))
        .collect();
    let walked = walk(&page, &doc, &named);
    render_page(&mut out, &page);
    for (e, path) in elements.iter().zip(doc.paths(&elements)) {
        render_element(
            &mut out,
            &page,
            *e,
            &short_path(&path),
            context.channels.as_deref(),
            &walked,
        );
    }
    let masked = if case.section("masked").is_some() {
        body(&scrim_html::mask_document(&doc, &page)).to_string()
    } else {
        String::new()
    };
    Ok((out, masked))
}

/// `html`, `head` and `body` without attributes: the parser's, most of the
/// time, and never what a case is about.
fn implied(e: &ElementRef<'_>) -> bool {
    e.is_html()
        && matches!(e.local_name(), "html" | "head" | "body")
        && e.attributes().next().is_none()
}

/// The path without the `html > body > ` every element of a page shares.
fn short_path(path: &str) -> String {
    path.strip_prefix("html > body > ")
        .or_else(|| path.strip_prefix("html > "))
        .unwrap_or(path)
        .to_string()
}

/// A masked document without the empty `<html><head></head><body>` around
/// its body.
fn body(masked: &str) -> &str {
    match masked
        .strip_prefix("<html><head></head><body>")
        .and_then(|s| s.strip_suffix("</body></html>"))
    {
        Some(inner) => inner,
        None => masked,
    }
}

fn render_page(out: &mut String, page: &Page<'_>) {
    match page.decision() {
        PageDecision::Record => out.push_str("page recorded\n"),
        PageDecision::Off { reason, rule } => {
            let why = match reason {
                OffReason::MissingConsent(c) => format!("consent `{c}` not granted"),
                OffReason::NeverRecord => "never record".to_string(),
                OffReason::NotAllowListed => "not in record only".to_string(),
                OffReason::UnreadableUrl => "unreadable url".to_string(),
            };
            let _ = write!(out, "page off ({why})");
            if let Some(rule) = rule {
                let _ = write!(out, ": {}", rule_name(&rule.id, rule.loc.line));
            }
            out.push('\n');
        }
    }
}

/// A rule id, with its line when the id does not say it (`as NAME`).
fn rule_name(id: &str, line: u32) -> String {
    if id.ends_with(&format!(":{line}")) {
        id.to_string()
    } else {
        format!("{id} (line {line})")
    }
}

fn levels(levels_up: usize) -> String {
    match levels_up {
        0 => "here".to_string(),
        n => format!("{n} up"),
    }
}

fn step_text(step: Step) -> &'static str {
    match step {
        Step::PageOff => "step 1 page-off",
        Step::Block => "step 2 block",
        Step::Floor => "step 3 floor",
        Step::Sealed => "step 4 sealed",
        Step::NearestRule => "step 5 nearest",
        Step::Default => "step 6 default",
    }
}

/// The step's number, for `lost` lines (the row names the step).
fn step_number(step: Step) -> u8 {
    match step {
        Step::PageOff => 1,
        Step::Block => 2,
        Step::Floor => 3,
        Step::Sealed => 4,
        Step::NearestRule => 5,
        Step::Default => 6,
    }
}

fn outcome_text(outcome: ChannelOutcome<'_>, events: bool) -> String {
    match outcome {
        ChannelOutcome::Off => "off".to_string(),
        ChannelOutcome::Capture => "capture".to_string(),
        ChannelOutcome::Mask(_) if events => "ignore".to_string(),
        ChannelOutcome::Mask(Strategy::Stars) => "mask".to_string(),
        ChannelOutcome::Mask(Strategy::Fixed { text }) => format!("mask {text:?}"),
        ChannelOutcome::Mask(Strategy::Length { length }) => format!("mask length {length}"),
    }
}

/// What decided, after the step: nothing for the floor (the step says it).
fn causes_text(x: &Explanation<'_>) -> String {
    let causes: Vec<String> = x
        .deciding
        .iter()
        .filter_map(|c| match c {
            Cause::PageRule { id, loc } => Some(rule_name(id, loc.line)),
            Cause::Rule { id, loc, levels_up } => Some(format!(
                "{} {}",
                rule_name(id, loc.line),
                levels(*levels_up)
            )),
            Cause::Floor => None,
            Cause::Default { loc } => Some(format!("default line {}", loc.line)),
            Cause::BuiltinDefault => Some("built-in".to_string()),
        })
        .collect();
    if causes.is_empty() {
        String::new()
    } else {
        format!(": {}", causes.join(", "))
    }
}

fn lost_lines(out: &mut String, x: &Explanation<'_>) {
    for l in &x.lost {
        let _ = writeln!(
            out,
            "    lost {} {}, beaten at step {}",
            rule_name(l.id, l.loc.line),
            levels(l.levels_up),
            step_number(l.beaten_by)
        );
    }
}

/// One channel row of an element to render: its label, what the matcher
/// is asked, and the content it is about (for detectors).
struct Row<'a> {
    label: String,
    channel: ChannelRef<'a>,
    /// Attributes that hold form state: written as the stricter of the
    /// `value` channels and their own.
    as_value: bool,
    /// Never recorded, whatever the policy (inline event handlers).
    never: bool,
    content: Option<String>,
}

impl<'a> Row<'a> {
    fn channel(label: &str, channel: ChannelRef<'a>, content: Option<String>) -> Row<'a> {
        Row {
            label: label.to_string(),
            channel,
            as_value: false,
            never: false,
            content,
        }
    }

    /// An attribute's row: its own channel, `attr:NAME`, checked across
    /// the fast paths; what is written is what `scrim mask` routes (form
    /// state: the stricter of the `value` channels and `attr:NAME`; inline
    /// event handlers never).
    fn attribute(e: &ElementRef<'_>, name: &'a str, content: Option<String>) -> Row<'a> {
        Row {
            label: format!("attr:{name}"),
            channel: ChannelRef::Attr(name),
            as_value: attribute_is_form_state(e, name),
            never: scrim_html::is_event_handler(name),
            content,
        }
    }
}

/// The rows of an element: the channels the case wants, in a fixed order
/// (text, value, the attributes in document order, then those the case
/// names that the element does not have, media, events).
fn rows<'e>(e: &'e ElementRef<'_>, wanted: Option<&'e [String]>) -> Vec<Row<'e>> {
    let want = |name: &str| wanted.is_none_or(|w| w.iter().any(|c| c == name));
    // A textarea's content is its value, not its text.
    let textarea = e.is_html() && e.local_name() == "textarea";
    let mut rows = Vec::new();
    if want("text") {
        rows.push(Row::channel(
            "text",
            ChannelRef::Text,
            (!textarea).then(|| e.own_text()),
        ));
    }
    if want("value") {
        rows.push(Row::channel(
            "value",
            ChannelRef::Value,
            textarea.then(|| e.own_text()),
        ));
    }
    for (name, value) in e.attributes() {
        if want("attributes") || want(&format!("attr:{name}")) {
            rows.push(Row::attribute(e, name, Some(value.to_string())));
        }
    }
    for name in wanted.unwrap_or(&[]) {
        if let Some(attr) = name.strip_prefix("attr:")
            && e.attr(attr).is_none()
        {
            rows.push(Row::attribute(e, attr, None));
        }
    }
    if want("media") {
        rows.push(Row::channel("media", ChannelRef::Media, None));
    }
    if want("events") {
        rows.push(Row::channel("events", ChannelRef::Events, None));
    }
    rows
}

fn render_element(
    out: &mut String,
    page: &Page<'_>,
    e: ElementRef<'_>,
    path: &str,
    wanted: Option<&[String]>,
    walked: &[(usize, Walked<'_>)],
) {
    let rows = rows(&e, wanted);
    let first = page.explain(e, ChannelRef::Text);
    let fast = page.decide(e);
    let mut disagreements = Vec::new();
    if fast.status != first.status {
        disagreements.push(format!(
            "decide: status {:?}, explain: {:?}",
            fast.status, first.status
        ));
    }
    let walked = walked.iter().find(|(i, _)| *i == e.index()).map(|(_, w)| w);
    if let Some(w) = walked
        && w.decision.status != first.status
    {
        disagreements.push(format!(
            "walk: status {:?}, explain: {:?}",
            w.decision.status, first.status
        ));
    }

    if first.status != Status::Recorded {
        // One explanation for the whole element: say it once, unless a
        // channel says otherwise.
        let status = match first.status {
            Status::Placeholder => "placeholder",
            Status::Hidden => "hidden",
            _ => "off",
        };
        let _ = writeln!(
            out,
            "\n{path}  {status}  {}{}",
            step_text(first.step),
            causes_text(&first)
        );
        lost_lines(out, &first);
        for row in &rows {
            let decided = page.decide_channel(e, row.channel);
            let walked = walked.map_or(ChannelOutcome::Off, |w| w.outcome(row));
            if decided != ChannelOutcome::Off || walked != ChannelOutcome::Off {
                disagreements.push(format!(
                    "{}: decide_channel {}, walk {}, explain: off",
                    row.label,
                    outcome_text(decided, false),
                    outcome_text(walked, false)
                ));
            }
            let x = page.explain(e, row.channel);
            if x != first && !row.never {
                let _ = writeln!(
                    out,
                    "  {}  {}  {}{}",
                    row.label,
                    outcome_text(x.outcome, row.channel == ChannelRef::Events),
                    step_text(x.step),
                    causes_text(&x)
                );
                lost_lines(out, &x);
            }
        }
        for d in disagreements {
            let _ = writeln!(out, "  !! {d}");
        }
        return;
    }

    let _ = writeln!(out, "\n{path}");
    let width = rows.iter().map(|r| r.label.len()).max().unwrap_or(0);
    for row in &rows {
        let events = row.channel == ChannelRef::Events;
        if row.never {
            let _ = writeln!(out, "  {:<width$}  off      never recorded", row.label);
            continue;
        }
        let own = page.explain(e, row.channel);
        // Form state: the channel that decided what is written (the
        // element's or an enclosing select's `value`, or `attr:NAME`).
        let routed = row
            .as_value
            .then(|| form_state_decider(page, e, &row.label))
            .flatten();
        let (x, mark) = match &routed {
            Some((x, 0)) if x != &own => (x.clone(), " (as value)".to_string()),
            Some((x, up)) if x != &own => (x.clone(), format!(" (as value, {up} up)")),
            _ => (own.clone(), String::new()),
        };
        let outcome = outcome_text(x.outcome, events);
        let mut line = format!(
            "  {:<width$}  {:<7}  {}{}{mark}",
            row.label,
            outcome,
            step_text(x.step),
            causes_text(&x)
        );
        // Step 7: what the detectors leave of captured content.
        if x.outcome.is_capture()
            && !events
            && let Some(content) = &row.content
            && !page.detect(content).is_empty()
        {
            let _ = write!(line, "; step 7 detectors: {:?}", page.scrub(content.trim()));
        }
        out.push_str(&line);
        out.push('\n');
        lost_lines(out, &x);

        // The fast paths must say what the reference says.
        let x = own;
        let decided = page.decide_channel(e, row.channel);
        if decided != x.outcome {
            let _ = writeln!(
                out,
                "    !! decide_channel: {}, explain: {outcome}",
                outcome_text(decided, events)
            );
        }
        let fixed = match row.channel {
            ChannelRef::Text => Some(fast.text),
            ChannelRef::Value => Some(fast.value),
            ChannelRef::Media => Some(fast.media),
            ChannelRef::Events => Some(fast.events),
            ChannelRef::Attr(_) => None,
        };
        if let Some(f) = fixed
            && f != x.outcome
        {
            let _ = writeln!(
                out,
                "    !! decide: {}, explain: {outcome}",
                outcome_text(f, events)
            );
        }
        if let Some(w) = walked {
            let walked = w.outcome(row);
            if walked != x.outcome {
                let _ = writeln!(
                    out,
                    "    !! walk: {}, explain: {outcome}",
                    outcome_text(walked, events)
                );
            }
        }
    }
    for d in disagreements {
        let _ = writeln!(out, "  !! {d}");
    }
}

/// For a form-state attribute (`label` row text `attr:NAME`), the
/// explanation of the `value` channel that decided what `scrim mask`
/// writes, and how many levels up it is; `None` when the attribute's own
/// channel decided.
fn form_state_decider<'p>(
    page: &'p Page<'_>,
    e: ElementRef<'_>,
    label: &str,
) -> Option<(Explanation<'p>, usize)> {
    let name = label.strip_prefix("attr:")?;
    let explained = scrim_html::explain_element(page, e);
    let content = explained
        .contents
        .iter()
        .find(|c| matches!(c.content, scrim_html::Content::Attr { name: n, .. } if n == name))?;
    let deciding = content.decided.as_ref()?.deciding()?;
    if deciding.source != scrim_html::Source::FormState {
        return None;
    }
    Some((deciding.explanation.clone()?, deciding.levels_up))
}

/// What the top-down walk (`scrim mask`'s path) decided for one element.
struct Walked<'p> {
    decision: scrim_matcher::Decision<'p>,
    /// Each attribute's outcome, by name, as the walk decides it.
    attributes: Vec<(String, ChannelOutcome<'p>)>,
}

impl<'p> Walked<'p> {
    fn outcome(&self, row: &Row<'_>) -> ChannelOutcome<'p> {
        match row.channel {
            ChannelRef::Text => self.decision.text,
            ChannelRef::Value => self.decision.value,
            ChannelRef::Media => self.decision.media,
            ChannelRef::Events => self.decision.events,
            ChannelRef::Attr(name) => self
                .attributes
                .iter()
                .find(|(n, _)| n == name)
                .map_or(ChannelOutcome::Off, |(_, o)| *o),
        }
    }
}

/// Walks the whole document top-down, as `scrim mask` does, recording each
/// element's decision and the outcome of every attribute it has and of the
/// attribute channels the case names (`named`).
fn walk<'p>(page: &Page<'p>, doc: &Document, named: &[&str]) -> Vec<(usize, Walked<'p>)> {
    let mut walker = page.walker();
    let mut open: Vec<ElementRef<'_>> = Vec::new();
    let mut out = Vec::new();
    for e in doc.elements() {
        while let Some(top) = open.last() {
            if Some(*top) == e.parent() {
                break;
            }
            open.pop();
            walker.leave();
        }
        let decision = walker.enter(e);
        open.push(e);
        let attributes = e
            .attributes()
            .map(|(name, _)| name)
            .chain(named.iter().copied())
            .map(|name| (name.to_string(), walker.attribute(e, name)))
            .collect();
        out.push((
            e.index(),
            Walked {
                decision,
                attributes,
            },
        ));
    }
    out
}

// --------------------------------------------------------------- running

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/resolution")
}

fn cases() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/resolution exists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    paths.sort();
    paths
}

fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
}

/// A section's text as compared and written: without trailing blank lines,
/// ending in one line break.
fn normal(text: &str) -> String {
    format!("{}\n", text.trim_end())
}

/// What checking one case found.
#[derive(Debug, PartialEq)]
enum Verdict {
    /// Every section says what the engine does.
    Pass,
    /// Sections differed and were rewritten (`UPDATE_EXPECT=1`).
    Updated,
    /// A `known-bug` case whose sections still differ: the note and the
    /// differences, printed but not failing.
    KnownBug(String),
    /// A failure, with what to show.
    Fail(String),
}

/// Checks one case: renders it, compares each section, and with `update`
/// rewrites the sections that differ (never those of a `known-bug` case:
/// they say what the design says, not what the engine does).
fn check_case(case: &mut Case, update: bool) -> Verdict {
    let (expected, masked) = match render(case) {
        Ok(r) => r,
        Err(e) => return Verdict::Fail(e),
    };
    let mut report = String::new();
    let mut stale = Vec::new();
    let mut sections = vec![("expected", expected)];
    if case.section("masked").is_some() {
        sections.push(("masked", masked));
    }
    for (section, actual) in sections {
        let want = case.section(section);
        if want.is_some_and(|w| normal(w) == normal(&actual)) {
            continue;
        }
        let want = want.map_or_else(|| "(missing)\n".to_string(), normal);
        let _ = writeln!(
            report,
            "--- {section} differs:\n{}",
            diff(&want, &normal(&actual))
        );
        stale.push((section, actual));
    }
    if let Some(note) = case.section("known-bug") {
        return if stale.is_empty() {
            Verdict::Fail(
                "the engine now says what the case expects: remove the `known-bug` section"
                    .to_string(),
            )
        } else {
            Verdict::KnownBug(format!("{}\n{report}", note.trim()))
        };
    }
    if stale.is_empty() {
        return Verdict::Pass;
    }
    if !update {
        return Verdict::Fail(report);
    }
    for (section, actual) in &stale {
        case.set_section(section, actual);
    }
    match case.write() {
        Ok(()) => Verdict::Updated,
        Err(e) => Verdict::Fail(format!("cannot rewrite the case: {e}")),
    }
}

#[test]
fn resolution_corpus() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let paths = cases();
    assert!(!paths.is_empty(), "no cases in tests/resolution");
    let mut failures = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let verdict = match Case::read(path) {
            Ok(mut case) => check_case(&mut case, update),
            Err(e) => Verdict::Fail(e),
        };
        match verdict {
            Verdict::Pass => {}
            Verdict::Updated => eprintln!("updated {name}"),
            Verdict::KnownBug(report) => eprintln!("known bug (not failing): {name}: {report}"),
            Verdict::Fail(report) => failures.push(format!("{name}: {report}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} resolution cases failed (UPDATE_EXPECT=1 rewrites the sections):\n\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}

/// What the corpus must keep showing somewhere in its `expected` sections:
/// every step of the resolution order deciding, every status an element can
/// have, and rules lost at every step that beats rules.
const COVERED: &[&str] = &[
    "page off (consent",
    "page off (never record)",
    "page off (not in record only)",
    "page off (unreadable url)",
    "step 1 page-off",
    "placeholder  step 2 block",
    "hidden  step 2 block",
    "step 3 floor",
    "step 4 sealed",
    "step 5 nearest",
    "step 6 default: built-in",
    "step 6 default: default line",
    "step 7 detectors",
    "beaten at step 2",
    "beaten at step 3",
    "beaten at step 4",
    "beaten at step 5",
    "never recorded",
    "(as value)",
    "error compile::allow-floor",
];

#[test]
fn corpus_covers_every_step() {
    let mut all = String::new();
    for path in cases() {
        let case = Case::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        all.push_str(case.section("expected").unwrap_or(""));
    }
    let missing: Vec<&str> = COVERED
        .iter()
        .copied()
        .filter(|m| !all.contains(m))
        .collect();
    assert!(
        missing.is_empty(),
        "no case in tests/resolution shows: {missing:?}"
    );
}

/// The runner's own parts, on inputs whose answer is known.
mod runner {
    use super::*;

    #[test]
    fn a_case_without_description_or_with_unknown_sections_is_refused() {
        let dir = std::env::temp_dir().join(format!("scrim-resolution-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, text: &str| {
            let p = dir.join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let bare = write(
            "bare.case",
            "--- policy\nscrim 1\n--- page\n<p>\n--- context\nurl: https://a.example/\n",
        );
        assert!(Case::read(&bare).unwrap_err().contains("`#` lines"));
        let odd = write("odd.case", "# odd\n--- policy\nscrim 1\n--- pgae\n");
        assert!(
            Case::read(&odd)
                .unwrap_err()
                .contains("unknown section `pgae`")
        );
        let short = write("short.case", "# short\n--- policy\nscrim 1\n");
        assert!(Case::read(&short).unwrap_err().contains("`page`"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn sections_are_rewritten_in_place_and_added_in_order() {
        let mut case = Case {
            path: PathBuf::new(),
            description: "# d\n".into(),
            sections: vec![
                ("policy".into(), "scrim 1\n".into()),
                ("page".into(), "<p>\n".into()),
                ("context".into(), "url: https://a.example/\n".into()),
                ("masked".into(), "old\n".into()),
            ],
        };
        case.set_section("expected", "page recorded\n\n");
        case.set_section("masked", "new");
        let names: Vec<&str> = case.sections.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["policy", "page", "context", "expected", "masked"]);
        assert_eq!(case.section("expected"), Some("page recorded\n"));
        assert_eq!(case.section("masked"), Some("new\n"));
    }

    fn case(expected: Option<&str>, known_bug: bool) -> Case {
        let mut sections = vec![
            (
                "policy".to_string(),
                "scrim 1\ndefault text capture\n".to_string(),
            ),
            ("page".to_string(), "<p>Hi</p>\n".to_string()),
            (
                "context".to_string(),
                "url: https://a.example/\nchannels: text\n".to_string(),
            ),
        ];
        if let Some(e) = expected {
            sections.push(("expected".to_string(), e.to_string()));
        }
        if known_bug {
            sections.push(("known-bug".to_string(), "why\n".to_string()));
        }
        Case {
            path: PathBuf::new(),
            description: "# d\n".into(),
            sections,
        }
    }

    const RIGHT: &str = "page recorded\n\np\n  text  capture  step 6 default: default line 2\n";
    const WRONG: &str = "page recorded\n\np\n  text  mask     step 6 default: built-in\n";

    #[test]
    fn a_missing_or_wrong_expectation_fails_with_a_diff() {
        assert_eq!(
            check_case(&mut case(Some(RIGHT), false), false),
            Verdict::Pass
        );
        let Verdict::Fail(report) = check_case(&mut case(Some(WRONG), false), false) else {
            panic!("a wrong expectation passed");
        };
        assert!(
            report.contains("-  text  mask     step 6 default: built-in"),
            "{report}"
        );
        assert!(
            report.contains("+  text  capture  step 6 default: default line 2"),
            "{report}"
        );
        let Verdict::Fail(report) = check_case(&mut case(None, false), false) else {
            panic!("a missing expectation passed");
        };
        assert!(report.contains("-(missing)"), "{report}");
    }

    #[test]
    fn a_known_bug_is_reported_until_the_engine_agrees() {
        let Verdict::KnownBug(report) = check_case(&mut case(Some(WRONG), true), true) else {
            panic!("a known bug failed or was rewritten");
        };
        assert!(report.starts_with("why\n--- expected differs"), "{report}");
        let Verdict::Fail(report) = check_case(&mut case(Some(RIGHT), true), false) else {
            panic!("a stale known-bug marker passed");
        };
        assert!(
            report.contains("remove the `known-bug` section"),
            "{report}"
        );
    }

    #[test]
    fn context_values_keep_their_spaces() {
        let c = parse_context(
            "url:  https://a.example/ \nconsent: a, b\nregion: eu\nchannels: value, attr:title\n",
        )
        .unwrap();
        assert_eq!(c.context.url, " https://a.example/ ");
        assert_eq!(c.context.consent, ["a", "b"]);
        assert_eq!(c.context.region.as_deref(), Some("eu"));
        assert_eq!(c.channels.unwrap(), ["value", "attr:title"]);
        assert!(parse_context("consent: a\n").unwrap_err().contains("url"));
        assert!(
            parse_context("url: x\nregoin: EU\n")
                .unwrap_err()
                .contains("regoin")
        );
    }
}
