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
//! as much again (profile in docs/PERFORMANCE.md).
//!
//! On x86_64 the block's four rows sit in four SSE2 registers, so each
//! quarter round works on the four columns (then, rows rotated, the four
//! diagonals) at once: 239 instructions a block instead of 511 (callgrind),
//! the largest single cost of a run (docs/PERFORMANCE.md, "What the
//! mediator's mechanisms cost"). SSE2 is part of every x86_64 CPU; calling
//! its intrinsics is the crate's one `unsafe`. Other targets use the plain
//! `u32` rounds, which the tests also check on x86_64.

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

/// Block `counter` of stream `stream` under `key`: ChaCha with 8 rounds.
#[inline]
pub fn block(key: &Key, counter: u64, stream: u64) -> [u32; 16] {
    let input = initial_state(key, counter, stream);
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: `sse2::block` only needs SSE2, which is part of the
        // x86_64 baseline: every CPU this code can run on has it.
        unsafe { sse2::block(&input) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        scalar_block(&input)
    }
}

/// The state before the rounds: constants, key, counter, stream.
#[inline]
fn initial_state(key: &Key, counter: u64, stream: u64) -> [u32; 16] {
    let k = key.0;
    [
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
    ]
}

#[cfg(any(test, not(target_arch = "x86_64")))]
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

/// The block from `input` with plain `u32` arithmetic: eight rounds, then
/// the input added word by word.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn scalar_block(input: &[u32; 16]) -> [u32; 16] {
    let mut x = *input;
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
        *word = word.wrapping_add(*start);
    }
    x
}

/// The same block with the state's rows (words 0–3, 4–7, 8–11, 12–15) in
/// four SSE2 registers: a column round is one quarter round on the four
/// registers; rotating rows 1, 2, 3 by one, two, three lanes lines the
/// diagonals up as columns for the diagonal round, and rotating back
/// restores them.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi32, _mm_cvtsi128_si32, _mm_or_si128, _mm_set_epi32, _mm_shuffle_epi32,
        _mm_slli_epi32, _mm_srli_epi32, _mm_xor_si128,
    };

    /// Lanes (1, 2, 3, 0): a row rotated left by one lane.
    const ROTATE_1: i32 = 0b00_11_10_01;
    /// Lanes (2, 3, 0, 1).
    const ROTATE_2: i32 = 0b01_00_11_10;
    /// Lanes (3, 0, 1, 2).
    const ROTATE_3: i32 = 0b10_01_00_11;

    #[target_feature(enable = "sse2")]
    pub fn block(input: &[u32; 16]) -> [u32; 16] {
        let start = [row(input, 0), row(input, 4), row(input, 8), row(input, 12)];
        let [mut a, mut b, mut c, mut d] = start;
        for _double_round in 0..4 {
            quarter_rounds(&mut a, &mut b, &mut c, &mut d);
            b = _mm_shuffle_epi32::<ROTATE_1>(b);
            c = _mm_shuffle_epi32::<ROTATE_2>(c);
            d = _mm_shuffle_epi32::<ROTATE_3>(d);
            quarter_rounds(&mut a, &mut b, &mut c, &mut d);
            b = _mm_shuffle_epi32::<ROTATE_3>(b);
            c = _mm_shuffle_epi32::<ROTATE_2>(c);
            d = _mm_shuffle_epi32::<ROTATE_1>(d);
        }
        let mut out = [0u32; 16];
        for (i, (x, s)) in [a, b, c, d].into_iter().zip(start).enumerate() {
            out[4 * i..4 * i + 4].copy_from_slice(&lanes(_mm_add_epi32(x, s)));
        }
        out
    }

    /// Four quarter rounds side by side, one per lane.
    #[target_feature(enable = "sse2")]
    #[inline]
    fn quarter_rounds(a: &mut __m128i, b: &mut __m128i, c: &mut __m128i, d: &mut __m128i) {
        *a = _mm_add_epi32(*a, *b);
        *d = rotate_left::<16, 16>(_mm_xor_si128(*d, *a));
        *c = _mm_add_epi32(*c, *d);
        *b = rotate_left::<12, 20>(_mm_xor_si128(*b, *c));
        *a = _mm_add_epi32(*a, *b);
        *d = rotate_left::<8, 24>(_mm_xor_si128(*d, *a));
        *c = _mm_add_epi32(*c, *d);
        *b = rotate_left::<7, 25>(_mm_xor_si128(*b, *c));
    }

    /// Each lane rotated left by `L` bits (`R = 32 - L`).
    #[target_feature(enable = "sse2")]
    #[inline]
    fn rotate_left<const L: i32, const R: i32>(x: __m128i) -> __m128i {
        _mm_or_si128(_mm_slli_epi32::<L>(x), _mm_srli_epi32::<R>(x))
    }

    /// Words `first..first + 4` of `x` as one register, lane 0 first.
    #[target_feature(enable = "sse2")]
    #[inline]
    fn row(x: &[u32; 16], first: usize) -> __m128i {
        let w = |i: usize| x[first + i] as i32;
        _mm_set_epi32(w(3), w(2), w(1), w(0))
    }

    /// A register's four lanes, lane 0 first.
    #[target_feature(enable = "sse2")]
    #[inline]
    fn lanes(x: __m128i) -> [u32; 4] {
        [
            _mm_cvtsi128_si32(x) as u32,
            _mm_cvtsi128_si32(_mm_shuffle_epi32::<ROTATE_1>(x)) as u32,
            _mm_cvtsi128_si32(_mm_shuffle_epi32::<ROTATE_2>(x)) as u32,
            _mm_cvtsi128_si32(_mm_shuffle_epi32::<ROTATE_3>(x)) as u32,
        ]
    }
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
                    let input = initial_state(&key, counter, stream);
                    for (got, kind) in [
                        (block(&key, counter, stream), "block"),
                        (scalar_block(&input), "plain rounds"),
                    ] {
                        assert_eq!(
                            got, expected,
                            "{kind}: key {fill} stream {stream} block {counter}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_plain_and_the_vector_rounds_agree_on_many_states() {
        // Every word of the state varied, through a simple generator, so
        // each lane and rotation of the vector rounds is exercised.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            x
        };
        for _ in 0..2_000 {
            let key = Key(std::array::from_fn(|_| (next() >> 32) as u32));
            let (counter, stream) = (next(), next());
            let input = initial_state(&key, counter, stream);
            assert_eq!(block(&key, counter, stream), scalar_block(&input));
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
