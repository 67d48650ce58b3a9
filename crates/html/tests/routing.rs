//! `explain_element` and `mask_document` agree: for random documents and
//! random policies, every piece of content `explain` reports on is what
//! `mask` wrote.
//!
//! The masked output is parsed again and its elements are paired with the
//! page's, in document order (blocked subtrees, scripts and `srcdoc`
//! documents that are not captured are skipped on both sides). Then, for
//! every element explain says is written:
//!
//! - an attribute explained as dropped, or left out as structure, is
//!   absent; one written in a fixed form has that form;
//! - a captured attribute is the original after the page's redactions and
//!   detectors (URLs: redacted, then scrubbed; a refresh: its URL so;
//!   `checked`/`selected`: as it was); a masked one is the strategy over
//!   the original (URLs: scheme and host, or nothing; `checked`/
//!   `selected`: absent);
//! - a `style` attribute or `<style>` sheet holds its string and its URL
//!   as the explained strings and URLs outcomes say;
//! - the element's text is the original text captured (through the
//!   detectors) or masked with the explained strategy, and nothing for a
//!   script.
//!
//! The expectations are computed here from the matcher's primitives
//! (`scrub`, `mask_with`, `redacted_url`, `mask_url`), not from the writer.
//! The documents keep at most one text run per element, so that a text is
//! masked as one piece on both sides.

use proptest::prelude::*;
use scrim_html::{
    Content, ContentExplanation, Document, ElementRef, Form, Route, UrlKind, explain_element,
    mask_document,
};
use scrim_matcher::{ChannelOutcome, Context, Element, Page, Status, mask_url, mask_with};

#[path = "common/pages.rs"]
mod pages;

use pages::{Scope, URL, compile, node, policy, write};

fn is_script_url(url: &str) -> bool {
    scrim_matcher::scheme_is(url, &["javascript", "vbscript"])
}

/// One URL as recorded under `outcome`: `None` when not recorded.
fn recorded_url(page: &Page<'_>, outcome: ChannelOutcome<'_>, url: &str) -> Option<String> {
    if is_script_url(url) {
        return None;
    }
    match outcome {
        ChannelOutcome::Capture => Some(page.scrub(&page.redacted_url(url)).into_owned()),
        ChannelOutcome::Mask(_) => Some(mask_url(url)),
        ChannelOutcome::Off => None,
    }
}

/// Text as recorded under `outcome`.
fn recorded_text(page: &Page<'_>, outcome: ChannelOutcome<'_>, text: &str) -> String {
    match outcome {
        ChannelOutcome::Capture => page.scrub(text).into_owned(),
        ChannelOutcome::Mask(strategy) => mask_with(strategy, text),
        ChannelOutcome::Off => String::new(),
    }
}

/// What an attribute with this explanation must be written as, `None`
/// for absent; `Err` for content whose written form is checked apart.
fn expected_attribute(
    page: &Page<'_>,
    c: &ContentExplanation<'_, '_>,
    value: &str,
) -> Result<Option<String>, ()> {
    let routing = c.routing.expect("a written element's content is routed");
    let outcome = match routing.route {
        Route::Dropped(_) => return Ok(None),
        Route::Fixed(written) => return Ok(written.map(String::from)),
        Route::Stricter(_) => c.decided.as_ref().expect("decided").outcome,
    };
    Ok(match routing.form {
        Form::Text | Form::Css | Form::Markup => Some(recorded_text(page, outcome, value)),
        Form::InputType => {
            Some(recorded_text(page, outcome, value)).filter(|t| !t.eq_ignore_ascii_case("hidden"))
        }
        Form::Flag => outcome.is_capture().then(|| value.to_string()),
        Form::Url(UrlKind::One) => recorded_url(page, outcome, value),
        Form::Url(UrlKind::List) => {
            let urls: Vec<String> = value
                .split_ascii_whitespace()
                .filter_map(|u| recorded_url(page, outcome, u))
                .filter(|u| !u.is_empty())
                .collect();
            (!urls.is_empty()).then(|| urls.join(" "))
        }
        Form::Url(UrlKind::SrcSet) => {
            let candidates: Vec<String> = value
                .split(", ")
                .filter_map(|candidate| {
                    let (url, descriptor) = candidate.split_once(' ').unwrap_or((candidate, ""));
                    let url = recorded_url(page, outcome, url).filter(|u| !u.is_empty())?;
                    Some(if descriptor.is_empty() {
                        url
                    } else {
                        format!("{url} {descriptor}")
                    })
                })
                .collect();
            (!candidates.is_empty()).then(|| candidates.join(", "))
        }
        Form::Refresh => match (outcome, value.split_once("; url=")) {
            (ChannelOutcome::Capture, Some((delay, url))) => {
                recorded_url(page, outcome, url).map(|url| format!("{delay}; url={url}"))
            }
            _ => Some(recorded_text(page, outcome, value)),
        },
        Form::Srcdoc | Form::Style if outcome.is_capture() => return Err(()),
        Form::Srcdoc | Form::Style => Some(recorded_text(page, outcome, value)),
    })
}

/// A style sheet's string and URL, as the explained strings and URLs
/// outcomes say they are written.
fn check_css(
    page: &Page<'_>,
    c: &ContentExplanation<'_, '_>,
    original: &str,
    written: &str,
) -> Result<(), TestCaseError> {
    let css = c.css.as_ref().expect("a style sheet explains its parts");
    if original.contains("Jane Doe") {
        let string = format!(
            "\"{}\"",
            recorded_text(page, css.strings.outcome, "Jane Doe")
        );
        prop_assert!(
            written.contains(&string),
            "strings {:?}: {string} not in {written:?}",
            css.strings.outcome
        );
    }
    if let Some(start) = original.find("url(") {
        let end = start + original[start..].find(')').expect("a closed url()");
        let url =
            recorded_url(page, css.urls.outcome, &original[start + 4..end]).unwrap_or_default();
        let url = format!("url(\"{url}\")");
        prop_assert!(
            written.contains(&url),
            "urls {:?}: {url} not in {written:?}",
            css.urls.outcome
        );
    }
    Ok(())
}

fn is_inside(e: ElementRef<'_>, ancestors: &[ElementRef<'_>]) -> bool {
    let mut cur = e.parent();
    while let Some(p) = cur {
        if ancestors.contains(&p) {
            return true;
        }
        cur = p.parent();
    }
    false
}

/// Checks every written element of `html` against its explanation.
fn agree(page: &Page<'_>, html: &str) -> Result<(), TestCaseError> {
    let doc = Document::parse(html);
    let masked = mask_document(&doc, page);
    if masked == scrim_html::PAGE_OFF {
        for el in doc.elements() {
            prop_assert_eq!(explain_element(page, el).status, Status::PageOff);
        }
        return Ok(());
    }
    let replay = Document::parse(&masked);
    let mut written = replay.elements();
    // Subtrees not written, in the page and in the replay.
    let mut skipped: Vec<ElementRef<'_>> = Vec::new();
    let mut replay_skipped: Vec<ElementRef<'_>> = Vec::new();
    for el in doc.elements() {
        if is_inside(el, &skipped) {
            continue;
        }
        let x = explain_element(page, el);
        if matches!(x.status, Status::Hidden | Status::PageOff) {
            skipped.push(el);
            continue;
        }
        let out = loop {
            let Some(out) = written.next() else {
                return Err(TestCaseError::fail(format!(
                    "<{}> is not written\n{html}\n->\n{masked}",
                    el.local_name()
                )));
            };
            if !is_inside(out, &replay_skipped) {
                break out;
            }
        };
        prop_assert_eq!(
            out.local_name(),
            el.local_name(),
            "elements out of step\n{}\n->\n{}",
            html,
            masked
        );
        if x.status == Status::Placeholder {
            prop_assert!(
                out.attr(scrim_html::BLOCKED_ATTRIBUTE).is_some(),
                "{}",
                masked
            );
            skipped.push(el);
            replay_skipped.push(out);
            continue;
        }
        prop_assert_eq!(x.status, Status::Recorded);
        prop_assert!(
            out.attr(scrim_html::BLOCKED_ATTRIBUTE).is_none(),
            "{}",
            masked
        );
        for c in &x.contents {
            match c.content {
                Content::Attr { name, value } => {
                    let got = out.attr(name);
                    let context = format!(
                        "<{}> attr:{name}={value:?} explained {:?} {:?}\n{html}\n->\n{masked}",
                        el.local_name(),
                        c.routing,
                        c.decided.as_ref().map(|d| d.outcome),
                    );
                    match expected_attribute(page, c, value) {
                        Ok(expected) => {
                            prop_assert_eq!(got, expected.as_deref(), "{}", context)
                        }
                        Err(()) if c.routing.is_some_and(|r| r.form == Form::Style) => {
                            let got = got.unwrap_or_default();
                            check_css(page, c, value, got)
                                .map_err(|e| TestCaseError::fail(format!("{e}\n{context}")))?;
                        }
                        // A captured `srcdoc`: its document is paired
                        // element by element below.
                        Err(()) => prop_assert!(got.is_some(), "{}", context),
                    }
                    let nested_written = c.routing.is_some_and(|r| r.form == Form::Srcdoc)
                        && c.decided.as_ref().is_some_and(|d| d.outcome.is_capture());
                    if name == "srcdoc" && el.local_name() == "iframe" && !nested_written {
                        replay_skipped.push(out);
                    }
                }
                Content::Text => {
                    let original = el.own_text();
                    let got = out.own_text();
                    let routing = c.routing.expect("routed");
                    let context = format!(
                        "<{}> text {original:?} explained {:?} {:?}\n{html}\n->\n{masked}",
                        el.local_name(),
                        routing,
                        c.decided.as_ref().map(|d| d.outcome),
                    );
                    let outcome = match routing.route {
                        Route::Dropped(_) | Route::Fixed(_) => {
                            prop_assert_eq!(got, "", "{}", context);
                            continue;
                        }
                        Route::Stricter(_) => c.decided.as_ref().expect("decided").outcome,
                    };
                    if original.is_empty() {
                        prop_assert_eq!(got, "", "{}", context);
                    } else if routing.form == Form::Css {
                        check_css(page, c, &original, &got)
                            .map_err(|e| TestCaseError::fail(format!("{e}\n{context}")))?;
                    } else if routing.form == Form::Markup
                        && outcome.is_capture()
                        && original.contains('<')
                    {
                        prop_assert_eq!(got, scrim_matcher::stars(&original), "{}", context);
                    } else {
                        prop_assert_eq!(
                            got,
                            recorded_text(page, outcome, &original),
                            "{}",
                            context
                        );
                    }
                }
                Content::Value | Content::Media | Content::Events => {}
            }
        }
        // Nothing is written that the page did not have.
        for (name, _) in out.attributes() {
            prop_assert!(
                el.attr(name).is_some(),
                "{} added to <{}>\n{}",
                name,
                el.local_name(),
                masked
            );
        }
    }
    for out in written {
        prop_assert!(
            is_inside(out, &replay_skipped),
            "<{}> written from nothing\n{}\n->\n{}",
            out.local_name(),
            html,
            masked
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn explain_reports_what_mask_writes(
        policy_text in policy(Scope::Page),
        nodes in proptest::collection::vec(node(Scope::Page), 1..5),
    ) {
        let Some(policy) = compile(&policy_text) else {
            return Err(TestCaseError::reject("the policy does not compile"));
        };
        let page = policy.page(&Context { url: URL.to_string(), consent: Vec::new(), region: None });
        let mut html = String::from("<!DOCTYPE html><body>");
        for n in &nodes {
            write(n, &mut html);
        }
        agree(&page, &html).map_err(|e| TestCaseError::fail(format!("{e}\npolicy:\n{policy_text}")))?;
    }
}

/// The disagreements the property test found between what `scrim explain`
/// reported before routing was shared (each content's own channel) and
/// what `scrim mask` wrote, shrunk: each is checked for agreement.
#[test]
fn the_disagreements_found_agree() {
    let cases = [
        // Editable text is the stricter of text and value.
        (
            "scrim 1\ndefault text capture\n",
            r#"<div contenteditable="">Jane Doe</div>"#,
        ),
        // An option's `label` is form state.
        (
            "scrim 1\n",
            r#"<select><option label="Jane Doe"></option></select>"#,
        ),
        // Text in a select's button is the select's state.
        (
            "scrim 1\ndefault text capture\n",
            r#"<select><button>Pick: <selectedcontent></selectedcontent></button><option></option></select>"#,
        ),
        // An option's form state is the stricter of its own value and its
        // select's, the select's strategy first.
        (
            "scrim 1\nmask value \"option\" with \"[x]\"\n",
            r#"<select><option>Jane Doe</option></select>"#,
        ),
        // A script's text and attributes are never written.
        (
            "scrim 1\n",
            r#"<script src="https://x.example/a.js">steal()</script>"#,
        ),
        // Script URLs and script documents are dropped.
        (
            "scrim 1\n",
            r#"<iframe src="javascript:alert(1)"></iframe>"#,
        ),
        (
            "scrim 1\n",
            r#"<iframe src="data:text/html,&lt;script>alert(1)&lt;/script>"></iframe>"#,
        ),
        // `<meta charset>` is structure.
        ("scrim 1\n", r#"<meta charset="windows-1252">"#),
        // A media URL is the stricter of its attribute and media.
        (
            "scrim 1\ndefault media mask\n",
            r#"<svg><image href="https://cdn.example.com/u/jane.png?token=1"></image></svg>"#,
        ),
        // A placeholder already is one, with nothing inside.
        ("scrim 1\n", r#"<div data-scrim-blocked><p>Jane</p></div>"#),
        // `<noscript>` in editable content is the stricter of text and
        // value too.
        (
            "scrim 1\ndefault text capture\n",
            r#"<div contenteditable=""><noscript>Jane Doe</noscript></div>"#,
        ),
        // A sheet's strings are the stricter of the page's text default
        // and the element's text.
        (
            "scrim 1\nallow all \"[contenteditable]\"\n",
            r#"<div contenteditable=""><div style="content: &quot;Jane Doe&quot;; color: red"></div></div>"#,
        ),
        ("scrim 1\n", r#"<style>p{content:"Jane Doe"}</style>"#),
        // An `srcdoc` that is not captured hides its document.
        ("scrim 1\n", r#"<iframe srcdoc="<p>Jane</p>"></iframe>"#),
    ];
    for (policy_text, body) in cases {
        let policy = compile(policy_text).expect("the policy compiles");
        let page = policy.page(&Context {
            url: URL.to_string(),
            consent: Vec::new(),
            region: None,
        });
        let html = format!("<!DOCTYPE html><body>{body}");
        if let Err(e) = agree(&page, &html) {
            panic!("{e}\npolicy:\n{policy_text}");
        }
    }
}
