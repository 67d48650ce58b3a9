//! Sentry Replay's decision procedure, read literally from:
//!
//! - getsentry/sentry-javascript 10.63.0,
//!   `packages/replay-internal/src/integration.ts` (option defaults:
//!   `maskAllText`, `maskAllInputs`, `blockAllMedia` true,
//!   `maskAttributes ['title', 'placeholder', 'aria-label']`,
//!   `maskInputOptions { password: true }`, `MEDIA_SELECTORS` added to the
//!   block selector), `util/getPrivacyOptions.ts` (the selector lists with
//!   Sentry's defaults: `.sentry-mask`, `[data-sentry-mask]`; `.sentry-block`,
//!   `[data-sentry-block]`, `base`, `iframe[srcdoc]:not([src])`;
//!   `.sentry-ignore`, `[data-sentry-ignore]`, `input[type="file"]`) and
//!   `util/maskAttribute.ts` (attributes masked unless the element itself
//!   matches `unmask`; `value` of `type=submit|button` inputs under
//!   `maskAllText`).
//! - The recorder fork, getsentry/rrweb 2.35.0:
//!   `packages/rrweb/src/record/index.ts` (`blockClass 'rr-block'`,
//!   `ignoreClass 'rr-ignore'`, `maskTextClass 'rr-mask'`,
//!   `maskInputOptions` under `maskAllInputs`),
//!   `packages/rrweb-snapshot/src/snapshot.ts` (`_isBlockedElement` with
//!   `unblockSelector` on the element; `needMaskingText` by distance, the
//!   nearer of mask and unmask, mask on a tie, inputs with a card or
//!   password `autocomplete` always masked; `serializeTextNode` for
//!   option labels, masked as text or as the select's value;
//!   `serializeElementNode` for `input`, `textarea`, `select`, `option`
//!   values, radio and checkbox values only when written, `checked`
//!   always written) and `utils.ts` (`shouldMaskInput`, `getInputValue`),
//!   `packages/rrweb/src/record/observer.ts` (`initInputObserver`: input
//!   events of blocked elements and of ignored ones dropped).

use super::page::Page;
use super::rrweb::{ALL_INPUTS, mask_if};
use super::{Observed, Seen, Slot, slots, unrecorded};
use serde_json::Value;

const MEDIA: &str = "img,image,svg,video,object,picture,embed,map,audio,link[rel=\"icon\"],link[rel=\"apple-touch-icon\"]";

/// The options `replayIntegration()` hands the recorder.
#[derive(Debug, Clone)]
pub struct Sentry {
    pub mask_all_text: bool,
    pub mask_input: Vec<&'static str>,
    mask_selector: String,
    pub unmask_selector: String,
    block_selector: String,
    pub unblock_selector: String,
    pub ignore_selector: String,
    pub mask_attributes: Vec<String>,
}

fn list(options: &Value, key: &str) -> Vec<String> {
    options
        .get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn flag(options: &Value, key: &str) -> bool {
    options.get(key).and_then(Value::as_bool).unwrap_or(true)
}

/// `getOption`: the user's selectors, then Sentry's.
fn option(selectors: Vec<String>, defaults: &[&str]) -> String {
    selectors
        .into_iter()
        .chain(defaults.iter().map(|s| s.to_string()))
        .collect::<Vec<_>>()
        .join(",")
}

impl Sentry {
    /// `replayIntegration(options)`.
    pub fn new(options: &Value) -> Sentry {
        let mut block_selector = option(
            list(options, "block"),
            &[
                ".sentry-block",
                "[data-sentry-block]",
                "base",
                "iframe[srcdoc]:not([src])",
            ],
        );
        if flag(options, "blockAllMedia") {
            block_selector = format!("{block_selector},{MEDIA}");
        }
        Sentry {
            mask_all_text: flag(options, "maskAllText"),
            mask_input: if flag(options, "maskAllInputs") {
                ALL_INPUTS.to_vec()
            } else {
                vec!["password"]
            },
            mask_selector: option(
                list(options, "mask"),
                &[".sentry-mask", "[data-sentry-mask]"],
            ),
            unmask_selector: option(list(options, "unmask"), &[]),
            block_selector,
            unblock_selector: option(list(options, "unblock"), &[]),
            ignore_selector: option(
                list(options, "ignore"),
                &[
                    ".sentry-ignore",
                    "[data-sentry-ignore]",
                    "input[type=\"file\"]",
                ],
            ),
            mask_attributes: match options.get("maskAttributes") {
                Some(_) => list(options, "maskAttributes"),
                None => vec!["title".into(), "placeholder".into(), "aria-label".into()],
            },
        }
    }

    pub fn matches(page: &Page, i: usize, selector: &str) -> bool {
        !selector.is_empty() && page.matches(i, selector)
    }

    /// `_isBlockedElement`.
    fn blocked(&self, page: &Page, i: usize) -> bool {
        if Self::matches(page, i, &self.unblock_selector) {
            return false;
        }
        page.has_class(i, "rr-block") || Self::matches(page, i, &self.block_selector)
    }

    /// `distanceToMatch` of `createMatchPredicate(class, selector)`.
    fn distance(page: &Page, i: usize, class: Option<&str>, selector: &str) -> Option<usize> {
        page.self_and_ancestors(i).into_iter().position(|x| {
            class.is_some_and(|c| page.has_class(x, c)) || Self::matches(page, x, selector)
        })
    }

    /// `needMaskingText(el, …, maskAll)`.
    fn need_masking(&self, page: &Page, i: usize, mask_all: bool) -> bool {
        if page.tag(i) == "input" {
            let autocomplete = page.attr(i, "autocomplete").unwrap_or("");
            if [
                "current-password",
                "new-password",
                "cc-number",
                "cc-exp",
                "cc-exp-month",
                "cc-exp-year",
                "cc-csc",
            ]
            .contains(&autocomplete)
            {
                return true;
            }
        }
        let mask = Self::distance(page, i, Some("rr-mask"), &self.mask_selector);
        let unmask = Self::distance(page, i, None, &self.unmask_selector);
        match (mask, unmask) {
            (Some(m), Some(u)) => m <= u,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => mask_all,
        }
    }

    /// `shouldMaskInput` (an option as its select).
    fn should_mask_input(&self, page: &Page, i: usize) -> bool {
        let (tag, ty) = match page.tag(i) {
            "option" => ("select", String::new()),
            tag => (tag, page.input_type(i)),
        };
        self.mask_input.contains(&tag) || self.mask_input.contains(&ty.as_str()) || ty == "password"
    }

    fn ignored(&self, page: &Page, i: usize) -> bool {
        page.has_class(i, "rr-ignore") || Self::matches(page, i, &self.ignore_selector)
    }

    /// `maskAttribute`.
    fn masks_attribute(&self, page: &Page, i: usize, name: &str) -> bool {
        if Self::matches(page, i, &self.unmask_selector) {
            return false;
        }
        self.mask_attributes.iter().any(|a| a == name)
            || (self.mask_all_text
                && name == "value"
                && page.tag(i) == "input"
                && matches!(page.attr(i, "type"), Some("submit") | Some("button")))
    }

    pub fn observe(&self, page: &Page) -> Vec<Observed> {
        (0..page.elements.len())
            .map(|i| self.observe_one(page, i))
            .collect()
    }

    fn observe_one(&self, page: &Page, i: usize) -> Observed {
        let ancestors = &page.self_and_ancestors(i)[1..];
        if ancestors.iter().any(|&a| self.blocked(page, a)) {
            return unrecorded(page, i, false, &[]);
        }
        if self.blocked(page, i) {
            return unrecorded(page, i, true, &["class"]);
        }
        let tag = page.tag(i);
        let ty = page.input_type(i);
        let value_masked = || {
            let mask_all = self.should_mask_input(page, i);
            self.need_masking(page, i, mask_all)
        };
        slots(page, i)
            .into_iter()
            .map(|slot| {
                let seen = match &slot {
                    Slot::Status => Seen::Clear,
                    Slot::Text if tag == "textarea" => mask_if(value_masked()),
                    Slot::Text if tag == "option" => {
                        mask_if(self.need_masking(page, i, self.mask_all_text) || value_masked())
                    }
                    Slot::Text => mask_if(self.need_masking(page, i, self.mask_all_text)),
                    Slot::Value => mask_if(value_masked()),
                    Slot::Attr(name) => {
                        let form_value = name == "value"
                            && (tag == "option"
                                || (tag == "input" && !matches!(ty.as_str(), "submit" | "button")));
                        if form_value {
                            mask_if(value_masked())
                        } else if name == "checked" {
                            Seen::Clear
                        } else {
                            mask_if(self.masks_attribute(page, i, name))
                        }
                    }
                    Slot::Events => mask_if(self.ignored(page, i)),
                };
                (slot, seen)
            })
            .collect()
    }
}
