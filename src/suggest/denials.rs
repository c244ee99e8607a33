//! Denials: clauses in which someone rejects a claim or an accusation.
//!
//! Triggers: `deny`/`denies`/`denied`/`denying`; `reject`, `dismiss`, `refute` (any form)
//! when a claim-like object follows (`the claims`, `the report`, `allegations`, `that`, `as`);
//! `not true`, `untrue`, `no truth`, `baseless`, `unfounded`, `groundless`; `no plans to`,
//! `no intention of`, `nothing to do with`.
//! Not denials: a negated trigger (`did not deny`, `declined to deny`, `neither confirmed nor
//! denied`), the passive of a refusal (`was denied entry`, `denied bail`, `denied a visa`),
//! and refusals to comment (no trigger).
//!
//! The extent follows `projects/newsroom.ron` ("tag the whole clause, so that it names who
//! denies and what they deny"): from the clause's subject (the sentence's start, after an
//! introductory phrase ending in a comma such as `On Monday,` or `In a statement,`, or after
//! `; `, `, but`, `, while`) to the end of the sentence, without its final stop, cut before
//! `; `, `but`, `, while`, `, although`, `, saying`, `, adding`, `, calling`. When the
//! trigger is inside a quotation the whole sentence is the denial, attribution included
//! (`“That is not true,” Peskov said`). A denied clause with no object is still a denial
//! (`Peskov denied it`, `The company denied.`).

use super::lexicon::is_in;
use super::tokens::{Analysis, TokenKind};
use crate::model::CharRange;

const CLAIM_NOUNS: &[&str] = &[
    "claim",
    "claims",
    "accusation",
    "accusations",
    "allegation",
    "allegations",
    "report",
    "reports",
    "suggestion",
    "suggestions",
    "charge",
    "charges",
    "assertion",
    "assertions",
    "idea",
    "notion",
    "speculation",
    "rumour",
    "rumours",
    "rumor",
    "rumors",
    "criticism",
    "characterisation",
    "characterization",
    "story",
    "stories",
    "assessment",
    "findings",
    "theory",
    "narrative",
    "that",
    "as",
    "reporting",
    "account",
    "accounts",
    "version",
    "results",
    "figures",
    "argument",
    "arguments",
];

const REFUSED_THINGS: &[&str] = &[
    "entry",
    "access",
    "bail",
    "visa",
    "visas",
    "permission",
    "asylum",
    "passage",
    "treatment",
    "parole",
    "request",
    "appeal",
    "boarding",
    "service",
    "care",
    "funding",
    "benefits",
];

const NEGATIONS: &[&str] = &[
    "not", "never", "neither", "nor", "declined", "refused", "no", "without", "cannot",
];

const INTRO_WORDS: &[&str] = &[
    "on",
    "in",
    "at",
    "speaking",
    "asked",
    "after",
    "earlier",
    "later",
    "meanwhile",
    "however",
    "yesterday",
    "today",
    "separately",
    "for",
    "instead",
    "responding",
    "when",
    "during",
    "asked",
    "writing",
    "but",
    "and",
    "late",
    "in",
    "overnight",
    "last",
];

const CUT_AFTER_COMMA: &[&str] = &[
    "but",
    "while",
    "although",
    "though",
    "whereas",
    "saying",
    "adding",
    "calling",
    "insisting",
];

/// Every denial clause in the document, in text order.
pub fn denials(a: &Analysis, quotes: &[CharRange]) -> Vec<CharRange> {
    let mut out: Vec<CharRange> = Vec::new();
    for t in 0..a.tokens.len() {
        if !is_trigger(a, t) {
            continue;
        }
        // One denial per clause: a later trigger in the sentence of an earlier one
        // (`denied the accusations, calling them “baseless”`) adds nothing.
        if out
            .last()
            .is_some_and(|last| same_sentence(a, a.token_at_or_after(last.start), t))
        {
            continue;
        }
        let range = clause(a, t, quotes);
        match out.last_mut() {
            Some(last) if last.overlaps(range) => {
                *last = CharRange::new(last.start.min(range.start), last.end.max(range.end));
            }
            _ => out.push(range),
        }
    }
    out
}

/// Whether token `t` starts a denial trigger.
fn is_trigger(a: &Analysis, t: usize) -> bool {
    let w = a.lower(t);
    let stem_deny = matches!(w, "deny" | "denies" | "denied" | "denying");
    let stem_reject = w.starts_with("reject") || w.starts_with("dismiss") || w.starts_with("refut");
    let phrase = match w {
        "not" => a.lower(t + 1) == "true",
        "untrue" | "baseless" | "unfounded" | "groundless" => true,
        "no" => {
            matches!(a.lower(t + 1), "plans" | "plan") && a.lower(t + 2) == "to"
                || a.lower(t + 1) == "truth"
                || a.lower(t + 1) == "intention" && matches!(a.lower(t + 2), "of" | "to")
        }
        "nothing" => a.lower(t + 1) == "to" && a.lower(t + 2) == "do" && a.lower(t + 3) == "with",
        _ => false,
    };
    if phrase {
        return true;
    }
    if !(stem_deny || stem_reject) || negated(a, t) || passive(a, t) {
        return false;
    }
    if stem_deny {
        return !(t + 1..t + 4).any(|k| is_in(REFUSED_THINGS, a.lower(k)));
    }
    if matches!(w, "dismissal" | "dismissals" | "rejection" | "rejections") {
        return false;
    }
    (t + 1..t + 7)
        .take_while(|&k| !matches!(a.lower(k), "." | ";" | ""))
        .any(|k| is_in(CLAIM_NOUNS, a.lower(k)))
}

/// Whether tokens `from..=e` are an attribution closing the sentence (`officials said`,
/// `the ministry said on Monday`): a reporting verb within five words, at most three
/// words after it.
fn attribution_ends(a: &Analysis, from: usize, e: usize) -> bool {
    (from + 1..=e.min(from + 5)).any(|k| {
        matches!(a.lower(k), "said" | "says" | "say" | "told" | "added")
            && (k + 1..=e)
                .filter(|&m| a.tokens[m].kind == TokenKind::Word)
                .count()
                <= 3
    })
}

/// Whether tokens `first` and `second` are in one sentence.
fn same_sentence(a: &Analysis, first: usize, second: usize) -> bool {
    first <= second
        && a.tokens[first].paragraph == a.tokens[second].paragraph
        && !(first + 1..=second).any(|k| a.tokens[k].sentence_start || a.lower(k) == ";")
}

/// A negation or refusal word in the three tokens before `t`.
fn negated(a: &Analysis, t: usize) -> bool {
    (t.saturating_sub(3)..t).any(|k| {
        let w = a.lower(k);
        is_in(NEGATIONS, w) || w.ends_with("n’t") || w.ends_with("n't")
    })
}

/// A passive (`was denied`, `were rejected`).
fn passive(a: &Analysis, t: usize) -> bool {
    let mut k = t;
    while k > 0 && a.lower(k - 1).ends_with("ly") {
        k -= 1;
    }
    k > 0
        && matches!(
            a.lower(k - 1),
            "was" | "were" | "been" | "being" | "is" | "are" | "be" | "get" | "got"
        )
}

/// The clause around the trigger at `t`.
fn clause(a: &Analysis, t: usize, quotes: &[CharRange]) -> CharRange {
    let at = a.tokens[t].start;
    let paragraph = a.tokens[t].paragraph;
    let mut s = t;
    while s > 0 && !a.tokens[s].sentence_start && a.tokens[s - 1].paragraph == paragraph {
        s -= 1;
    }
    let mut e = t;
    while e + 1 < a.tokens.len()
        && a.tokens[e + 1].paragraph == paragraph
        && !a.tokens[e + 1].sentence_start
    {
        e += 1;
    }
    let sentence_at = a.tokens[s].start;
    let quoted = quotes
        .iter()
        .any(|q| q.start <= at && at < q.end && q.start <= sentence_at);
    if quoted {
        if a.tokens[e].kind == TokenKind::Punct && matches!(a.lower(e), "." | "!" | "?") && e > s {
            e -= 1;
        }
        return CharRange::new(a.tokens[s].start, a.tokens[e].end);
    }
    // The clause's start: after `;`, `, but`, or an introductory phrase.
    let mut start = s;
    for k in s..t {
        let w = a.lower(k);
        if w == ";" || w == "," && is_in(CUT_AFTER_COMMA, a.lower(k + 1)) {
            start = k + 1;
            if is_in(CUT_AFTER_COMMA, a.lower(start)) {
                start += 1;
            }
        } else if w == "," && k > start && is_in(INTRO_WORDS, a.lower(start)) {
            start = k + 1;
        }
    }
    if matches!(a.lower(start), "but" | "and" | "yet") && start < t {
        start += 1;
    }
    // The clause's end.
    let mut end = e;
    for k in t + 1..=e {
        let w = a.lower(k);
        if w == ";" || w == "," && is_in(CUT_AFTER_COMMA, a.lower(k + 1)) {
            end = k - 1;
            break;
        }
        if w == "but" && k > t + 1 {
            end = k - 1;
            break;
        }
        if w == "," && attribution_ends(a, k + 1, e) {
            // "…, officials said.": the attribution is not part of the clause.
            end = k - 1;
            break;
        }
    }
    while end > t && matches!(a.lower(end), "." | "!" | "?" | "," | ":") {
        end -= 1;
    }
    CharRange::new(a.tokens[start].start, a.tokens[end].end)
}

#[cfg(test)]
mod tests {
    use super::super::quotes::quotes;
    use super::*;

    fn found(text: &str) -> Vec<String> {
        let a = Analysis::new(text);
        let q = quotes(&a);
        denials(&a, &q)
            .into_iter()
            .map(|r| a.text(r.start, r.end))
            .collect()
    }

    #[test]
    fn the_whole_clause_with_its_subject() {
        assert_eq!(
            found("Russia and Akhmetov have denied that any plot is under way."),
            ["Russia and Akhmetov have denied that any plot is under way"]
        );
        assert_eq!(
            found("On Monday, the ministry rejected the claims as propaganda, calling them lies."),
            ["the ministry rejected the claims as propaganda"]
        );
        assert_eq!(
            found("Troops moved west, but Moscow has no plans to invade, officials said."),
            ["Moscow has no plans to invade"]
        );
    }

    #[test]
    fn denied_without_an_object() {
        assert_eq!(
            found("Asked about the report, Peskov denied."),
            ["Peskov denied"]
        );
        assert_eq!(found("The company denied it."), ["The company denied it"]);
    }

    #[test]
    fn quoted_denials_take_the_sentence() {
        assert_eq!(
            found("“That is not true,” Peskov said."),
            ["“That is not true,” Peskov said"]
        );
    }

    #[test]
    fn refusals_and_negations_are_not_denials() {
        assert!(found("He was denied entry at the border.").is_empty());
        assert!(found("The court denied bail.").is_empty());
        assert!(found("The Kremlin did not deny the report.").is_empty());
        assert!(
            found("Officials declined to deny it and would neither confirm nor deny.").is_empty()
        );
        assert!(found("Voters rejected the proposal.").is_empty());
        assert!(found("The spokesman declined to comment.").is_empty());
    }
}
