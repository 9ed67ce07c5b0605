//! Reading CoNLL two-column files (`token TAG`, blank line between sentences).
