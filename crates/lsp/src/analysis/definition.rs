//! Go to definition: from an `include` to the file, from a custom detector
//! named in `detect a, b` to its `detect NAME /REGEX/`, and from a rule's
//! name to the rule the policy knows by it (the first that takes it; a
//! second is an error).

use super::{Analysis, contains, items_at};
use scrim_syntax::Span;
use scrim_syntax::ast::{Item, ItemKind};

/// A place in one of the files the check read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// The file, as the compiler names it.
    pub file: String,
    pub span: Span,
    /// The text of that file, to place the span in.
    pub text: String,
}

pub(crate) fn definition(analysis: &Analysis, offset: usize) -> Option<Target> {
    let item = *items_at(analysis.tree(), offset).last()?;
    match &item.kind {
        ItemKind::Include { path } if contains(path.span, offset) => {
            let target = scrim_compiler::join(analysis.root().name(), &path.value);
            let source = analysis
                .compilation
                .sources
                .iter()
                .find(|s| s.name() == target)?;
            Some(Target {
                file: target,
                span: Span::new(0, 0),
                text: source.text().to_string(),
            })
        }
        ItemKind::Detect { names } => {
            let name = names.iter().find(|n| contains(n.span, offset))?;
            first(analysis, |kind| match kind {
                ItemKind::DetectPattern { name: defined, .. } if defined.text == name.text => {
                    Some(defined.span)
                }
                _ => None,
            })
        }
        ItemKind::Rule(rule) => {
            let name = rule.name.as_ref().filter(|n| contains(n.span, offset))?;
            first(analysis, |kind| match kind {
                ItemKind::Rule(other) => other
                    .name
                    .as_ref()
                    .filter(|defined| defined.text == name.text)
                    .map(|defined| defined.span),
                _ => None,
            })
        }
        _ => None,
    }
}

/// The first statement, in the order the compiler reads the policy's own
/// files (an included file where its `include` stands), where `defines`
/// finds a span.
fn first(analysis: &Analysis, defines: impl Fn(&ItemKind) -> Option<Span>) -> Option<Target> {
    let compilation = &analysis.compilation;
    let mut visited = vec![false; compilation.sources.len()];
    let mut stack: Vec<(usize, Vec<&Item>)> = vec![(0, items_of(&compilation.trees[0]))];
    visited[0] = true;
    while let Some((file, items)) = stack.last_mut() {
        let file = *file;
        let Some(item) = items.pop() else {
            stack.pop();
            continue;
        };
        let source = &compilation.sources[file];
        if let ItemKind::Include { path } = &item.kind {
            let target = scrim_compiler::join(source.name(), &path.value);
            if let Some(included) = compilation.sources.iter().position(|s| s.name() == target)
                && !std::mem::replace(&mut visited[included], true)
            {
                stack.push((included, items_of(&compilation.trees[included])));
            }
        } else if let Some(span) = defines(&item.kind) {
            return Some(Target {
                file: source.name().to_string(),
                span,
                text: source.text().to_string(),
            });
        }
    }
    None
}

/// The statements of a tree, depth first, last first (to pop in order).
fn items_of(tree: &scrim_syntax::ast::Policy) -> Vec<&Item> {
    let mut items: Vec<&Item> = tree.walk().into_iter().map(|(_, item)| item).collect();
    items.reverse();
    items
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{Files, at_cursor};
    use super::*;
    use expect_test::{Expect, expect};

    const SHARED: Files = Files(&[(
        "/p/shared/base.scrim",
        "scrim 1\n\ndetect customer-id /CUST-\\d{8}/\nmask text \".name\" as names\n",
    )]);

    fn check(input: &str, expect: Expect) {
        let (analysis, offset) = at_cursor(input, &SHARED);
        let shown = match definition(&analysis, offset) {
            Some(target) => format!(
                "{} {:?} `{}`",
                target.file,
                target.span,
                &target.text[target.span.start..target.span.end]
            ),
            None => "nothing".to_string(),
        };
        expect.assert_eq(&shown);
    }

    #[test]
    fn includes_detectors_and_rule_names_lead_to_their_definitions() {
        check(
            "scrim 1\ninclude \"shared/$0base.scrim\"\n",
            expect!["/p/shared/base.scrim 0..0 ``"],
        );
        check(
            "scrim 1\ninclude \"shared/base.scrim\"\ndetect email, customer-$0id\n",
            expect!["/p/shared/base.scrim 16..27 `customer-id`"],
        );
        check(
            "scrim 1\ndetect order /ORD-\\d+/\non page \"/a\" {\n  detect ord$0er\n}\n",
            expect!["/p/policy.scrim 15..20 `order`"],
        );
        // The name is taken by the included rule first: this one is the
        // duplicate the compiler reports.
        check(
            "scrim 1\ninclude \"shared/base.scrim\"\nallow text \"h1\" as na$0mes\n",
            expect!["/p/shared/base.scrim 62..67 `names`"],
        );
        check(
            "scrim 1\ninclude \"shared/missing$0.scrim\"\n",
            expect!["nothing"],
        );
        check("scrim 1\ndetect em$0ail\n", expect!["nothing"]);
    }
}
