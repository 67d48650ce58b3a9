//! Datadog Session Replay's decision procedure, read literally from
//! DataDog/browser-sdk v7.9.0:
//!
//! - `packages/browser-rum-core/src/domain/privacy.ts`:
//!   `getNodePrivacyLevel` / `reducePrivacyLevel` (an element's own level,
//!   else its parent's; a `hidden` parent wins; the root's is
//!   `defaultPrivacyLevel`), `getNodeSelfPrivacyLevel` (inputs of type
//!   password, email, tel, hidden and `autocomplete` starting `cc-` or
//!   ending `-password` are `mask`; then `hidden`, `mask`,
//!   `mask-unless-allowlisted`, `mask-user-input`, `allow`, each as
//!   `[data-dd-privacy="L"], .dd-privacy-L`), `shouldMaskNode`,
//!   `shouldMaskAttribute` and `getTextContent` (option labels masked as
//!   `***`).
//! - `packages/browser-rum-core/src/domain/privacyConstants.ts`
//!   (`FORM_PRIVATE_TAG_NAMES`) and `getSelectorFromElement.ts`
//!   (`STABLE_ATTRIBUTES`, kept in clear).
//! - `packages/browser-rum-core/src/domain/configuration/configuration.ts`:
//!   `defaultPrivacyLevel` defaults to `mask-user-input`.
//! - `packages/browser-rum/src/domain/record/serialization/serializeAttributes.ts`
//!   and `serializationUtils.ts` (`getElementInputValue`: button values
//!   kept, an option's value left as its attribute, `checked` dropped
//!   when masked) and `serializeNode.ts` (a `hidden` element is a
//!   placeholder without its attributes, nothing inside).
//!
//! Input events follow the same levels as the values they carry, so they
//! are recorded wherever the element is.

use super::page::Page;
use super::rrweb::mask_if;
use super::{Observed, Seen, Slot, slots, unrecorded};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Allow,
    Mask,
    MaskUserInput,
    MaskUnlessAllowlisted,
    Hidden,
}

impl Level {
    fn parse(name: &str) -> Option<Level> {
        Some(match name {
            "allow" => Level::Allow,
            "mask" => Level::Mask,
            "mask-user-input" => Level::MaskUserInput,
            "mask-unless-allowlisted" => Level::MaskUnlessAllowlisted,
            "hidden" => Level::Hidden,
            _ => return None,
        })
    }
}

const STABLE_ATTRIBUTES: [&str; 12] = [
    "data-dd-action-name",
    "data-testid",
    "data-test",
    "data-qa",
    "data-cy",
    "data-test-id",
    "data-qa-id",
    "data-testing",
    "data-component",
    "data-element",
    "data-source-file",
    "data-dd-privacy",
];

#[derive(Debug, Clone)]
pub struct Datadog {
    pub default: Level,
}

impl Datadog {
    pub fn new(options: &Value) -> Datadog {
        let default = options
            .get("defaultPrivacyLevel")
            .and_then(Value::as_str)
            .and_then(Level::parse)
            .unwrap_or(Level::MaskUserInput);
        Datadog { default }
    }

    /// `getNodeSelfPrivacyLevel`.
    pub fn own_level(page: &Page, i: usize) -> Option<Level> {
        if page.tag(i) == "input" {
            let ty = page.input_type(i);
            if matches!(ty.as_str(), "password" | "email" | "tel" | "hidden") {
                return Some(Level::Mask);
            }
            if let Some(a) = page.attr(i, "autocomplete")
                && !a.is_empty()
                && (a.starts_with("cc-") || a.ends_with("-password"))
            {
                return Some(Level::Mask);
            }
        }
        for (name, level) in [
            ("hidden", Level::Hidden),
            ("mask", Level::Mask),
            ("mask-unless-allowlisted", Level::MaskUnlessAllowlisted),
            ("mask-user-input", Level::MaskUserInput),
            ("allow", Level::Allow),
        ] {
            if page.attr(i, "data-dd-privacy") == Some(name)
                || page.has_class(i, &format!("dd-privacy-{name}"))
            {
                return Some(level);
            }
        }
        None
    }

    /// `getNodePrivacyLevel`.
    pub fn level(&self, page: &Page, i: usize) -> Level {
        let mut level = self.default;
        for x in page.self_and_ancestors(i).into_iter().rev() {
            if level == Level::Hidden {
                break;
            }
            if let Some(own) = Self::own_level(page, x) {
                level = own;
            }
        }
        level
    }

    /// `isFormElement`.
    fn is_form_element(page: &Page, i: usize) -> bool {
        if page.tag(i) == "input"
            && matches!(
                page.input_type(i).as_str(),
                "button" | "color" | "reset" | "submit"
            )
        {
            return false;
        }
        matches!(
            page.tag(i),
            "input" | "output" | "textarea" | "select" | "option" | "datalist" | "optgroup"
        )
    }

    /// `shouldMaskNode` for the element `i` itself.
    fn masks_node(page: &Page, i: usize, level: Level) -> bool {
        match level {
            Level::Mask | Level::Hidden => true,
            Level::MaskUnlessAllowlisted | Level::MaskUserInput => Self::is_form_element(page, i),
            Level::Allow => false,
        }
    }

    /// `shouldMaskNode` for a text node whose parent is `i` (the page's
    /// runtime allowlist is empty).
    fn masks_text(page: &Page, i: usize, level: Level) -> bool {
        match level {
            Level::Mask | Level::Hidden | Level::MaskUnlessAllowlisted => true,
            Level::MaskUserInput => Self::is_form_element(page, i),
            Level::Allow => false,
        }
    }

    /// `shouldMaskAttribute`.
    fn masks_attribute(page: &Page, i: usize, name: &str, level: Level) -> bool {
        if !matches!(level, Level::Mask | Level::MaskUnlessAllowlisted) {
            return false;
        }
        if STABLE_ATTRIBUTES.contains(&name) {
            return false;
        }
        let tag = page.tag(i);
        match name {
            "title" | "alt" | "placeholder" | "aria-label" | "name" => true,
            "href" if tag == "a" => true,
            "srcdoc" if tag == "iframe" => true,
            "src" | "srcset" if matches!(tag, "img" | "source") => true,
            _ => name.starts_with("data-") && page.attr(i, name).is_some_and(|v| !v.is_empty()),
        }
    }

    pub fn observe(&self, page: &Page) -> Vec<Observed> {
        (0..page.elements.len())
            .map(|i| self.observe_one(page, i))
            .collect()
    }

    fn observe_one(&self, page: &Page, i: usize) -> Observed {
        if page.self_and_ancestors(i)[1..]
            .iter()
            .any(|&a| self.level(page, a) == Level::Hidden)
        {
            return unrecorded(page, i, false, &[]);
        }
        let level = self.level(page, i);
        if level == Level::Hidden {
            return unrecorded(page, i, true, &[]);
        }
        let tag = page.tag(i);
        let ty = page.input_type(i);
        slots(page, i)
            .into_iter()
            .map(|slot| {
                let seen = match &slot {
                    Slot::Status => Seen::Clear,
                    Slot::Text => mask_if(Self::masks_text(page, i, level)),
                    Slot::Value => mask_if(Self::masks_node(page, i, level)),
                    Slot::Attr(name) if name == "value" && tag == "input" => {
                        let button = matches!(ty.as_str(), "button" | "submit" | "reset");
                        mask_if(!button && Self::masks_node(page, i, level))
                    }
                    // Left as its attribute: `getElementInputValue` returns
                    // nothing for a masked option.
                    Slot::Attr(name) if name == "value" && tag == "option" => Seen::Clear,
                    Slot::Attr(name) if name == "checked" => {
                        mask_if(Self::masks_node(page, i, level))
                    }
                    Slot::Attr(name) => mask_if(Self::masks_attribute(page, i, name, level)),
                    Slot::Events => Seen::Clear,
                };
                (slot, seen)
            })
            .collect()
    }
}
