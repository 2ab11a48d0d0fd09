//! 抽查 (spot checks) and 整改 (rectification): the office samples an org's published items,
//! requests or letters at random — from a seed it records, so anyone can draw the same sample
//! again and see it was random — records a finding on each record drawn, and a problem found
//! gets a 整改 the org answers by a deadline; the office accepts the answer or returns it.
//!
//! The draw is SplitMix64 feeding a partial Fisher–Yates shuffle of the population sorted by
//! id: both are fixed, published algorithms, so a recorded seed draws the same sample in any
//! version of this program (a library generator may change its stream between versions).

use crate::code_enum::code_enum;
use chrono::NaiveDate;

/// Records drawn in one check at most.
pub const MAX_SAMPLE: usize = 200;
/// Longest note or answer, in characters.
pub const MAX_TEXT: usize = 2000;

code_enum! {
    /// What a spot check samples.
    SampleKind {
        /// Published items (主动公开信息).
        Items = ("items", "主动公开信息"),
        /// Requests (依申请公开办理).
        Requests = ("requests", "依申请公开办理"),
        /// Letters (政民互动留言办理).
        Letters = ("letters", "留言办理"),
    }
}

code_enum! {
    /// Where a record's 整改 stands.
    RectState {
        /// Checked, nothing to rectify.
        None = ("none", "无问题"),
        /// Not yet checked.
        Unchecked = ("unchecked", "待检查"),
        /// A problem found, the org's answer awaited.
        Open = ("open", "待整改"),
        /// The org answered; the office is to accept it.
        Answered = ("answered", "整改待确认"),
        /// The office accepted the rectification.
        Accepted = ("accepted", "已整改"),
    }
}

/// The next number of SplitMix64 (Steele, Lea and Flood 2014).
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Draws `n` of `population` (ids, in any order) with `seed`: the same seed and population
/// always draw the same ids, in the order drawn.
pub fn sample(seed: u64, population: &[i64], n: usize) -> Vec<i64> {
    let mut pool: Vec<i64> = population.to_vec();
    pool.sort_unstable();
    pool.dedup();
    let n = n.min(pool.len()).min(MAX_SAMPLE);
    let mut state = seed;
    for i in 0..n {
        // An unbiased index in i..len by rejection.
        let span = (pool.len() - i) as u64;
        let zone = u64::MAX - u64::MAX % span;
        let r = loop {
            let x = splitmix64(&mut state);
            if x < zone {
                break x % span;
            }
        };
        pool.swap(i, i + r as usize);
    }
    pool.truncate(n);
    pool
}

/// Why a step on a 整改 is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RectRefusal {
    #[error("发现问题时须写明问题并给出整改期限")]
    ProblemNeedsNoteAndDue,
    #[error("整改期限不能早于今天")]
    DueInPast,
    #[error("当前状态为「{0}」，不能进行此操作")]
    State(&'static str),
    #[error("整改情况不能为空，且不超过 {MAX_TEXT} 字")]
    Answer,
}

/// A finding to record on a drawn record: `problem` with its note and deadline, or nothing
/// wrong. Answers the new state.
pub fn find(
    state: RectState,
    problem: bool,
    note: &str,
    due: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<RectState, RectRefusal> {
    if !matches!(state, RectState::Unchecked | RectState::None | RectState::Open) {
        return Err(RectRefusal::State(state.label()));
    }
    if !problem {
        return Ok(RectState::None);
    }
    match due {
        _ if note.trim().is_empty() || note.chars().count() > MAX_TEXT => Err(RectRefusal::ProblemNeedsNoteAndDue),
        None => Err(RectRefusal::ProblemNeedsNoteAndDue),
        Some(d) if d < today => Err(RectRefusal::DueInPast),
        Some(_) => Ok(RectState::Open),
    }
}

/// The org answers an open 整改.
pub fn answer(state: RectState, text: &str) -> Result<RectState, RectRefusal> {
    if state != RectState::Open {
        return Err(RectRefusal::State(state.label()));
    }
    if text.trim().is_empty() || text.chars().count() > MAX_TEXT {
        return Err(RectRefusal::Answer);
    }
    Ok(RectState::Answered)
}

/// The office accepts an answered 整改, or returns it (open again, the deadline kept).
pub fn review(state: RectState, accept: bool) -> Result<RectState, RectRefusal> {
    if state != RectState::Answered {
        return Err(RectRefusal::State(state.label()));
    }
    Ok(if accept { RectState::Accepted } else { RectState::Open })
}

/// True for a 整改 still owed past its deadline.
pub fn is_overdue(state: RectState, due: Option<NaiveDate>, today: NaiveDate) -> bool {
    state == RectState::Open && due.is_some_and(|d| d < today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn a_seed_draws_the_same_sample_whatever_the_order() {
        let population: Vec<i64> = (1..=1000).collect();
        let mut reversed = population.clone();
        reversed.reverse();
        let a = sample(20261203, &population, 10);
        assert_eq!(a, sample(20261203, &reversed, 10));
        assert_eq!(a.len(), 10);
        let mut unique = a.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 10, "no record twice");
        assert_ne!(a, sample(20261204, &population, 10), "another seed, another sample");
        // Fixed forever: the algorithm is ours, not a library's stream.
        assert_eq!(sample(1, &[10, 20, 30, 40, 50], 3), sample(1, &[50, 40, 30, 20, 10], 3));
        assert_eq!(sample(7, &[1, 2, 3], 10).len(), 3, "never more than there are");
        assert!(sample(7, &[], 5).is_empty());
    }

    #[test]
    fn the_draw_is_spread_over_the_population() {
        // Each of 10 records drawn about as often over many seeds.
        let population: Vec<i64> = (0..10).collect();
        let mut counts = [0u32; 10];
        for seed in 0..5000 {
            for id in sample(seed, &population, 1) {
                counts[id as usize] += 1;
            }
        }
        assert!(counts.iter().all(|&c| (400..600).contains(&c)), "{counts:?}");
    }

    #[test]
    fn a_rectification_goes_open_answered_accepted() {
        let today = d(2026, 12, 3);
        assert_eq!(find(RectState::Unchecked, false, "", None, today), Ok(RectState::None));
        assert_eq!(
            find(RectState::Unchecked, true, "未标注有效性", None, today),
            Err(RectRefusal::ProblemNeedsNoteAndDue)
        );
        assert_eq!(
            find(RectState::Unchecked, true, "未标注有效性", Some(d(2026, 12, 1)), today),
            Err(RectRefusal::DueInPast)
        );
        let open = find(RectState::Unchecked, true, "未标注有效性", Some(d(2026, 12, 17)), today).expect("open");
        assert_eq!(open, RectState::Open);
        assert!(!is_overdue(open, Some(d(2026, 12, 17)), d(2026, 12, 17)));
        assert!(is_overdue(open, Some(d(2026, 12, 17)), d(2026, 12, 18)));
        assert_eq!(answer(open, "  "), Err(RectRefusal::Answer));
        let answered = answer(open, "已补充有效性标注并重新发布").expect("answer");
        assert_eq!(review(answered, false), Ok(RectState::Open), "returned: owed again");
        assert_eq!(review(answered, true), Ok(RectState::Accepted));
        assert!(find(RectState::Accepted, false, "", None, today).is_err(), "an accepted one stays");
    }
}
