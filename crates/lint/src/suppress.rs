//! From findings to diagnostics: the level of each rule (its default, or a
//! `lint RULE LEVEL` statement), and suppression comments.
//!
//! A comment `# scrim: allow RULE, RULE…` applies to one statement: the
//! one it trails, or, on a line of its own, the statement that starts on
//! the next line that is not a comment (no blank line between). For a block
//! (`on page … {`), that is its header, not its body. Text after the rule
//! names is a reason, for readers: `# scrim: allow unreachable-rule kept
//! for the migration`. A suppression that suppresses nothing is itself
//! reported (`unused-suppression`), so that stale ones do not pile up.

use crate::finding::{Finding, Findings};
use crate::model::Model;
use crate::rules::statement_lines;
use scrim_syntax::ast::{ItemKind, LintLevel};
use scrim_syntax::{Diagnostic, Edit, Fix, Severity, Span, suggest};
use std::collections::HashMap;

const UNUSED: &str = "unused-suppression";

/// One rule name in a suppression comment.
struct Suppression {
    file: usize,
    /// The statement it applies to (its head: a block's header), if any.
    statement: Option<Span>,
    rule: String,
    /// The name in the comment.
    span: Span,
    /// What removing this name from the comment removes: the comment
    /// (with its line when it stands alone), or the name and a comma.
    removal: Span,
    used: bool,
}

pub(crate) fn finish(model: &Model<'_>, findings: Findings) -> Vec<Diagnostic> {
    let levels = levels(model);
    let mut suppressions = suppressions(model);
    let heads: Vec<Vec<Span>> = (0..model.trees.len())
        .map(|file| heads(model, file))
        .collect();
    let mut kept: Vec<Finding> = Vec::new();
    for finding in findings.list {
        let Some(file) = model
            .sources
            .iter()
            .position(|s| std::sync::Arc::ptr_eq(s, &finding.loc.source))
        else {
            // Not in the policy's files (a page list): nothing suppresses it.
            kept.push(finding);
            continue;
        };
        if !model.is_user(file) {
            continue;
        }
        let statement = statement_at(&heads[file], finding.loc.span.start);
        let mut suppressed = false;
        for suppression in &mut suppressions {
            if suppression.file == file
                && suppression.statement.is_some()
                && suppression.statement == statement
                && suppression.rule == finding.rule
            {
                suppression.used = true;
                suppressed = true;
            }
        }
        if !suppressed {
            kept.push(finding);
        }
    }
    for suppression in suppressions.iter().filter(|s| !s.used) {
        kept.push(unused(model, suppression));
    }
    let mut diagnostics: Vec<(usize, Diagnostic)> = kept
        .into_iter()
        .filter_map(|finding| {
            let rule = crate::rule(finding.rule).expect("findings name registered rules");
            let severity = match levels.get(rule.id).copied().unwrap_or(rule.default_level) {
                LintLevel::Allow => return None,
                LintLevel::Warn => Severity::Warning,
                LintLevel::Deny => Severity::Error,
            };
            let file = model
                .sources
                .iter()
                .position(|s| std::sync::Arc::ptr_eq(s, &finding.loc.source))
                .unwrap_or(usize::MAX);
            let mut diagnostic = Diagnostic::warning(rule.code, finding.loc, finding.message)
                .with_label(finding.label);
            diagnostic.severity = severity;
            diagnostic.help = finding.help;
            diagnostic.related = finding.related;
            diagnostic.fixes = finding.fixes;
            Some((file, diagnostic))
        })
        .collect();
    diagnostics.sort_by_key(|(file, d)| (*file, d.loc.span.start, d.loc.span.end, d.code));
    diagnostics.dedup_by(|a, b| a.1 == b.1);
    diagnostics.into_iter().map(|(_, d)| d).collect()
}

/// The levels the policy's `lint` statements set (the compiler checked
/// them: known rules, each set once).
fn levels(model: &Model<'_>) -> HashMap<String, LintLevel> {
    let mut out = HashMap::new();
    for (file, tree) in model.trees.iter().enumerate() {
        if !model.is_user(file) {
            continue;
        }
        for item in &tree.items {
            if let ItemKind::Lint { rules, level } = &item.kind {
                for rule in rules {
                    out.insert(rule.text.clone(), level.level);
                }
            }
        }
    }
    out
}

/// The statements of a file: the span of each head (a block's header,
/// another statement whole).
fn heads(model: &Model<'_>, file: usize) -> Vec<Span> {
    let mut out: Vec<Span> = model.trees[file]
        .walk()
        .into_iter()
        .filter(|(_, item)| !matches!(item.kind, ItemKind::Error { .. }))
        .map(|(_, item)| item.kind.block().map_or(item.span, |b| b.header_span))
        .collect();
    out.sort();
    out
}

/// The statement whose head holds `offset`, among a file's `heads`
/// (sorted; heads do not overlap: a block's header ends before its body).
fn statement_at(heads: &[Span], offset: usize) -> Option<Span> {
    let after = heads.partition_point(|head| head.start <= offset);
    let head = *heads.get(after.checked_sub(1)?)?;
    (offset <= head.end).then_some(head)
}

fn suppressions(model: &Model<'_>) -> Vec<Suppression> {
    let mut out = Vec::new();
    for (file, tree) in model.trees.iter().enumerate() {
        if !model.is_user(file) {
            continue;
        }
        let text = model.sources[file].text();
        let heads = heads(model, file);
        for comment in &tree.comments {
            let Some(names) = parse_comment(&comment.text) else {
                continue;
            };
            let statement = if comment.trailing {
                let line_start = text[..comment.span.start].rfind('\n').map_or(0, |i| i + 1);
                heads
                    .iter()
                    .filter(|h| h.end <= comment.span.start && h.end >= line_start)
                    .max_by_key(|h| h.start)
                    .copied()
            } else {
                next_statement(text, comment.span.end, &heads)
            };
            let at = |offset: usize| comment.span.start + offset;
            let whole = if comment.trailing {
                let code_end = text[..comment.span.start].trim_end().len();
                Span::new(code_end, comment.span.end)
            } else {
                statement_lines(text, comment.span)
            };
            for (i, &(start, end)) in names.iter().enumerate() {
                let removal = match (names.get(i + 1), i.checked_sub(1).map(|p| names[p])) {
                    (Some(&(next, _)), _) => Span::new(at(start), at(next)),
                    (None, Some((_, previous_end))) => Span::new(at(previous_end), at(end)),
                    (None, None) => whole,
                };
                out.push(Suppression {
                    file,
                    statement,
                    rule: comment.text[start..end].to_string(),
                    span: Span::new(at(start), at(end)),
                    removal,
                    used: false,
                });
            }
        }
    }
    out
}

/// The statement that starts on the first line after `from` that is not a
/// comment, when no blank line comes first.
fn next_statement(text: &str, from: usize, heads: &[Span]) -> Option<Span> {
    let mut at = text[from..].find('\n').map(|i| from + i + 1)?;
    loop {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = text[at..end].trim();
        if line.is_empty() {
            return None;
        }
        if !line.starts_with('#') {
            let start = at + (text[at..end].len() - text[at..end].trim_start().len());
            return heads.iter().find(|h| h.start == start).copied();
        }
        if end == text.len() {
            return None;
        }
        at = end + 1;
    }
}

/// The byte ranges of the rule names of a `# scrim: allow a, b reason`
/// comment, or `None` for another comment.
pub fn parse_comment(comment: &str) -> Option<Vec<(usize, usize)>> {
    let rest = comment.strip_prefix('#')?;
    let after_hash = 1 + rest.len() - rest.trim_start().len();
    let rest = rest.trim_start().strip_prefix("scrim:")?;
    let mut at = after_hash + "scrim:".len();
    let trimmed = rest.trim_start();
    at += rest.len() - trimmed.len();
    let words = trimmed.strip_prefix("allow")?;
    if !words.starts_with([' ', '\t']) {
        return None;
    }
    at += "allow".len();
    let mut names = Vec::new();
    loop {
        let rest = &comment[at..];
        let skipped = rest.len() - rest.trim_start().len();
        at += skipped;
        let len = comment[at..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(comment.len() - at);
        if len == 0 {
            break;
        }
        names.push((at, at + len));
        at += len;
        let rest = &comment[at..];
        match rest.trim_start().strip_prefix(',') {
            Some(after) => at = comment.len() - after.len(),
            None => break,
        }
    }
    (!names.is_empty()).then_some(names)
}

fn unused(model: &Model<'_>, suppression: &Suppression) -> Finding {
    let loc = model.loc(suppression.file, suppression.span);
    let rule = suppression.rule.as_str();
    let remove = Fix::new(
        format!("remove the suppression of `{rule}`"),
        vec![Edit {
            span: suppression.removal,
            replacement: String::new(),
        }],
    );
    let finding = match crate::rule(rule) {
        None => {
            let ids: Vec<&str> = crate::RULES.iter().map(|r| r.id).collect();
            let close = suggest::did_you_mean(rule, ids.iter().copied());
            Finding::new(UNUSED, loc, format!("unknown lint rule `{rule}`"))
                .label("not a lint rule")
                .help(match close {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => {
                        "`scrim lint --explain RULE` documents each rule; docs/lints.md lists them"
                            .to_string()
                    }
                })
                .fix(close.map(|close| {
                    Fix::replace(format!("replace with `{close}`"), suppression.span, close)
                }))
        }
        Some(known) if known.is_fixed() => {
            Finding::new(UNUSED, loc, format!("`{rule}` cannot be suppressed"))
                .label("always an error")
                .help("the compiler refuses such a policy: fix the rule it reports instead")
        }
        Some(_) if suppression.statement.is_none() => Finding::new(
            UNUSED,
            loc,
            format!("this suppression of `{rule}` applies to no statement"),
        )
        .label("nothing to suppress here")
        .help(
            "put it at the end of the statement's line, or on the line right above the statement",
        ),
        Some(_) => Finding::new(
            UNUSED,
            loc,
            format!("`{rule}` reports nothing on this statement"),
        )
        .label("suppresses nothing")
        .help("remove the suppression: the statement no longer needs it"),
    };
    finding.fix(Some(remove))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppression_comments_name_rules_then_a_reason() {
        let names = |c: &str| {
            parse_comment(c).map(|v| {
                v.into_iter()
                    .map(|(s, e)| c[s..e].to_string())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(names("# scrim: allow a-b"), Some(vec!["a-b".to_string()]));
        assert_eq!(
            names("#scrim: allow a, b  because of x"),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(names("# scrim allow a"), None);
        assert_eq!(names("# scrim: allowed a"), None);
        assert_eq!(names("# a note"), None);
    }
}
