//! Which vendor markup a rule stands for: the rules of the shipped presets,
//! indexed by each complex selector in canonical CSS, so that a rule the
//! author wrote by hand (`block ".rr-block"`) is recognised as a preset's.

use cssparser::ToCss;
use scrim_syntax::SourceFile;
use scrim_syntax::ast::ItemKind;
use std::sync::OnceLock;

/// A rule of a shipped preset.
#[derive(Debug)]
pub(crate) struct PresetRule {
    pub preset: &'static str,
    /// Each complex selector of its list, in canonical CSS.
    pub selectors: Vec<String>,
    /// The statement as the preset writes it.
    pub statement: String,
}

fn index() -> &'static [PresetRule] {
    static INDEX: OnceLock<Vec<PresetRule>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut out = Vec::new();
        for &(preset, text) in scrim_compiler::presets::PRESETS {
            let parsed = scrim_syntax::parse(&SourceFile::new(format!("preset:{preset}"), text));
            for item in parsed.policy.items {
                if let ItemKind::Rule(rule) = &item.kind {
                    out.push(PresetRule {
                        preset,
                        selectors: complex_selectors(&rule.selector.value),
                        statement: text[item.span.start..item.span.end].to_string(),
                    });
                }
            }
        }
        out
    })
}

/// The complex selectors of a selector list, in canonical CSS (none when it
/// does not parse).
pub(crate) fn complex_selectors(list: &str) -> Vec<String> {
    scrim_selector::parse(list)
        .map(|list| list.slice().iter().map(|s| s.to_css_string()).collect())
        .unwrap_or_default()
}

/// For each complex selector of `list` that a preset rule also selects:
/// the selector and that rule.
pub(crate) fn markup_of(list: &str) -> Vec<(String, &'static PresetRule)> {
    let mut out = Vec::new();
    for selector in complex_selectors(list) {
        for rule in index() {
            if rule.selectors.contains(&selector) {
                out.push((selector.clone(), rule));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_written_selector_is_found_in_the_presets() {
        let found = markup_of(".rr-block, .mine,[data-dd-privacy=\"hidden\"]");
        let shown: Vec<(String, &str)> = found
            .iter()
            .map(|(selector, rule)| (selector.clone(), rule.preset))
            .collect();
        assert_eq!(
            shown,
            [
                (".rr-block".to_string(), "rrweb"),
                ("[data-dd-privacy=\"hidden\"]".to_string(), "datadog"),
            ]
        );
    }
}
