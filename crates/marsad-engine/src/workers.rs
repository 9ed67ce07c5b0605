//! The engine's worker threads: one policy for every parallel step.
//!
//! Three steps are worth spreading over cores — cleaning and analyzing
//! documents as they are read (`ingest`), analyzing stored documents again
//! (`analysis`, `marsad reanalyze`) and weighing the terms of documents
//! entering stories (`refresh::stories`). All three use [`count`] threads
//! (one per core, at most four: the target machines are small, and past
//! four the SQLite writer on the calling thread is the bottleneck), and the
//! two batch steps use [`map`], which keeps the input order so results
//! never depend on thread timing. Threads are scoped to the call: nothing
//! outlives a step, and a refresh holds no threads between slices.

use std::panic::resume_unwind;

/// Worker threads for a parallel step: one per core, at most four.
pub(crate) fn count() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4)
}

/// `f` over `items` on [`count`] threads, results in input order. Fewer
/// than `min_parallel` items (or one core) run on the calling thread, where
/// starting threads would cost more than it saves. A panic in `f` is
/// raised again on the calling thread.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], min_parallel: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = count();
    if items.len() < min_parallel.max(2) || threads == 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads).max(1);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> =
            items.chunks(chunk).map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>())).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|panic| resume_unwind(panic))).collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn map_keeps_the_input_order() {
        let items: Vec<u32> = (0..1000).collect();
        assert_eq!(super::map(&items, 1, |x| x * 2), items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert_eq!(super::map(&items[..3], 64, |x| x + 1), vec![1, 2, 3]);
        assert!(super::map(&[] as &[u32], 1, |x| *x).is_empty());
    }
}
