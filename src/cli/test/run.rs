//! Runs one test: decides its page under its policy with the code `scrim
//! explain` and `scrim mask` run, and compares every expectation with the
//! decision. Each expectation that does not hold becomes a [`Failure`]
//! carrying the decision as `scrim explain` reports it (the step, the
//! deciding rule and its policy line, the rules that lost).
//!
//! Nothing here decides anything itself: outcomes, steps and deciding
//! rules are read from `explain`'s reports (`scrim_html::explain_element`
//! and the matcher's `Page::explain`), written content from
//! `scrim_html::mask_document`.

use super::suite::{Channel, Check, Expect, Is, PageIs, Test};
use super::written::{self, Replay};
use crate::cli::explain::{
    CauseReport, ChannelReport, ElementReport, Place, channel_width, explain_elements, place,
    write_channel, write_page_off, write_unrecorded,
};
use crate::cli::recording::{LoadedPolicy, off_reason};
use scrim_html::{Document, ElementRef};
use scrim_matcher::{Page, PageDecision};
use serde::Serialize;
use std::fmt::Write as _;

/// An expectation that does not hold.
#[derive(Debug, Serialize)]
pub(super) struct Failure {
    /// The expectation's line in the test file.
    pub line: usize,
    /// The expectation as written.
    pub expect: String,
    /// The element it was checked on (absent for the page, or when the
    /// selector picks nothing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<ElementInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// What was expected and what was found, in words: a line for each
    /// of the outcome (with the deciding rule) and the written content
    /// that differ.
    pub message: String,
    /// The content as written, for a `written` expectation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<String>,
    /// The channel's decision as `scrim explain --format json` gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<ChannelReport>,
    /// For the element as a whole or the page: what decided.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deciding: Vec<CauseReport>,
    /// The decision rendered as `scrim explain` prints it.
    #[serde(skip)]
    pub shown: String,
}

impl Failure {
    /// A failure of the expectation on `line` (written as `expect`); the
    /// caller adds the element, channel and decision it has.
    fn of(line: usize, expect: &str, message: String) -> Failure {
        Failure {
            line,
            expect: expect.to_string(),
            element: None,
            channel: None,
            message,
            written: None,
            explanation: None,
            deciding: Vec::new(),
            shown: String::new(),
        }
    }
}

#[derive(Debug, Serialize)]
pub(super) struct ElementInfo {
    pub index: usize,
    pub path: String,
    /// `recorded`, `placeholder`, `hidden` or `page-off`, as in `explain`.
    pub status: &'static str,
}

/// Runs `test` under `loaded`: the expectations that do not hold.
pub(super) fn run(test: &Test, loaded: &LoadedPolicy) -> Vec<Failure> {
    let page = loaded.policy.page(&test.context);
    let mut replay: Option<Replay> = None;
    let mut failures = Vec::new();
    for expect in &test.expects {
        match &expect.check {
            Check::Page(is) => failures.extend(check_page(&page, loaded, expect, *is)),
            Check::Element {
                select,
                channels,
                is,
                written,
            } => {
                let replay = written
                    .as_ref()
                    .map(|_| &*replay.get_or_insert_with(|| Replay::of(&test.page, &page)));
                let found = Found {
                    page: &page,
                    loaded,
                    doc: &test.page,
                    replay,
                };
                found.check(
                    expect,
                    select,
                    channels,
                    *is,
                    written.as_deref(),
                    &mut failures,
                );
            }
        }
    }
    if let Some(body) = &test.written_body {
        let replay = replay.get_or_insert_with(|| Replay::of(&test.page, &page));
        let got = replay.body();
        if got.trim() != body.text.trim() {
            let mut f = Failure::of(
                body.line,
                "written_body",
                "the page's body is not written as expected".to_string(),
            );
            f.written = Some(got.to_string());
            f.shown = diff(body.text.trim(), got.trim());
            failures.push(f);
        }
    }
    failures
}

/// `- expected` / `+ written` lines where they differ.
fn diff(expected: &str, got: &str) -> String {
    let diff = similar::TextDiff::from_lines(expected, got);
    let mut out = String::from("  --- expected\n  +++ written\n");
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Delete => '-',
            similar::ChangeTag::Insert => '+',
            similar::ChangeTag::Equal => ' ',
        };
        let line = change.value();
        let _ = write!(out, "  {sign}{line}");
        if !line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

fn check_page(
    page: &Page<'_>,
    loaded: &LoadedPolicy,
    expect: &Expect,
    is: Option<PageIs>,
) -> Option<Failure> {
    let (actual, deciding) = match page.decision() {
        PageDecision::Record => (PageIs::Recorded, Vec::new()),
        PageDecision::Off { reason, rule } => (
            PageIs::Off,
            rule.iter()
                .map(|rule| CauseReport::PageRule {
                    id: rule.id.clone(),
                    reason: off_reason(reason),
                    at: place(loaded, rule.loc),
                })
                .collect(),
        ),
    };
    let is_wrong = is.is_some_and(|is| is != actual);
    let by_wrong = expect
        .by
        .as_ref()
        .is_some_and(|by| !decided_by(&deciding, by));
    if !is_wrong && !by_wrong {
        return None;
    }
    let mut shown = String::new();
    if !write_page_off(&mut shown, page, loaded) {
        shown.push_str("  recorded: no page rule turns recording off for this page\n");
    }
    let mut f = Failure::of(
        expect.line,
        &expect.source,
        format!(
            "page: expected {}, got {}",
            expected_words(is.map(PageIs::word), expect.by.as_deref()),
            actual_words(actual.word(), &deciding),
        ),
    );
    f.deciding = deciding;
    f.shown = shown;
    Some(f)
}

/// What an element expectation is checked against.
struct Found<'a, 'p> {
    page: &'a Page<'p>,
    loaded: &'a LoadedPolicy,
    doc: &'a Document,
    replay: Option<&'a Replay>,
}

impl Found<'_, '_> {
    fn check(
        &self,
        expect: &Expect,
        select: &str,
        channels: &[Channel],
        is: Option<Is>,
        written: Option<&str>,
        failures: &mut Vec<Failure>,
    ) {
        let failure = |message: String| Failure::of(expect.line, &expect.source, message);
        // The selector was checked when the file was read.
        let elements: Vec<ElementRef<'_>> = self.doc.select(select).unwrap_or_default();
        if elements.is_empty() {
            failures.push(failure(format!("`{select}` picks no element on this page")));
            return;
        }
        let reports = explain_elements(self.page, self.loaded, self.doc, &elements);
        for (el, mut report) in elements.into_iter().zip(reports) {
            for channel in channels {
                let found = match channel {
                    Channel::Element => element_failure(&report, is, expect.by.as_deref()),
                    _ => {
                        let name = channel.name();
                        match report.channels.iter().position(|c| c.channel == name) {
                            None => Some(Failure {
                                channel: Some(name.clone()),
                                ..failure(format!(
                                    "the element has no `{}` attribute",
                                    name.trim_start_matches("attr:")
                                ))
                            }),
                            Some(at) => {
                                let got = written.map(|_| self.written(el, channel));
                                channel_failure(
                                    &report.channels[at],
                                    &report,
                                    is,
                                    expect.by.as_deref(),
                                    written.zip(got.clone()),
                                )
                                .map(|f| Failure {
                                    written: got.flatten(),
                                    // Channels are named once each, so
                                    // the report can give this one up.
                                    explanation: Some(report.channels.swap_remove(at)),
                                    ..f
                                })
                            }
                        }
                    }
                };
                if let Some(f) = found {
                    failures.push(Failure {
                        line: expect.line,
                        expect: expect.source.clone(),
                        element: Some(ElementInfo {
                            index: report.index,
                            path: report.path.clone(),
                            status: report.status,
                        }),
                        ..f
                    });
                }
            }
        }
    }

    /// The content of `el` on `channel` as `scrim mask` writes it; `None`
    /// when it is not written.
    fn written(&self, el: ElementRef<'_>, channel: &Channel) -> Option<String> {
        let replay = self.replay?;
        let out = replay.written(el)?;
        written::content(out, channel)
    }
}

/// The element as a whole: `blocked`, `hidden`, `recorded` or `off`.
fn element_failure(report: &ElementReport, is: Option<Is>, by: Option<&str>) -> Option<Failure> {
    let actual = match report.status {
        "placeholder" => Is::Blocked,
        "hidden" => Is::Hidden,
        "page-off" => Is::Off,
        _ => Is::Recorded,
    };
    // Every channel of an element that is not recorded shares one
    // explanation: the first says what decided.
    let deciding: Vec<CauseReport> = match actual {
        Is::Recorded => Vec::new(),
        _ => report
            .channels
            .first()
            .map(|c| c.deciding.clone())
            .unwrap_or_default(),
    };
    let is_wrong = is.is_some_and(|is| is != actual);
    let by_wrong = by.is_some_and(|by| !decided_by(&deciding, by));
    if !is_wrong && !by_wrong {
        return None;
    }
    let mut shown = String::new();
    if actual == Is::Recorded {
        shown.push_str("  recorded: no block rule matches it or any of its ancestors\n");
    } else {
        write_unrecorded(&mut shown, report);
    }
    let mut f = Failure::of(
        0,
        "",
        format!(
            "element: expected {}, got {}",
            expected_words(is.map(Is::word), by),
            actual_words(actual.word(), &deciding),
        ),
    );
    f.channel = Some("element".to_string());
    f.deciding = deciding;
    f.shown = shown;
    Some(f)
}

/// One channel: its outcome, what decided it, what was written.
fn channel_failure(
    c: &ChannelReport,
    report: &ElementReport,
    is: Option<Is>,
    by: Option<&str>,
    written: Option<(&str, Option<String>)>,
) -> Option<Failure> {
    let actual = outcome_word(c.outcome);
    let is_wrong = is.is_some_and(|is| is.word() != actual);
    let by_wrong = by.is_some_and(|by| !decided_by(&c.deciding, by));
    let written_wrong = written.as_ref().and_then(|(expected, got)| {
        let expected = written::normalise(expected);
        match got {
            Some(got) if written::normalise(got) == expected => None,
            Some(got) => Some(format!(
                "expected written {expected:?}, written {:?}",
                written::normalise(got)
            )),
            None if report.status == "hidden" || report.status == "page-off" => Some(format!(
                "expected written {expected:?}, but the element is not written"
            )),
            None => Some(format!(
                "expected written {expected:?}, but nothing is written there"
            )),
        }
    });
    if !is_wrong && !by_wrong && written_wrong.is_none() {
        return None;
    }
    let mut parts = Vec::new();
    if is_wrong || by_wrong {
        parts.push(format!(
            "expected {}, got {}",
            expected_words(is.map(Is::word), by),
            actual_words(actual, &c.deciding),
        ));
    }
    parts.extend(written_wrong);
    let mut shown = String::new();
    if report.status == "recorded" {
        write_channel(&mut shown, c, channel_width(std::slice::from_ref(c)));
    } else {
        write_unrecorded(&mut shown, report);
    }
    let lines: Vec<String> = parts
        .iter()
        .map(|part| format!("{}: {part}", c.channel))
        .collect();
    let mut f = Failure::of(0, "", lines.join("\n"));
    f.channel = Some(c.channel.clone());
    f.shown = shown;
    Some(f)
}

/// An outcome in the words tests are written in.
fn outcome_word(outcome: &str) -> &'static str {
    match outcome {
        "capture" => "captured",
        "mask" => "masked",
        "ignore" => "ignored",
        "fixed" => "written in a fixed form",
        _ => "off",
    }
}

fn expected_words(is: Option<&str>, by: Option<&str>) -> String {
    match (is, by) {
        (Some(is), Some(by)) => format!("{is} by `{by}`"),
        (Some(is), None) => is.to_string(),
        (None, Some(by)) => format!("decided by `{by}`"),
        (None, None) => "nothing".to_string(),
    }
}

fn actual_words(actual: &str, deciding: &[CauseReport]) -> String {
    let by: Vec<String> = deciding.iter().filter_map(cause_words).collect();
    if by.is_empty() {
        actual.to_string()
    } else {
        format!("{actual} by {}", by.join(" and "))
    }
}

/// Where a rule or statement is written, as test files name it:
/// `shop.scrim:43`.
fn location(at: &Place) -> String {
    let file = at.file.rsplit('/').next().unwrap_or(&at.file);
    format!("{file}:{}", at.line)
}

fn cause_words(cause: &CauseReport) -> Option<String> {
    Some(match cause {
        CauseReport::Rule { id, at, .. } | CauseReport::PageRule { id, at, .. } => {
            let place = location(at);
            if *id == place {
                format!("`{id}`")
            } else {
                format!("`{id}` ({place})")
            }
        }
        CauseReport::Floor => "the floor".to_string(),
        CauseReport::Default { at } => format!("the default ({})", location(at)),
        CauseReport::BuiltinDefault => "the built-in default".to_string(),
        CauseReport::PageDefault => "the page's text default".to_string(),
        CauseReport::Unwritten { .. } => return None,
    })
}

/// Whether `by` names one of the causes: a rule's id or name, where a rule
/// or `default` statement is written (`FILE:LINE`, the file as named in
/// ids or as given), `default` for any default, `floor` for the floor.
fn decided_by(deciding: &[CauseReport], by: &str) -> bool {
    let at =
        |place: &Place| by == location(place) || by == format!("{}:{}", place.file, place.line);
    deciding.iter().any(|cause| match cause {
        CauseReport::Rule { id, at: place, .. } | CauseReport::PageRule { id, at: place, .. } => {
            by == id || at(place)
        }
        CauseReport::Floor => by == "floor",
        CauseReport::Default { at: place } => by == "default" || at(place),
        CauseReport::BuiltinDefault | CauseReport::PageDefault => by == "default",
        CauseReport::Unwritten { .. } => false,
    })
}
