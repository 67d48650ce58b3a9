//! `style` attributes declaration by declaration: which declarations of a
//! recorded style hold content in clear (a font family, a `content`
//! string, a `url()`), each with its masked form. When the element's
//! strings or URLs become stricter, only those declarations are written
//! again, masked, as an object of properties (rrweb's compact style
//! mutation): the replay keeps the others, so the element keeps its
//! layout, as a full snapshot of the page would show it. Declarations
//! whose strings are written masked are kept too when the policy has
//! strategies other than stars, to be written again when another one
//! comes to apply, as masked attributes are.

use crate::json::Writer;
use crate::render::{Clear, MASKED};
use scrim_content::css;
use scrim_matcher::{ChannelOutcome, Page, Strategy};

/// A strategy that writes every string empty: whether a masked
/// declaration holds a string is whether it changes it.
static EMPTY: Strategy = Strategy::Fixed {
    text: String::new(),
};

/// A declaration of a style that is in the replay with content in clear,
/// or with strings masked.
#[derive(Debug, Clone)]
pub(crate) struct Declaration {
    pub(crate) property: Box<str>,
    /// The value with its strings and URLs masked; `None` when masking
    /// drops the declaration.
    pub(crate) masked: Option<Box<str>>,
    pub(crate) important: bool,
    /// What of it is in clear: strings (`content`), URLs (`urls`).
    pub(crate) clear: Clear,
    /// The strategy its strings are written masked with.
    pub(crate) strings_with: Option<Strategy>,
}

impl Declaration {
    /// Whether it holds a string, in clear or masked.
    pub(crate) fn has_strings(&self) -> bool {
        self.clear.content || self.strings_with.is_some()
    }

    /// Whether it is kept: content in clear, or strings masked that another
    /// strategy may replace (`remember`).
    fn kept(&self, remember: bool) -> bool {
        self.clear.any() || (remember && self.strings_with.is_some())
    }
}

/// Declarations as the rewrite writes them (`name:value!important;…`):
/// `(name, value, important)`, split at the semicolons outside strings
/// and blocks.
pub(crate) fn split(css: &str) -> Vec<(&str, &str, bool)> {
    let mut pieces = Vec::new();
    let (mut depth, mut quote, mut escaped, mut start) = (0usize, None, false, 0);
    for (k, c) in css.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (c, quote) {
            ('\\', _) => escaped = true,
            (c, Some(q)) if c == q => quote = None,
            (_, Some(_)) => {}
            ('"' | '\'', None) => quote = Some(c),
            ('(' | '[' | '{', None) => depth += 1,
            (')' | ']' | '}', None) => depth = depth.saturating_sub(1),
            (';', None) if depth == 0 => {
                pieces.push(&css[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    pieces.push(&css[start..]);
    pieces
        .into_iter()
        .filter_map(|d| {
            let (name, value) = d.split_once(':')?;
            let value = value.trim();
            let (value, important) = match value.strip_suffix("!important") {
                Some(v) => (v.trim_end(), true),
                None => (value, false),
            };
            let name = name.trim();
            (!name.is_empty()).then_some((name, value, important))
        })
        .collect()
}

/// Declaration `property: value` (`!important` when `important`), as
/// written under `strings` and `urls`, with its masked form and what of it
/// is in clear.
fn masked_declaration(
    property: &str,
    value: &str,
    important: bool,
    strings: ChannelOutcome<'_>,
    urls: ChannelOutcome<'_>,
    page: &Page<'_>,
) -> Declaration {
    let text = if important {
        format!("{property}:{value}!important")
    } else {
        format!("{property}:{value}")
    };
    let rewrite = |s, u| css::rewrite_declarations(&text, s, u, page);
    let masked = rewrite(MASKED, MASKED);
    let clear = if masked == text {
        Clear::default()
    } else {
        Clear {
            content: strings.is_capture() && rewrite(MASKED, urls) != text,
            urls: urls.is_capture() && rewrite(strings, MASKED) != text,
        }
    };
    let strings_with = match strings {
        ChannelOutcome::Mask(strategy)
            if css::rewrite_declarations(&masked, ChannelOutcome::Mask(&EMPTY), MASKED, page)
                != masked =>
        {
            Some(strategy.clone())
        }
        _ => None,
    };
    Declaration {
        property: property.into(),
        masked: split(&masked).first().map(|(_, v, _)| (*v).into()),
        important,
        clear,
        strings_with,
    }
}

/// Declaration `property: value` (`!important` when `important`), as
/// written under `strings` and `urls`, when it is kept (see
/// [`Declaration`]; `remember`: strings masked are): with its masked form.
pub(crate) fn declaration(
    property: &str,
    value: &str,
    important: bool,
    strings: ChannelOutcome<'_>,
    urls: ChannelOutcome<'_>,
    page: &Page<'_>,
    remember: bool,
) -> Option<Declaration> {
    let d = masked_declaration(property, value, important, strings, urls, page);
    d.kept(remember).then_some(d)
}

/// The properties of style `written` (as written under `strings` and
/// `urls`) that are kept (content in clear; with `remember`, strings
/// masked), one declaration each: the one in force (the last, unless an
/// earlier one is `!important` and it is not), in clear when any of the
/// property's declarations is (one it overrides stays in the attribute's
/// text until the property is set).
pub(crate) fn kept_declarations(
    written: &str,
    strings: ChannelOutcome<'_>,
    urls: ChannelOutcome<'_>,
    page: &Page<'_>,
    remember: bool,
) -> Vec<Declaration> {
    if !remember && css::rewrite_declarations(written, MASKED, MASKED, page) == written {
        return Vec::new();
    }
    let mut properties: Vec<Declaration> = Vec::new();
    for (p, v, important) in split(written) {
        let d = masked_declaration(p, v, important, strings, urls, page);
        match properties
            .iter_mut()
            .find(|o| o.property.eq_ignore_ascii_case(p))
        {
            Some(o) => {
                let clear = Clear {
                    content: o.clear.content || d.clear.content,
                    urls: o.clear.urls || d.clear.urls,
                };
                let strings_with = o.strings_with.take().or(d.strings_with.clone());
                if important || !o.important {
                    *o = d;
                }
                o.clear = clear;
                o.strings_with = strings_with;
            }
            None => properties.push(d),
        }
    }
    properties.retain(|d| d.kept(remember));
    properties
}

/// What of `declarations` is in clear.
pub(crate) fn clear_of(declarations: &[Declaration]) -> Clear {
    declarations.iter().fold(Clear::default(), |c, d| Clear {
        content: c.content || d.clear.content,
        urls: c.urls || d.clear.urls,
    })
}

/// The style object that writes `declarations` again masked, with the
/// strategy in force for `strings` (their masked forms are stars).
pub(crate) fn masked_object(
    declarations: &[Declaration],
    strings: ChannelOutcome<'_>,
    urls: ChannelOutcome<'_>,
    page: &Page<'_>,
) -> String {
    let mut w = Writer::default();
    w.byte('{');
    for (k, d) in declarations.iter().enumerate() {
        if k > 0 {
            w.byte(',');
        }
        w.str(&d.property);
        w.byte(':');
        let again = d.masked.as_deref().and_then(|v| {
            let text = format!("{}:{v}", d.property);
            let rewritten = css::rewrite_declarations(&text, strings, urls, page);
            split(&rewritten).first().map(|(_, v, _)| v.to_string())
        });
        match (again, d.important) {
            (None, _) => w.raw("false"),
            (Some(v), false) => w.str(&v),
            (Some(v), true) => {
                w.byte('[');
                w.str(&v);
                w.raw(",\"important\"]");
            }
        }
    }
    w.byte('}');
    w.out
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn declarations_split_outside_strings_and_blocks() {
        assert_eq!(
            split("content:\"a;b\";background:url(\"x;y\")!important;margin:0 4px;"),
            [
                ("content", "\"a;b\"", false),
                ("background", "url(\"x;y\")", true),
                ("margin", "0 4px", false),
            ]
        );
        assert_eq!(
            split("content:\"a\\\";b\""),
            [("content", "\"a\\\";b\"", false)]
        );
        assert!(split("").is_empty());
    }
}
