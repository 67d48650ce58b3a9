//! `scrim lint --pages LIST`: reads a list of HTML pages with the context
//! each is recorded in, and measures what they show about a compiled
//! policy (which rules match an element, which elements with content no
//! rule reaches) for the linter's corpus rules.
//!
//! The list has one page per line: its path (relative to the list's
//! folder), the URL it is recorded at, then optional `consent=a,b` and
//! `region=R`. Blank lines and `#` comments are skipped:
//!
//! ```text
//! # path                      url                                         context
//! pages/shop-checkout.html    https://shop.example.com/checkout/payment  consent=session-replay
//! ```

use super::files::{Limit, read_input};
use super::streams::eprintln_safe;
use scrim_artifact::Artifact;
use scrim_artifact::vocabulary::{autocomplete_floor, type_floor};
use scrim_html::{Document, ElementRef, Limits};
use scrim_lint::{Corpus, CorpusPage, RuleMatches};
use scrim_matcher::{Context, Element, Matchable, PageDecision, Policy, matching_context};
use scrim_syntax::{SourceFile, Span};
use selectors::context::SelectorCaches;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// From how many pages on a progress bar is shown (on a terminal).
const PROGRESS_FROM: usize = 20;

/// One line of the list.
pub(crate) struct Entry {
    /// The line, in the list.
    span: Span,
    /// As written.
    name: String,
    path: PathBuf,
    context: Context,
}

/// A list of pages, read and checked.
pub(crate) struct PageList {
    source: Arc<SourceFile>,
    entries: Vec<Entry>,
}

/// Reads the list at `path`; `None` after reporting what is wrong with it.
pub(crate) fn read_list(path: &Path) -> Option<PageList> {
    let text = match super::files::read_text(path, super::files::POLICY_LIMIT) {
        Ok(text) => text,
        Err(reason) => {
            eprintln_safe!("error: cannot read `{}`: {reason}", path.display());
            return None;
        }
    };
    let folder = path.parent().unwrap_or(Path::new(""));
    let source = SourceFile::new(super::policy_path(path), text);
    let mut entries = Vec::new();
    let mut ok = true;
    let mut offset = 0;
    for (number, line) in source.text().split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let content = line.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let span = Span::new(start + lead, start + lead + content.len());
        match entry(content, folder) {
            Ok((name, path, context)) => entries.push(Entry {
                span,
                name,
                path,
                context,
            }),
            Err(reason) => {
                eprintln_safe!("error: `{}` line {}: {reason}", source.name(), number + 1);
                ok = false;
            }
        }
    }
    if entries.is_empty() && ok {
        eprintln_safe!("error: `{}` lists no page", source.name());
        eprintln_safe!("  help: write one page per line: `PATH URL [consent=a,b] [region=R]`");
        return None;
    }
    ok.then_some(PageList { source, entries })
}

fn entry(line: &str, folder: &Path) -> Result<(String, PathBuf, Context), String> {
    let mut words = line.split_whitespace();
    let name = words.next().expect("the line is not empty");
    let Some(url) = words.next() else {
        return Err(format!(
            "`{name}` has no URL: write `PATH URL [consent=a,b] [region=R]`"
        ));
    };
    let mut context = Context {
        url: url.to_string(),
        consent: Vec::new(),
        region: None,
    };
    for word in words {
        match word.split_once('=') {
            Some(("consent", list)) => context.consent.extend(
                list.split(',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_string),
            ),
            Some(("region", region)) if !region.is_empty() => {
                context.region = Some(region.to_string())
            }
            _ => {
                return Err(format!(
                    "unexpected `{word}`: after the URL, only `consent=a,b` and `region=R`"
                ));
            }
        }
    }
    Ok((name.to_string(), folder.join(name), context))
}

/// Measures every page of the list under the artifact; `None` after
/// reporting a page that cannot be read.
pub(crate) fn corpus(artifact: &Artifact, list: &PageList) -> Option<Corpus> {
    let policy = match Policy::from_artifact(artifact.clone()) {
        Ok(policy) => policy,
        Err(error) => {
            eprintln_safe!("error: the compiled policy does not load: {error}");
            return None;
        }
    };
    // The rules' complex selectors; the compiler parsed each already.
    let selectors: Vec<Option<scrim_selector::SelectorList>> = artifact
        .rules
        .iter()
        .map(|rule| scrim_selector::parse(&rule.selector).ok())
        .collect();
    let mut rules: Vec<RuleMatches> = selectors
        .iter()
        .map(|list| RuleMatches {
            pages_in_scope: 0,
            matched: vec![false; list.as_ref().map_or(0, |l| l.slice().len())],
        })
        .collect();
    let progress =
        (list.entries.len() >= PROGRESS_FROM && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(list.entries.len() as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages {wide_msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
    let mut pages = Vec::with_capacity(list.entries.len());
    let mut ok = true;
    for entry in &list.entries {
        if let Some(bar) = &progress {
            bar.set_message(entry.name.clone());
        }
        let limit = Limit {
            bytes: Limits::DEFAULT.max_bytes as u64,
            what: "pages",
        };
        let doc = read_input(&entry.path, limit).and_then(|bytes| {
            Document::parse_bytes(&bytes, None, &Limits::DEFAULT).map_err(|e| e.to_string())
        });
        match doc {
            Ok(doc) => pages.push(measure(&policy, &selectors, &mut rules, entry, &doc)),
            Err(reason) => {
                let message = format!(
                    "error: cannot read page `{}` (listed in `{}`): {reason}",
                    entry.path.display(),
                    list.source.name()
                );
                match &progress {
                    Some(bar) => bar.suspend(|| eprintln_safe!("{message}")),
                    None => eprintln_safe!("{message}"),
                }
                ok = false;
            }
        }
        if let Some(bar) = &progress {
            bar.inc(1);
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    ok.then(|| Corpus {
        list: list.source.clone(),
        pages,
        rules,
    })
}

/// One page: which rules match its elements, and which elements with
/// content no rule reaches.
fn measure(
    policy: &Policy,
    selectors: &[Option<scrim_selector::SelectorList>],
    rules: &mut [RuleMatches],
    entry: &Entry,
    doc: &Document,
) -> CorpusPage {
    let page = policy.page(&entry.context);
    let recorded = matches!(page.decision(), PageDecision::Record);
    let elements: Vec<ElementRef<'_>> = doc.elements().collect();
    let mut default_only = Vec::new();
    if recorded {
        let artifact = policy.artifact();
        let live: Vec<usize> = (0..artifact.rules.len())
            .filter(|&r| page.scope_applies(artifact.rules[r].scope as usize))
            .collect();
        for &r in &live {
            rules[r].pages_in_scope += 1;
        }
        let mut caches = SelectorCaches::default();
        // Whether a rule selects the element or one around it, by index.
        let mut reached = vec![false; elements.iter().map(|e| e.index() + 1).max().unwrap_or(0)];
        let mut lonely = Vec::new();
        for &element in &elements {
            let mut hit = element.parent().is_some_and(|p| reached[p.index()]);
            for &r in &live {
                let Some(list) = &selectors[r] else { continue };
                for (i, selector) in list.slice().iter().enumerate() {
                    let mut context = matching_context(None, &mut caches);
                    if selectors::matching::matches_selector(
                        selector,
                        0,
                        None,
                        Matchable(element),
                        &mut context,
                    ) {
                        rules[r].matched[i] = true;
                        hit = true;
                    }
                }
            }
            reached[element.index()] = hit;
            if !hit && has_content(element) {
                lonely.push(element);
            }
        }
        default_only = doc.paths(&lonely);
    }
    CorpusPage {
        span: entry.span,
        name: entry.name.clone(),
        recorded,
        elements: elements.len(),
        default_only,
    }
}

/// Whether an element holds content a channel records: text of its own,
/// or form state that no floor masks.
fn has_content(element: ElementRef<'_>) -> bool {
    // Scripts are never recorded; style sheets follow their own rules.
    if matches!(element.local_name(), "script" | "style") {
        return false;
    }
    if !element.own_text().trim().is_empty() {
        return true;
    }
    match element.local_name() {
        "textarea" | "select" => true,
        "input" => {
            let floored = element
                .attr("type")
                .is_some_and(|t| type_floor(t).is_some())
                || element
                    .attr("autocomplete")
                    .is_some_and(|a| autocomplete_floor(a).is_some());
            let button = element.attr("type").is_some_and(|t| {
                scrim_artifact::vocabulary::BUTTON_INPUT_TYPES
                    .iter()
                    .any(|b| t.trim().eq_ignore_ascii_case(b))
            });
            !floored && !button
        }
        _ => false,
    }
}
