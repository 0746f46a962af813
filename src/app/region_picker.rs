//! The region picker (`R`): "all regions" first, then every region DescribeRegions lists,
//! narrowed as the person types (type-ahead over the ID and the local name).

use crate::ecs::model::Region;

use super::text::TextInput;

/// The picker's state; the regions are in `App::regions`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegionPicker {
    /// The row of [`choices`] under the cursor.
    pub selected: usize,
    /// What was typed to narrow the list.
    pub typed: TextInput,
}

/// One row of the picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionChoice<'a> {
    /// Every region at once.
    All,
    Region(&'a Region),
}

/// The rows for what was typed: "all regions" (unless the typing rules it out), then the
/// regions whose ID or local name holds every typed word, case-insensitively.
pub fn choices<'a>(regions: &'a [Region], typed: &str) -> Vec<RegionChoice<'a>> {
    let words: Vec<String> = typed.split_whitespace().map(str::to_lowercase).collect();
    let holds = |text: &str| {
        let text = text.to_lowercase();
        words.iter().all(|w| text.contains(w.as_str()))
    };
    let mut out = Vec::new();
    if !regions.is_empty() && holds("all regions") {
        out.push(RegionChoice::All);
    }
    out.extend(
        regions
            .iter()
            .filter(|r| holds(&format!("{} {}", r.region_id, r.local_name)))
            .map(RegionChoice::Region),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(id: &str, name: &str) -> Region {
        Region {
            region_id: id.into(),
            local_name: name.into(),
            ..Region::default()
        }
    }

    #[test]
    fn typing_narrows_by_id_and_local_name() {
        let regions = vec![
            region("cn-hangzhou", "华东1（杭州）"),
            region("cn-shanghai", "China (Shanghai)"),
            region("ap-southeast-1", "Singapore"),
        ];
        assert_eq!(choices(&regions, "").len(), 4);
        assert_eq!(choices(&regions, "")[0], RegionChoice::All);
        assert_eq!(
            choices(&regions, "shanghai"),
            [RegionChoice::Region(&regions[1])]
        );
        assert_eq!(
            choices(&regions, "杭州"),
            [RegionChoice::Region(&regions[0])]
        );
        assert_eq!(
            choices(&regions, "CN"),
            [
                RegionChoice::Region(&regions[0]),
                RegionChoice::Region(&regions[1])
            ]
        );
        assert_eq!(choices(&regions, "all"), [RegionChoice::All]);
        assert!(choices(&regions, "mars").is_empty());
        assert!(
            choices(&[], "").is_empty(),
            "no regions loaded: nothing to offer"
        );
    }
}
