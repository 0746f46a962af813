//! The images the simulator holds, per region, and their persistence (`--state FILE`).
//!
//! Changes live in memory; with a state file every change is written through at once, as
//! JSON, atomically (a temporary file in the same directory, then a rename), so a crash
//! never leaves half a file behind.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ecs::model::Image;

const FORMAT: &str = "ecsimg-sim-state/1";

#[derive(Debug)]
pub struct State {
    regions: BTreeMap<String, Vec<Image>>,
    file: Option<PathBuf>,
}

#[derive(Serialize, Deserialize)]
struct StateFile {
    format: String,
    regions: BTreeMap<String, Vec<Image>>,
}

impl State {
    /// Starts from `file` when it exists, otherwise from `images`.
    pub fn open(images: BTreeMap<String, Vec<Image>>, file: Option<PathBuf>) -> io::Result<State> {
        let regions = match &file {
            Some(path) if path.exists() => load(path)?,
            _ => images,
        };
        Ok(State { regions, file })
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
        if let Some(slot) = self
            .regions
            .get_mut(region)
            .and_then(|images| images.iter_mut().find(|i| i.image_id == image.image_id))
        {
            *slot = image;
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
        })?;
        // The demo state holds image names: 0600, like every file ecsimg writes.
        crate::owner_only::write_atomically(path, &body)
    }
}

fn load(path: &Path) -> io::Result<BTreeMap<String, Vec<Image>>> {
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
    Ok(file.regions)
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
        let mut state = State::open(one("m-1", "before"), Some(path.clone())).unwrap();
        let mut image = state.image("cn-hangzhou", "m-1").unwrap().clone();
        image.image_name = "after".into();
        state.replace("cn-hangzhou", image).unwrap();

        let reopened = State::open(one("m-1", "before"), Some(path)).unwrap();
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
        let err = State::open(one("m-1", "x"), Some(path.clone())).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{not json");
    }
}
