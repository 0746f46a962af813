//! Property tests' settings: a moderate number of cases in `cargo test`
//! (`PROPTEST_CASES` for a long run: `PROPTEST_CASES=10000 cargo test --test cli hostile`),
//! and no regression files written into the tree.

use proptest::test_runner::Config;

/// `cases` by default, `PROPTEST_CASES` when set.
pub fn config(cases: u32) -> Config {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config
}
