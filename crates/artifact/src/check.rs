//! What a loader checks once an artifact is parsed: that it is internally
//! consistent (every index points at something) and that it holds nothing
//! the compiler would never write (values within [`limits`], names that
//! are names, statements the language can express). Any doubt refuses the
//! whole artifact.

use crate::limits::{
    self, is_attribute_name, is_attribute_name_or_prefix, is_name, is_parameter_name,
    is_region_code,
};
use std::collections::HashSet;

use crate::{
    Action, Artifact, Channel, Condition, DetectorKind, FORMAT, LoadError, Loc, PageRuleKind,
    RedactionKind, SensitiveAttributes, Strategy, UrlPattern, VERSION,
};

type Checked = Result<(), LoadError>;

fn inconsistent(message: String) -> Checked {
    Err(LoadError::Inconsistent(message))
}

fn invalid(message: String) -> Checked {
    Err(LoadError::Invalid(message))
}

/// Every check, in the order a reader would want the first error.
pub(crate) fn check(a: &Artifact) -> Checked {
    if a.format != FORMAT {
        return Err(LoadError::NotAPolicy(a.format.clone()));
    }
    if a.version != VERSION {
        return Err(LoadError::UnsupportedVersion(a.version));
    }
    consistency(a)?;
    header(a)?;
    sensitive_attributes(&a.sensitive_attributes)?;
    scopes(a)?;
    page_rules(a)?;
    rules(a)?;
    for d in &a.defaults {
        channel(&d.channel, "a default")?;
    }
    detectors(a)?;
    redactions(a)
}

/// Every index points at something: scopes at earlier scopes, statements
/// at scopes, locations at sources.
fn consistency(a: &Artifact) -> Checked {
    match a.scopes.first() {
        Some(s) if s.parent.is_none() && s.conditions.is_empty() && s.loc.is_none() => {}
        _ => return inconsistent("scope 0 must be the unconditional root scope".into()),
    }
    for (i, scope) in a.scopes.iter().enumerate().skip(1) {
        match scope.parent {
            Some(p) if (p as usize) < i => {}
            _ => return inconsistent(format!("scope {i} must have an earlier parent")),
        }
    }
    let scopes = a.scopes.len();
    let statements = a
        .page_rules
        .iter()
        .map(|r| (r.scope, &r.loc))
        .chain(a.rules.iter().map(|r| (r.scope, &r.loc)))
        .chain(a.defaults.iter().map(|d| (d.scope, &d.loc)))
        .chain(a.detectors.iter().map(|d| (d.scope, &d.loc)))
        .chain(a.redactions.iter().map(|r| (r.scope, &r.loc)));
    let scope_headers = a.scopes.iter().filter_map(|s| s.loc.as_ref());
    for (scope, _) in statements.clone() {
        if scope as usize >= scopes {
            return inconsistent(format!("scope {scope} does not exist"));
        }
    }
    for loc in statements.map(|(_, loc)| loc).chain(scope_headers) {
        location(loc, a.sources.len())?;
    }
    for rule in &a.rules {
        if rule.action == Action::Block && !rule.channels.is_empty() {
            return inconsistent(format!("block rule `{}` names channels", rule.id));
        }
        if rule.action != Action::Block && rule.channels.is_empty() {
            return inconsistent(format!("rule `{}` names no channel", rule.id));
        }
    }
    Ok(())
}

fn location(loc: &Loc, sources: usize) -> Checked {
    if loc.file as usize >= sources || loc.start > loc.end {
        return inconsistent(format!("source location {loc:?} does not exist"));
    }
    if loc.line == 0 || loc.column == 0 {
        return invalid(format!(
            "source location {loc:?} has line or column 0; both count from 1"
        ));
    }
    Ok(())
}

/// At most `max` items of `what`.
fn count(what: &str, n: usize, max: usize) -> Checked {
    if n > max {
        return invalid(format!("{n} {what}, more than the {max} a policy may have"));
    }
    Ok(())
}

/// Between 1 and [`limits::MAX_LIST_ITEMS`] `what` (a plural) in
/// `statement`.
fn list(what: &str, statement: &str, n: usize) -> Checked {
    if n == 0 {
        return invalid(format!("{statement} names no {what}"));
    }
    if n > limits::MAX_LIST_ITEMS {
        return invalid(format!(
            "{statement} names {n} {what}, more than the {} one statement may name",
            limits::MAX_LIST_ITEMS
        ));
    }
    Ok(())
}

/// An id (`as NAME`, `FILE:LINE`, `preset:NAME:RULE`): some text of a
/// line, bounded.
fn id(id: &str, what: &str) -> Checked {
    if id.is_empty() || id.len() > limits::MAX_NAME_BYTES || id.chars().any(char::is_control) {
        return invalid(format!(
            "{what} id `{id}` is empty, too long or holds control characters"
        ));
    }
    Ok(())
}

fn header(a: &Artifact) -> Checked {
    if !limits::LANGUAGE_VERSIONS.contains(&a.language) {
        return invalid(format!(
            "policy language version {} is not one this format holds (`scrim {}`)",
            a.language,
            limits::LANGUAGE_VERSIONS.end()
        ));
    }
    if a.sources.is_empty() {
        return invalid("no source file is listed; the root policy comes first".into());
    }
    count("source files", a.sources.len(), limits::MAX_SOURCES)?;
    for source in &a.sources {
        let name = &source.name;
        if name.is_empty()
            || name.len() > limits::MAX_SOURCE_NAME_BYTES
            || name.chars().any(char::is_control)
        {
            return invalid(format!(
                "source name `{name}` is empty, too long or holds control characters"
            ));
        }
    }
    count("scopes", a.scopes.len(), limits::MAX_STATEMENTS)?;
    count("page rules", a.page_rules.len(), limits::MAX_STATEMENTS)?;
    count("rules", a.rules.len(), limits::MAX_STATEMENTS)?;
    count("defaults", a.defaults.len(), limits::MAX_STATEMENTS)?;
    count("detectors", a.detectors.len(), limits::MAX_DETECTORS)?;
    count("redactions", a.redactions.len(), limits::MAX_STATEMENTS)
}

fn attribute_name(name: &str, statement: &str) -> Checked {
    if !is_attribute_name(name) {
        return invalid(format!(
            "{statement} names `{name}`, which is not an attribute name as a policy writes it (lowercase letters, digits, `_`, `-`, `.` and `:`, not starting with a digit, `-`, `.` or `:`)"
        ));
    }
    Ok(())
}

/// An entry of the sensitive set: a name, or a name followed by one `*`.
fn attribute_name_or_prefix(entry: &str, statement: &str) -> Checked {
    if !is_attribute_name_or_prefix(entry) {
        return invalid(format!(
            "{statement} names `{entry}`, which is neither an attribute name as a policy writes it (lowercase letters, digits, `_`, `-`, `.` and `:`, not starting with a digit, `-`, `.` or `:`) nor such a name followed by one `*`"
        ));
    }
    Ok(())
}

fn sensitive_attributes(set: &SensitiveAttributes) -> Checked {
    let names = match set {
        SensitiveAttributes::Only { names, .. } | SensitiveAttributes::AllExcept { names } => names,
    };
    if names.len() > limits::MAX_LIST_ITEMS {
        return invalid(format!(
            "the sensitive attribute set names {} attributes, more than the {} it may name",
            names.len(),
            limits::MAX_LIST_ITEMS
        ));
    }
    for name in names {
        attribute_name_or_prefix(name, "the sensitive attribute set")?;
    }
    if names.windows(2).any(|w| w[0] >= w[1]) {
        return invalid("the sensitive attribute names are not sorted without duplicates".into());
    }
    if let SensitiveAttributes::Only { builtin: true, .. } = set
        && let Some(missing) = SensitiveAttributes::BUILTIN
            .iter()
            .find(|b| !names.iter().any(|n| n == *b))
    {
        return invalid(format!(
            "the sensitive attribute set includes the built-in list but not its `{missing}`"
        ));
    }
    Ok(())
}

fn url_pattern(p: &UrlPattern, statement: &str) -> Checked {
    if p.source.is_empty() || p.source.len() > limits::MAX_URL_PATTERN_BYTES {
        return invalid(format!(
            "{statement} has a URL pattern of {} bytes; a URL pattern has 1 to {}",
            p.source.len(),
            limits::MAX_URL_PATTERN_BYTES
        ));
    }
    let components = [
        ("protocol", &p.protocol),
        ("username", &p.username),
        ("password", &p.password),
        ("hostname", &p.hostname),
        ("port", &p.port),
        ("pathname", &p.pathname),
        ("search", &p.search),
        ("hash", &p.hash),
    ];
    for (component, expression) in components {
        if expression.is_empty() || expression.len() > limits::MAX_EXPRESSION_BYTES {
            return invalid(format!(
                "the {component} expression of URL pattern `{}` has {} bytes; an expression has 1 to {}",
                p.source,
                expression.len(),
                limits::MAX_EXPRESSION_BYTES
            ));
        }
    }
    Ok(())
}

fn patterns(ps: &[UrlPattern], statement: &str) -> Checked {
    list("URL patterns", statement, ps.len())?;
    ps.iter().try_for_each(|p| url_pattern(p, statement))
}

fn category(category: &str, statement: &str) -> Checked {
    if !is_name(category) {
        return invalid(format!(
            "{statement} names consent category `{category}`, which is not a name"
        ));
    }
    Ok(())
}

fn scopes(a: &Artifact) -> Checked {
    for (i, scope) in a.scopes.iter().enumerate().skip(1) {
        let statement = format!("scope {i}");
        if scope.loc.is_none() {
            return invalid(format!(
                "{statement} has no location; only the root scope has none"
            ));
        }
        list("conditions", &statement, scope.conditions.len())?;
        for condition in &scope.conditions {
            match condition {
                Condition::Page { patterns: ps } => patterns(ps, &statement)?,
                Condition::Consent { category: c } | Condition::NoConsent { category: c } => {
                    category(c, &statement)?
                }
                Condition::Region { codes } => {
                    list("region codes", &statement, codes.len())?;
                    if let Some(code) = codes.iter().find(|c| !is_region_code(c)) {
                        return invalid(format!(
                            "{statement} names region `{code}`, which is not an uppercase name"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Which scopes are `on page` blocks or inside one.
fn page_scoped(a: &Artifact) -> Vec<bool> {
    let mut out: Vec<bool> = Vec::with_capacity(a.scopes.len());
    for scope in &a.scopes {
        let inherited = scope.parent.is_some_and(|p| out[p as usize]);
        let own = scope
            .conditions
            .iter()
            .any(|c| matches!(c, Condition::Page { .. }));
        out.push(inherited || own);
    }
    out
}

fn page_rules(a: &Artifact) -> Checked {
    let page_scoped = page_scoped(a);
    for r in &a.page_rules {
        id(&r.id, "page rule")?;
        let statement = format!("page rule `{}`", r.id);
        if page_scoped[r.scope as usize] {
            return invalid(format!(
                "{statement} is scoped to pages; page decisions stand outside `on page` blocks"
            ));
        }
        match &r.kind {
            PageRuleKind::RequireConsent { categories } => {
                list("consent categories", &statement, categories.len())?;
                for c in categories {
                    category(c, &statement)?;
                }
            }
            PageRuleKind::RecordOnly { patterns: ps }
            | PageRuleKind::NeverRecord { patterns: ps } => patterns(ps, &statement)?,
        }
    }
    Ok(())
}

fn channel(channel: &Channel, statement: &str) -> Checked {
    match channel {
        Channel::Attr(name) => attribute_name(name, statement),
        Channel::AttrPrefix(prefix) => attribute_name(prefix, &format!("{statement} (a prefix)")),
        _ => Ok(()),
    }
}

fn rules(a: &Artifact) -> Checked {
    attribute_channel_names(a)?;
    for r in &a.rules {
        id(&r.id, "rule")?;
        let statement = format!("rule `{}`", r.id);
        if r.action != Action::Block {
            list("channels", &statement, r.channels.len())?;
        }
        for c in &r.channels {
            channel(c, &statement)?;
        }
        if r.channels.windows(2).any(|w| w[0] >= w[1]) {
            return invalid(format!(
                "{statement} names its channels out of order or twice"
            ));
        }
        if r.selector.trim().is_empty() || r.selector.len() > limits::MAX_SELECTOR_BYTES {
            return invalid(format!(
                "{statement} has a selector of {} bytes; a selector has 1 to {}",
                r.selector.trim().len(),
                limits::MAX_SELECTOR_BYTES
            ));
        }
        if r.sealed && r.action != Action::Mask {
            return invalid(format!("{statement} is sealed but does not mask"));
        }
        match &r.strategy {
            Strategy::Stars => {}
            _ if r.action != Action::Mask => {
                return invalid(format!("{statement} has a mask strategy but does not mask"));
            }
            Strategy::Fixed { text } => {
                let chars = text.chars().count();
                if chars > limits::MAX_FIXED_TEXT_CHARS {
                    return invalid(format!(
                        "{statement} masks with a fixed text of {chars} characters; the longest is {}",
                        limits::MAX_FIXED_TEXT_CHARS
                    ));
                }
            }
            Strategy::Length { length } => {
                if !limits::MASK_LENGTH.contains(length) {
                    return invalid(format!(
                        "{statement} masks with length {length}; a mask length is between {} and {}",
                        limits::MASK_LENGTH.start(),
                        limits::MASK_LENGTH.end()
                    ));
                }
            }
        }
    }
    Ok(())
}

/// At most [`limits::MAX_ATTRIBUTE_CHANNEL_NAMES`] distinct names and
/// prefixes in the rules' `attr:NAME` and `attr:PREFIX*` channels (they are
/// lowercase, so distinct as a runtime compares them). Stops counting past
/// the bound, so a hostile artifact costs no more than that many names.
fn attribute_channel_names(a: &Artifact) -> Checked {
    let mut names = HashSet::new();
    for r in &a.rules {
        for c in &r.channels {
            if matches!(c, Channel::Attr(_) | Channel::AttrPrefix(_))
                && names.insert(c)
                && names.len() > limits::MAX_ATTRIBUTE_CHANNEL_NAMES
            {
                return invalid(format!(
                    "the rules name more than {} distinct attributes and prefixes in `attr:` channels",
                    limits::MAX_ATTRIBUTE_CHANNEL_NAMES
                ));
            }
        }
    }
    Ok(())
}

/// An expression of `statement`: 1 to [`limits::MAX_EXPRESSION_BYTES`].
fn expression(pattern: &str, statement: &str) -> Checked {
    if pattern.is_empty() || pattern.len() > limits::MAX_EXPRESSION_BYTES {
        return invalid(format!(
            "{statement} has an expression of {} bytes; an expression has 1 to {}",
            pattern.len(),
            limits::MAX_EXPRESSION_BYTES
        ));
    }
    Ok(())
}

fn detectors(a: &Artifact) -> Checked {
    for d in &a.detectors {
        let statement = format!("detector `{}`", d.id);
        if !is_name(&d.id) {
            return invalid(format!("{statement} has a name that is not a name"));
        }
        let builtin = match &d.kind {
            DetectorKind::Email => Some("email"),
            DetectorKind::Card => Some("card"),
            DetectorKind::Phone => Some("phone"),
            DetectorKind::NationalId => Some("national-id"),
            DetectorKind::Pattern { pattern } => {
                expression(pattern, &statement)?;
                None
            }
        };
        let builtin_name = ["email", "card", "phone", "national-id"].contains(&d.id.as_str());
        match builtin {
            Some(name) if name != d.id => {
                return invalid(format!("{statement} is the built-in detector `{name}`"));
            }
            None if builtin_name => {
                return invalid(format!(
                    "{statement} is a custom detector with the name of a built-in one"
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

fn redactions(a: &Artifact) -> Checked {
    for (i, r) in a.redactions.iter().enumerate() {
        match &r.kind {
            RedactionKind::Query { names } => {
                let statement = format!("query redaction {i}");
                list("parameters", &statement, names.len())?;
                if let Some(name) = names.iter().find(|n| !is_parameter_name(n)) {
                    return invalid(format!(
                        "{statement} names `{name}`, which is not a query parameter name a policy can write"
                    ));
                }
            }
            RedactionKind::PathSegment { pattern } => {
                expression(pattern, &format!("path redaction {i}"))?
            }
        }
    }
    Ok(())
}
