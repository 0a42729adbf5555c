//! Content keys: 128-bit hashes of bytes and of whole values.
//!
//! A value is keyed through its `Serialize` implementation by a serialiser
//! that feeds the hasher tagged, length-prefixed raw data. It is as exact as
//! hashing the value's JSON (every field name, every string, every number)
//! without the cost of formatting and escaping that JSON, which for a large
//! dossier's page views is hundreds of megabytes on every build.

use serde::ser;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

/// Feeds everything written to it into a [`Key`], so a value can be hashed
/// through its serialisation without building it in memory. Writes are
/// gathered into blocks first: a serialiser writes many tiny pieces, which
/// the hasher digests far more slowly than whole blocks.
pub struct KeyWriter {
    hasher: Xxh3,
    block: Vec<u8>,
}

const BLOCK: usize = 16 * 1024;

impl KeyWriter {
    pub fn new() -> Self {
        KeyWriter {
            hasher: Xxh3::new(),
            block: Vec::with_capacity(BLOCK),
        }
    }

    fn digest_block(&mut self) {
        self.hasher.update(&self.block);
        self.block.clear();
    }

    pub fn finish(mut self) -> Key {
        self.digest_block();
        Key::from_u128(self.hasher.digest128())
    }
}

impl Default for KeyWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl std::io::Write for KeyWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.block.len() + bytes.len() > BLOCK {
            self.digest_block();
        }
        if bytes.len() >= BLOCK {
            self.hasher.update(bytes);
        } else {
            self.block.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A 128-bit content hash, written as 32 hex digits.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Key(u64, u64);

impl Key {
    /// Hashes `parts`, each with its length so that `["ab", "c"]` and
    /// `["a", "bc"]` differ. XXH3's 128 bits: fast on the hundreds of
    /// megabytes a large dossier's pages are hashed through, and wide
    /// enough that two views never share a key by chance.
    pub(super) fn of(parts: &[&[u8]]) -> Key {
        let mut hasher = Xxh3::new();
        for part in parts {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        Key::from_u128(hasher.digest128())
    }

    fn from_u128(hash: u128) -> Key {
        Key((hash >> 64) as u64, hash as u64)
    }

    /// Combines keys and text into one key.
    pub fn combine(parts: &[&[u8]]) -> Key {
        Key::of(parts)
    }

    pub fn from_bytes(bytes: [u8; 16]) -> Key {
        let half = |at: usize| {
            let mut part = [0; 8];
            part.copy_from_slice(&bytes[at..at + 8]);
            u64::from_le_bytes(part)
        };
        Key(half(0), half(8))
    }

    pub fn to_bytes(self) -> [u8; 16] {
        let mut bytes = [0; 16];
        bytes[..8].copy_from_slice(&self.0.to_le_bytes());
        bytes[8..].copy_from_slice(&self.1.to_le_bytes());
        bytes
    }
}

/// The key of `value`, prefixed with `context`. A value that cannot be
/// serialised fails again when rendered, which reports it.
pub fn key_of(context: Key, value: &impl Serialize) -> Key {
    let mut writer = KeyWriter::new();
    writer.put(&context.to_bytes());
    let _ = value.serialize(&mut KeySerializer { out: &mut writer });
    writer.finish()
}

/// What each kind of serde datum is prefixed with, so that no two different
/// values feed the hasher the same bytes: every datum starts with its tag,
/// and strings and bytes carry their length.
#[repr(u8)]
enum Tag {
    False,
    True,
    Signed,
    Unsigned,
    Signed128,
    Unsigned128,
    Float,
    Char,
    Str,
    Bytes,
    None,
    Some,
    Unit,
    UnitStruct,
    UnitVariant,
    NewtypeStruct,
    NewtypeVariant,
    Seq,
    Tuple,
    TupleStruct,
    TupleVariant,
    Map,
    Struct,
    StructVariant,
    Field,
    /// Closes a sequence, map or struct, whose length may not be known in
    /// advance.
    End,
}

impl KeyWriter {
    fn put(&mut self, bytes: &[u8]) {
        let _ = std::io::Write::write_all(self, bytes);
    }

    fn tag(&mut self, tag: Tag) {
        self.put(&[tag as u8]);
    }

    fn text(&mut self, tag: Tag, text: &[u8]) {
        self.tag(tag);
        self.put(&(text.len() as u64).to_le_bytes());
        self.put(text);
    }
}

struct KeySerializer<'w> {
    out: &'w mut KeyWriter,
}

/// Serialising into a hasher cannot fail; this error exists only for the
/// `Serialize` implementations that report their own.
#[derive(Debug)]
struct KeyError(String);

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeyError {}

impl ser::Error for KeyError {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        KeyError(message.to_string())
    }
}

type Done = Result<(), KeyError>;

impl<'a, 'w> ser::Serializer for &'a mut KeySerializer<'w> {
    type Ok = ();
    type Error = KeyError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    /// Values with a compact form (a drawing keyed by what it is drawn
    /// from) give it here.
    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(self, value: bool) -> Done {
        self.out.tag(if value { Tag::True } else { Tag::False });
        Ok(())
    }
    fn serialize_i8(self, value: i8) -> Done {
        self.serialize_i64(value.into())
    }
    fn serialize_i16(self, value: i16) -> Done {
        self.serialize_i64(value.into())
    }
    fn serialize_i32(self, value: i32) -> Done {
        self.serialize_i64(value.into())
    }
    fn serialize_i64(self, value: i64) -> Done {
        self.out.tag(Tag::Signed);
        self.out.put(&value.to_le_bytes());
        Ok(())
    }
    fn serialize_i128(self, value: i128) -> Done {
        self.out.tag(Tag::Signed128);
        self.out.put(&value.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, value: u8) -> Done {
        self.serialize_u64(value.into())
    }
    fn serialize_u16(self, value: u16) -> Done {
        self.serialize_u64(value.into())
    }
    fn serialize_u32(self, value: u32) -> Done {
        self.serialize_u64(value.into())
    }
    fn serialize_u64(self, value: u64) -> Done {
        self.out.tag(Tag::Unsigned);
        self.out.put(&value.to_le_bytes());
        Ok(())
    }
    fn serialize_u128(self, value: u128) -> Done {
        self.out.tag(Tag::Unsigned128);
        self.out.put(&value.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, value: f32) -> Done {
        self.serialize_f64(value.into())
    }
    fn serialize_f64(self, value: f64) -> Done {
        self.out.tag(Tag::Float);
        self.out.put(&value.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, value: char) -> Done {
        self.out.tag(Tag::Char);
        self.out.put(&u32::from(value).to_le_bytes());
        Ok(())
    }
    fn serialize_str(self, value: &str) -> Done {
        self.out.text(Tag::Str, value.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, value: &[u8]) -> Done {
        self.out.text(Tag::Bytes, value);
        Ok(())
    }
    fn serialize_none(self) -> Done {
        self.out.tag(Tag::None);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Done {
        self.out.tag(Tag::Some);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.out.tag(Tag::Unit);
        Ok(())
    }
    fn serialize_unit_struct(self, name: &'static str) -> Done {
        self.out.text(Tag::UnitStruct, name.as_bytes());
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Done {
        self.out.text(Tag::UnitVariant, variant.as_bytes());
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Done {
        self.out.text(Tag::NewtypeStruct, name.as_bytes());
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        self.out.text(Tag::NewtypeVariant, variant.as_bytes());
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, KeyError> {
        self.out.tag(Tag::Seq);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, KeyError> {
        self.out.tag(Tag::Tuple);
        Ok(self)
    }
    fn serialize_tuple_struct(self, name: &'static str, _: usize) -> Result<Self, KeyError> {
        self.out.text(Tag::TupleStruct, name.as_bytes());
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, KeyError> {
        self.out.text(Tag::TupleVariant, variant.as_bytes());
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, KeyError> {
        self.out.tag(Tag::Map);
        Ok(self)
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Self, KeyError> {
        self.out.text(Tag::Struct, name.as_bytes());
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, KeyError> {
        self.out.text(Tag::StructVariant, variant.as_bytes());
        Ok(self)
    }
}

impl KeySerializer<'_> {
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Done {
        value.serialize(self)
    }

    fn field<T: ?Sized + Serialize>(&mut self, name: &'static str, value: &T) -> Done {
        self.out.text(Tag::Field, name.as_bytes());
        value.serialize(self)
    }

    fn end(&mut self) -> Done {
        self.out.tag(Tag::End);
        Ok(())
    }
}

/// The compound serialisers: elements in order, then [`Tag::End`].
macro_rules! compound {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut KeySerializer<'_> {
            type Ok = ();
            type Error = KeyError;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Done {
                self.element(value)
            }
            fn end(self) -> Done {
                KeySerializer::end(self)
            }
        }
    )*};
}

compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut KeySerializer<'_> {
    type Ok = ();
    type Error = KeyError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Done {
        self.element(key)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Done {
        KeySerializer::end(self)
    }
}

macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut KeySerializer<'_> {
            type Ok = ();
            type Error = KeyError;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                name: &'static str,
                value: &T,
            ) -> Done {
                self.field(name, value)
            }
            fn end(self) -> Done {
                KeySerializer::end(self)
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct View<'a> {
        title: &'a str,
        tags: Vec<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        date: Option<&'a str>,
        count: usize,
    }

    fn view<'a>(title: &'a str, tags: Vec<&'a str>, date: Option<&'a str>) -> View<'a> {
        View {
            title,
            tags,
            date,
            count: 1,
        }
    }

    #[test]
    fn equal_values_have_equal_keys() {
        let a = key_of(Key::default(), &view("A", vec!["x"], None));
        let b = key_of(Key::default(), &view("A", vec!["x"], None));
        assert_eq!(a, b);
    }

    #[test]
    fn values_whose_strings_split_differently_have_different_keys() {
        let keys = [
            key_of(Key::default(), &view("ab", vec!["c"], None)),
            key_of(Key::default(), &view("a", vec!["bc"], None)),
            key_of(Key::default(), &view("a", vec!["b", "c"], None)),
            key_of(Key::default(), &view("abc", vec![], None)),
            key_of(Key::default(), &view("ab", vec![], Some("c"))),
            key_of(Key::default(), &view("ab", vec!["c"], Some(""))),
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn nesting_and_context_change_the_key() {
        let flat = key_of(Key::default(), &vec![vec![1, 2], vec![3]]);
        let moved = key_of(Key::default(), &vec![vec![1], vec![2, 3]]);
        assert_ne!(flat, moved);
        let other_context = key_of(Key::combine(&[b"templates"]), &vec![vec![1, 2], vec![3]]);
        assert_ne!(flat, other_context);
        let map: BTreeMap<&str, u8> = [("a", 1), ("b", 2)].into();
        let swapped: BTreeMap<&str, u8> = [("a", 2), ("b", 1)].into();
        assert_ne!(
            key_of(Key::default(), &map),
            key_of(Key::default(), &swapped)
        );
    }

    #[test]
    fn a_field_name_is_part_of_the_key() {
        #[derive(Serialize)]
        struct Before {
            title: u8,
        }
        #[derive(Serialize)]
        struct After {
            heading: u8,
        }
        assert_ne!(
            key_of(Key::default(), &Before { title: 1 }),
            key_of(Key::default(), &After { heading: 1 })
        );
    }
}
