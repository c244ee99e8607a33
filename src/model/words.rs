//! Counting things in words, the same way in every summary the faces show.

/// `1 document`, `2 documents`; nouns ending in s take `es` (`1 status`, `2 statuses`).
pub fn count(n: usize, noun: &str) -> String {
    match (n, noun.ends_with('s')) {
        (1, _) => format!("1 {noun}"),
        (_, true) => format!("{n} {noun}es"),
        (_, false) => format!("{n} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_and_s_nouns_take_es() {
        assert_eq!(count(1, "span"), "1 span");
        assert_eq!(count(0, "span"), "0 spans");
        assert_eq!(count(2, "status"), "2 statuses");
    }
}
