//! Human names for the grammar's rules, so that messages say "expected a
//! CSS selector in quotes" and never show a generated rule name.

use crate::parser::GrammarRule as Rule;

/// The words a statement can start with.
pub const STATEMENT_KEYWORDS: &[&str] = &[
    "scrim",
    "include",
    "preset",
    "sensitive",
    "require",
    "record",
    "never",
    "redact",
    "detect",
    "default",
    "block",
    "mask",
    "allow",
    "ignore",
    "on",
    "when",
    "lint",
];

/// The keyword a keyword rule stands for.
pub(crate) fn keyword(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::kw_scrim => "scrim",
        Rule::kw_include => "include",
        Rule::kw_preset => "preset",
        Rule::kw_sensitive => "sensitive",
        Rule::kw_attributes => "attributes",
        Rule::kw_all => "all",
        Rule::kw_except => "except",
        Rule::kw_require => "require",
        Rule::kw_consent => "consent",
        Rule::kw_record => "record",
        Rule::kw_only => "only",
        Rule::kw_never => "never",
        Rule::kw_redact => "redact",
        Rule::kw_query => "query",
        Rule::kw_path => "path",
        Rule::kw_detect => "detect",
        Rule::kw_default => "default",
        Rule::kw_block => "block",
        Rule::kw_mask => "mask",
        Rule::kw_allow => "allow",
        Rule::kw_ignore => "ignore",
        Rule::kw_sealed => "sealed",
        Rule::kw_with => "with",
        Rule::kw_stars => "stars",
        Rule::kw_length => "length",
        Rule::kw_as => "as",
        Rule::kw_on => "on",
        Rule::kw_page => "page",
        Rule::kw_when => "when",
        Rule::kw_and => "and",
        Rule::kw_not => "not",
        Rule::kw_region => "region",
        Rule::kw_lint => "lint",
        Rule::kw_examples => "examples",
        _ => return None,
    })
}

/// What a rule is called in "expected …".
fn describe(rule: Rule) -> String {
    if let Some(word) = keyword(rule) {
        return format!("`{word}`");
    }
    match rule {
        Rule::EOI => "the end of the line",
        Rule::number => "a number",
        Rule::name | Rule::name_list => "a name",
        Rule::attr_name | Rule::attr_list => "an attribute name",
        Rule::param | Rule::param_list => "a query parameter name",
        Rule::string | Rule::fixed_text => "a string in double quotes",
        Rule::selector => "a CSS selector in double quotes",
        Rule::pattern | Rule::pattern_list => "a URL pattern in double quotes",
        Rule::regex => "a regular expression between slashes",
        Rule::channel | Rule::channel_list | Rule::attr_channel => "a channel",
        Rule::outcome => "an outcome (`capture`, `mask` or `ignore`)",
        Rule::strategy => "`with`",
        Rule::stars => "`stars`",
        Rule::fixed_length => "`length`",
        Rule::rule_name => "`as`",
        Rule::sealed => "`sealed`",
        Rule::all_except => "`all except`",
        Rule::condition => "a condition (`consent`, `not consent` or `region`)",
        Rule::consent => "`consent`",
        Rule::no_consent => "`not consent`",
        Rule::region => "`region`",
        Rule::open_brace => "`{`",
        Rule::level => "a level (`allow`, `warn` or `deny`)",
        Rule::detector_examples => "`examples`",
        Rule::string_list => "a string in double quotes",
        _ => "a statement",
    }
    .to_string()
}

/// "a channel or `sealed`", without repeats, in a stable order.
pub(crate) fn describe_expected(rules: &[Rule]) -> String {
    let mut names: Vec<String> = Vec::new();
    for rule in rules {
        let name = describe(*rule);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.sort();
    match names.split_last() {
        None => "something else".to_string(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}
