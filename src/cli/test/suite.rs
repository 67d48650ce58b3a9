//! The policy test file (`*.scrim-test.toml`, see
//! `docs/testing-policies.md`): read as TOML, checked, and resolved
//! against the file's folder (its policy, its pages) before anything runs.
//! Every mistake in a test file is an error pointing at its place; only a
//! file without any runs.

use super::PolicyCache;
use crate::cli::files::{self, Limit, read_input, read_text};
use crate::cli::recording::read_help;
use scrim_html::{Document, Limits};
use scrim_matcher::Context;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// What test files are named: `shop.scrim-test.toml` tests `shop.scrim`.
pub(super) const EXTENSION: &str = ".scrim-test.toml";

/// Test files: as large as a policy may be.
const TEST_FILE_LIMIT: Limit = Limit {
    bytes: files::POLICY_LIMIT.bytes,
    what: "test files",
};

// ------------------------------------------------------------ the format

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    /// The policy every test of the file runs against, unless it names
    /// its own.
    policy: Option<Spanned<String>>,
    #[serde(default)]
    test: Vec<Spanned<RawTest>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTest {
    name: Spanned<String>,
    policy: Option<Spanned<String>>,
    url: Spanned<String>,
    consent: Option<Consent>,
    region: Option<String>,
    html: Option<Spanned<String>>,
    html_file: Option<Spanned<String>>,
    written_body: Option<Spanned<String>>,
    #[serde(default)]
    expect: Vec<Spanned<RawExpect>>,
}

/// `consent = ["a", "b"]`, or as on the command line, `consent = "a, b"`.
struct Consent(Vec<String>);

impl<'de> Deserialize<'de> for Consent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Consent, D::Error> {
        struct Categories;
        impl<'de> serde::de::Visitor<'de> for Categories {
            type Value = Consent;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(
                    "consent categories, as a list (`[\"session-replay\", \"marketing\"]`) \
                     or a string (`\"session-replay, marketing\"`)",
                )
            }

            fn visit_str<E: serde::de::Error>(self, line: &str) -> Result<Consent, E> {
                Ok(Consent(
                    line.split(',')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_string)
                        .collect(),
                ))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Consent, A::Error> {
                let mut list = Vec::new();
                while let Some(category) = seq.next_element::<String>()? {
                    list.push(category);
                }
                Ok(Consent(list))
            }
        }
        deserializer.deserialize_any(Categories)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpect {
    page: Option<Spanned<PageIs>>,
    select: Option<Spanned<String>>,
    channel: Option<Spanned<String>>,
    is: Option<Spanned<Is>>,
    by: Option<Spanned<String>>,
    written: Option<Spanned<String>>,
}

/// What a test expects of the page as a whole.
#[derive(Deserialize, Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(super) enum PageIs {
    Recorded,
    Off,
}

/// What a test expects of a channel, or of an element as a whole.
#[derive(Deserialize, Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Is {
    Captured,
    Masked,
    Ignored,
    Off,
    Blocked,
    Hidden,
    Recorded,
}

impl Is {
    pub(super) fn word(self) -> &'static str {
        match self {
            Is::Captured => "captured",
            Is::Masked => "masked",
            Is::Ignored => "ignored",
            Is::Off => "off",
            Is::Blocked => "blocked",
            Is::Hidden => "hidden",
            Is::Recorded => "recorded",
        }
    }
}

impl PageIs {
    pub(super) fn word(self) -> &'static str {
        match self {
            PageIs::Recorded => "recorded",
            PageIs::Off => "off",
        }
    }
}

// ------------------------------------------------------- the checked form

/// A test file, checked: every test ready to run.
pub(super) struct Suite {
    /// The path as given or found, for messages.
    pub shown: String,
    pub tests: Vec<Test>,
}

pub(super) struct Test {
    pub name: String,
    pub line: usize,
    /// Index in the [`PolicyCache`].
    pub policy: usize,
    /// The policy's path, for messages.
    pub policy_shown: String,
    pub context: Context,
    pub page: Document,
    pub written_body: Option<Written>,
    pub expects: Vec<Expect>,
}

/// An exact output a test expects, and the line it is written on.
pub(super) struct Written {
    pub line: usize,
    pub text: String,
}

pub(super) struct Expect {
    pub line: usize,
    /// The expectation as written in the file, on one line.
    pub source: String,
    pub check: Check,
    /// A rule id, a rule's `FILE:LINE`, `default` or `floor`.
    pub by: Option<String>,
}

pub(super) enum Check {
    Page(Option<PageIs>),
    Element {
        select: String,
        channels: Vec<Channel>,
        is: Option<Is>,
        written: Option<String>,
    },
}

/// A channel an expectation names, or the element as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Channel {
    Element,
    Text,
    Value,
    Attr(String),
    Media,
    Events,
}

impl Channel {
    /// The name `scrim explain` gives it.
    pub(super) fn name(&self) -> String {
        match self {
            Channel::Element => "element".to_string(),
            Channel::Text => "text".to_string(),
            Channel::Value => "value".to_string(),
            Channel::Attr(name) => format!("attr:{name}"),
            Channel::Media => "media".to_string(),
            Channel::Events => "events".to_string(),
        }
    }
}

// ---------------------------------------------------------------- errors

/// A mistake in a test file, at a place in it.
#[derive(Debug)]
pub(super) struct SuiteError {
    pub file: String,
    pub text: Arc<String>,
    pub span: Option<Range<usize>>,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

impl SuiteError {
    /// `(line, column)`, 1-based, column in characters.
    pub(super) fn position(&self) -> Option<(usize, usize)> {
        let start = self.span.as_ref()?.start.min(self.text.len());
        let before = self.text.get(..start)?;
        let line = before.matches('\n').count() + 1;
        let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count()
            + 1;
        Some((line, column))
    }
}

/// Collects the errors of one file.
struct Errors<'a> {
    file: &'a str,
    text: &'a Arc<String>,
    found: Vec<SuiteError>,
}

impl Errors<'_> {
    fn at(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        label: &str,
        help: Option<String>,
    ) {
        self.found.push(SuiteError {
            file: self.file.to_string(),
            text: self.text.clone(),
            span: Some(span),
            message: message.into(),
            label: label.to_string(),
            help,
        });
    }
}

/// An error about a test file as a whole (it cannot be read, it holds no
/// test).
pub(super) fn file_error(shown: &str, message: String, help: Option<String>) -> SuiteError {
    SuiteError {
        file: shown.to_string(),
        text: Arc::new(String::new()),
        span: None,
        message,
        label: String::new(),
        help,
    }
}

// --------------------------------------------------------------- loading

/// Reads, checks and resolves the test file at `path`. The policies its
/// tests name are loaded into `policies` (compile diagnostics are printed
/// there); a page file is read and parsed now, so that a test that runs
/// has everything it needs.
pub(super) fn load(path: &Path, policies: &mut PolicyCache) -> Result<Suite, Vec<SuiteError>> {
    let shown = path.display().to_string();
    let text = read_text(path, TEST_FILE_LIMIT).map_err(|reason| {
        vec![file_error(
            &shown,
            format!("cannot read `{shown}`: {reason}"),
            None,
        )]
    })?;
    parse(path, Arc::new(text), policies)
}

/// [`load`] for the text of the file at `path`.
fn parse(
    path: &Path,
    text: Arc<String>,
    policies: &mut PolicyCache,
) -> Result<Suite, Vec<SuiteError>> {
    let shown = path.display().to_string();
    let raw: RawFile = toml::from_str(&text).map_err(|error| {
        vec![SuiteError {
            file: shown.clone(),
            text: text.clone(),
            span: error.span(),
            message: format!("invalid test file: {}", error.message().trim_end()),
            label: "here".to_string(),
            help: Some(
                "test files are TOML: see docs/testing-policies.md for the keys a test takes"
                    .to_string(),
            ),
        }]
    })?;
    let mut errors = Errors {
        file: &shown,
        text: &text,
        found: Vec::new(),
    };
    if raw.test.is_empty() {
        return Err(vec![file_error(
            &shown,
            format!("`{shown}` holds no test"),
            Some("add a `[[test]]` table with a `name`, a `url` and what it expects".to_string()),
        )]);
    }
    let folder = path.parent().unwrap_or(Path::new(""));
    let default_policy = raw.policy.as_ref().map_or_else(
        || PolicyName::Sibling(sibling_policy(path)),
        |p| PolicyName::Named(folder.join(p.get_ref()), p.span()),
    );
    let mut tests = Vec::new();
    let mut names: Vec<(String, usize)> = Vec::new();
    for raw_test in raw.test {
        let span = raw_test.span();
        let t = raw_test.into_inner();
        let line = line_of(&text, t.name.span().start);
        if let Some((_, first)) = names.iter().find(|(n, _)| n == t.name.get_ref()) {
            errors.at(
                t.name.span(),
                format!("two tests are named `{}`", t.name.get_ref()),
                "the second",
                Some(format!(
                    "the first is on line {first}; give each test its own name"
                )),
            );
        }
        names.push((t.name.get_ref().clone(), line));
        let policy = match &t.policy {
            Some(p) => PolicyName::Named(folder.join(p.get_ref()), p.span()),
            None => default_policy.clone(),
        };
        let policy_shown = match &policy {
            PolicyName::Named(path, _) | PolicyName::Sibling(path) => path.display().to_string(),
        };
        let policy = resolve_policy(&policy, span.clone(), &mut errors, policies);
        let page = read_page(&t, folder, &mut errors);
        let expects = t
            .expect
            .iter()
            .filter_map(|e| check_expect(e, &text, &mut errors))
            .collect::<Vec<_>>();
        if t.expect.is_empty() && t.written_body.is_none() {
            errors.at(
                t.name.span(),
                format!("test `{}` expects nothing", t.name.get_ref()),
                "this test",
                Some(
                    "add `expect = [{ select = \"…\", channel = \"text\", is = \"masked\" }]` \
                     or `written_body`: a test that checks nothing cannot fail"
                        .to_string(),
                ),
            );
        }
        let consent = t.consent.map_or_else(Vec::new, |c| c.0);
        if let (Some(policy), Some(page)) = (policy, page) {
            tests.push(Test {
                name: t.name.into_inner(),
                line,
                policy,
                policy_shown,
                context: Context {
                    url: t.url.into_inner(),
                    consent,
                    region: t.region,
                },
                page,
                written_body: t.written_body.map(|w| Written {
                    line: line_of(&text, w.span().start),
                    text: w.into_inner(),
                }),
                expects,
            });
        }
    }
    if errors.found.is_empty() {
        Ok(Suite { shown, tests })
    } else {
        Err(errors.found)
    }
}

/// Where a test's policy comes from.
#[derive(Clone)]
enum PolicyName {
    /// Named by a `policy` key, at that place in the file.
    Named(PathBuf, Range<usize>),
    /// The `.scrim` file beside the test file, of the same name.
    Sibling(PathBuf),
}

/// `shop.scrim-test.toml` → `shop.scrim` in the same folder.
fn sibling_policy(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name
        .strip_suffix(EXTENSION)
        .or_else(|| name.strip_suffix(".toml"))
        .unwrap_or(&name);
    path.with_file_name(format!("{stem}.scrim"))
}

fn resolve_policy(
    name: &PolicyName,
    test_span: Range<usize>,
    errors: &mut Errors<'_>,
    policies: &mut PolicyCache,
) -> Option<usize> {
    let (path, span) = match name {
        PolicyName::Named(path, span) => (path, span.clone()),
        PolicyName::Sibling(path) => (path, test_span.start..test_span.start),
    };
    if let PolicyName::Sibling(path) = name
        && !path.exists()
    {
        errors.at(
            span,
            format!(
                "this test names no policy, and `{}` does not exist",
                path.display()
            ),
            "this test",
            Some(
                "name the policy with `policy = \"….scrim\"` (relative to the test file), \
                 for the file or for this test"
                    .to_string(),
            ),
        );
        return None;
    }
    match policies.load(path) {
        Some(index) => Some(index),
        None => {
            errors.at(
                span,
                format!("the policy `{}` does not load", path.display()),
                "the policy of this test",
                Some(format!(
                    "fix the errors printed above (`scrim check {}`)",
                    path.display()
                )),
            );
            None
        }
    }
}

/// The test's page: inline HTML, a file, or an empty page.
fn read_page(t: &RawTest, folder: &Path, errors: &mut Errors<'_>) -> Option<Document> {
    let limits = Limits::DEFAULT;
    match (&t.html, &t.html_file) {
        (Some(_), Some(file)) => {
            errors.at(
                file.span(),
                "a test has one page: `html` or `html_file`, not both",
                "a second page",
                Some("keep one of them".to_string()),
            );
            None
        }
        (Some(html), None) => match Document::parse_limited(html.get_ref(), &limits) {
            Ok(doc) => Some(doc),
            Err(error) => {
                errors.at(
                    html.span(),
                    format!("cannot read this page: {error}"),
                    "this page",
                    None,
                );
                None
            }
        },
        (None, Some(file)) => {
            let path = folder.join(file.get_ref());
            let limit = Limit {
                bytes: limits.max_bytes as u64,
                what: "pages",
            };
            let parsed = read_input(&path, limit).and_then(|bytes| {
                Document::parse_bytes(&bytes, None, &limits)
                    .map_err(|error| format!("{error} ({})", read_help(&error)))
            });
            match parsed {
                Ok(doc) => Some(doc),
                Err(reason) => {
                    errors.at(
                        file.span(),
                        format!("cannot read `{}`: {reason}", path.display()),
                        "this page",
                        Some("`html_file` is relative to the test file".to_string()),
                    );
                    None
                }
            }
        }
        (None, None) => Some(Document::parse("")),
    }
}

const CHANNELS_HELP: &str = "channels are `text`, `value`, `attr:NAME`, `media`, `events`, \
    or `element` for the element as a whole (`blocked`, `hidden`, `recorded`); \
    several are written `text, attr:title`";

fn parse_channels(text: &str) -> Result<Vec<Channel>, String> {
    let channels: Vec<Channel> = text
        .split(',')
        .map(str::trim)
        .map(|name| match name {
            "element" => Ok(Channel::Element),
            "text" => Ok(Channel::Text),
            "value" => Ok(Channel::Value),
            "media" => Ok(Channel::Media),
            "events" => Ok(Channel::Events),
            "" => Err("a channel is missing".to_string()),
            "all" | "attributes" => Err(format!(
                "`{name}` stands for several channels: name each one a test checks"
            )),
            _ => match name.strip_prefix("attr:") {
                Some(attr)
                    if !attr.is_empty()
                        && !attr.contains('*')
                        && !attr.contains(char::is_whitespace) =>
                {
                    // HTML attribute names are ASCII case-insensitive; the
                    // parser lowercases them.
                    Ok(Channel::Attr(attr.to_ascii_lowercase()))
                }
                Some(_) => Err(format!(
                    "`{name}` is not an attribute channel: name one attribute, `attr:title`"
                )),
                None => Err(format!("unknown channel `{name}`")),
            },
        })
        .collect::<Result<_, _>>()?;
    for (i, channel) in channels.iter().enumerate() {
        if channels[..i].contains(channel) {
            return Err(format!("`{}` is named twice", channel.name()));
        }
    }
    Ok(channels)
}

/// Checks one `expect` entry; `None` after reporting what is wrong.
fn check_expect(entry: &Spanned<RawExpect>, text: &str, errors: &mut Errors<'_>) -> Option<Expect> {
    let span = entry.span();
    let e = entry.get_ref();
    let line = line_of(text, span.start);
    let source = echo(e);
    let before = errors.found.len();
    let by = e.by.as_ref().map(|b| b.get_ref().trim().to_string());
    if let Some(b) = &e.by
        && b.get_ref().trim().is_empty()
    {
        errors.at(
            b.span(),
            "`by` names no rule",
            "empty",
            Some("write a rule's id or name, `FILE:LINE`, `default` or `floor`".to_string()),
        );
    }
    if let Some(page) = &e.page {
        for (key, at) in [
            ("select", e.select.as_ref().map(Spanned::span)),
            ("channel", e.channel.as_ref().map(Spanned::span)),
            ("is", e.is.as_ref().map(Spanned::span)),
            ("written", e.written.as_ref().map(Spanned::span)),
        ] {
            if let Some(at) = at {
                errors.at(
                    at,
                    format!("an expectation of the page takes no `{key}`"),
                    "not for `page`",
                    Some(
                        "write the page's expectation and each element's in entries of their own"
                            .to_string(),
                    ),
                );
            }
        }
        return (errors.found.len() == before).then(|| Expect {
            line,
            source,
            check: Check::Page(Some(*page.get_ref())),
            by,
        });
    }
    let Some(select) = &e.select else {
        errors.at(
            span,
            "this expectation names no element",
            "no `select`",
            Some(
                "add `select = \"CSS\"` for elements, or `page = \"off\"` for the page".to_string(),
            ),
        );
        return None;
    };
    if let Err(error) = Document::parse("").select(select.get_ref()) {
        errors.at(
            select.span(),
            format!("invalid selector `{}`: {error}", select.get_ref()),
            "not a selector",
            Some("selectors are written as in policies (docs/language.md)".to_string()),
        );
    }
    let is = e.is.as_ref().map(|i| *i.get_ref());
    let element_wide = matches!(is, Some(Is::Blocked | Is::Hidden | Is::Recorded | Is::Off));
    let channels = match &e.channel {
        Some(c) => match parse_channels(c.get_ref()) {
            Ok(channels) => channels,
            Err(message) => {
                errors.at(c.span(), message, "here", Some(CHANNELS_HELP.to_string()));
                Vec::new()
            }
        },
        None if element_wide || (is.is_none() && e.written.is_none()) => vec![Channel::Element],
        None => {
            errors.at(
                span.clone(),
                "this expectation names no channel",
                "no `channel`",
                Some(CHANNELS_HELP.to_string()),
            );
            Vec::new()
        }
    };
    if let Some(is_at) = &e.is {
        let wrong = channels.iter().find(|c| !fits(c, *is_at.get_ref()));
        if let Some(channel) = wrong {
            errors.at(
                is_at.span(),
                format!(
                    "`{}` is not an outcome of `{}`",
                    is_at.get_ref().word(),
                    channel.name()
                ),
                "here",
                Some(outcomes_help(channel).to_string()),
            );
        }
    }
    if e.is.is_none() && e.by.is_none() && e.written.is_none() {
        errors.at(
            span.clone(),
            "this expectation checks nothing",
            "no `is`, `by` or `written`",
            Some(
                "say what is expected: `is = \"masked\"`, `by = \"RULE\"` or `written = \"…\"`"
                    .to_string(),
            ),
        );
    }
    if let Some(w) = &e.written {
        let writable = matches!(
            channels.as_slice(),
            [Channel::Text] | [Channel::Value] | [Channel::Attr(_)]
        );
        if !writable && !channels.is_empty() {
            errors.at(
                w.span(),
                "`written` needs one channel: `text`, `value` or `attr:NAME`",
                "here",
                Some(
                    "compare the whole page with `written_body`, or split the expectation"
                        .to_string(),
                ),
            );
        }
    }
    (errors.found.len() == before).then(|| Expect {
        line,
        source,
        check: Check::Element {
            select: select.get_ref().clone(),
            channels,
            is,
            written: e.written.as_ref().map(|w| w.get_ref().clone()),
        },
        by,
    })
}

/// The expectation as an inline table, its keys in one order, whichever
/// form it was written in (`[[test.expect]]` tables span several lines).
fn echo(e: &RawExpect) -> String {
    let quoted = |s: &Spanned<String>| format!("{:?}", s.get_ref());
    let fields = [
        (
            "page",
            e.page.as_ref().map(|p| format!("{:?}", p.get_ref().word())),
        ),
        ("select", e.select.as_ref().map(quoted)),
        ("channel", e.channel.as_ref().map(quoted)),
        (
            "is",
            e.is.as_ref().map(|i| format!("{:?}", i.get_ref().word())),
        ),
        ("by", e.by.as_ref().map(quoted)),
        ("written", e.written.as_ref().map(quoted)),
    ];
    let fields: Vec<String> = fields
        .into_iter()
        .filter_map(|(key, value)| Some(format!("{key} = {}", value?)))
        .collect();
    format!("{{ {} }}", fields.join(", "))
}

/// Whether `is` is an outcome `channel` can have.
fn fits(channel: &Channel, is: Is) -> bool {
    match channel {
        Channel::Element => matches!(is, Is::Blocked | Is::Hidden | Is::Recorded | Is::Off),
        Channel::Events => matches!(is, Is::Captured | Is::Ignored | Is::Off),
        _ => matches!(is, Is::Captured | Is::Masked | Is::Off),
    }
}

fn outcomes_help(channel: &Channel) -> &'static str {
    match channel {
        Channel::Element => {
            "an element as a whole is `blocked` (a placeholder), `hidden` (inside one), \
             `recorded` or `off` (the page is off)"
        }
        Channel::Events => "events are `captured`, `ignored` or `off`, never masked",
        _ => "text, values, attributes and media are `captured`, `masked` or `off`",
    }
}

/// The 1-based line of a byte offset.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |before| before.matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::IncludeRoots;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[test]
    fn channels_are_read_as_the_policy_language_writes_them() {
        assert_eq!(
            parse_channels("text, attr:Data-User ,value").unwrap(),
            vec![
                Channel::Text,
                Channel::Attr("data-user".to_string()),
                Channel::Value
            ]
        );
        for wrong in [
            "txt",
            "attr:",
            "attr:data-*",
            "all",
            "attributes",
            "text,",
            "",
        ] {
            assert!(parse_channels(wrong).is_err(), "{wrong:?} was accepted");
        }
    }

    #[test]
    fn the_default_policy_is_the_sibling_of_the_same_name() {
        assert_eq!(
            sibling_policy(Path::new("examples/shop.scrim-test.toml")),
            Path::new("examples/shop.scrim")
        );
        assert_eq!(
            sibling_policy(Path::new("policy/tests.toml")),
            Path::new("policy/tests.scrim")
        );
    }

    fn one_of(options: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
        proptest::sample::select(options)
    }

    /// One `[[test]]` table: each key present or not, in one of several
    /// forms (some of them wrong), and now and then a stray piece of TOML.
    fn test_table() -> impl Strategy<Value = String> {
        let key = |options: &'static [&'static str]| proptest::option::of(one_of(options));
        let usually =
            |options: &'static [&'static str]| proptest::option::weighted(0.95, one_of(options));
        let rarely =
            |options: &'static [&'static str]| proptest::option::weighted(0.05, one_of(options));
        (
            usually(&["url = \"https://shop.example.com/checkout/x\"\n", "url = \"not a url\"\n", "url = \"https://shop.example.com/account/password\"\n"]),
            key(&["consent = [\"session-replay\"]\n", "consent = \"session-replay, marketing\"\n"]),
            key(&["region = \"EU\"\n"]),
            key(&[
                "html = '<p class=\"greeting\">Hi Jane</p><input autocomplete=cc-number value=4111>'\n",
                "html = '<iframe srcdoc=\"<p>x</p>\"></iframe><div id=live-chat><p>y</p></div><script>s()</script>'\n",
                "html = '<table><a>1<table><a>2</table>3</table><plaintext><p>z'\n",
                "html = '<p>1</p><p>2</p>'\n",
                "html_file = \"nope.html\"\n",
            ]),
            key(&["written_body = \"\"\n", "written_body = '<p class=\"greeting\">** ****</p>'\n"]),
            usually(&[
                "expect = [{ select = \"p\", channel = \"text\", is = \"masked\", written = \"** ****\" }]\n",
                "expect = [{ select = \"input, p\", channel = \"value, attr:value\", written = \"****\" }]\n",
                "expect = [{ select = \"iframe p, #live-chat p, a\", is = \"hidden\", by = \"support-chat\" }]\n",
                "expect = [{ page = \"off\", by = \"shop.scrim:24\" }, { select = \"*\", is = \"off\" }]\n",
                "expect = [{ select = \"p[\", channel = \"txt\", is = \"blocked\" }]\n",
                "expect = [{ select = \"p\", channel = \"events\", is = \"ignored\", by = \"default\" }]\n",
                "expect = [{ select = \"p:nth-of-type(2)\", channel = \"text\", is = \"captured\", by = \"floor\" }]\n",
                "expect = []\n",
            ]),
            rarely(&["é", "\"\n", "= ", "{", "]\n", "select = \"p\"\n", "[[test.expect]]\nselect = \"p\"\nis = \"blocked\"\n"]),
        )
            .prop_map(|(url, consent, region, page, body, expect, stray)| {
                let mut table = String::from("[[test]]\nname = \"NAME\"\n");
                for part in [url, consent, region, page, body, expect, stray].into_iter().flatten() {
                    table.push_str(part);
                }
                table
            })
    }

    proptest! {
        /// Whatever a test file holds, reading it and running what it
        /// holds ends in results or errors, never a panic.
        #[test]
        fn any_test_file_is_read_and_run_without_panic(
            tables in proptest::collection::vec(test_table(), 0..3)
        ) {
            let policy = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.scrim");
            let mut text = format!("policy = '{policy}'\n");
            for (i, table) in tables.iter().enumerate() {
                text.push_str(&table.replace("NAME", &format!("test {}", i % 3)));
            }
            let includes = IncludeRoots::default();
            let mut policies = crate::cli::test::PolicyCache {
                includes: &includes,
                loaded: Vec::new(),
                by_path: HashMap::new(),
            };
            if let Ok(suite) = parse(Path::new("t.scrim-test.toml"), Arc::new(text), &mut policies) {
                for test in &suite.tests {
                    let _ = crate::cli::test::run::run(test, &policies.loaded[test.policy]);
                }
            }
        }
    }
}
