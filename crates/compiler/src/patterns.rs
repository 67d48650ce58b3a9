//! URL patterns: validated with the `urlpattern` crate (the WHATWG
//! standard) and lowered to one anchored regular expression per URL
//! component, which is what runtimes execute.

use scrim_artifact::UrlPattern;
use scrim_syntax::ast::Str;
use scrim_syntax::{Diagnostic, Loc, SourceFile};
use std::sync::Arc;
use urlpattern::{UrlPatternInit, UrlPatternOptions};

type Compiled = urlpattern::UrlPattern<regex::Regex>;

pub(crate) fn lower(literal: &Str, source: &Arc<SourceFile>) -> Result<UrlPattern, Diagnostic> {
    let text = literal.value.as_str();
    let error = |span: scrim_syntax::Span, message: String, help: &str| {
        Diagnostic::error(
            "compile::invalid-url-pattern",
            Loc::new(span, source.clone()),
            message,
        )
        .with_label("here")
        .with_help(help.to_string())
    };
    let whole = literal.span;
    if text.is_empty() {
        return Err(error(
            whole,
            "empty URL pattern".into(),
            "write `/*` to match every page, or a path such as `/checkout/*`",
        ));
    }
    let init = if text == "*" {
        // Every URL: each component is a wildcard.
        Ok(UrlPatternInit::default())
    } else if text.starts_with('/') {
        // A path pattern: any origin.
        Ok(UrlPatternInit {
            pathname: Some(text.to_string()),
            ..UrlPatternInit::default()
        })
    } else {
        UrlPatternInit::parse_constructor_string::<regex::Regex>(text, None)
    };
    let compiled = init.and_then(|init| Compiled::parse(init, UrlPatternOptions::default()));
    let compiled = match compiled {
        Ok(compiled) => compiled,
        Err(urlpattern::Error::BaseUrlRequired) => {
            return Err(error(
                whole,
                format!("URL pattern `{text}` has no scheme"),
                "start it with a scheme (`https://shop.example.com/*`) or with `/` to match a path on any site",
            ));
        }
        Err(urlpattern::Error::Tokenizer(kind, position)) => {
            // The tokenizer counts from the start of the component it was
            // reading (the path, say), not of the whole pattern.
            let base =
                failing_component(text).map_or(0, |component| text.find(&component).unwrap_or(0));
            let offset = text[base..]
                .char_indices()
                .nth(position)
                .map_or(text.len(), |(i, _)| base + i);
            let end = text[offset..]
                .chars()
                .next()
                .map_or(offset, |c| offset + c.len_utf8());
            return Err(error(
                literal.source_span(offset, end),
                format!("invalid URL pattern: {}", kind.to_string().to_lowercase()),
                "see the URLPattern syntax: `*` matches anything, `:name` one path segment, `{…}?` an optional part",
            ));
        }
        Err(other) => {
            return Err(error(
                whole,
                format!("invalid URL pattern: {}", other.to_string().to_lowercase()),
                "see the URLPattern syntax: `*` matches anything, `:name` one path segment, `{…}?` an optional part",
            ));
        }
    };
    let regex_of =
        |component: &urlpattern::component::Component<regex::Regex>| -> Result<String, Diagnostic> {
            let regex = component.regexp.as_ref().map_err(|_| {
                error(
                    whole,
                    format!("URL pattern `{text}` has an invalid regular expression group"),
                    "check the `(…)` groups of the pattern",
                )
            })?;
            let pattern = regex.as_str().to_string();
            // Runtimes match with regex-lite: the lowered form must work there.
            regex_lite::Regex::new(&pattern).map_err(|_| {
                error(
                    whole,
                    format!(
                        "URL pattern `{text}` uses a regular expression the runtime cannot run"
                    ),
                    "use ASCII classes such as `[0-9]` in `(…)` groups",
                )
            })?;
            Ok(pattern)
        };
    Ok(UrlPattern {
        source: text.to_string(),
        protocol: regex_of(&compiled.protocol)?,
        username: regex_of(&compiled.username)?,
        password: regex_of(&compiled.password)?,
        hostname: regex_of(&compiled.hostname)?,
        port: regex_of(&compiled.port)?,
        pathname: regex_of(&compiled.pathname)?,
        search: regex_of(&compiled.search)?,
        hash: regex_of(&compiled.hash)?,
    })
}

/// The text of the component of a full URL pattern that fails on its own,
/// so a tokenizer position inside it can be placed in the whole pattern.
fn failing_component(text: &str) -> Option<String> {
    if text.starts_with('/') {
        return None;
    }
    let init = UrlPatternInit::parse_constructor_string::<regex::Regex>(text, None).ok()?;
    let alone = |set: fn(&mut UrlPatternInit, String), value: &Option<String>| {
        let value = value.clone()?;
        let mut init = UrlPatternInit::default();
        set(&mut init, value.clone());
        Compiled::parse(init, UrlPatternOptions::default())
            .is_err()
            .then_some(value)
    };
    alone(|i, v| i.protocol = Some(v), &init.protocol)
        .or_else(|| alone(|i, v| i.username = Some(v), &init.username))
        .or_else(|| alone(|i, v| i.password = Some(v), &init.password))
        .or_else(|| alone(|i, v| i.hostname = Some(v), &init.hostname))
        .or_else(|| alone(|i, v| i.port = Some(v), &init.port))
        .or_else(|| alone(|i, v| i.pathname = Some(v), &init.pathname))
        .or_else(|| alone(|i, v| i.search = Some(v), &init.search))
        .or_else(|| alone(|i, v| i.hash = Some(v), &init.hash))
}
