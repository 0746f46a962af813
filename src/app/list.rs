//! The image list: every image loaded (of one region or of all), the filtered and sorted
//! view of it, and the selection — kept by image ID, so a refresh or a re-sort does not
//! move it.
//!
//! Built for tens of thousands of images: what filtering and sorting read is prepared once
//! per image when it arrives (a lowercased [`Haystack`]), each sort order is computed once
//! per load and kept (a page that arrives is merged in), and a keystroke in the filter
//! only scans the prepared text. Moving the selection never walks the list.

use std::collections::HashMap;

use crate::ecs::model::Image;

use super::filter::{Haystack, Query};
use super::sort::Orders;
pub use super::sort::SortKey;
use super::text::TextInput;
pub use super::widths::{os, Widths};

/// The images of the region (or of every region) and how they are shown.
#[derive(Debug, Clone, Default)]
pub struct ImageList {
    images: Vec<Image>,
    /// Beside `images`: what the filter and the sorts read.
    haystacks: Vec<Haystack>,
    /// Beside `images`: each value's width in cells.
    cells: Vec<Widths>,
    /// Where each image ID is in `images`.
    by_id: HashMap<String, u32>,
    /// Every image in each sort order.
    orders: Orders,
    /// Indexes into `images`, filtered and sorted.
    visible: Vec<u32>,
    /// What `/` typed.
    pub filter: TextInput,
    /// The filter has the keyboard.
    pub filtering: bool,
    /// The filter as last parsed.
    query: Query,
    sort: SortKey,
    /// `O`: the current sort, backwards.
    reversed: bool,
    /// The widest value of each column over the images the view shows.
    widths: Widths,
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

    /// The images the view shows, in order: what the filter lets through, sorted.
    pub fn visible(&self) -> impl ExactSizeIterator<Item = &Image> + DoubleEndedIterator + '_ {
        self.visible.iter().map(|&i| &self.images[i as usize])
    }

    /// The rows `start..start + len` of the view (fewer at the end).
    pub fn rows(&self, start: usize, len: usize) -> impl Iterator<Item = &Image> + '_ {
        let start = start.min(self.visible.len());
        let end = start.saturating_add(len).min(self.visible.len());
        self.visible[start..end]
            .iter()
            .map(|&i| &self.images[i as usize])
    }

    /// The image on row `row` of the view.
    pub fn row(&self, row: usize) -> Option<&Image> {
        self.visible.get(row).map(|&i| &self.images[i as usize])
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

    /// The sort runs backwards (`O`).
    pub fn reversed(&self) -> bool {
        self.reversed
    }

    /// What the person should know about how the filter was read.
    pub fn filter_notes(&self) -> &[String] {
        &self.query.notes
    }

    /// The widest value of each column over the images the view shows (measured when
    /// they arrived, so drawing never measures the list).
    pub fn widths(&self) -> &Widths {
        &self.widths
    }

    pub fn get(&self, image_id: &str) -> Option<&Image> {
        self.by_id.get(image_id).map(|&i| &self.images[i as usize])
    }

    /// Empties the list (a new region).
    pub fn clear(&mut self) {
        self.clear_images();
        self.selected_id = None;
        self.pinned = None;
        self.selected = 0;
        self.offset = 0;
        self.refresh_view();
    }

    fn clear_images(&mut self) {
        self.images.clear();
        self.haystacks.clear();
        self.by_id.clear();
        self.orders.forget();
        self.cells.clear();
    }

    /// Replaces every image with `images` (the first page of a reload).
    pub fn replace_all(&mut self, images: Vec<Image>) {
        self.clear_images();
        self.extend(images);
    }

    /// Adds a page of images; an image already present is replaced.
    pub fn extend(&mut self, images: Vec<Image>) {
        let mut added: Vec<u32> = Vec::with_capacity(images.len());
        let mut replaced = false;
        for image in images {
            match self.by_id.get(&image.image_id) {
                Some(&i) => {
                    self.put(i, image);
                    replaced = true;
                }
                None => {
                    let i = self.images.len() as u32;
                    self.cells.push(Widths::of_image(&image));
                    self.haystacks.push(Haystack::of(&image));
                    self.by_id.insert(image.image_id.clone(), i);
                    self.images.push(image);
                    added.push(i);
                }
            }
        }
        if replaced {
            self.orders.forget();
        } else {
            self.orders.merge(&self.images, &self.haystacks, &added);
        }
        self.refresh_view();
    }

    /// Puts a fresh copy of one image in place; returns whether it was in the list. An
    /// image the view shows stays in it (a rename must not make it vanish under the
    /// cursor) until the filter changes.
    pub fn update(&mut self, image: Image) -> bool {
        let Some(&i) = self.by_id.get(&image.image_id) else {
            return false;
        };
        if self.visible.contains(&i) {
            self.pinned = Some(image.image_id.clone());
        }
        // The image under the cursor stays under it when a rename sorts it elsewhere,
        // even if the person never moved the cursor to choose it.
        if self.visible.get(self.selected) == Some(&i) {
            self.selected_id = Some(image.image_id.clone());
        }
        self.put(i, image);
        self.orders.forget();
        self.refresh_view();
        true
    }

    fn put(&mut self, i: u32, image: Image) {
        self.cells[i as usize] = Widths::of_image(&image);
        self.haystacks[i as usize] = Haystack::of(&image);
        self.images[i as usize] = image;
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

    /// `O`: the current sort the other way round.
    pub fn toggle_reversed(&mut self) {
        self.reversed = !self.reversed;
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
        let id = &self.images[self.visible[self.selected] as usize].image_id;
        if self.selected_id.as_deref() != Some(id) {
            self.selected_id = Some(id.clone());
        }
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
        match self.row_of(image_id) {
            Some(row) => {
                self.select_row(row);
                true
            }
            None => false,
        }
    }

    fn row_of(&self, image_id: &str) -> Option<usize> {
        let &i = self.by_id.get(image_id)?;
        self.visible.iter().position(|&v| v == i)
    }

    fn refresh_view(&mut self) {
        let query = Query::parse(self.filter.value());
        let reversed = self.reversed;
        let mut visible = std::mem::take(&mut self.visible);
        visible.clear();
        let order = self.orders.get(self.sort, &self.images, &self.haystacks);
        let pinned = self
            .pinned
            .as_deref()
            .and_then(|id| self.by_id.get(id))
            .copied();
        let keep = |i: &&u32| {
            query.is_empty() || query.matches(&self.haystacks[**i as usize]) || pinned == Some(**i)
        };
        if reversed {
            visible.extend(order.iter().rev().filter(keep));
        } else {
            visible.extend(order.iter().filter(keep));
        }
        self.widths = Widths::of_view(&self.cells, &visible);
        self.visible = visible;
        self.query = query;
        let found = self.selected_id.as_deref().and_then(|id| self.row_of(id));
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
    fn sorts_by_name_created_and_family_and_backwards() {
        let mut list = sample();
        assert_eq!(ids(&list), ["m-1", "m-3", "m-2"]);
        list.set_sort(SortKey::Created);
        assert_eq!(ids(&list), ["m-3", "m-2", "m-1"]);
        list.set_sort(SortKey::Family);
        assert_eq!(ids(&list), ["m-3", "m-1", "m-2"]);
        list.toggle_reversed();
        assert_eq!(ids(&list), ["m-2", "m-1", "m-3"]);
        list.set_sort(SortKey::Name);
        assert_eq!(ids(&list), ["m-2", "m-3", "m-1"], "reversed stays on");
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
        list.filter = TextInput::new("!family:web");
        list.refilter();
        assert_eq!(ids(&list), ["m-2"]);
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

    #[test]
    fn widths_are_the_widest_value_shown() {
        let mut list = sample();
        assert_eq!(list.widths().name, 6, "数据库 is six cells");
        assert_eq!(list.widths().id, 3);
        list.filter = TextInput::new("web");
        list.refilter();
        assert_eq!(list.widths().name, 5);
    }
}
