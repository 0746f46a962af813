//! How a table fits a width (by display width, what gives way first), and text made safe for a terminal.

use super::*;

fn table() -> Table {
    let mut t = Table::new(&[
        ("ID", Fit::Fixed),
        ("NAME", Fit::Flex { min: 6 }),
        ("STATUS", Fit::Fixed),
        ("OS", Fit::Optional),
    ]);
    t.push(vec![
        "m-0001".into(),
        "生产环境-网站镜像-二〇二四年五月".into(),
        "Available".into(),
        "CentOS 7.9 64 bit".into(),
    ]);
    t.push(vec![
        "m-0002".into(),
        "web".into(),
        "Deprecated".into(),
        "Ubuntu".into(),
    ]);
    t
}

/// The display column where `needle` starts on `line`.
fn column_of(line: &str, needle: &str) -> usize {
    line[..line.find(needle).unwrap()].width()
}

#[test]
fn wide_tables_shrink_the_flexible_column_by_display_width() {
    let out = table().render(40, false);
    let lines: Vec<&str> = out.lines().collect();
    for line in &lines {
        assert!(line.width() <= 40, "{line:?} is {} wide", line.width());
    }
    assert!(lines[1].contains('…'), "{out}");
    // STATUS starts at the same column on every line, Chinese or not.
    let col = column_of(lines[0], "STATUS");
    assert_eq!(column_of(lines[1], "Available"), col, "{out}");
    assert_eq!(column_of(lines[2], "Deprecated"), col, "{out}");
}

#[test]
fn optional_columns_go_before_anything_is_cut() {
    let out = table().render(40, false);
    assert!(!out.contains("OS"), "{out}");
    let wide = table().render(120, false);
    assert!(wide.contains("CentOS 7.9 64 bit"), "{wide}");
    assert!(wide.contains("生产环境-网站镜像-二〇二四年五月"), "{wide}");
}

#[test]
fn cutting_never_splits_a_wide_character() {
    assert_eq!(fit("镜像镜像", 5, "…", true), "镜像…");
    assert_eq!(fit("镜像镜像", 4, "…", true), "镜… ");
    assert_eq!(fit("镜像镜像", 4, "~", false), "镜~");
    assert_eq!(fit("ab", 5, "…", true), "ab   ");
    assert_eq!(fit("ab", 5, "…", false), "ab");
    assert_eq!(fit("镜像镜像", 8, "…", true), "镜像镜像");
}

#[test]
fn newlines_in_cells_do_not_break_rows() {
    let mut t = Table::new(&[("A", Fit::Fixed), ("B", Fit::Fixed)]);
    t.push(vec!["x\ny".into(), "z".into()]);
    assert_eq!(t.render(80, false).lines().count(), 2);
}

#[test]
fn invisible_characters_neither_reach_the_terminal_nor_shift_a_column() {
    let mut t = Table::new(&[("NAME", Fit::Fixed), ("STATUS", Fit::Fixed)]);
    t.push(vec!["web\u{200b}\u{202e}01".into(), "Available".into()]);
    t.push(vec!["web-0001-x".into(), "Deprecated".into()]);
    t.push(vec!["\x1b]0;pwned\x07".into(), "Available".into()]);
    let out = t.render(80, false);
    assert!(
        !out.lines()
            .flat_map(str::chars)
            .any(crate::ui::text::is_unsafe),
        "{out:?}"
    );
    assert!(out.contains("web\\u200b\\u202e01"), "{out}");
    assert!(out.contains("\\x1b]0;pwned\\x07"), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    let col = column_of(lines[0], "STATUS");
    assert_eq!(column_of(lines[1], "Available"), col, "{out}");
    assert_eq!(column_of(lines[2], "Deprecated"), col, "{out}");
    assert_eq!(column_of(lines[3], "Available"), col, "{out}");
}

#[test]
fn problems_list_every_code() {
    let text = problems(&[
        crate::rules::check_field(Field::ImageName, "1bad").unwrap(),
        crate::rules::check_field(Field::BootMode, "EFI").unwrap(),
    ]);
    assert!(text.starts_with("2 problems"), "{text}");
    assert!(text.contains("InvalidImageName.Malformed"), "{text}");
    assert!(text.contains("InvalidBootMode.NotSupport"), "{text}");
}

#[test]
fn a_flexible_column_goes_before_the_lead_is_cut_unreadable() {
    let mut t = Table::new(&[
        ("ID", Fit::Fixed),
        ("NAME", Fit::Lead { min: 8 }),
        ("FAMILY", Fit::Flex { min: 6 }),
    ]);
    t.push(vec![
        "m-1".into(),
        "ci-nightly-20250626-long".into(),
        "ci-nightly".into(),
    ]);
    // Room for the name at 20 beside a 6-column family: the family stays, cut.
    assert_eq!(t.widths(33), vec![Some(3), Some(20), Some(6)]);
    // Less: the family goes, and the name takes its room.
    assert_eq!(t.widths(30), vec![Some(3), Some(24), None]);
}
