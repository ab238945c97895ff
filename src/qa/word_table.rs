//! A read-only table from folded words to values, built once per run and looked up for every
//! word of every pair: open addressing with linear probing over a small index of slots, each
//! holding a tag of the word's hash and the number of its entry; the entries, in the order
//! given (the vocabulary gives its commonest words first, so they share a few cache lines),
//! hold the word's first sixteen bytes, its length and its value together, so that a lookup
//! reads one slot and one entry and compares two integers and a length instead of calling a
//! string comparison. Longer words are compared whole after their first sixteen bytes agree.

/// An entry: the first sixteen bytes of the word (zero-padded), its length and its value.
#[derive(Debug, Clone, Copy)]
struct Entry<V> {
    head: u64,
    tail: u64,
    length: u32,
    value: V,
}

/// A slot of the index: the high half of the word's hash and its entry's number, or
/// [`EMPTY`].
type Slot = u64;

const EMPTY: Slot = u64::MAX;

/// Words to values.
#[derive(Debug, Clone)]
pub struct WordTable<V> {
    slots: Vec<Slot>,
    mask: usize,
    entries: Vec<Entry<V>>,
    /// The words longer than sixteen bytes, by entry number (empty for the others).
    long_keys: Vec<Box<str>>,
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

/// A word's first sixteen bytes as two integers, in three cases by length (word lengths vary
/// at random, so each case is a branch mispredicted now and then): eight bytes or more, the
/// head and the next eight, zero beyond the word's end; four to seven, two overlapping
/// four-byte reads; one to three, the first, middle and last byte (distinct for distinct words
/// of one length, and the table compares lengths too).
#[inline]
fn key_words(word: &[u8]) -> (u64, u64) {
    let length = word.len();
    if length >= 8 {
        // the eight bytes ending at the sixteenth (or the word's end), less those already in
        // the head: shifted in two halves so that a shift of 64 bits (eight bytes) gives zero
        let last = length.min(16);
        let shift = (16 - last) * 4;
        (read8(word), (read8(&word[last - 8..]) >> shift) >> shift)
    } else if length >= 4 {
        let low = read4(word);
        let high = read4(&word[length - 4..]);
        (low | (high << ((length - 4) * 8)), 0)
    } else if length > 0 {
        let head = u64::from(word[0])
            | (u64::from(word[length / 2]) << 8)
            | (u64::from(word[length - 1]) << 16);
        (head, 0)
    } else {
        (0, 0)
    }
}

#[inline]
fn hash(head: u64, tail: u64, length: u32) -> u64 {
    let mixed = (head ^ u64::from(length).rotate_left(59)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ^ tail.wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
    mixed ^ (mixed >> 31)
}

/// The tag a slot keeps of a hash: its high half (the low bits choose the slot).
#[inline]
fn tag(hash: u64) -> u64 {
    hash & 0xffff_ffff_0000_0000
}

impl<V> WordTable<V> {
    /// A table of these (distinct) words and values; entries keep this order.
    pub fn new(entries: Vec<(Box<str>, V)>) -> WordTable<V> {
        let capacity = (entries.len() * 2).next_power_of_two().max(16);
        assert!(
            entries.len() < u32::MAX as usize,
            "a table of fewer than 2^32 words"
        );
        let mut table = WordTable {
            slots: vec![EMPTY; capacity],
            mask: capacity - 1,
            entries: Vec::with_capacity(entries.len()),
            long_keys: Vec::new(),
        };
        for (key, value) in entries {
            let (head, tail) = key_words(key.as_bytes());
            let length = key.len() as u32;
            let hash = hash(head, tail, length);
            let mut at = hash as usize & table.mask;
            while table.slots[at] != EMPTY {
                at = (at + 1) & table.mask;
            }
            let number = table.entries.len();
            table.slots[at] = tag(hash) | number as u64;
            if length > 16 {
                table.long_keys.resize(number + 1, Box::from(""));
                table.long_keys[number] = key;
            }
            table.entries.push(Entry {
                head,
                tail,
                length,
                value,
            });
        }
        table
    }

    /// The value of a word, if the table has it.
    #[inline]
    pub fn get(&self, word: &str) -> Option<&V> {
        let bytes = word.as_bytes();
        let (head, tail) = key_words(bytes);
        let length = bytes.len() as u32;
        let hash = hash(head, tail, length);
        let tag = tag(hash);
        let mut at = hash as usize & self.mask;
        loop {
            let slot = self.slots[at];
            if slot == EMPTY {
                return None;
            }
            if slot & 0xffff_ffff_0000_0000 == tag {
                let number = (slot & 0xffff_ffff) as usize;
                let entry = &self.entries[number];
                if entry.head == head
                    && entry.tail == tail
                    && entry.length == length
                    && (length <= 16 || *self.long_keys[number] == *word)
                {
                    return Some(&entry.value);
                }
            }
            at = (at + 1) & self.mask;
        }
    }

    /// How many words the table holds.
    pub fn len(&self) -> usize {
        self.entries.len()
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

    #[test]
    fn a_large_table_agrees_with_a_hash_map() {
        // words of 1 to 24 bytes from a small alphabet, so that heads, tails and tags collide
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut word = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let length = 1 + (state % 24) as usize;
            (0..length)
                .map(|at| ['a', 'b', 'ơ'][((state >> (at * 2)) % 3) as usize])
                .collect::<String>()
        };
        let mut map = std::collections::HashMap::new();
        for _ in 0..5000 {
            let next = map.len();
            map.entry(word()).or_insert(next);
        }
        let table = WordTable::new(
            map.iter()
                .map(|(word, value)| (Box::from(word.as_str()), *value))
                .collect(),
        );
        assert_eq!(table.len(), map.len());
        for _ in 0..20000 {
            let probe = word();
            assert_eq!(table.get(&probe), map.get(&probe), "{probe}");
        }
        for (word, value) in &map {
            assert_eq!(table.get(word), Some(value), "{word}");
        }
    }

    #[test]
    fn keys_are_distinct_for_distinct_words_of_one_length() {
        // every word of up to four bytes over a few bytes, zero among them
        let alphabet = [0u8, 1, b'a', 0xc3, 0xff];
        let mut words: Vec<Vec<u8>> = vec![Vec::new()];
        for length in 1..=4 {
            let mut seen = std::collections::HashSet::new();
            words = words
                .iter()
                .flat_map(|word| {
                    alphabet.iter().map(move |byte| {
                        let mut longer = word.clone();
                        longer.push(*byte);
                        longer
                    })
                })
                .collect();
            for word in &words {
                assert!(seen.insert(key_words(word)), "{word:?} of {length}");
            }
        }
        // from eight bytes on, the first sixteen bytes zero-padded
        let bytes: Vec<u8> = (1..=24).collect();
        for length in 8..=24 {
            let mut padded = [0u8; 16];
            let kept = length.min(16);
            padded[..kept].copy_from_slice(&bytes[..kept]);
            assert_eq!(
                key_words(&bytes[..length]),
                (read8(&padded), read8(&padded[8..])),
                "{length}"
            );
        }
    }
}
