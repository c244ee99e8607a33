//! Bytes to text: BOMs, UTF-8, UTF-16, legacy single-byte encodings, newline normalisation.

use super::Problem;

/// Decodes a file's bytes to text with LF newlines, or says why it is not text.
pub fn decode_text(bytes: &[u8]) -> Result<String, Problem> {
    // TODO(ingest helper): BOM handling, chardetng, binary detection.
    if bytes.is_empty() {
        return Err(Problem::Empty);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| Problem::Encoding)?;
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}
