//! The images the simulator holds, per region, who uses them, and their persistence
//! (`--state FILE`).
//!
//! Changes live in memory; with a state file every change is written through at once, as
//! JSON, atomically (a temporary file in the same directory, then a rename), so a crash
//! never leaves half a file behind. The file only ever gains keys: one written before
//! `usage` existed still loads, and takes the inventory's usage.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::usage::RegionUsage;
use crate::ecs::model::Image;

const FORMAT: &str = "ecsimg-sim-state/1";

#[derive(Debug)]
pub struct State {
    regions: BTreeMap<String, Vec<Image>>,
    /// Per region, the positions of its images newest first (DescribeImages' order),
    /// sorted once: sorting on every page made a listing quadratic in the region's size.
    newest_first: BTreeMap<String, Vec<usize>>,
    /// What a query matched, by region and query, until an image changes: paging through
    /// a large region reads each image once per listing, not once per page.
    matched: HashMap<(String, String), Arc<Vec<usize>>>,
    /// Per region, each image as DescribeImages shows it, made when first asked for and
    /// again when the image changes: building JSON was most of the cost of a page.
    shown: HashMap<String, Vec<serde_json::Value>>,
    usage: BTreeMap<String, RegionUsage>,
    file: Option<PathBuf>,
}

/// Queries whose matches are remembered at once; more than any client pages through.
const REMEMBERED: usize = 32;

#[derive(Serialize, Deserialize)]
struct StateFile {
    format: String,
    regions: BTreeMap<String, Vec<Image>>,
    /// Absent in files written before usage existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    usage: Option<BTreeMap<String, RegionUsage>>,
}

impl State {
    /// Starts from `file` when it exists, otherwise from `images` and `usage`.
    pub fn open(
        images: BTreeMap<String, Vec<Image>>,
        usage: BTreeMap<String, RegionUsage>,
        file: Option<PathBuf>,
    ) -> io::Result<State> {
        let (regions, usage) = match &file {
            Some(path) if path.exists() => {
                let loaded = load(path)?;
                (loaded.regions, loaded.usage.unwrap_or(usage))
            }
            _ => (images, usage),
        };
        let newest_first = regions
            .iter()
            .map(|(region, images)| (region.clone(), newest_first(images)))
            .collect();
        Ok(State {
            regions,
            usage,
            newest_first,
            matched: HashMap::new(),
            shown: HashMap::new(),
            file,
        })
    }

    /// Image `i` of `region` as `show` renders it, rendering the whole region once.
    pub fn shown(
        &mut self,
        region: &str,
        i: usize,
        show: impl Fn(&Image) -> serde_json::Value,
    ) -> serde_json::Value {
        if !self.shown.contains_key(region) {
            let all = self.images(region).iter().map(&show).collect();
            self.shown.insert(region.to_string(), all);
        }
        self.shown[region][i].clone()
    }

    /// The positions, newest first, of `region`'s images that `keep` keeps; `query` names
    /// the filter (the same query must mean the same filter).
    pub fn matching(
        &mut self,
        region: &str,
        query: &str,
        keep: impl Fn(&Image) -> bool,
    ) -> Arc<Vec<usize>> {
        let key = (region.to_string(), query.to_string());
        if let Some(found) = self.matched.get(&key) {
            return found.clone();
        }
        let images = self.images(region);
        let found: Arc<Vec<usize>> = Arc::new(
            self.newest_first
                .get(region)
                .into_iter()
                .flatten()
                .copied()
                .filter(|&i| keep(&images[i]))
                .collect(),
        );
        if self.matched.len() >= REMEMBERED {
            self.matched.clear();
        }
        self.matched.insert(key, found.clone());
        found
    }

    /// Who uses the images of `region`.
    pub fn usage(&self, region: &str) -> Option<&RegionUsage> {
        self.usage.get(region)
    }

    /// Every image of `region`, in stored order.
    pub fn images(&self, region: &str) -> &[Image] {
        self.regions.get(region).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn image(&self, region: &str, id: &str) -> Option<&Image> {
        self.images(region).iter().find(|i| i.image_id == id)
    }

    /// Replaces the image with the same ID, then writes the state file if there is one.
    pub fn replace(&mut self, region: &str, image: Image) -> io::Result<()> {
        self.matched.clear();
        self.shown.remove(region);
        if let Some(images) = self.regions.get_mut(region) {
            if let Some(slot) = images.iter_mut().find(|i| i.image_id == image.image_id) {
                let moved = slot.creation_time != image.creation_time;
                *slot = image;
                if moved {
                    self.newest_first
                        .insert(region.to_string(), newest_first(images));
                }
            }
        }
        self.persist()
    }

    fn persist(&self) -> io::Result<()> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        let body = serde_json::to_vec_pretty(&StateFile {
            format: FORMAT.to_string(),
            regions: self.regions.clone(),
            usage: Some(self.usage.clone()),
        })?;
        // The demo state holds image names: 0600, like every file ecsimg writes.
        crate::owner_only::write_atomically(path, &body)
    }
}

fn newest_first(images: &[Image]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..images.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&images[a], &images[b]);
        b.creation_time
            .cmp(&a.creation_time)
            .then_with(|| b.image_id.cmp(&a.image_id))
    });
    order
}

fn load(path: &Path) -> io::Result<StateFile> {
    let text = std::fs::read_to_string(path)?;
    let file: StateFile = serde_json::from_str(&text).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} is not a simulator state file: {e}", path.display()),
        )
    })?;
    if file.format != FORMAT {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} has format {:?}, expected {FORMAT:?}",
                path.display(),
                file.format
            ),
        ));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(id: &str, name: &str) -> BTreeMap<String, Vec<Image>> {
        let image = Image {
            image_id: id.into(),
            image_name: name.into(),
            ..Image::default()
        };
        BTreeMap::from([("cn-hangzhou".to_string(), vec![image])])
    }

    #[test]
    fn changes_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let mut state =
            State::open(one("m-1", "before"), BTreeMap::new(), Some(path.clone())).unwrap();
        let mut image = state.image("cn-hangzhou", "m-1").unwrap().clone();
        image.image_name = "after".into();
        state.replace("cn-hangzhou", image).unwrap();

        let reopened = State::open(one("m-1", "before"), BTreeMap::new(), Some(path)).unwrap();
        assert_eq!(
            reopened.image("cn-hangzhou", "m-1").unwrap().image_name,
            "after"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn a_corrupt_file_is_refused_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(&path, "{not json").unwrap();
        let err = State::open(one("m-1", "x"), BTreeMap::new(), Some(path.clone())).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{not json");
    }

    #[test]
    fn a_file_from_before_usage_still_loads_and_takes_the_inventory_s_usage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(
            &path,
            r#"{"format":"ecsimg-sim-state/1","regions":{"cn-hangzhou":[{"ImageId":"m-1","ImageName":"kept"}]}}"#,
        )
        .unwrap();
        let mut usage = BTreeMap::new();
        usage.insert(
            "cn-hangzhou".to_string(),
            RegionUsage {
                groups: vec![crate::ecs::model::ScalingGroup {
                    scaling_group_id: "asg-1".into(),
                    ..Default::default()
                }],
                ..RegionUsage::default()
            },
        );
        let mut state = State::open(one("m-1", "demo"), usage.clone(), Some(path.clone())).unwrap();
        assert_eq!(
            state.image("cn-hangzhou", "m-1").unwrap().image_name,
            "kept"
        );
        assert_eq!(state.usage("cn-hangzhou").unwrap().groups.len(), 1);
        // The next write keeps the old keys and adds `usage`.
        let image = state.image("cn-hangzhou", "m-1").unwrap().clone();
        state.replace("cn-hangzhou", image).unwrap();
        let written: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(written["format"], "ecsimg-sim-state/1");
        assert_eq!(written["regions"]["cn-hangzhou"][0]["ImageName"], "kept");
        assert_eq!(
            written["usage"]["cn-hangzhou"]["groups"][0]["ScalingGroupId"],
            "asg-1"
        );
        let reopened = State::open(one("m-1", "demo"), BTreeMap::new(), Some(path)).unwrap();
        assert_eq!(reopened.usage("cn-hangzhou"), Some(&usage["cn-hangzhou"]));
    }
}
