//! ChaCha8 one 16-word block at a time, with random access to any block of
//! any stream: the same keystream as `rand_chacha`'s `ChaCha8Rng` (64-bit
//! block counter in words 12–13, 64-bit stream number in words 14–15), so
//! `ChaCha8Rng::from_seed(key)` with `set_stream(s)` and `set_word_pos(w)`
//! returns word `w % 16` of `block(key, w / 16, s)`. The tests pin that.
//!
//! Why hand-written: `rand_chacha` computes four blocks per refill and
//! re-derives its state through runtime-dispatched calls on every
//! `from_seed`, `set_stream` and `set_word_pos`. The model reads a stream
//! at fixed words (docs/MODEL.md, "Randomness"), usually one or two blocks of it per run, so
//! most of each four-block refill was thrown away and the setup calls cost
//! as much again (profile in docs/PERFORMANCE.md). Plain `u32` arithmetic,
//! no `unsafe`.

/// "expand 32-byte k".
const CONSTANTS: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];

/// Words in one block.
pub const BLOCK_WORDS: u64 = 16;

/// A 256-bit ChaCha key as eight little-endian words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key([u32; 8]);

impl Key {
    pub fn from_bytes(bytes: &[u8; 32]) -> Key {
        let mut words = [0u32; 8];
        for (word, chunk) in words.iter_mut().zip(bytes.chunks_exact(4)) {
            *word = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        Key(words)
    }
}

#[inline(always)]
fn quarter_round(x: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(16);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(12);
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(8);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(7);
}

/// Block `counter` of stream `stream` under `key`: ChaCha with 8 rounds.
#[inline]
pub fn block(key: &Key, counter: u64, stream: u64) -> [u32; 16] {
    let k = key.0;
    let input = [
        CONSTANTS[0],
        CONSTANTS[1],
        CONSTANTS[2],
        CONSTANTS[3],
        k[0],
        k[1],
        k[2],
        k[3],
        k[4],
        k[5],
        k[6],
        k[7],
        counter as u32,
        (counter >> 32) as u32,
        stream as u32,
        (stream >> 32) as u32,
    ];
    let mut x = input;
    for _double_round in 0..4 {
        quarter_round(&mut x, 0, 4, 8, 12);
        quarter_round(&mut x, 1, 5, 9, 13);
        quarter_round(&mut x, 2, 6, 10, 14);
        quarter_round(&mut x, 3, 7, 11, 15);
        quarter_round(&mut x, 0, 5, 10, 15);
        quarter_round(&mut x, 1, 6, 11, 12);
        quarter_round(&mut x, 2, 7, 8, 13);
        quarter_round(&mut x, 3, 4, 9, 14);
    }
    for (word, start) in x.iter_mut().zip(input) {
        *word = word.wrapping_add(start);
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn key_bytes(fill: u8) -> [u8; 32] {
        std::array::from_fn(|i| fill.wrapping_mul(31).wrapping_add(i as u8 * 7))
    }

    #[test]
    fn blocks_equal_rand_chacha_at_any_counter_and_stream() {
        for fill in [0u8, 1, 200] {
            let bytes = key_bytes(fill);
            let key = Key::from_bytes(&bytes);
            for stream in [0u64, 1, 5, 1 << 33, u64::MAX] {
                for counter in [0u64, 1, 3, 4, 17, (1 << 32) + 2] {
                    let mut reference = ChaCha8Rng::from_seed(bytes);
                    reference.set_stream(stream);
                    reference.set_word_pos(u128::from(counter * BLOCK_WORDS));
                    let expected: [u32; 16] = std::array::from_fn(|_| reference.next_u32());
                    assert_eq!(
                        block(&key, counter, stream),
                        expected,
                        "key {fill} stream {stream} block {counter}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_zero_key_matches_the_published_chacha8_vector() {
        // Test vector for ChaCha8 with an all-zero key and nonce (Strombergson,
        // draft-strombergson-chacha-test-vectors-00, TC1, 8 rounds).
        let first: [u32; 4] = [0x2fef003e, 0xd6405f89, 0xe8b85b7f, 0xa1a5091f];
        assert_eq!(block(&Key([0; 8]), 0, 0)[..4], first);
    }
}
