//! Suggestions: rule-based recognisers that propose spans (and `said_by` links) over a
//! document's text, for the analyst to accept or reject. Pure: text in, proposals out; no
//! store, no I/O. Offsets are Unicode code points, end-exclusive, like every span's.
//!
//! One file per recogniser, each with its extent rules in its module doc and its hard cases
//! in its tests: [`figures`], [`quotes`], [`speakers`] (the source of each quote), [`denials`],
//! and [`occurrences`] (the same string as a tagged span, elsewhere). The text is tokenised
//! once per document ([`tokens::Analysis`]) and shared by all of them.
//!
//! A learned recogniser (a model trained on the project's accepted spans) is not here yet.

pub mod denials;
pub mod figures;
pub mod lexicon;
pub mod occurrences;
pub mod quotes;
pub mod speakers;
pub mod tokens;

use std::collections::HashMap;

use crate::model::CharRange;

pub use tokens::Analysis;

/// One recogniser, as `stet suggest --only` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Recogniser {
    Figures,
    Quotes,
    Speakers,
    Denials,
    Occurrences,
}

impl Recogniser {
    /// Every recogniser, in the order they run.
    pub const ALL: [Self; 5] = [
        Self::Figures,
        Self::Quotes,
        Self::Speakers,
        Self::Denials,
        Self::Occurrences,
    ];

    /// The name on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Figures => "figures",
            Self::Quotes => "quotes",
            Self::Speakers => "speakers",
            Self::Denials => "denials",
            Self::Occurrences => "occurrences",
        }
    }

    /// Reads a name (`figures`, `figure`, …).
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|r| r.name() == name || r.name().trim_end_matches('s') == name)
    }

    /// The label its proposals carry (occurrences carry the label of the span they copy).
    pub const fn label(self) -> &'static str {
        match self {
            Self::Figures => "figure",
            Self::Quotes => "quote",
            Self::Speakers => "source",
            Self::Denials => "denial",
            Self::Occurrences => "",
        }
    }
}

/// A proposed span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub range: CharRange,
    pub label: String,
    pub recogniser: Recogniser,
}

/// A proposed link between two proposals (indices into [`Proposals::spans`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProposedLink {
    /// The relation kind (`said_by`).
    pub kind: &'static str,
    pub from: usize,
    pub to: usize,
}

/// What the recognisers propose for one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Proposals {
    pub spans: Vec<Proposal>,
    pub links: Vec<ProposedLink>,
}

impl Proposals {
    fn push(&mut self, range: CharRange, label: &str, recogniser: Recogniser) -> usize {
        self.spans.push(Proposal {
            range,
            label: label.to_owned(),
            recogniser,
        });
        self.spans.len() - 1
    }
}

/// Runs the rule recognisers in `which` over `text`. Speakers bring their quotes (a
/// `said_by` link needs both ends); occurrences need tagged spans and are proposed by
/// [`propose_occurrences`].
pub fn propose(text: &str, which: &[Recogniser]) -> Proposals {
    let a = Analysis::new(text);
    propose_in(&a, which)
}

/// [`propose`] over an already tokenised text.
pub fn propose_in(a: &Analysis, which: &[Recogniser]) -> Proposals {
    let mut out = Proposals::default();
    let wants = |r| which.contains(&r);
    if wants(Recogniser::Figures) {
        for range in figures::figures(a) {
            out.push(range, "figure", Recogniser::Figures);
        }
    }
    let need_quotes =
        wants(Recogniser::Quotes) || wants(Recogniser::Speakers) || wants(Recogniser::Denials);
    let quotes = if need_quotes {
        quotes::quotes(a)
    } else {
        Vec::new()
    };
    let mut quote_index = Vec::new();
    if wants(Recogniser::Quotes) || wants(Recogniser::Speakers) {
        for &range in &quotes {
            quote_index.push(out.push(range, "quote", Recogniser::Quotes));
        }
    }
    if wants(Recogniser::Speakers) {
        let mut sources: HashMap<CharRange, usize> = HashMap::new();
        for at in speakers::speakers(a, &quotes) {
            let to = *sources
                .entry(at.source)
                .or_insert_with(|| out.push(at.source, "source", Recogniser::Speakers));
            if let Some(&from) = quote_index.get(at.quote) {
                out.links.push(ProposedLink {
                    kind: "said_by",
                    from,
                    to,
                });
            }
        }
    }
    if wants(Recogniser::Denials) {
        for range in denials::denials(a, &quotes) {
            out.push(range, "denial", Recogniser::Denials);
        }
    }
    out
}

/// Proposes each tagged string (`tagged`: text and label) wherever else it occurs in
/// `text` as whole words, except where a span of that label already covers it (`existing`).
pub fn propose_occurrences(
    text: &str,
    tagged: &[(String, String)],
    existing: &[(CharRange, String)],
) -> Vec<Proposal> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (needle, label) in tagged {
        let needle: Vec<char> = needle.chars().collect();
        let skip: Vec<CharRange> = existing
            .iter()
            .filter(|(_, l)| l == label)
            .map(|(r, _)| *r)
            .collect();
        for range in occurrences::occurrences(&chars, &needle, &skip) {
            out.push(Proposal {
                range,
                label: label.clone(),
                recogniser: Recogniser::Occurrences,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speakers_link_their_quotes_to_one_source_span() {
        let text = "“We will not,” Peskov said, “accept this at all.”";
        let found = propose(text, &[Recogniser::Speakers]);
        let labels: Vec<&str> = found.spans.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["quote", "quote", "source"]);
        assert_eq!(found.links.len(), 2);
        assert!(found.links.iter().all(|l| l.to == 2 && l.kind == "said_by"));
    }

    #[test]
    fn recogniser_names_parse() {
        assert_eq!(Recogniser::parse("Figures"), Some(Recogniser::Figures));
        assert_eq!(Recogniser::parse("quote"), Some(Recogniser::Quotes));
        assert_eq!(Recogniser::parse("learned"), None);
    }

    #[test]
    fn occurrences_copy_the_label() {
        let tagged = [("Peskov".to_owned(), "source".to_owned())];
        let existing = [(CharRange::new(0, 6), "source".to_owned())];
        let found = propose_occurrences("Peskov met Peskov.", &tagged, &existing);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range, CharRange::new(11, 17));
        assert_eq!(found[0].label, "source");
    }
}
