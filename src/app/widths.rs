//! The width of each column's values, in display cells, measured once per image when it
//! arrives and folded over the rows the view shows, so drawing never measures the list.

use unicode_width::UnicodeWidthStr;

use crate::ecs::model::Image;

/// The widest value of each column over every loaded image, in display cells, so drawing
/// never measures the whole list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Widths {
    pub id: usize,
    pub name: usize,
    /// As long as nine names in ten (at least the name column's title): what the name
    /// column gets before the other columns do.
    pub name_typical: usize,
    pub family: usize,
    pub status: usize,
    pub os: usize,
    pub region: usize,
    pub size: usize,
}

impl Widths {
    pub fn of<'a>(images: impl IntoIterator<Item = &'a Image>) -> Widths {
        images
            .into_iter()
            .fold(Widths::default(), |w, i| w.max(&Widths::of_image(i)))
    }

    /// One image's values, measured.
    pub(super) fn of_image(image: &Image) -> Widths {
        Widths {
            id: image.image_id.width(),
            name: image.image_name.width(),
            name_typical: image.image_name.width(),
            family: image.image_family.width(),
            status: image.status.as_str().width(),
            os: os(image).width(),
            region: image.region_id.width(),
            size: if image.size > 0 {
                image.size.to_string().len() + 1
            } else {
                0
            },
        }
    }

    /// Over the rows `visible` of `cells` (each image's widths, beside the list's images).
    pub(super) fn of_view(cells: &[Widths], visible: &[u32]) -> Widths {
        let mut widths = visible
            .iter()
            .fold(Widths::default(), |w, &i| w.max(&cells[i as usize]));
        let mut names: Vec<usize> = std::iter::once(4)
            .chain(visible.iter().map(|&i| cells[i as usize].name))
            .collect();
        let typical = names.len() * 9 / 10;
        widths.name_typical = *names.select_nth_unstable(typical).1;
        widths
    }

    fn max(self, o: &Widths) -> Widths {
        Widths {
            id: self.id.max(o.id),
            name: self.name.max(o.name),
            name_typical: self.name_typical.max(o.name_typical),
            family: self.family.max(o.family),
            status: self.status.max(o.status),
            os: self.os.max(o.os),
            region: self.region.max(o.region),
            size: self.size.max(o.size),
        }
    }
}

/// The OS name the list shows: the English one when ECS sends it.
pub fn os(image: &Image) -> &str {
    if image.os_name_en.is_empty() {
        &image.os_name
    } else {
        &image.os_name_en
    }
}
