//! Checks on where statements stand: the version line first, file-level
//! statements only at the top, page decisions outside page scopes.

use crate::ast::{Item, ItemKind, Policy};
use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::parser::LANGUAGE_VERSION;
use crate::source::{Loc, SourceFile};
use std::sync::Arc;

pub(crate) fn check(policy: &Policy, source: &Arc<SourceFile>, out: &mut Vec<Diagnostic>) {
    let loc = |item: &Item| Loc::new(item.span, source.clone());
    let versions: Vec<&Item> = policy
        .items
        .iter()
        .filter(|i| matches!(i.kind, ItemKind::Version { .. }))
        .collect();
    match versions.first() {
        None => {
            let at = policy.items.first().map_or(crate::Span::new(0, 0), |i| {
                crate::Span::new(i.span.start, i.span.start)
            });
            // A broken first statement may be the version line itself; its
            // own diagnostic says what is wrong with it.
            if !matches!(
                policy.items.first().map(|i| &i.kind),
                Some(ItemKind::Error { .. })
            ) {
                out.push(
                    Diagnostic::error(
                        Code::SyntaxMissingVersion,
                        Loc::new(at, source.clone()),
                        "the policy has no version line",
                    )
                    .with_label("expected `scrim 1` before this")
                    .with_help(format!("start the policy with `scrim {LANGUAGE_VERSION}`")),
                );
            }
        }
        Some(first) => {
            if !std::ptr::eq(*first, &policy.items[0]) {
                out.push(
                    Diagnostic::error(
                        Code::SyntaxVersionNotFirst,
                        loc(first),
                        "the version line must be the first statement",
                    )
                    .with_label("not first")
                    .with_help("move this line to the top of the file, above every statement"),
                );
            }
            if let ItemKind::Version { version } = first.kind
                && version != LANGUAGE_VERSION
            {
                // As written: a number too large for `u32` is kept as `u32::MAX`.
                let written = source.text()[first.span.start..first.span.end]
                    .trim_start_matches("scrim")
                    .trim();
                out.push(
                    Diagnostic::error(
                        Code::SyntaxUnsupportedVersion,
                        loc(first),
                        format!("language version `{written}` is not supported"),
                    )
                    .with_label("unknown version")
                    .with_help(format!("this compiler reads `scrim {LANGUAGE_VERSION}`")),
                );
            }
            for extra in &versions[1..] {
                out.push(
                    Diagnostic::error(
                        Code::SyntaxDuplicateVersion,
                        loc(extra),
                        "a second version line",
                    )
                    .with_label("the version is already set")
                    .with_related(loc(first), "first set here")
                    .with_help("remove this line"),
                );
            }
        }
    }
    for item in &policy.items {
        if let Some(block) = item.kind.block() {
            let in_page_scope = matches!(item.kind, ItemKind::OnPage { .. });
            check_block(&block.items, in_page_scope, source, out);
        }
    }
}

fn check_block(
    items: &[Item],
    in_page_scope: bool,
    source: &Arc<SourceFile>,
    out: &mut Vec<Diagnostic>,
) {
    for item in items {
        let loc = Loc::new(item.span, source.clone());
        let file_level = match &item.kind {
            ItemKind::Version { .. } => Some("the version line"),
            ItemKind::Include { .. } => Some("`include`"),
            ItemKind::Preset { .. } => Some("`preset`"),
            ItemKind::Sensitive(_) => Some("`sensitive attributes`"),
            ItemKind::Lint { .. } => Some("`lint`"),
            _ => None,
        };
        if let Some(what) = file_level {
            out.push(
                Diagnostic::error(
                    Code::SyntaxNotTopLevel,
                    loc.clone(),
                    format!("{what} applies to the whole policy and cannot be scoped"),
                )
                .with_label("inside a block")
                .with_help("move this statement out of the block, to the top level"),
            );
        }
        if in_page_scope && item.kind.is_page_decision() {
            out.push(
                Diagnostic::error(
                    Code::SyntaxPageDecisionInPageScope,
                    loc,
                    "page decisions cannot be scoped to pages",
                )
                .with_label("inside an `on page` block")
                .with_help(
                    "write the URL pattern in `never record` or `record only` at the top level",
                ),
            );
        }
        if let Some(block) = item.kind.block() {
            let in_page_scope = in_page_scope || matches!(item.kind, ItemKind::OnPage { .. });
            check_block(&block.items, in_page_scope, source, out);
        }
    }
}
