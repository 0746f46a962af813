//! The orders of the image list: by name (naturally: `v2` before `v10`), by creation time
//! (newest first), by family. Each order is computed once per load and kept; a page that
//! arrives is merged in (linear), so paging in ten thousand images never re-sorts them.

use std::cmp::Ordering;

use crate::ecs::model::Image;

use super::filter::{natural_cmp, Haystack};

/// The order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Natural order: `v2` before `v10`.
    #[default]
    Name,
    /// Newest first.
    Created,
    /// By family, newest first inside a family; images without one last.
    Family,
}

impl SortKey {
    pub const ALL: [SortKey; 3] = [SortKey::Name, SortKey::Created, SortKey::Family];

    pub fn next(self) -> SortKey {
        match self {
            SortKey::Name => SortKey::Created,
            SortKey::Created => SortKey::Family,
            SortKey::Family => SortKey::Name,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Created => "created",
            SortKey::Family => "family",
        }
    }

    fn slot(self) -> usize {
        self as usize
    }

    /// How images `a` and `b` compare (never equal for two images: the ID decides last).
    fn compare(self, images: &[Image], hay: &[Haystack], a: u32, b: u32) -> Ordering {
        let (ia, ib) = (&images[a as usize], &images[b as usize]);
        let (ha, hb) = (&hay[a as usize], &hay[b as usize]);
        let by_id = || ia.image_id.cmp(&ib.image_id);
        match self {
            SortKey::Name => natural_cmp(ha.name(), hb.name()).then_with(by_id),
            SortKey::Created => ib.creation_time.cmp(&ia.creation_time).then_with(by_id),
            SortKey::Family => ia
                .image_family
                .is_empty()
                .cmp(&ib.image_family.is_empty())
                .then_with(|| natural_cmp(ha.family(), hb.family()))
                .then_with(|| ib.creation_time.cmp(&ia.creation_time))
                .then_with(by_id),
        }
    }
}

/// Every image in each order, as positions in the list; an order is `None` until needed
/// after a change.
#[derive(Debug, Clone, Default)]
pub(super) struct Orders {
    by: [Option<Vec<u32>>; 3],
}

impl Orders {
    /// Forgets every order (an image changed in place: its position may have).
    pub(super) fn forget(&mut self) {
        self.by = Default::default();
    }

    /// Merges the images at `added` (new at the end of `images`) into each known order.
    pub(super) fn merge(&mut self, images: &[Image], hay: &[Haystack], added: &[u32]) {
        for key in SortKey::ALL {
            let Some(old) = self.by[key.slot()].take() else {
                continue;
            };
            let mut new = added.to_vec();
            new.sort_by(|&a, &b| key.compare(images, hay, a, b));
            let mut out = Vec::with_capacity(old.len() + new.len());
            let (mut a, mut b) = (old.into_iter().peekable(), new.into_iter().peekable());
            while let (Some(&x), Some(&y)) = (a.peek(), b.peek()) {
                if key.compare(images, hay, x, y) == Ordering::Greater {
                    out.push(y);
                    b.next();
                } else {
                    out.push(x);
                    a.next();
                }
            }
            out.extend(a);
            out.extend(b);
            self.by[key.slot()] = Some(out);
        }
    }

    /// Every image in `key`'s order, computed if a change made it stale.
    pub(super) fn get(&mut self, key: SortKey, images: &[Image], hay: &[Haystack]) -> &[u32] {
        self.by[key.slot()].get_or_insert_with(|| {
            let mut order: Vec<u32> = (0..images.len() as u32).collect();
            order.sort_unstable_by(|&a, &b| key.compare(images, hay, a, b));
            order
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(i: usize) -> Image {
        Image {
            image_id: format!("m-{i:03}"),
            image_name: format!("svc-v{}", (i * 7919) % 97),
            image_family: if i % 3 == 0 {
                String::new()
            } else {
                "fam".into()
            },
            creation_time: format!("2024-01-{:02}T00:00:00Z", 1 + (i * 31) % 28),
            ..Image::default()
        }
    }

    #[test]
    fn pages_merged_in_give_the_same_orders_as_one_sort() {
        let images: Vec<Image> = (0..250).map(img).collect();
        let hay: Vec<Haystack> = images.iter().map(Haystack::of).collect();
        let mut merged = Orders::default();
        for key in SortKey::ALL {
            merged.get(key, &images[..0], &hay[..0]);
        }
        for start in (0..250).step_by(100) {
            let end = (start + 100).min(250);
            let added: Vec<u32> = (start as u32..end as u32).collect();
            merged.merge(&images[..end], &hay[..end], &added);
        }
        let mut whole = Orders::default();
        for key in SortKey::ALL {
            let expected = whole.get(key, &images, &hay).to_vec();
            assert_eq!(merged.get(key, &images, &hay), expected, "{key:?}");
        }
    }
}
