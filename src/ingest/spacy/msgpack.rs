//! A msgpack message read whole into a tree that borrows its strings and binaries from the
//! bytes, for the `DocBin` reader: every length is checked against the bytes left, nesting is
//! bounded, and nothing panics on any input.

use rmp::Marker;

/// How deep arrays and maps may nest (a `DocBin` needs 3; hostile input may try millions).
const MAX_DEPTH: usize = 32;

/// One msgpack value.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Value<'a> {
    Nil,
    Bool(bool),
    Uint(u64),
    Int(i64),
    Float(f64),
    /// A string's bytes (msgpack does not promise UTF-8).
    Str(&'a [u8]),
    Bin(&'a [u8]),
    Array(Vec<Value<'a>>),
    Map(Vec<(Value<'a>, Value<'a>)>),
    Ext,
}

impl<'a> Value<'a> {
    /// The value under the string key `key`, if this is a map that has it.
    pub(super) fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Self::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(k, Self::Str(s) if *s == key.as_bytes()))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The bytes of a binary (or, as old msgpack writers stored them, of a string).
    pub(super) fn bytes(&self) -> Option<&'a [u8]> {
        match *self {
            Self::Bin(b) | Self::Str(b) => Some(b),
            _ => None,
        }
    }

    /// The text of a UTF-8 string.
    pub(super) fn text(&self) -> Option<&'a str> {
        match *self {
            Self::Str(b) => std::str::from_utf8(b).ok(),
            _ => None,
        }
    }

    /// A non-negative integer.
    pub(super) fn uint(&self) -> Option<u64> {
        match *self {
            Self::Uint(n) => Some(n),
            Self::Int(n) => u64::try_from(n).ok(),
            _ => None,
        }
    }
}

/// Reads `bytes` as exactly one msgpack value; the error says what is wrong and where.
pub(super) fn parse(bytes: &[u8]) -> Result<Value<'_>, String> {
    let mut reader = Reader { bytes, at: 0 };
    let value = reader.value(0)?;
    if reader.at != bytes.len() {
        return Err(format!(
            "{} bytes after the end of the message at byte {}",
            bytes.len() - reader.at,
            reader.at
        ));
    }
    Ok(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len());
        let taken = end.and_then(|end| self.bytes.get(self.at..end));
        let Some(taken) = taken else {
            return Err(format!(
                "cut short: {n} bytes wanted at byte {}, {} left",
                self.at,
                self.bytes.len().saturating_sub(self.at)
            ));
        };
        self.at += n;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// A big-endian unsigned length or number of `width` bytes.
    fn be(&mut self, width: usize) -> Result<u64, String> {
        Ok(self
            .take(width)?
            .iter()
            .fold(0u64, |n, &b| (n << 8) | u64::from(b)))
    }

    fn len(&mut self, width: usize) -> Result<usize, String> {
        let n = self.be(width)?;
        usize::try_from(n).map_err(|_| format!("a length of {n} at byte {}", self.at))
    }

    fn value(&mut self, depth: usize) -> Result<Value<'a>, String> {
        if depth > MAX_DEPTH {
            return Err(format!(
                "nested more than {MAX_DEPTH} deep at byte {}",
                self.at
            ));
        }
        let [byte] = self.array::<1>()?;
        Ok(match Marker::from_u8(byte) {
            Marker::FixPos(n) => Value::Uint(u64::from(n)),
            Marker::FixNeg(n) => Value::Int(i64::from(n)),
            Marker::Null => Value::Nil,
            Marker::True => Value::Bool(true),
            Marker::False => Value::Bool(false),
            Marker::U8 => Value::Uint(self.be(1)?),
            Marker::U16 => Value::Uint(self.be(2)?),
            Marker::U32 => Value::Uint(self.be(4)?),
            Marker::U64 => Value::Uint(self.be(8)?),
            Marker::I8 => Value::Int(i64::from(i8::from_be_bytes(self.array()?))),
            Marker::I16 => Value::Int(i64::from(i16::from_be_bytes(self.array()?))),
            Marker::I32 => Value::Int(i64::from(i32::from_be_bytes(self.array()?))),
            Marker::I64 => Value::Int(i64::from_be_bytes(self.array()?)),
            Marker::F32 => Value::Float(f64::from(f32::from_be_bytes(self.array()?))),
            Marker::F64 => Value::Float(f64::from_be_bytes(self.array()?)),
            Marker::FixStr(n) => Value::Str(self.take(usize::from(n))?),
            Marker::Str8 => Value::Str(self.sized(1)?),
            Marker::Str16 => Value::Str(self.sized(2)?),
            Marker::Str32 => Value::Str(self.sized(4)?),
            Marker::Bin8 => Value::Bin(self.sized(1)?),
            Marker::Bin16 => Value::Bin(self.sized(2)?),
            Marker::Bin32 => Value::Bin(self.sized(4)?),
            Marker::FixArray(n) => self.items(usize::from(n), depth)?,
            Marker::Array16 => self.items_sized(2, depth)?,
            Marker::Array32 => self.items_sized(4, depth)?,
            Marker::FixMap(n) => self.entries(usize::from(n), depth)?,
            Marker::Map16 => self.entries_sized(2, depth)?,
            Marker::Map32 => self.entries_sized(4, depth)?,
            Marker::FixExt1 => self.ext(1)?,
            Marker::FixExt2 => self.ext(2)?,
            Marker::FixExt4 => self.ext(4)?,
            Marker::FixExt8 => self.ext(8)?,
            Marker::FixExt16 => self.ext(16)?,
            Marker::Ext8 => self.ext_sized(1)?,
            Marker::Ext16 => self.ext_sized(2)?,
            Marker::Ext32 => self.ext_sized(4)?,
            Marker::Reserved => {
                return Err(format!(
                    "byte 0x{byte:02x} at {} starts no msgpack value",
                    self.at - 1
                ));
            }
        })
    }

    fn sized(&mut self, width: usize) -> Result<&'a [u8], String> {
        let n = self.len(width)?;
        self.take(n)
    }

    fn items_sized(&mut self, width: usize, depth: usize) -> Result<Value<'a>, String> {
        let n = self.len(width)?;
        self.items(n, depth)
    }

    fn entries_sized(&mut self, width: usize, depth: usize) -> Result<Value<'a>, String> {
        let n = self.len(width)?;
        self.entries(n, depth)
    }

    /// Each value takes at least a byte, so a count larger than the bytes left is refused
    /// before anything is reserved.
    fn check_count(&self, n: usize) -> Result<(), String> {
        if n > self.bytes.len().saturating_sub(self.at) {
            return Err(format!(
                "{n} items announced at byte {}, more than the bytes left",
                self.at
            ));
        }
        Ok(())
    }

    fn items(&mut self, n: usize, depth: usize) -> Result<Value<'a>, String> {
        self.check_count(n)?;
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(self.value(depth + 1)?);
        }
        Ok(Value::Array(items))
    }

    fn entries(&mut self, n: usize, depth: usize) -> Result<Value<'a>, String> {
        self.check_count(n)?;
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            let key = self.value(depth + 1)?;
            let value = self.value(depth + 1)?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }

    /// An extension value: its type byte and data are skipped.
    fn ext(&mut self, n: usize) -> Result<Value<'a>, String> {
        self.take(n + 1)?;
        Ok(Value::Ext)
    }

    fn ext_sized(&mut self, width: usize) -> Result<Value<'a>, String> {
        let n = self.len(width)?;
        self.take(n.saturating_add(1))?;
        Ok(Value::Ext)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_rmp_writes() {
        let mut bytes = Vec::new();
        rmp::encode::write_map_len(&mut bytes, 2).unwrap();
        rmp::encode::write_str(&mut bytes, "a").unwrap();
        rmp::encode::write_array_len(&mut bytes, 3).unwrap();
        rmp::encode::write_uint(&mut bytes, 300).unwrap();
        rmp::encode::write_sint(&mut bytes, -2).unwrap();
        rmp::encode::write_bin(&mut bytes, &[1, 2]).unwrap();
        rmp::encode::write_str(&mut bytes, "b").unwrap();
        rmp::encode::write_bool(&mut bytes, true).unwrap();
        let value = parse(&bytes).unwrap();
        assert_eq!(
            value.get("a"),
            Some(&Value::Array(vec![
                Value::Uint(300),
                Value::Int(-2),
                Value::Bin(&[1, 2])
            ]))
        );
        assert_eq!(value.get("b"), Some(&Value::Bool(true)));
        assert_eq!(value.get("c"), None);
    }

    #[test]
    fn bad_bytes_are_errors_not_panics() {
        for bytes in [
            &b""[..],
            b"\xc1",
            b"\xdb\xff\xff\xff\xff",
            b"\xdd\xff\xff\xff\xff",
            b"\x92\x01",
            b"\x01\x02",
            &[0x91; 100],
        ] {
            assert!(parse(bytes).is_err(), "{bytes:?}");
        }
    }
}
