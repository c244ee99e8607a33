//! Train/dev/test splits by document, deterministic for a given project and seed.
//!
//! Documents are ordered by the SHA-256 of `"{seed}:{uid}"` (ties, which cannot happen for
//! distinct uids, by uid) and cut into consecutive runs whose sizes follow the fractions:
//! part `k` ends at `round(n × (f₁ + … + f_k))`. The order depends only on the seed and each
//! document's uid (the hash of its text), so adding documents to a project moves few others.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// How far the fractions may sum from 1 (they are typed by people, in decimal).
const SUM_TOLERANCE: f64 = 1e-6;

/// A parsed `--split` value such as `train=0.8,dev=0.1,test=0.1`.
#[derive(Clone, Debug, PartialEq)]
pub struct SplitSpec {
    /// Part names with their fractions, in the order given.
    pub parts: Vec<(String, f64)>,
}

/// One part of a split: its name and the uids of its documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitPart {
    pub name: String,
    pub documents: BTreeSet<String>,
}

impl FromStr for SplitSpec {
    type Err = String;

    /// Parses `name=fraction,…`: names of letters, digits, `_` or `-`, each used once;
    /// fractions above 0 and summing to 1.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut parts: Vec<(String, f64)> = Vec::new();
        for item in text.split(',') {
            let item = item.trim();
            let Some((name, fraction)) = item.split_once('=') else {
                return Err(format!(
                    "{item:?} is not NAME=FRACTION (for example train=0.8,dev=0.1,test=0.1)"
                ));
            };
            let name = name.trim();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(format!(
                    "part name {name:?} must be letters, digits, '_' or '-'"
                ));
            }
            if parts.iter().any(|(n, _)| n == name) {
                return Err(format!("part name {name:?} is used twice"));
            }
            let value: f64 = fraction
                .trim()
                .parse()
                .map_err(|_| format!("{name}: {:?} is not a number", fraction.trim()))?;
            if !value.is_finite() || value <= 0.0 || value > 1.0 {
                return Err(format!(
                    "{name}: fraction {value} must be above 0 and at most 1"
                ));
            }
            parts.push((name.to_owned(), value));
        }
        if parts.len() < 2 {
            return Err("a split needs at least two parts".into());
        }
        let sum: f64 = parts.iter().map(|(_, f)| f).sum();
        if (sum - 1.0).abs() > SUM_TOLERANCE {
            return Err(format!("the fractions sum to {sum}, not 1"));
        }
        Ok(Self { parts })
    }
}

impl fmt::Display for SplitSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text: Vec<String> = self
            .parts
            .iter()
            .map(|(name, fraction)| format!("{name}={fraction}"))
            .collect();
        f.write_str(&text.join(","))
    }
}

impl SplitSpec {
    /// Cuts `uids` (any order) into the parts, in the spec's order.
    pub fn cut(&self, uids: &[String], seed: u64) -> Vec<SplitPart> {
        let mut keyed: Vec<([u8; 32], &String)> =
            uids.iter().map(|uid| (split_key(seed, uid), uid)).collect();
        keyed.sort();
        let n = keyed.len();
        let mut parts = Vec::with_capacity(self.parts.len());
        let mut cumulative = 0.0;
        let mut start = 0;
        for (i, (name, fraction)) in self.parts.iter().enumerate() {
            cumulative += fraction;
            let end = if i + 1 == self.parts.len() {
                n
            } else {
                ((n as f64 * cumulative).round() as usize).clamp(start, n)
            };
            let documents = keyed[start..end]
                .iter()
                .map(|(_, uid)| (*uid).clone())
                .collect();
            parts.push(SplitPart {
                name: name.clone(),
                documents,
            });
            start = end;
        }
        parts
    }
}

/// The sort key of a document in a split: SHA-256 of `"{seed}:{uid}"`.
fn split_key(seed: u64, uid: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(seed.to_string().as_bytes());
    hasher.update(b":");
    hasher.update(uid.as_bytes());
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_refuse_clearly() {
        let spec: SplitSpec = "train=0.8, dev=0.1,test=0.1".parse().unwrap();
        assert_eq!(spec.parts.len(), 3);
        assert_eq!(spec.to_string(), "train=0.8,dev=0.1,test=0.1");
        let err = |s: &str| s.parse::<SplitSpec>().unwrap_err();
        assert_eq!(err("train=0.8,dev=0.1"), "the fractions sum to 0.9, not 1");
        assert!(err("train=0.5,train=0.5").contains("used twice"));
        assert!(err("train=x,dev=1").contains("not a number"));
        assert!(err("train").contains("NAME=FRACTION"));
        assert!(err("a/b=0.5,c=0.5").contains("letters, digits"));
        assert!(err("train=1").contains("at least two"));
        assert!(err("train=1.5,dev=-0.5").contains("above 0"));
        assert!(err("train=NaN,dev=0.5").contains("above 0"));
    }

    #[test]
    fn cuts_are_deterministic_complete_and_proportional() {
        let spec: SplitSpec = "train=0.8,dev=0.1,test=0.1".parse().unwrap();
        let uids: Vec<String> = (0..1000).map(|i| format!("{i:032x}")).collect();
        let parts = spec.cut(&uids, 7);
        let sizes: Vec<usize> = parts.iter().map(|p| p.documents.len()).collect();
        assert_eq!(sizes, [800, 100, 100]);
        let all: BTreeSet<&String> = parts.iter().flat_map(|p| &p.documents).collect();
        assert_eq!(all.len(), 1000);
        let mut reversed = uids.clone();
        reversed.reverse();
        assert_eq!(spec.cut(&reversed, 7), parts);
        assert_ne!(spec.cut(&uids, 8), parts);
    }

    #[test]
    fn tiny_projects_still_fill_every_document_once() {
        let spec: SplitSpec = "train=0.8,dev=0.1,test=0.1".parse().unwrap();
        let uids: Vec<String> = (0..3).map(|i| i.to_string()).collect();
        let parts = spec.cut(&uids, 1);
        let total: usize = parts.iter().map(|p| p.documents.len()).sum();
        assert_eq!(total, 3);
        assert!(spec.cut(&[], 1).iter().all(|p| p.documents.is_empty()));
    }
}
