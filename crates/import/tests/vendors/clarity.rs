//! Microsoft Clarity's decision procedure, read literally from its
//! recorder, clarity-js (microsoft/clarity 0.8.69):
//!
//! - `packages/clarity-js/src/core/config.ts` (`content: true` by default)
//!   and the repository's `test/masking.test.ts`, which sets the dashboard's
//!   modes as the tag does: Strict is `content: false`, Balanced the
//!   default, Relaxed `unmask: ["body"]`.
//! - `src/layout/dom.ts`: `add` (a node starts with its parent's privacy;
//!   the root with `Sensitive`, or `TextImage` without `content`), `parse`
//!   (elements matching a `mask` selector get `TextImage`, then those
//!   matching an `unmask` selector `None`, so an unmask wins on one
//!   element; an `unmask` entry with `!` is a text override instead) and
//!   `privacy()`, whose cases are tried in order: input, select and
//!   textarea elements; `data-clarity-mask`; `data-clarity-unmask`; the
//!   configured selectors; text nodes (their parent's privacy); in
//!   `Sensitive`, class names holding `address`, `password` or `contact`;
//!   `blob:` images.
//! - `src/layout/constants.ts`: `MaskTagsList`, `MaskDisableList` (input
//!   types that keep their inherited privacy), `MaskExcludeList` (words
//!   that, anywhere in a form field's attribute values but `class` and
//!   `style`, make it `Exclude`), `MaskTextList`.
//! - `src/layout/node.ts`: `getAttributes` (`title`, `alt` and
//!   `aria-label` are never recorded).
//! - `src/layout/encode.ts`: `attribute` (a `data-` attribute is scrubbed
//!   as `data-`, any other by its name; a `<link>`'s `href` as it is).
//! - `src/core/scrub.ts`: `text`, what each privacy does to each kind of
//!   value, and `redact`, Balanced's masking of the words that hold a digit
//!   or an `@`.
//! - `src/interaction/input.ts`, `change.ts` and `encode.ts`: input events
//!   of every form field are recorded, a checkbox's or radio button's
//!   checked state in clear whatever the privacy; change events scrubbed
//!   by the target's privacy.

use super::page::Page;
use super::rrweb::mask_if;
use super::{Observed, Seen, Slot, slots};
use serde_json::Value;

/// `Privacy` in `types/core.d.ts` (`Snapshot` is not given to nodes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privacy {
    None,
    Sensitive,
    Text,
    TextImage,
    Exclude,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Strict,
    Balanced,
    Relaxed,
}

/// `MaskTagsList`, as the lower-case tags of the page model.
const MASK_TAGS: [&str; 3] = ["input", "select", "textarea"];
/// `MaskDisableList`.
pub const MASK_DISABLE: [&str; 6] = ["radio", "checkbox", "range", "button", "reset", "submit"];
/// `MaskExcludeList`.
const MASK_EXCLUDE: [&str; 7] = [
    "password", "secret", "pass", "social", "ssn", "code", "hidden",
];
/// `MaskTextList`.
pub const MASK_TEXT: [&str; 3] = ["address", "password", "contact"];
/// Attributes `getAttributes` leaves out of every recording (among
/// `IGNORE_ATTRIBUTES`, those the pages have).
pub const NEVER_RECORDED: [&str; 3] = ["title", "alt", "aria-label"];

/// The hint `scrub.text` is given for a text node (`Constant.TextTag`).
const TEXT: &str = "*T";
/// The hint for every `data-` attribute (`Constant.DataAttribute`).
const DATA: &str = "data-";

/// What `scrub.text` does to a non-empty value of a kind (`hint`) under
/// a privacy. An empty value is returned as it is, which is also what
/// masking it gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scrub {
    Keep,
    /// `redact`: the words that hold a digit or an `@`.
    Redact,
    Mask,
}

fn scrub(hint: &str, privacy: Privacy) -> Scrub {
    match privacy {
        Privacy::None => Scrub::Keep,
        Privacy::Sensitive => match hint {
            TEXT | "value" | "placeholder" | "click" => Scrub::Redact,
            "input" | "change" => Scrub::Mask,
            _ => Scrub::Keep,
        },
        Privacy::Text | Privacy::TextImage => match hint {
            TEXT | DATA | "value" | "click" | "input" | "change" | "placeholder" => Scrub::Mask,
            // Dropped (written empty) only with images.
            "src" | "srcset" | "title" | "alt" | "href" | "xlink:href"
                if privacy == Privacy::TextImage =>
            {
                Scrub::Mask
            }
            _ => Scrub::Keep,
        },
        Privacy::Exclude => match hint {
            TEXT | DATA | "value" | "input" | "click" | "change" | "checksum" => Scrub::Mask,
            _ => Scrub::Keep,
        },
    }
}

/// What a recording holds of `value`, scrubbed as `hint` under `privacy`.
fn seen(value: &str, hint: &str, privacy: Privacy) -> Seen {
    match scrub(hint, privacy) {
        Scrub::Keep => Seen::Clear,
        Scrub::Mask => Seen::Masked,
        Scrub::Redact => mask_if(redact(value) != value),
    }
}

/// Whether `c` is in Unicode's currency symbols (`\p{Sc}`), for the
/// characters the tests write.
fn is_currency(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥' | '¢')
}

/// Balanced's masking (`redact`): the text is cut into words at spaces,
/// tabs, line feeds and carriage returns; in a word that holds an ASCII
/// digit or an `@`, and no currency symbol, every letter becomes `▪` and
/// every number `▫`. The rest is kept.
pub fn redact(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let sensitive = word.chars().any(|c| c.is_ascii_digit() || c == '@');
        if sensitive && !word.chars().any(is_currency) {
            out.extend(word.chars().map(|c| {
                if c.is_alphabetic() {
                    '▪'
                } else if c.is_numeric() {
                    '▫'
                } else {
                    c
                }
            }));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in value.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Clarity's masking settings, as the import reads them.
#[derive(Debug, Clone)]
pub struct Clarity {
    pub mode: Mode,
    pub mask: Vec<String>,
    /// The `unmask` selectors, Relaxed's `body` among them.
    pub unmask: Vec<String>,
}

fn list(config: &Value, key: &str) -> Vec<String> {
    config
        .get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

impl Clarity {
    pub fn new(config: &Value) -> Clarity {
        let mode = match config
            .get("mode")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("strict") => Mode::Strict,
            Some("relaxed") => Mode::Relaxed,
            _ => Mode::Balanced,
        };
        let mut unmask = list(config, "unmask");
        assert!(
            unmask.iter().all(|u| !u.contains('!')),
            "the model has no text overrides"
        );
        if mode == Mode::Relaxed {
            unmask.push("body".to_string());
        }
        Clarity {
            mode,
            mask: list(config, "mask"),
            unmask,
        }
    }

    /// The privacy the document's root starts with (`add`, `content`).
    fn root(&self) -> Privacy {
        match self.mode {
            Mode::Strict => Privacy::TextImage,
            Mode::Balanced | Mode::Relaxed => Privacy::Sensitive,
        }
    }

    fn matches_any(page: &Page, i: usize, selectors: &[String]) -> bool {
        selectors.iter().any(|s| page.matches(i, s))
    }

    /// The privacy `parse` gives element `i` (`privacyMap`): the unmask
    /// selectors are applied after the masks.
    pub fn configured(&self, page: &Page, i: usize) -> Option<Privacy> {
        if Self::matches_any(page, i, &self.unmask) {
            Some(Privacy::None)
        } else if Self::matches_any(page, i, &self.mask) {
            Some(Privacy::TextImage)
        } else {
            None
        }
    }

    /// Whether `name` is among the attributes `getAttributes` records.
    fn recorded(name: &str) -> bool {
        !NEVER_RECORDED.contains(&name)
    }

    /// `privacy()` for element `i`, whose parent has `current`.
    fn own(&self, page: &Page, i: usize, current: Privacy) -> Privacy {
        let tag = page.tag(i);
        let e = &page.elements[i];
        if MASK_TAGS.contains(&tag) {
            let ty = page.attr(i, "type");
            if tag == "input" && ty.is_some_and(|t| MASK_DISABLE.contains(&t)) {
                return current;
            }
            let meta: String = e
                .attrs
                .iter()
                .filter(|(n, _)| Self::recorded(n) && n != "class" && n != "style")
                .map(|(_, v)| v.to_lowercase())
                .collect();
            return if MASK_EXCLUDE.iter().any(|x| meta.contains(x)) {
                Privacy::Exclude
            } else {
                Privacy::Text
            };
        }
        if page.attr(i, "data-clarity-mask").is_some() {
            return Privacy::TextImage;
        }
        if page.attr(i, "data-clarity-unmask").is_some() {
            return Privacy::None;
        }
        if let Some(privacy) = self.configured(page, i) {
            return privacy;
        }
        if current == Privacy::Sensitive {
            let class = page.attr(i, "class").unwrap_or("");
            return if MASK_TEXT.iter().any(|x| class.contains(x)) {
                Privacy::Text
            } else {
                current
            };
        }
        if tag == "img" && page.attr(i, "src").is_some_and(|s| s.starts_with("blob:")) {
            return Privacy::TextImage;
        }
        current
    }

    /// The privacy of every element of `page`, parents first (the page's
    /// elements are in document order).
    pub fn privacies(&self, page: &Page) -> Vec<Privacy> {
        let mut out: Vec<Privacy> = Vec::with_capacity(page.elements.len());
        for i in 0..page.elements.len() {
            let current = page.parent(i).map_or(self.root(), |p| out[p]);
            out.push(self.own(page, i, current));
        }
        out
    }

    pub fn observe(&self, page: &Page) -> Vec<Observed> {
        let privacies = self.privacies(page);
        (0..page.elements.len())
            .map(|i| Self::observe_one(page, i, privacies[i]))
            .collect()
    }

    fn observe_one(page: &Page, i: usize, privacy: Privacy) -> Observed {
        let e = &page.elements[i];
        slots(page, i)
            .into_iter()
            .map(|slot| {
                let seen = match &slot {
                    // Clarity has no blocking: every element is recorded.
                    Slot::Status => Seen::Clear,
                    // Its text node takes the element's privacy.
                    Slot::Text => seen(e.text.as_deref().unwrap_or(""), TEXT, privacy),
                    // A select's value reaches the recording in its change
                    // events.
                    Slot::Value => seen("", "change", privacy),
                    Slot::Attr(name) if !Self::recorded(name) => Seen::Gone,
                    // The state is written as an empty attribute, and input
                    // events carry it as `true` or `false` in clear.
                    Slot::Attr(name) if name == "checked" => Seen::Clear,
                    Slot::Attr(name) if name == "href" && page.tag(i) == "link" => Seen::Clear,
                    Slot::Attr(name) => {
                        let hint = if name.starts_with(DATA) { DATA } else { name };
                        seen(page.attr(i, name).unwrap_or(""), hint, privacy)
                    }
                    // Input and change events of every form field.
                    Slot::Events => Seen::Clear,
                };
                (slot, seen)
            })
            .collect()
    }
}
