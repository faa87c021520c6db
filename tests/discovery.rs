//! Scenario discovery's known answers: PRIM on designed data whose best box
//! is known in closed form, and the files a discovery writes.

use backchannel::stats::prim::{PrimOptions, Restriction, Share, Trajectory, discover};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `n` evenly spaced points in (0, 1): the midpoints of `n` equal cells.
fn grid(n: usize) -> Vec<f64> {
    (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect()
}

/// Outcomes in [0, 1] as shares of a million runs (exact for the grids
/// here, within 5e-7 for seeded draws).
fn shares(y: &[f64]) -> Vec<Share> {
    y.iter()
        .map(|v| Share {
            count: (v * 1e6).round() as u64,
            of: 1_000_000,
        })
        .collect()
}

/// A single run's outcome: 1 of 1 when it happened, else 0 of 1.
fn binary(happened: bool) -> Share {
    Share {
        count: u64::from(happened),
        of: 1,
    }
}

fn one_input(h: &[f64]) -> Vec<Vec<f64>> {
    h.iter().map(|&v| vec![v]).collect()
}

/// P(broken | h) = h with h uniform on [0, 1]: the region where the break
/// has probability 0.8 on average is h >= 0.6 (the mean of U[0.6, 1]), and
/// it holds (1 - 0.6²) / 1 = 64 % of all breaks (coverage ∫_{0.6}^1 h dh /
/// ∫_0^1 h dh) in 40 % of the points.
#[test]
fn a_box_of_density_0_8_over_a_uniform_hazard_is_h_above_0_6() {
    let h = grid(2000);
    let trajectory = discover(&one_input(&h), &shares(&h), &PrimOptions::default()).unwrap();
    let choice = trajectory.choose(0.8);
    assert!(choice.meets_threshold);
    let chosen = &trajectory.boxes[choice.index];
    let lo = chosen.limits[0].lo;
    // A peel removes 5 % of the box, so the boxes step past 0.6 by at most
    // that share of the remaining mass (0.4 × 0.05 = 0.02).
    assert!((0.6..0.62).contains(&lo), "{chosen:?}");
    assert!((chosen.density - 0.8).abs() < 0.01, "{chosen:?}");
    assert!((chosen.coverage - 0.64).abs() < 0.015, "{chosen:?}");
    assert!((chosen.mass - 0.4).abs() < 0.02, "{chosen:?}");
    assert_eq!(trajectory.restriction(chosen, 0), Some(Restriction::Above));
    // Each box's statistics follow from its lower limit in closed form.
    for b in &trajectory.boxes {
        let lo = b.limits[0].lo.max(0.0);
        assert!((b.coverage - (1.0 - lo * lo)).abs() < 2e-3, "{b:?}");
        assert!((b.density - (1.0 + lo) / 2.0).abs() < 2e-3, "{b:?}");
        assert!((b.mass - (1.0 - lo)).abs() < 2e-3, "{b:?}");
    }
}

/// Seeded uniform points give the same answer within sampling error.
#[test]
fn seeded_uniform_points_give_the_same_box() {
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    let h: Vec<f64> = (0..2000).map(|_| rng.random::<f64>()).collect();
    let trajectory = discover(&one_input(&h), &shares(&h), &PrimOptions::default()).unwrap();
    let chosen = &trajectory.boxes[trajectory.choose(0.8).index];
    assert!((chosen.limits[0].lo - 0.6).abs() < 0.03, "{chosen:?}");
    assert!((chosen.coverage - 0.64).abs() < 0.03, "{chosen:?}");
}

/// The restricted inputs of every box of a trajectory.
fn restricted(trajectory: &Trajectory, inputs: usize) -> Vec<Vec<usize>> {
    trajectory
        .boxes
        .iter()
        .map(|b| {
            (0..inputs)
                .filter(|&i| trajectory.restriction(b, i).is_some())
                .collect()
        })
        .collect()
}

/// Two inputs, only the first matters (y = x1): no box restricts the
/// second, on a grid (where cutting x2 leaves the mean exactly unchanged)
/// and on seeded uniform points (where it moves it only by noise).
#[test]
fn an_input_that_does_not_matter_is_never_restricted() {
    let side = grid(45);
    let on_grid: Vec<Vec<f64>> = side
        .iter()
        .flat_map(|&a| side.iter().map(move |&b| vec![a, b]))
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let seeded: Vec<Vec<f64>> = (0..2000)
        .map(|_| vec![rng.random::<f64>(), rng.random::<f64>()])
        .collect();
    for (x, exact) in [(on_grid, true), (seeded, false)] {
        let y: Vec<f64> = x.iter().map(|p| p[0]).collect();
        let trajectory = discover(&x, &shares(&y), &PrimOptions::default()).unwrap();
        let chosen = trajectory.choose(0.8).index;
        let steps = restricted(&trajectory, 2);
        assert_eq!(steps[chosen], vec![0], "{:?}", trajectory.boxes[chosen]);
        if exact {
            assert!(steps.iter().all(|r| !r.contains(&1)), "{steps:?}");
        }
        assert!((trajectory.boxes[chosen].limits[0].lo - 0.6).abs() < 0.03);
    }
}

/// An outcome that is 0 or 1 per point (a run's own outcome): the widest
/// box of density at least 0.95 is the step (give or take the last peel's
/// slice), and peeling ends once the box holds only ones.
#[test]
fn a_step_outcome_is_found_exactly() {
    let h = grid(1000);
    let y: Vec<Share> = h.iter().map(|&v| binary(v > 0.7)).collect();
    let trajectory = discover(&one_input(&h), &y, &PrimOptions::default()).unwrap();
    let chosen = &trajectory.boxes[trajectory.choose(0.95).index];
    assert_eq!(chosen.coverage, 1.0, "{chosen:?}");
    assert!(chosen.density > 0.99, "{chosen:?}");
    assert!((chosen.limits[0].lo - 0.7).abs() < 0.005, "{chosen:?}");
    let last = trajectory.boxes.last().unwrap();
    assert_eq!(last.density, 1.0, "peeling stops at density 1: {last:?}");
}

/// Pasting every peeled box: the peeled boxes are the same with or without
/// it; each pasted box widens the peeled step it names, has a strictly
/// higher density and more points, and is a box no other step already is.
/// On noisy 0/1 outcomes (y ~ Bernoulli(x1)) peeling sometimes cuts off
/// points worth taking back.
#[test]
fn each_pasted_box_widens_its_peeled_step_and_raises_its_density() {
    let options = PrimOptions {
        paste: true,
        ..PrimOptions::default()
    };
    let mut pasted_any = false;
    for seed in 0..40 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let x: Vec<Vec<f64>> = (0..600)
            .map(|_| vec![rng.random::<f64>(), rng.random::<f64>()])
            .collect();
        let y: Vec<Share> = x
            .iter()
            .map(|p| binary(rng.random::<f64>() < p[0]))
            .collect();
        let pasted = discover(&x, &y, &options).unwrap();
        let peeled = discover(&x, &y, &PrimOptions::default()).unwrap();
        assert_eq!(pasted.boxes[..pasted.peeled], peeled.boxes[..]);
        assert_eq!(pasted.boxes.len(), pasted.peeled + pasted.pasted_from.len());
        assert!(pasted.pasted_from.windows(2).all(|w| w[0] < w[1]));
        pasted_any |= !pasted.pasted_from.is_empty();
        for index in pasted.peeled..pasted.boxes.len() {
            let step = pasted.pasted_step(index).unwrap();
            let (from, to) = (&pasted.boxes[step], &pasted.boxes[index]);
            assert!(to.density > from.density && to.mass > from.mass);
            for (a, b) in from.limits.iter().zip(&to.limits) {
                assert!(b.lo <= a.lo && a.hi <= b.hi);
            }
            assert!(pasted.boxes[..index].iter().all(|b| b.limits != to.limits));
        }
        assert_eq!(pasted.pasted_step(pasted.peeled - 1), None);
    }
    assert!(pasted_any, "some of these cases paste");
}

/// A box that peeling overshot: the outcome is certain on the strip
/// 0.03 <= h < 0.05, never below it, and falls as 1 - h above it. Peeling
/// comes down from the top and, once the box is small, cuts into the strip
/// from below with slices that hold the worlds under 0.03 and part of the
/// strip together; pasting the peeled boxes takes the strip's cut-off worlds
/// back, which raises both density and coverage. The pasted boxes take part
/// in the choice: they push the peeled boxes they widen off the frontier, and
/// the box chosen for 0.9 is a pasted one, wider than peeling alone offers.
#[test]
fn pasting_takes_back_what_peeling_cut_off_too_soon() {
    let h = grid(1000);
    let y: Vec<Share> = h
        .iter()
        .map(|&v| {
            let count = match v {
                v if v < 0.03 => 0,
                v if v < 0.05 => 100,
                v => (100.0 * (1.0 - v)).round() as u64,
            };
            Share { count, of: 100 }
        })
        .collect();
    let options = PrimOptions {
        paste: true,
        ..PrimOptions::default()
    };
    let pasted = discover(&one_input(&h), &y, &options).unwrap();
    let peeled = discover(&one_input(&h), &y, &PrimOptions::default()).unwrap();
    let last = &peeled.boxes[peeled.peeled - 1];
    assert!(
        last.limits[0].lo > 0.035,
        "peeling cut into the strip: {last:?}"
    );
    assert!(!pasted.pasted_from.is_empty());
    for index in pasted.peeled..pasted.boxes.len() {
        let step = pasted.pasted_step(index).unwrap();
        let (from, to) = (&pasted.boxes[step], &pasted.boxes[index]);
        assert!(to.density > from.density, "{from:?} {to:?}");
        assert!(to.coverage > from.coverage, "{from:?} {to:?}");
        assert!(from.limits[0].lo > 0.035 && (0.029..0.035).contains(&to.limits[0].lo));
        assert_eq!(
            to.limits[0].hi, from.limits[0].hi,
            "only the strip is taken back"
        );
        assert!(
            !pasted.on_frontier(step),
            "step {step} is beaten by its paste"
        );
    }
    let with = pasted.choose(0.9);
    let without = peeled.choose(0.9);
    assert!(with.meets_threshold && without.meets_threshold);
    assert!(pasted.pasted_step(with.index).is_some(), "{with:?}");
    assert!(pasted.boxes[with.index].coverage > peeled.boxes[without.index].coverage);
}

/// Where nothing was cut off too soon, pasting changes nothing: with P(broken
/// | h) = h every world below a box is less likely than the box, and a 0/1
/// step leaves nothing to take back.
#[test]
fn pasting_a_monotone_outcome_changes_nothing() {
    let h = grid(2000);
    let step: Vec<Share> = h.iter().map(|&v| binary(v > 0.7)).collect();
    for y in [shares(&h), step] {
        let options = PrimOptions {
            paste: true,
            ..PrimOptions::default()
        };
        let pasted = discover(&one_input(&h), &y, &options).unwrap();
        let peeled = discover(&one_input(&h), &y, &PrimOptions::default()).unwrap();
        assert!(pasted.pasted_from.is_empty());
        assert_eq!(pasted, peeled);
    }
}
