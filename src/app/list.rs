//! The image list: every image loaded for the region, the filtered and sorted view of it,
//! and the selection — kept by image ID, so a refresh or a re-sort does not move it.

use crate::ecs::model::Image;

use super::text::TextInput;

/// The order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Name,
    /// Newest first.
    Created,
    /// By family, newest first inside a family; images without one last.
    Family,
}

impl SortKey {
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
}

/// The images of the region and how they are shown.
#[derive(Debug, Clone, Default)]
pub struct ImageList {
    images: Vec<Image>,
    /// Indexes into `images`, filtered and sorted.
    visible: Vec<usize>,
    /// What `/` typed.
    pub filter: TextInput,
    /// The filter has the keyboard.
    pub filtering: bool,
    sort: SortKey,
    /// The selected row of the view.
    selected: usize,
    /// The image the person selected; it may be absent from the view while a reload is
    /// filling in. `None` until they move.
    selected_id: Option<String>,
    /// An image changed while the view showed it: it stays in view, whether the filter
    /// matches its new values or not, until the filter changes.
    pinned: Option<String>,
    /// The first row shown.
    offset: usize,
    /// Rows the list shows at once (from the last resize).
    page: usize,
}

impl ImageList {
    /// Every loaded image, in load order.
    pub fn all(&self) -> &[Image] {
        &self.images
    }

    /// The images the view shows, in order.
    pub fn visible(&self) -> impl ExactSizeIterator<Item = &Image> + '_ {
        self.visible.iter().map(|&i| &self.images[i])
    }

    /// The image on row `row` of the view.
    pub fn row(&self, row: usize) -> Option<&Image> {
        self.visible.get(row).map(|&i| &self.images[i])
    }

    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    pub fn selected_row(&self) -> Option<usize> {
        (!self.visible.is_empty()).then_some(self.selected)
    }

    pub fn selected(&self) -> Option<&Image> {
        self.row(self.selected)
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn sort(&self) -> SortKey {
        self.sort
    }

    pub fn get(&self, image_id: &str) -> Option<&Image> {
        self.images.iter().find(|i| i.image_id == image_id)
    }

    /// Empties the list (a new region).
    pub fn clear(&mut self) {
        self.images.clear();
        self.selected_id = None;
        self.pinned = None;
        self.selected = 0;
        self.offset = 0;
        self.refresh_view();
    }

    /// Replaces every image with `images` (the first page of a reload).
    pub fn replace_all(&mut self, images: Vec<Image>) {
        self.images.clear();
        self.extend(images);
    }

    /// Adds a page of images; an image already present is replaced.
    pub fn extend(&mut self, images: Vec<Image>) {
        for image in images {
            match self
                .images
                .iter_mut()
                .find(|i| i.image_id == image.image_id)
            {
                Some(old) => *old = image,
                None => self.images.push(image),
            }
        }
        self.refresh_view();
    }

    /// Puts a fresh copy of one image in place; returns whether it was in the list. An
    /// image the view shows stays in it (a rename must not make it vanish under the
    /// cursor) until the filter changes.
    pub fn update(&mut self, image: Image) -> bool {
        match self
            .images
            .iter()
            .position(|i| i.image_id == image.image_id)
        {
            Some(index) => {
                if self.visible.contains(&index) {
                    self.pinned = Some(image.image_id.clone());
                }
                self.images[index] = image;
                self.refresh_view();
                true
            }
            None => false,
        }
    }

    /// A load finished: a selected ID that never came back gives way to the row under the
    /// cursor.
    pub fn settle(&mut self) {
        if let Some(id) = &self.selected_id {
            if self.get(id).is_none() {
                self.selected_id = self.selected().map(|i| i.image_id.clone());
            }
        }
    }

    pub fn set_sort(&mut self, sort: SortKey) {
        self.sort = sort;
        self.refresh_view();
    }

    /// The filter changed.
    pub fn refilter(&mut self) {
        self.pinned = None;
        self.refresh_view();
    }

    pub fn set_page(&mut self, rows: usize) {
        self.page = rows.max(1);
        self.keep_in_view();
    }

    pub fn page(&self) -> usize {
        self.page.max(1)
    }

    /// Moves the selection by `delta` rows, clamped to the view.
    pub fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() - 1;
        let row = (self.selected as isize + delta).clamp(0, last as isize) as usize;
        self.select_row(row);
    }

    pub fn select_row(&mut self, row: usize) {
        if self.visible.is_empty() {
            return;
        }
        self.selected = row.min(self.visible.len() - 1);
        self.selected_id = self.selected().map(|i| i.image_id.clone());
        self.keep_in_view();
    }

    pub fn top(&mut self) {
        self.select_row(0);
    }

    pub fn bottom(&mut self) {
        self.select_row(self.visible.len().saturating_sub(1));
    }

    /// Selects `image_id` if the view shows it.
    pub fn select_id(&mut self, image_id: &str) -> bool {
        let found = self.visible().position(|i| i.image_id == image_id);
        match found {
            Some(row) => {
                self.select_row(row);
                true
            }
            None => false,
        }
    }

    fn refresh_view(&mut self) {
        let terms: Vec<String> = self
            .filter
            .value()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        let mut visible: Vec<usize> = self
            .images
            .iter()
            .enumerate()
            .filter(|(_, image)| {
                matches(image, &terms) || self.pinned.as_deref() == Some(image.image_id.as_str())
            })
            .map(|(i, _)| i)
            .collect();
        let images = &self.images;
        visible.sort_by(|&a, &b| {
            let (a, b) = (&images[a], &images[b]);
            let by_id = a.image_id.cmp(&b.image_id);
            match self.sort {
                SortKey::Name => a
                    .image_name
                    .to_lowercase()
                    .cmp(&b.image_name.to_lowercase())
                    .then(by_id),
                SortKey::Created => b.creation_time.cmp(&a.creation_time).then(by_id),
                SortKey::Family => a
                    .image_family
                    .is_empty()
                    .cmp(&b.image_family.is_empty())
                    .then_with(|| a.image_family.cmp(&b.image_family))
                    .then_with(|| b.creation_time.cmp(&a.creation_time))
                    .then(by_id),
            }
        });
        self.visible = visible;
        let found = self
            .selected_id
            .as_deref()
            .and_then(|id| self.visible().position(|i| i.image_id == id));
        match found {
            Some(row) => self.selected = row,
            // Nothing chosen yet (or it is not loaded yet): the cursor keeps its row.
            None => self.selected = self.selected.min(self.visible.len().saturating_sub(1)),
        }
        self.keep_in_view();
    }

    fn keep_in_view(&mut self) {
        let page = self.page();
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        let max_offset = self.visible.len().saturating_sub(page);
        self.offset = self.offset.min(max_offset);
    }
}

/// Every term appears (case-insensitively) in the name, ID, family or description.
fn matches(image: &Image, terms: &[String]) -> bool {
    if terms.is_empty() {
        return true;
    }
    let haystack = [
        image.image_name.as_str(),
        image.image_id.as_str(),
        image.image_family.as_str(),
        image.description.as_str(),
    ]
    .join("\n")
    .to_lowercase();
    // `:family` and `:status` narrow the list with a term of their own.
    let field = |t: &str, name: &str, value: &str| {
        t.strip_prefix(name)
            .map(|want| value.to_lowercase().contains(want))
    };
    terms.iter().all(|t| {
        field(t, "family:", &image.image_family)
            .or_else(|| field(t, "status:", image.status.as_str()))
            .unwrap_or_else(|| haystack.contains(t.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(id: &str, name: &str, family: &str, created: &str) -> Image {
        Image {
            image_id: id.into(),
            image_name: name.into(),
            image_family: family.into(),
            creation_time: created.into(),
            ..Image::default()
        }
    }

    fn ids(list: &ImageList) -> Vec<&str> {
        list.visible().map(|i| i.image_id.as_str()).collect()
    }

    fn sample() -> ImageList {
        let mut list = ImageList::default();
        list.set_page(10);
        list.extend(vec![
            img("m-3", "web-b", "web", "2024-03-01T00:00:00Z"),
            img("m-1", "Web-a", "web", "2024-01-01T00:00:00Z"),
            img("m-2", "数据库", "", "2024-02-01T00:00:00Z"),
        ]);
        list
    }

    #[test]
    fn sorts_by_name_created_and_family() {
        let mut list = sample();
        assert_eq!(ids(&list), ["m-1", "m-3", "m-2"]);
        list.set_sort(SortKey::Created);
        assert_eq!(ids(&list), ["m-3", "m-2", "m-1"]);
        list.set_sort(SortKey::Family);
        assert_eq!(ids(&list), ["m-3", "m-1", "m-2"]);
    }

    #[test]
    fn filter_matches_name_id_family_and_description_case_insensitively() {
        let mut list = sample();
        list.filter = TextInput::new("WEB");
        list.refilter();
        assert_eq!(ids(&list), ["m-1", "m-3"]);
        list.filter = TextInput::new("数据");
        list.refilter();
        assert_eq!(ids(&list), ["m-2"]);
        list.filter = TextInput::new("m-3");
        list.refilter();
        assert_eq!(ids(&list), ["m-3"]);
    }

    #[test]
    fn selection_follows_the_image_through_sorts_and_reloads() {
        let mut list = sample();
        list.select_id("m-2");
        list.set_sort(SortKey::Created);
        assert_eq!(list.selected().unwrap().image_id, "m-2");
        // A reload whose first page lacks the selected image keeps looking for it.
        list.replace_all(vec![img("m-1", "Web-a", "web", "2024-01-01T00:00:00Z")]);
        list.extend(vec![img("m-2", "数据库", "", "2024-02-01T00:00:00Z")]);
        assert_eq!(list.selected().unwrap().image_id, "m-2");
    }

    #[test]
    fn before_any_move_the_cursor_stays_on_the_first_row_as_pages_arrive() {
        let mut list = ImageList::default();
        list.set_page(10);
        list.extend(vec![img("m-5", "m", "", "")]);
        list.extend(vec![img("m-1", "a", "", ""), img("m-2", "b", "", "")]);
        assert_eq!(list.selected_row(), Some(0));
        assert_eq!(list.selected().unwrap().image_id, "m-1");
    }

    #[test]
    fn moving_keeps_the_selection_on_screen() {
        let mut list = ImageList::default();
        list.set_page(3);
        list.extend(
            (0..10)
                .map(|i| img(&format!("m-{i}"), &format!("n{i}"), "", ""))
                .collect(),
        );
        list.move_by(5);
        assert_eq!(list.selected_row(), Some(5));
        assert_eq!(list.offset(), 3);
        list.bottom();
        assert_eq!(list.offset(), 7);
        list.move_by(-100);
        assert_eq!((list.selected_row(), list.offset()), (Some(0), 0));
    }
}
