//! With `--pages`: elements with content that no rule reaches, decided by
//! the defaults alone.
//!
//! ## What it catches
//!
//! For each page of the list given with `scrim lint --pages`, the elements
//! that have text of their own or form state (a field, a text area, a
//! select) and that no rule of the policy selects, nor any element around
//! them: every one of their channels falls to the defaults (step 6 of the
//! resolution order). One finding per page, on its line of the list,
//! naming the first of them.
//!
//! ## Why it matters
//!
//! The defaults decide what nobody thought of. In a private-by-default
//! policy that is safe, but it is also what the replay will not show: the
//! list says where an `allow` is missing. In a policy that captures by
//! default, it is the list of what is recorded in clear only because no
//! rule says otherwise: read it before shipping. Either way, content that
//! only the defaults decide is content the policy does not speak about.
//!
//! ## Example
//!
//! Here the note is captured only because text is captured by default
//! (the finding is on the page's line of the list):
//!
//! ```scrim bad
//! scrim 1
//!
//! default text capture
//! mask text ".client-name"
//! ```
//!
//! ```html
//! <p class="client-name">Jane Doe</p>
//! <p class="note">Call me after six</p>
//! ```
//!
//! Say what happens to every part of the page:
//!
//! ```scrim
//! scrim 1
//!
//! default text capture
//! mask text ".client-name, .note"
//! ```
//!
//! ```html
//! <p class="client-name">Jane Doe</p>
//! <p class="note">Call me after six</p>
//! ```

use crate::corpus::Corpus;
use crate::finding::{Finding, Findings};
use crate::model::Model;
use crate::registry::{Category, Check, Rule};
use scrim_syntax::ast::LintLevel;
use scrim_syntax::{Code, Loc};

pub(crate) static RULE: Rule = Rule {
    id: "default-only-elements",
    category: Category::Privacy,
    default_level: LintLevel::Warn,
    code: Code::LintDefaultOnlyElements,
    source: include_str!("default_only_elements.rs"),
    check: Check::Corpus(check),
};

/// How many element paths a finding names.
const SHOWN: usize = 5;

fn check(_model: &Model<'_>, corpus: &Corpus, out: &mut Findings) {
    for page in &corpus.pages {
        let count = page.default_only.len();
        if !page.recorded || count == 0 {
            continue;
        }
        let mut shown: Vec<String> = page
            .default_only
            .iter()
            .take(SHOWN)
            .map(|p| format!("`{p}`"))
            .collect();
        if count > SHOWN {
            shown.push(format!("and {} more", count - SHOWN));
        }
        let noun = if count == 1 { "element" } else { "elements" };
        out.add(
            Finding::new(
                RULE.id,
                Loc::new(page.span, corpus.list.clone()),
                format!(
                    "{count} {noun} of `{}` with content no rule reaches: only the defaults decide them",
                    page.name
                ),
            )
            .label(format!("{count} of {} elements", page.elements))
            .help(format!(
                "{}; `scrim explain` on this page shows how each is decided",
                shown.join(", ")
            )),
        );
    }
}
