//! The wording of a disclosure, kept apart from the code so that a team can
//! translate it: one template per sentence kind, in a TOML file per
//! language (`templates/en.toml` ships). Loading checks a file against the
//! keys and placeholders the code fills; a missing or unknown key, an
//! unknown placeholder or one left out is an error, so that a translation
//! can neither break the notice nor silently drop what a sentence says.

use scrim_syntax::suggest;
use std::collections::BTreeMap;
use std::fmt;

/// The English templates, shipped.
pub const ENGLISH: &str = include_str!("../templates/en.toml");

/// Declares every template key with the placeholders its text must use, in
/// one list: the enum, its names and its placeholders cannot drift apart.
macro_rules! keys {
    ($($variant:ident = $name:literal [$($placeholder:literal),*],)*) => {
        /// A template: one sentence kind, heading or phrase.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Key {
            $($variant,)*
        }

        impl Key {
            /// Every key, in the order of the English file.
            pub const ALL: &'static [Key] = &[$(Key::$variant,)*];

            /// `table.key`, as written in a template file.
            pub fn name(self) -> &'static str {
                match self {
                    $(Key::$variant => $name,)*
                }
            }

            /// The placeholders its text must use, each at least once.
            pub fn placeholders(self) -> &'static [&'static str] {
                match self {
                    $(Key::$variant => &[$($placeholder),*],)*
                }
            }
        }
    };
}

keys! {
    Language = "notice.language" [],
    Title = "notice.title" [],
    SectionAbout = "sections.about" [],
    SectionPages = "sections.pages" [],
    SectionNeverRecorded = "sections.never_recorded" [],
    SectionHidden = "sections.hidden" [],
    SectionShown = "sections.shown" [],
    SectionInteractions = "sections.interactions" [],
    SectionMarkup = "sections.markup" [],
    SectionDetectors = "sections.detectors" [],
    SectionAddresses = "sections.addresses" [],
    AboutIntro = "about.intro" [],
    AboutInBrowser = "about.in_browser" [],
    AboutMasking = "about.masking" [],
    PagesRecordOnly = "pages.record_only" ["patterns"],
    PagesRecordAlso = "pages.record_also" ["patterns"],
    PagesRecordAny = "pages.record_any" [],
    PagesNeverRecord = "pages.never_record" ["patterns"],
    PagesRequireConsent = "pages.require_consent" ["categories"],
    PagesNoConsent = "pages.no_consent" [],
    PagesAnyPage = "pages.any_page" [],
    NeverPageCode = "never_recorded.page_code" [],
    NeverBlocked = "never_recorded.blocked" [],
    HiddenFloors = "hidden.floors" [],
    HiddenDefaultText = "hidden.default_text" [],
    HiddenDefaultValue = "hidden.default_value" [],
    HiddenDefaultMedia = "hidden.default_media" [],
    HiddenDefaultAttributes = "hidden.default_attributes" ["attributes"],
    HiddenDefaultAttributesAll = "hidden.default_attributes_all" [],
    HiddenDefaultAttributesAllExcept = "hidden.default_attributes_all_except" ["attributes"],
    HiddenDefaultAttribute = "hidden.default_attribute" ["attribute"],
    HiddenDefaultAttributePrefix = "hidden.default_attribute_prefix" ["prefix"],
    HiddenSealed = "hidden.sealed" ["channels"],
    HiddenRules = "hidden.rules" ["channels"],
    ShownDefaultText = "shown.default_text" [],
    ShownDefaultValue = "shown.default_value" [],
    ShownDefaultMedia = "shown.default_media" [],
    ShownDefaultAttributes = "shown.default_attributes" ["attributes"],
    ShownDefaultAttributesAll = "shown.default_attributes_all" [],
    ShownDefaultAttributesAllExcept = "shown.default_attributes_all_except" ["attributes"],
    ShownDefaultAttribute = "shown.default_attribute" ["attribute"],
    ShownDefaultAttributePrefix = "shown.default_attribute_prefix" ["prefix"],
    ShownOtherAttributes = "shown.other_attributes" [],
    ShownRules = "shown.rules" ["channels"],
    InteractionsDefaultCapture = "interactions.default_capture" [],
    InteractionsDefaultIgnore = "interactions.default_ignore" [],
    InteractionsIgnored = "interactions.ignored" [],
    InteractionsAllowed = "interactions.allowed" [],
    MarkupPresets = "markup.presets" ["vendors"],
    MarkupBlocks = "markup.blocks" [],
    MarkupHides = "markup.hides" [],
    MarkupShows = "markup.shows" [],
    DetectorsRules = "detectors.rules" [],
    DetectorsNone = "detectors.none" [],
    DetectorEmail = "detectors.email" [],
    DetectorCard = "detectors.card" [],
    DetectorPhone = "detectors.phone" [],
    DetectorNationalId = "detectors.national_id" [],
    DetectorCustom = "detectors.custom" ["name", "pattern"],
    AddressesPassword = "addresses.password" [],
    AddressesQuery = "addresses.query" ["names"],
    AddressesPath = "addresses.path" ["pattern"],
    ChannelText = "channels.text" [],
    ChannelValue = "channels.value" [],
    ChannelAttributes = "channels.attributes" [],
    ChannelAttribute = "channels.attribute" ["name"],
    ChannelAttributePrefix = "channels.attribute_prefix" ["prefix"],
    ChannelMedia = "channels.media" [],
    ChannelAll = "channels.all" [],
    AttributeTitle = "attributes.title" [],
    AttributeAlt = "attributes.alt" [],
    AttributePlaceholder = "attributes.placeholder" [],
    AttributeAria = "attributes.aria" [],
    AttributeHref = "attributes.href" [],
    AttributeValue = "attributes.value" [],
    AttributeSrcdoc = "attributes.srcdoc" [],
    ScopeSentence = "scope.sentence" ["conditions", "sentence"],
    ScopePage = "scope.page" ["patterns"],
    ScopeConsent = "scope.consent" ["category"],
    ScopeNoConsent = "scope.no_consent" ["category"],
    ScopeRegion = "scope.region" ["regions"],
    ItemFixed = "items.fixed" ["element", "text"],
    ItemLength = "items.length" ["element", "length"],
    ItemNote = "items.note" ["element", "note"],
    ListSeparator = "lists.separator" [],
    ListAnd = "lists.and" [],
    ListOr = "lists.or" [],
    SourcesPolicy = "sources.policy" [],
    SourcesBuiltIn = "sources.built_in" [],
    SourcesBuiltInDefault = "sources.built_in_default" [],
}

/// A piece of a sentence: words, or something technical from the policy
/// (a selector, a URL pattern, a name) that is shown as code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Text(String),
    Code(String),
}

/// A parsed template: literal text and placeholders (indices into
/// [`Key::placeholders`]).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Placeholder(usize),
}

/// A complete, checked set of templates: one language.
#[derive(Debug, Clone)]
pub struct Templates {
    pieces: BTreeMap<Key, Vec<Piece>>,
}

/// Why a template file was refused: what and where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub message: String,
    /// 1-based line and column in the template file, when the error has a
    /// place (a missing key has none).
    pub position: Option<(usize, usize)>,
    pub help: Option<String>,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}

impl Templates {
    /// The shipped English templates.
    pub fn english() -> Templates {
        Templates::parse(ENGLISH).expect("the shipped English templates are complete")
    }

    /// Reads and checks a template file. Every error is returned, in the
    /// order of the file (missing keys last).
    pub fn parse(text: &str) -> Result<Templates, Vec<TemplateError>> {
        let position = |offset: usize| line_column(text, offset);
        let document = match toml::de::DeTable::parse(text) {
            Ok(document) => document,
            Err(error) => {
                return Err(vec![TemplateError {
                    message: format!(
                        "the template file is not valid TOML: {}",
                        error.message().trim_end_matches('.').to_lowercase()
                    ),
                    position: error.span().map(|span| position(span.start)),
                    help: Some(
                        "write `[table]` headers and `key = \"text\"` lines, as in the English file"
                            .to_string(),
                    ),
                }]);
            }
        };
        let known: BTreeMap<&str, Key> = Key::ALL.iter().map(|&key| (key.name(), key)).collect();
        let mut errors = Vec::new();
        let mut pieces = BTreeMap::new();
        for (table, value) in document.get_ref().iter() {
            let toml::de::DeValue::Table(entries) = value.get_ref() else {
                errors.push(TemplateError {
                    message: format!("`{}` is not a table of templates", table.get_ref()),
                    position: Some(position(table.span().start)),
                    help: Some(format!(
                        "write it as a `[{}]` header with `key = \"text\"` lines below it",
                        table.get_ref()
                    )),
                });
                continue;
            };
            for (entry, value) in entries.iter() {
                let name = format!("{}.{}", table.get_ref(), entry.get_ref());
                let at = position(entry.span().start);
                let Some(&key) = known.get(name.as_str()) else {
                    errors.push(TemplateError {
                        message: format!("unknown template `{name}`"),
                        position: Some(at),
                        help: Some(match suggest::did_you_mean(&name, known.keys().copied()) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => "the English file (crates/disclose/templates/en.toml) lists every template".to_string(),
                        }),
                    });
                    continue;
                };
                let toml::de::DeValue::String(template) = value.get_ref() else {
                    errors.push(TemplateError {
                        message: format!("template `{name}` is not a string"),
                        position: Some(position(value.span().start)),
                        help: Some("write its text in double quotes".to_string()),
                    });
                    continue;
                };
                match parse_template(key, template) {
                    Ok(parsed) => {
                        pieces.insert(key, parsed);
                    }
                    Err(mut error) => {
                        error.position = Some(position(value.span().start));
                        errors.push(error);
                    }
                }
            }
        }
        if let Some(language) = pieces.get(&Key::Language) {
            let text = literal_text(language);
            if !is_language_tag(&text) {
                errors.push(TemplateError {
                    message: format!("`{text}` is not a language tag"),
                    position: None,
                    help: Some(
                        "write a tag such as `en`, `de` or `pt-BR` in `notice.language`"
                            .to_string(),
                    ),
                });
            }
        }
        for &key in Key::ALL {
            if !pieces.contains_key(&key) && !errors.iter().any(|e| mentions(e, key)) {
                let (table, entry) = key.name().split_once('.').expect("keys are table.key");
                errors.push(TemplateError {
                    message: format!("template `{}` is missing", key.name()),
                    position: None,
                    help: Some(format!(
                        "add `{entry} = \"…\"` under `[{table}]`; the English file \
                         (crates/disclose/templates/en.toml) has every template"
                    )),
                });
            }
        }
        if errors.is_empty() {
            Ok(Templates { pieces })
        } else {
            Err(errors)
        }
    }

    /// The text of a template that has no placeholders.
    pub(crate) fn text(&self, key: Key) -> String {
        literal_text(&self.pieces[&key])
    }

    /// The language tag of the text.
    pub(crate) fn language(&self) -> String {
        self.text(Key::Language)
    }

    /// A template filled in: `values` gives each placeholder of the key, in
    /// the order of [`Key::placeholders`].
    pub(crate) fn fill(&self, key: Key, values: &[Vec<Part>]) -> Vec<Part> {
        assert_eq!(
            values.len(),
            key.placeholders().len(),
            "`{}` is filled with every placeholder",
            key.name()
        );
        let mut out = Vec::new();
        for piece in &self.pieces[&key] {
            match piece {
                Piece::Literal(text) => push_text(&mut out, text),
                Piece::Placeholder(index) => {
                    for part in &values[*index] {
                        match part {
                            Part::Text(text) => push_text(&mut out, text),
                            Part::Code(code) => out.push(Part::Code(code.clone())),
                        }
                    }
                }
            }
        }
        out
    }

    /// Items joined as a list: `a, b and c` (`conjunction` is
    /// [`Key::ListAnd`] or [`Key::ListOr`]).
    pub(crate) fn list(&self, items: Vec<Vec<Part>>, conjunction: Key) -> Vec<Part> {
        let separator = self.text(Key::ListSeparator);
        let last = self.text(conjunction);
        let count = items.len();
        let mut out = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            if index > 0 {
                let joint = if index + 1 == count {
                    &last
                } else {
                    &separator
                };
                push_text(&mut out, joint);
            }
            for part in item {
                match part {
                    Part::Text(text) => push_text(&mut out, &text),
                    code => out.push(code),
                }
            }
        }
        out
    }
}

/// Appends text, merging it with text before it.
fn push_text(out: &mut Vec<Part>, text: &str) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(Part::Text(last)) => last.push_str(text),
        _ => out.push(Part::Text(text.to_string())),
    }
}

fn literal_text(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Literal(text) => text.as_str(),
            Piece::Placeholder(_) => "",
        })
        .collect()
}

/// Whether an error already speaks of the key (so it is not also missing).
fn mentions(error: &TemplateError, key: Key) -> bool {
    error.message.contains(&format!("`{}`", key.name()))
}

/// Splits a template into literal text and placeholders, and checks that
/// it uses every placeholder of its key and no other.
fn parse_template(key: Key, template: &str) -> Result<Vec<Piece>, TemplateError> {
    let error = |message: String, help: String| TemplateError {
        message,
        position: None,
        help: Some(help),
    };
    let allowed = key.placeholders();
    let allowed_list = || {
        if allowed.is_empty() {
            "it takes no placeholder; write `{{` and `}}` for a brace".to_string()
        } else {
            let names: Vec<String> = allowed.iter().map(|p| format!("{{{p}}}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            format!("it takes {}", suggest::one_of(&names))
        }
    };
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut used = vec![false; allowed.len()];
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        literal.push_str(&rest[..at]);
        let brace = &rest[at..];
        if let Some(after) = brace.strip_prefix("{{") {
            literal.push('{');
            rest = after;
        } else if let Some(after) = brace.strip_prefix("}}") {
            literal.push('}');
            rest = after;
        } else if brace.starts_with('}') {
            return Err(error(
                format!("template `{}` has a `}}` that closes nothing", key.name()),
                "write `}}` for a brace".to_string(),
            ));
        } else {
            let Some(end) = brace.find('}') else {
                return Err(error(
                    format!("template `{}` has a `{{` that is never closed", key.name()),
                    "close the placeholder with `}`, or write `{{` for a brace".to_string(),
                ));
            };
            let name = &brace[1..end];
            let Some(index) = allowed.iter().position(|p| *p == name) else {
                let help = match suggest::did_you_mean(name, allowed.iter().copied()) {
                    Some(close) => format!("did you mean `{{{close}}}`?"),
                    None => allowed_list(),
                };
                return Err(error(
                    format!(
                        "template `{}` uses the unknown placeholder `{{{name}}}`",
                        key.name()
                    ),
                    help,
                ));
            };
            if !literal.is_empty() {
                pieces.push(Piece::Literal(std::mem::take(&mut literal)));
            }
            pieces.push(Piece::Placeholder(index));
            used[index] = true;
            rest = &brace[end + 1..];
        }
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    if let Some(unused) = used.iter().position(|used| !used) {
        return Err(error(
            format!(
                "template `{}` leaves out the placeholder `{{{}}}`",
                key.name(),
                allowed[unused]
            ),
            "every placeholder of the English template must appear, or the notice would leave out what it stands for".to_string(),
        ));
    }
    Ok(pieces)
}

/// A BCP 47 tag as HTML's `lang` takes it, loosely: letters, digits and
/// hyphens.
fn is_language_tag(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 35
        && text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before, |newline| &before[newline + 1..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_file_has_every_template() {
        let templates = Templates::english();
        for &key in Key::ALL {
            assert!(templates.pieces.contains_key(&key), "{}", key.name());
        }
        assert_eq!(templates.language(), "en");
    }

    #[test]
    fn key_names_are_unique_and_name_a_table_and_a_key() {
        let mut names: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Key::ALL.len());
        assert!(names.iter().all(|n| n.split('.').count() == 2));
    }

    #[test]
    fn braces_are_written_twice() {
        let pieces = parse_template(Key::ListAnd, "{{ and }}").unwrap();
        assert_eq!(literal_text(&pieces), "{ and }");
    }

    #[test]
    fn lists_join_with_the_conjunction_before_the_last_item() {
        let templates = Templates::english();
        let item = |s: &str| vec![Part::Code(s.to_string())];
        let list = templates.list(vec![item("a"), item("b"), item("c")], Key::ListOr);
        assert_eq!(
            list,
            vec![
                Part::Code("a".into()),
                Part::Text(", ".into()),
                Part::Code("b".into()),
                Part::Text(" or ".into()),
                Part::Code("c".into()),
            ]
        );
    }
}
