//! A read-only table from folded words to values, built once per run and looked up for every
//! word of every pair: open addressing with linear probing, each slot holding the word's first
//! sixteen bytes and its length, so that a lookup of a word of up to sixteen bytes (nearly all
//! of them) compares two integers and a length instead of calling a string comparison. Longer
//! words are compared whole after their first sixteen bytes agree.

/// A slot: the first sixteen bytes of the word (zero-padded), its length and its entry.
#[derive(Debug, Clone, Copy)]
struct Slot {
    head: u64,
    tail: u64,
    length: u32,
    entry: u32,
}

const EMPTY: u32 = u32::MAX;

/// Words to values.
#[derive(Debug, Clone)]
pub struct WordTable<V> {
    slots: Vec<Slot>,
    mask: usize,
    keys: Vec<Box<str>>,
    values: Vec<V>,
}

impl<V> Default for WordTable<V> {
    fn default() -> WordTable<V> {
        WordTable::new(Vec::new())
    }
}

fn read8(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(word)
}

fn read4(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[..4]);
    u64::from(u32::from_le_bytes(word))
}

/// The first sixteen bytes of a word as two integers, zero beyond its end.
fn key_words(word: &[u8]) -> (u64, u64) {
    let length = word.len();
    if length >= 16 {
        (read8(word), read8(&word[8..]))
    } else if length > 8 {
        // the last eight bytes, less those already in the head
        (
            read8(word),
            read8(&word[length - 8..]) >> ((16 - length) * 8),
        )
    } else if length == 8 {
        (read8(word), 0)
    } else if length >= 4 {
        // two overlapping four-byte reads
        let low = read4(word);
        let high = read4(&word[length - 4..]);
        (low | (high << ((length - 4) * 8)), 0)
    } else {
        let mut head = 0u64;
        for (index, byte) in word.iter().enumerate() {
            head |= u64::from(*byte) << (index * 8);
        }
        (head, 0)
    }
}

fn hash(head: u64, tail: u64, length: u32) -> u64 {
    let mixed = (head ^ u64::from(length).rotate_left(59)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ^ tail.wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
    mixed ^ (mixed >> 31)
}

impl<V> WordTable<V> {
    /// A table of these (distinct) words and values.
    pub fn new(entries: Vec<(Box<str>, V)>) -> WordTable<V> {
        let capacity = (entries.len() * 2).next_power_of_two().max(16);
        let mut table = WordTable {
            slots: vec![
                Slot {
                    head: 0,
                    tail: 0,
                    length: 0,
                    entry: EMPTY,
                };
                capacity
            ],
            mask: capacity - 1,
            keys: Vec::with_capacity(entries.len()),
            values: Vec::with_capacity(entries.len()),
        };
        for (key, value) in entries {
            let (head, tail) = key_words(key.as_bytes());
            let length = key.len() as u32;
            let mut at = hash(head, tail, length) as usize & table.mask;
            while table.slots[at].entry != EMPTY {
                at = (at + 1) & table.mask;
            }
            table.slots[at] = Slot {
                head,
                tail,
                length,
                entry: table.values.len() as u32,
            };
            table.keys.push(key);
            table.values.push(value);
        }
        table
    }

    /// The value of a word, if the table has it.
    #[inline]
    pub fn get(&self, word: &str) -> Option<&V> {
        let bytes = word.as_bytes();
        let (head, tail) = key_words(bytes);
        let length = bytes.len() as u32;
        let mut at = hash(head, tail, length) as usize & self.mask;
        loop {
            let slot = &self.slots[at];
            if slot.entry == EMPTY {
                return None;
            }
            if slot.head == head
                && slot.tail == tail
                && slot.length == length
                && (length <= 16 || *self.keys[slot.entry as usize] == *word)
            {
                return Some(&self.values[slot.entry as usize]);
            }
            at = (at + 1) & self.mask;
        }
    }

    /// How many words the table holds.
    pub fn len(&self) -> usize {
        self.values.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_found_and_no_other() {
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "abcdefghijklmno",
            "abcdefghijklmnop",
            "abcdefghijklmnopq",
            "abcdefghijklmnopr",
            "sơn",
            "pembangunan",
            "kementerian",
            "berkomitmen",
        ];
        let table = WordTable::new(
            words
                .iter()
                .enumerate()
                .map(|(index, word)| (Box::from(*word), index))
                .collect(),
        );
        assert_eq!(table.len(), words.len());
        for (index, word) in words.iter().enumerate() {
            assert_eq!(table.get(word), Some(&index), "{word}");
        }
        for other in [
            "b",
            "abcdefghijklmnops",
            "abcdefgi",
            "abcdefghijklmn",
            "son",
            "x\0",
        ] {
            assert_eq!(table.get(other), None, "{other}");
        }
        // words that differ only past the first sixteen bytes, or by a trailing zero byte
        assert_eq!(table.get("abcd\0"), None);
        assert!(WordTable::<u8>::default().get("a").is_none());
    }
}
