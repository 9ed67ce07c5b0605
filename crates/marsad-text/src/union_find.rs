//! Disjoint sets (union-find), the one partition structure of the project.
//!
//! Three steps group items transitively — timeline events that tell one
//! event, reuse occurrences and near-duplicate documents connected by
//! pairs, summary sentences that say the same thing — and each must give
//! the same groups in every run. So the union keeps the **smaller index**
//! as the root: a group's root is its first member, whatever the order of
//! the unions, and callers can number groups by it. `find` halves paths as
//! it goes, which keeps the trees flat without a rank array.
//!
//! It lives in the text layer because that is the one crate every
//! understanding crate already depends on; it does no text processing.

/// A partition of `0..n` into disjoint sets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    /// `n` singletons.
    pub fn new(n: usize) -> UnionFind {
        assert!(n <= u32::MAX as usize, "UnionFind holds at most 2^32 items");
        UnionFind { parent: (0..n as u32).collect() }
    }

    /// How many items it partitions.
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// Whether it partitions nothing.
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// The root of `x`'s set: its smallest member.
    pub fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] as usize != x {
            let grandparent = self.parent[self.parent[x] as usize];
            self.parent[x] = grandparent;
            x = grandparent as usize;
        }
        x
    }

    /// Joins the sets of `a` and `b`, the smaller root staying the root.
    /// Returns whether they were apart.
    pub fn union(&mut self, a: usize, b: usize) -> bool {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return false;
        }
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        self.parent[hi] = lo as u32;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::UnionFind;

    #[test]
    fn roots_are_the_smallest_members_whatever_the_order() {
        let mut a = UnionFind::new(6);
        a.union(5, 3);
        a.union(3, 1);
        a.union(4, 2);
        let mut b = UnionFind::new(6);
        b.union(1, 3);
        b.union(2, 4);
        assert!(b.union(3, 5));
        assert!(!b.union(5, 1));
        for x in 0..6 {
            assert_eq!(a.find(x), b.find(x));
        }
        assert_eq!([a.find(5), a.find(4), a.find(0)], [1, 2, 0]);
    }
}
