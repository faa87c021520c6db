//! The standard normal quantile, by Wichura's algorithm AS 241 (PPND16,
//! Applied Statistics 37(3), 1988), accurate to about 1e-16.
//!
//! Why hand-written: the model draws every normal variate by inversion, so
//! each draw takes exactly one uniform at a fixed stream position (docs/MODEL.md, "Randomness").
//! Rejection samplers (ziggurat) take a variable number of uniforms, and
//! `statrs`' erf-based inverse is several times slower on this hot path. The
//! tests check it against `statrs`.

/// `|p - 0.5|` up to which the central rational function applies.
const CENTRAL: f64 = 0.425;

/// The `p`-quantile of the standard normal distribution, `p` in (0, 1).
pub fn normal_quantile(p: f64) -> f64 {
    let q = p - 0.5;
    if q.abs() <= CENTRAL {
        return central(q);
    }
    let r = if q < 0.0 { p } else { 1.0 - p };
    let r = (-r.ln()).sqrt();
    let value = if r <= 5.0 {
        let r = r - 1.6;
        poly(&C, r) / poly(&D, r)
    } else {
        let r = r - 5.0;
        poly(&E, r) / poly(&F, r)
    };
    if q < 0.0 { -value } else { value }
}

/// The quantile at `p = 0.5 + q` for `|q| <= CENTRAL`.
#[inline]
fn central(q: f64) -> f64 {
    let r = 0.180625 - q * q;
    q * poly(&A, r) / poly(&B, r)
}

/// Two quantiles at once, each with exactly the bits of
/// [`normal_quantile`]: when both fall in the central region (72 % of
/// pairs) both are computed before any further branch, so their dependent
/// multiply-add chains overlap.
#[inline]
pub fn normal_quantile_pair(p: [f64; 2]) -> [f64; 2] {
    let q = p.map(|p| p - 0.5);
    if q.iter().all(|q| q.abs() <= CENTRAL) {
        return q.map(central);
    }
    p.map(normal_quantile)
}

/// Horner evaluation, coefficients from the constant term up. Starting from
/// the leading coefficient rather than from `0.0 * x + c[7]` gives the same
/// bits (every coefficient is non-zero and `x` finite) one multiply-add
/// sooner: the quantile is latency-bound and drawn 80 times a run.
#[inline]
fn poly(coefficients: &[f64; 8], x: f64) -> f64 {
    coefficients[..7]
        .iter()
        .rev()
        .fold(coefficients[7], |acc, &c| acc * x + c)
}

const A: [f64; 8] = [
    3.387_132_872_796_366_5,
    133.141_667_891_784_38,
    1_971.590_950_306_551_3,
    13_731.693_765_509_46,
    45_921.953_931_549_87,
    67_265.770_927_008_7,
    33_430.575_583_588_13,
    2_509.080_928_730_122_7,
];
const B: [f64; 8] = [
    1.0,
    42.313_330_701_600_91,
    687.187_007_492_057_9,
    5_394.196_021_424_751,
    21_213.794_301_586_597,
    39_307.895_800_092_71,
    28_729.085_735_721_943,
    5_226.495_278_852_545,
];
const C: [f64; 8] = [
    1.423_437_110_749_683_5,
    4.630_337_846_156_546,
    5.769_497_221_460_691,
    3.647_848_324_763_204_5,
    1.270_458_252_452_368_4,
    0.241_780_725_177_450_6,
    0.022_723_844_989_269_184,
    0.000_774_545_014_278_341_4,
];
const D: [f64; 8] = [
    1.0,
    2.053_191_626_637_759,
    1.676_384_830_183_803_8,
    0.689_767_334_985_100_1,
    0.148_103_976_427_480_08,
    0.015_198_666_563_616_457,
    0.000_547_593_808_499_534_5,
    1.050_750_071_644_416_9e-9,
];
const E: [f64; 8] = [
    6.657_904_643_501_103,
    5.463_784_911_164_114,
    1.784_826_539_917_291_3,
    0.296_560_571_828_504_9,
    0.026_532_189_526_576_124,
    0.001_242_660_947_388_078_4,
    2.711_555_568_743_487_6e-5,
    2.010_334_399_292_288_1e-7,
];
const F: [f64; 8] = [
    1.0,
    0.599_832_206_555_888,
    0.136_929_880_922_735_8,
    0.014_875_361_290_850_615,
    0.000_786_869_131_145_613_3,
    1.846_318_317_510_054_8e-5,
    1.421_511_758_316_446e-7,
    2.044_263_103_389_939_8e-15,
];

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{ContinuousCDF, Normal};

    #[test]
    fn agrees_with_statrs_across_the_range() {
        let normal = Normal::standard();
        for i in 1..2000 {
            let p = i as f64 / 2000.0;
            let ours = normal_quantile(p);
            let theirs = normal.inverse_cdf(p);
            assert!((ours - theirs).abs() < 1e-9, "p={p}: {ours} vs {theirs}");
        }
        for &p in &[1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 1.0 - 1e-10] {
            let round_trip = normal.cdf(normal_quantile(p));
            assert!(((round_trip - p) / p).abs() < 1e-6, "p={p}: {round_trip}");
        }
    }

    #[test]
    fn horner_from_the_leading_coefficient_keeps_every_bit() {
        let from_zero = |c: &[f64; 8], x: f64| c.iter().rev().fold(0.0, |acc, &c| acc * x + c);
        for i in 0..=20_000 {
            // Each table's argument range: central r in [0, 0.180625], the
            // tails r - 1.6 in [-1.6, 3.4] and r - 5 in [0, 22].
            let u = f64::from(i) / 20_000.0;
            for (table, x) in [
                (&A, 0.180625 * u),
                (&B, 0.180625 * u),
                (&C, -1.6 + 5.0 * u),
                (&D, -1.6 + 5.0 * u),
                (&E, 22.0 * u),
                (&F, 22.0 * u),
            ] {
                assert_eq!(poly(table, x).to_bits(), from_zero(table, x).to_bits());
            }
        }
    }

    #[test]
    fn pairs_have_the_bits_of_single_quantiles() {
        // Central, both tails and mixed pairs, including the region edges.
        let grid: Vec<f64> = (1..400)
            .map(|i| f64::from(i) / 400.0)
            .chain([1e-300, 1e-12, 0.075, 0.925, 1.0 - 1e-12])
            .collect();
        for &a in &grid {
            for &b in &grid {
                let [x, y] = normal_quantile_pair([a, b]);
                assert_eq!(x.to_bits(), normal_quantile(a).to_bits(), "{a}");
                assert_eq!(y.to_bits(), normal_quantile(b).to_bits(), "{b}");
            }
        }
    }

    #[test]
    fn known_values() {
        assert_eq!(normal_quantile(0.5), 0.0);
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-14);
    }
}
