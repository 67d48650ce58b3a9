//! Diagnostic codes: the stable identifier of each kind of diagnostic
//! (`syntax::unexpected`, `compile::invalid-selector`), shown beside every
//! error, written into `--format json` and matched by tools and users'
//! scripts. A code's text never changes once released; a new kind of
//! problem gets a new code.

use std::fmt;

/// Declares [`Code`] with each variant's text, once.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// The kind of a diagnostic; [`Code::as_str`] is its stable text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable text: `stage::kebab-case-name`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

codes! {
    /// The policy has no `scrim N` line.
    SyntaxMissingVersion = "syntax::missing-version",
    /// A statement comes before the version line.
    SyntaxVersionNotFirst = "syntax::version-not-first",
    /// `scrim N` names a language version this build does not read.
    SyntaxUnsupportedVersion = "syntax::unsupported-version",
    /// A second version line.
    SyntaxDuplicateVersion = "syntax::duplicate-version",
    /// A whole-policy statement (`include`, `preset`, `sensitive
    /// attributes`, `require consent` …) inside a block.
    SyntaxNotTopLevel = "syntax::not-top-level",
    /// A page decision inside an `on page` block.
    SyntaxPageDecisionInPageScope = "syntax::page-decision-in-page-scope",
    /// The summary that stands for the errors past the per-file cap.
    SyntaxTooManyErrors = "syntax::too-many-errors",
    /// The file is a compiled artifact (JSON), not a policy.
    SyntaxCompiledArtifact = "syntax::compiled-artifact",
    /// Blocks nested past the limit.
    SyntaxNestingTooDeep = "syntax::nesting-too-deep",
    /// A `}` that closes no block.
    SyntaxUnmatchedBrace = "syntax::unmatched-brace",
    /// A block that is never closed.
    SyntaxUnclosedBlock = "syntax::unclosed-block",
    /// A statement that starts with no statement keyword.
    SyntaxUnknownStatement = "syntax::unknown-statement",
    /// Something other than what the grammar expects there.
    SyntaxUnexpected = "syntax::unexpected",
    /// `with length N` out of range.
    SyntaxMaskLength = "syntax::mask-length",
    /// `ignore` names a channel other than `events`.
    SyntaxIgnoreChannel = "syntax::ignore-channel",
    /// `mask events`: events are captured or ignored.
    SyntaxMaskEvents = "syntax::mask-events",
    /// A channel name that is not one.
    SyntaxUnknownChannel = "syntax::unknown-channel",
    /// A `*` in an attribute name other than one that ends a prefix
    /// pattern (`attr:*`, `attr:*-id`, `data-*-x`).
    SyntaxAttributePattern = "syntax::attribute-pattern",
    /// An outcome that is not one.
    SyntaxUnknownOutcome = "syntax::unknown-outcome",
    /// An outcome that does not fit its channel (`default events mask`).
    SyntaxDefaultOutcome = "syntax::default-outcome",
    /// A lint level that is not `allow`, `warn` or `deny`.
    SyntaxUnknownLintLevel = "syntax::unknown-lint-level",
    /// An include that includes itself, directly or not.
    CompileIncludeCycle = "compile::include-cycle",
    /// Includes nested past the limit.
    CompileIncludeTooDeep = "compile::include-too-deep",
    /// An included file that cannot be read.
    CompileIncludeMissing = "compile::include-missing",
    /// A preset name that is not one.
    CompileUnknownPreset = "compile::unknown-preset",
    /// A preset used twice (a warning).
    CompileDuplicatePreset = "compile::duplicate-preset",
    /// A shipped preset holding more than element rules.
    CompilePresetStatement = "compile::preset-statement",
    /// A rule or detector name used twice.
    CompileDuplicateName = "compile::duplicate-name",
    /// A detector that is not built in nor defined.
    CompileUnknownDetector = "compile::unknown-detector",
    /// A custom detector named again where it is already active.
    CompileDuplicateDetector = "compile::duplicate-detector",
    /// Two `sensitive attributes` statements.
    CompileDuplicateSensitive = "compile::duplicate-sensitive",
    /// A selector that does not parse in the scrim dialect.
    CompileInvalidSelector = "compile::invalid-selector",
    /// An `allow value` rule whose selector names inputs under a floor.
    CompileAllowFloor = "compile::allow-floor",
    /// A URL pattern that is not a WHATWG URL pattern.
    CompileInvalidUrlPattern = "compile::invalid-url-pattern",
    /// A URL pattern the checker could not finish with.
    CompileUrlPatternUnchecked = "compile::url-pattern-unchecked",
    /// A regular expression that does not parse.
    CompileInvalidRegex = "compile::invalid-regex",
    /// A regular expression past the size limit runtimes share.
    CompileRegexTooLarge = "compile::regex-too-large",
    /// A regular expression the runtime's engine cannot run.
    CompileUnsupportedRegex = "compile::unsupported-regex",
    /// A policy past a bound of the artifact format.
    CompileLimit = "compile::limit",
    /// A `lint` statement naming a rule the linter does not have.
    CompileUnknownLint = "compile::unknown-lint",
    /// A lint rule whose level is set twice.
    CompileDuplicateLint = "compile::duplicate-lint",
    /// A level a lint rule cannot take (`floor-allow` is always an error).
    CompileLintLevel = "compile::lint-level",
    /// Advice, not a problem: the rule `scrim explain` shows as deciding.
    ExplainRule = "explain::rule",
    // Lint rules: one code per rule, `lint::ID`, where ID is the rule's id
    // in `lint` statements, suppression comments and `scrim lint
    // --explain`. The rules themselves live in the `scrim-lint` crate.
    /// Lint `unreachable-rule`.
    LintUnreachableRule = "lint::unreachable-rule",
    /// Lint `duplicate-rule`.
    LintDuplicateRule = "lint::duplicate-rule",
    /// Lint `contradictory-rules`.
    LintContradictoryRules = "lint::contradictory-rules",
    /// Lint `allow-everything`.
    LintAllowEverything = "lint::allow-everything",
    /// Lint `attributes-captured-text-masked`.
    LintAttributesCapturedTextMasked = "lint::attributes-captured-text-masked",
    /// Lint `text-captured-attributes-masked`.
    LintTextCapturedAttributesMasked = "lint::text-captured-attributes-masked",
    /// Lint `values-captured-by-default`.
    LintValuesCapturedByDefault = "lint::values-captured-by-default",
    /// Lint `streaming-unstable-selector`.
    LintStreamingUnstableSelector = "lint::streaming-unstable-selector",
    /// Lint `expensive-selector`.
    LintExpensiveSelector = "lint::expensive-selector",
    /// Lint `page-pattern-never-matches`.
    LintPagePatternNeverMatches = "lint::page-pattern-never-matches",
    /// Lint `detector-matches-empty`.
    LintDetectorMatchesEmpty = "lint::detector-matches-empty",
    /// Lint `detector-misses-example`.
    LintDetectorMissesExample = "lint::detector-misses-example",
    /// Lint `detector-quadratic`.
    LintDetectorQuadratic = "lint::detector-quadratic",
    /// Lint `preset-conflict`.
    LintPresetConflict = "lint::preset-conflict",
    /// Lint `unused-suppression`.
    LintUnusedSuppression = "lint::unused-suppression",
    /// Lint `rule-matches-nothing` (with a page corpus).
    LintRuleMatchesNothing = "lint::rule-matches-nothing",
    /// Lint `default-only-elements` (with a page corpus).
    LintDefaultOnlyElements = "lint::default-only-elements",
}

impl Code {
    /// The lint rule this code reports, for `lint::ID` codes: `ID`.
    pub fn lint_rule(self) -> Option<&'static str> {
        self.as_str().strip_prefix("lint::")
    }

    /// The code of lint rule `id`.
    pub fn of_lint_rule(id: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|code| code.lint_rule() == Some(id))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_own_text_in_stage_and_kebab_case() {
        let mut texts: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        for text in &texts {
            let (stage, name) = text.split_once("::").expect("stage::name");
            assert!(
                ["syntax", "compile", "explain", "lint"].contains(&stage),
                "{text}"
            );
            assert!(
                !name.is_empty()
                    && !name.starts_with('-')
                    && name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{text}"
            );
        }
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), Code::ALL.len(), "two codes share a text");
    }
}
