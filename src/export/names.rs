//! Safe, unique file names for folder exports (brat, WebAnno), derived from titles.

use std::collections::HashSet;

/// The longest slug taken from a title, in bytes (all ASCII); the uid suffix comes on top.
const MAX_SLUG: usize = 60;

/// Names that Windows refuses as file names whatever the extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Hands out one file stem per document: the title slugified to `[a-z0-9-]`, or the uid when
/// the title has no ASCII letters or digits; a stem already taken gets the uid's first eight
/// characters appended (the whole uid if even that is taken).
#[derive(Debug, Default)]
pub(crate) struct FileNames {
    taken: HashSet<String>,
}

impl FileNames {
    /// Reserves and returns the stem for a document with this title and uid.
    pub(crate) fn stem(&mut self, title: &str, uid: &str) -> String {
        let uid = slugify(uid, 64);
        let uid = if uid.is_empty() {
            "document".into()
        } else {
            uid
        };
        let slug = slugify(title, MAX_SLUG);
        let short: String = uid.chars().take(8).collect();
        let candidates = [
            slug.clone(),
            format!("{slug}-{short}"),
            format!("{slug}-{uid}"),
            uid.clone(),
        ];
        for candidate in candidates {
            if candidate.is_empty()
                || candidate.starts_with('-')
                || RESERVED.contains(&candidate.as_str())
            {
                continue;
            }
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
        // Uids are unique within a project, so this only runs for hand-made duplicates.
        let mut n = 2;
        loop {
            let candidate = format!("{uid}-{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// Lowercase ASCII letters and digits, every other run of characters one hyphen, no hyphen
/// at either end, at most `max` bytes (cut at a hyphen when one is near the end).
fn slugify(text: &str, max: usize) -> String {
    let mut slug = String::new();
    let mut pending_hyphen = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c.to_ascii_lowercase());
            if slug.len() >= max {
                break;
            }
        } else {
            pending_hyphen = true;
        }
    }
    if slug.len() > max {
        slug.truncate(max);
    }
    if slug.len() >= max
        && let Some(cut) = slug.rfind('-').filter(|&i| i > max / 2)
    {
        slug.truncate(cut);
    }
    slug.trim_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_short_safe_ascii_names() {
        let mut names = FileNames::default();
        assert_eq!(
            names.stem("Peskov: “We see…” ../../etc/passwd", "abc123"),
            "peskov-we-see-etc-passwd"
        );
        assert_eq!(names.stem("خبرگزاری ۱۱۶۵", "f00d"), "f00d");
        assert_eq!(names.stem("", "beef"), "beef");
        assert_eq!(names.stem("CON", "0123456789"), "con-01234567");
        let long = names.stem(&"word ".repeat(40), "u1");
        assert!(long.len() <= MAX_SLUG, "{long}");
        assert!(!long.ends_with('-'));
    }

    #[test]
    fn collisions_get_the_uid_prefix() {
        let mut names = FileNames::default();
        assert_eq!(names.stem("Same title", "aaaaaaaa11"), "same-title");
        assert_eq!(
            names.stem("Same title", "bbbbbbbb22"),
            "same-title-bbbbbbbb"
        );
        assert_eq!(
            names.stem("Same title", "bbbbbbbb33"),
            "same-title-bbbbbbbb33"
        );
        assert_eq!(
            names.stem("same-title-bbbbbbbb", "cc"),
            "same-title-bbbbbbbb-cc"
        );
    }

    #[test]
    fn no_name_has_a_separator_or_dot() {
        let mut names = FileNames::default();
        for title in ["a/b\\c", "..", ".", "a\0b", "x:y*z?"] {
            let stem = names.stem(title, "d00d");
            assert!(
                stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "{stem}"
            );
        }
    }
}
