//! A finding: what a rule reports, before levels and suppression comments
//! turn it into a diagnostic (or nothing).

use scrim_syntax::{Fix, Loc};

#[derive(Debug, Clone)]
pub(crate) struct Finding {
    /// The id of the rule that found it.
    pub rule: &'static str,
    pub loc: Loc,
    /// Lowercase, no trailing period, user input in backticks.
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    pub related: Vec<(Loc, String)>,
    /// Mechanical changes that resolve it, in its file.
    pub fixes: Vec<Fix>,
}

impl Finding {
    pub(crate) fn new(rule: &'static str, loc: Loc, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            loc,
            message: message.into(),
            label: String::new(),
            help: None,
            related: Vec::new(),
            fixes: Vec::new(),
        }
    }

    pub(crate) fn label(mut self, label: impl Into<String>) -> Finding {
        self.label = label.into();
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// Adds a fix, when there is one.
    pub(crate) fn fix(mut self, fix: Option<Fix>) -> Finding {
        self.fixes.extend(fix);
        self
    }

    pub(crate) fn related(mut self, loc: Loc, label: impl Into<String>) -> Finding {
        self.related.push((loc, label.into()));
        self
    }
}

/// Every finding of one run, in the order the rules report them.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub(crate) list: Vec<Finding>,
}

impl Findings {
    pub(crate) fn add(&mut self, finding: Finding) {
        self.list.push(finding);
    }
}
