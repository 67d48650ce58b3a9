//! Lexical path handling for includes (no file system access: `..` and `.`
//! are resolved on the text, `/` is the separator on every platform).

/// The path of `relative` as seen from the file at `from`.
pub fn join(from: &str, relative: &str) -> String {
    if relative.starts_with('/') {
        return normalize(relative);
    }
    match from.rfind('/') {
        Some(slash) => normalize(&format!("{}/{relative}", &from[..slash])),
        None => normalize(relative),
    }
}

/// Removes `.` segments and folds `dir/..`; keeps leading `..`.
pub fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// `path` relative to the folder of `root`, when it is inside it.
pub(crate) fn relative_to_root(root: &str, path: &str) -> String {
    let root_dir = root.rfind('/').map_or("", |slash| &root[..=slash]);
    path.strip_prefix(root_dir).unwrap_or(path).to_string()
}

/// The last segment of a path.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_to_the_including_file() {
        assert_eq!(
            join("examples/shop.scrim", "shared/base.scrim"),
            "examples/shared/base.scrim"
        );
        assert_eq!(
            join("examples/shared/base.scrim", "../x.scrim"),
            "examples/x.scrim"
        );
        assert_eq!(join("shop.scrim", "./a/../b.scrim"), "b.scrim");
        assert_eq!(join("a.scrim", "../../b.scrim"), "../../b.scrim");
        assert_eq!(join("/p/a.scrim", "/q/b.scrim"), "/q/b.scrim");
        assert_eq!(
            relative_to_root("examples/shop.scrim", "examples/shared/b.scrim"),
            "shared/b.scrim"
        );
        assert_eq!(file_name("examples/shop.scrim"), "shop.scrim");
    }
}
