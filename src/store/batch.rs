//! The journal's batches: the entries a change to many images wrote under one batch ID,
//! found by that ID (or a unique start of it), summed for `ecsimg journal`, and the ones
//! undo may put back.

use std::collections::BTreeMap;

use crate::change::JournalEntry;

/// One batch of the journal, summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchSummary {
    pub id: String,
    /// When its first change was sent.
    pub time: String,
    /// Entries (an image sent again after Throttling has one per attempt).
    pub entries: usize,
    pub applied: usize,
}

/// Every batch in `entries`, in the order they started.
pub fn batches(entries: &[JournalEntry]) -> Vec<BatchSummary> {
    let mut out: Vec<BatchSummary> = Vec::new();
    let mut at: BTreeMap<&str, usize> = BTreeMap::new();
    for e in entries {
        let Some(id) = e.batch.as_deref() else {
            continue;
        };
        let i = *at.entry(id).or_insert_with(|| {
            out.push(BatchSummary {
                id: id.to_string(),
                time: e.time.clone(),
                entries: 0,
                applied: 0,
            });
            out.len() - 1
        });
        out[i].entries += 1;
        out[i].applied += usize::from(e.succeeded());
    }
    out
}

/// The batch `wanted` names: its whole ID, or a start of it no other batch shares.
pub fn find_batch(entries: &[JournalEntry], wanted: &str) -> Result<String, String> {
    let all = batches(entries);
    if let Some(exact) = all.iter().find(|b| b.id == wanted) {
        return Ok(exact.id.clone());
    }
    let matching: Vec<&BatchSummary> = all.iter().filter(|b| b.id.starts_with(wanted)).collect();
    match matching.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(format!(
            "no batch {wanted} in the journal: `ecsimg journal` lists the batch IDs"
        )),
        many => Err(format!(
            "{wanted} starts {} batch IDs: give more of it",
            many.len()
        )),
    }
}

/// The entries of `batch` that may be in place (applied, or never settled), the last per
/// image, in journal order: what undoing the batch puts back.
pub fn undoable(entries: &[JournalEntry], batch: &str) -> Vec<JournalEntry> {
    let mut last: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        if e.batch.as_deref() == Some(batch) && e.undoable() {
            last.insert(e.image_id.as_str(), i);
        }
    }
    let mut picked: Vec<usize> = last.into_values().collect();
    picked.sort_unstable();
    picked.into_iter().map(|i| entries[i].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::Outcome;

    fn entry(image: &str, batch: Option<&str>, outcome: Outcome) -> JournalEntry {
        JournalEntry {
            id: Some(format!("{image}-{}", fastrand::u32(..))),
            batch: batch.map(str::to_string),
            time: "2026-01-01T00:00:00Z".into(),
            settled_at: None,
            source: "cli".into(),
            profile: "p".into(),
            region: "r".into(),
            endpoint: "e".into(),
            image_id: image.into(),
            image_name: image.into(),
            changes: Vec::new(),
            request_id: None,
            outcome,
        }
    }

    #[test]
    fn a_batch_is_found_by_a_unique_start_and_undo_takes_what_may_be_in_place() {
        let applied = || Outcome::Applied { verified: true };
        let throttled = Outcome::Refused {
            code: "Throttling".into(),
            message: "slow".into(),
        };
        let entries = vec![
            entry("m-1", Some("b-20260101-aaa"), throttled),
            entry("m-0", None, applied()),
            entry("m-1", Some("b-20260101-aaa"), applied()),
            entry("m-2", Some("b-20260101-aaa"), applied()),
            entry("m-3", Some("b-20260102-bbb"), applied()),
        ];
        let all = batches(&entries);
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].entries, all[0].applied), (3, 2));
        assert_eq!(
            find_batch(&entries, "b-20260102").unwrap(),
            "b-20260102-bbb"
        );
        assert!(find_batch(&entries, "b-2026")
            .unwrap_err()
            .contains("starts 2 batch IDs"));
        assert!(find_batch(&entries, "x")
            .unwrap_err()
            .contains("no batch x"));
        let undo: Vec<String> = undoable(&entries, "b-20260101-aaa")
            .into_iter()
            .map(|e| e.image_id)
            .collect();
        assert_eq!(undo, ["m-1", "m-2"], "the throttled attempt is not undone");
    }
}
