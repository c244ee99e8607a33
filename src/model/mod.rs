//! The data stet works on: documents, spans, labels and their schemes, and exact offsets.
//!
//! Nothing here does I/O beyond reading a scheme file's text.

mod identity;
mod scheme;
pub mod spacy_strings;
mod span;
mod text;
mod words;

pub use identity::{Fingerprint, SpanVersion, relation_version, sha256_hex, uid_of_sha256};
pub use scheme::{
    AttributeDef, AttributeKind, Color, DEFAULT_SCHEME_RON, DeclaredLabel, LabelDef, LabelScheme,
    RelationDef, SchemeError,
};
pub use span::{Attributes, CharRange, DocStatus, Origin, Relation, Span, SpanError, Timestamp};
pub use text::{
    CharIndex, char_len, next_word_edge, slice_chars, snap_to_words, to_ascii_digits,
    trim_whitespace, word_at,
};
pub use words::count;
