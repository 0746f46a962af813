//! Hostile text, generated (proptest): any Unicode — combining marks, right-to-left text,
//! bidirectional overrides, controls, escape sequences, 10 MB strings — through the field
//! rules the form checks on every keystroke, the one sanitiser every writer uses, and the
//! form's own drawing. Nothing panics; a refusal names the field and the code ECS would
//! answer; what the sanitiser lets through holds nothing a terminal acts on, and says what
//! was there.

use ecsimg::rules::{check_field, check_transition, validate, Field};
use ecsimg::ui::text::{fit, is_unsafe, sanitize, sanitize_lines, width, wrap};
use proptest::prelude::*;

use crate::support::props;
use crate::support::tui::{self, find, LONE};

/// Text an attacker or a careless paste brings: every kind of character that has bitten a
/// terminal program, mixed with ordinary letters and Chinese.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<char>().prop_map(String::from),
        "[a-zA-Z0-9._:-]{1,8}",
        "[\u{4e00}-\u{9fa5}]{1,4}",
        "[\u{0591}-\u{05f4}\u{0600}-\u{06ff}]{1,6}",
        "[a-z][\u{0300}-\u{036f}]{1,12}",
        prop::sample::select(vec![
            "\u{1b}]0;pwned\u{7}",
            "\u{1b}]52;c;cHduZWQ=\u{7}",
            "\u{1b}[2J",
            "\u{9b}31m",
            "\u{1b}P+q\u{1b}\\",
            "\u{202e}",
            "\u{202c}",
            "\u{200d}",
            "\u{200b}",
            "\u{2060}",
            "\u{feff}",
            "\u{2066}",
            "\u{2069}",
            "\r",
            "\n",
            "\t",
            "\u{7f}",
            "\u{0}",
            "\u{e0041}",
            "http://",
            "acs:",
            "aliyun",
        ])
        .prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

#[test]
fn the_field_rules_take_any_text_and_name_what_is_wrong() {
    let before = find(LONE);
    proptest!(props::config(128), |(text in hostile(), which in 0..Field::ALL.len())| {
        let field = Field::ALL[which];
        if let Some(problem) = check_field(field, &text) {
            prop_assert_eq!(problem.field, field);
            prop_assert!(!problem.message.is_empty());
            prop_assert!(problem.code.starts_with("Invalid"), "{}", problem.code);
            prop_assert!(problem.to_string().starts_with(field.label()));
        }
        let _ = check_transition(field, &text, &before);
        for problem in validate(&[(field, text.clone())], &before) {
            prop_assert!(!problem.reason().is_empty());
        }
    });
}

#[test]
fn ten_megabyte_values_are_refused_by_length_without_a_stall() {
    let before = find(LONE);
    for c in ['a', '镜', '\u{301}', '\u{202e}'] {
        let text: String = std::iter::repeat_n(c, 10 * 1024 * 1024 / c.len_utf8()).collect();
        for field in [Field::ImageName, Field::Description, Field::ImageFamily] {
            let problem = check_field(field, &text).expect("far too long");
            assert_eq!(problem.field, field);
            assert!(!validate(&[(field, text.clone())], &before).is_empty());
        }
        assert!(!sanitize(&text).chars().any(is_unsafe));
    }
}

#[test]
fn the_sanitiser_leaves_nothing_a_terminal_acts_on_and_loses_nothing_else() {
    proptest!(props::config(256), |(text in hostile(), cells in 0usize..200)| {
        let shown = sanitize(&text);
        prop_assert!(!shown.chars().any(is_unsafe), "{:?}", shown);
        // Every safe character is still there, in order.
        let kept: String = text.chars().filter(|c| !is_unsafe(*c)).collect();
        let mut rest = shown.chars();
        for c in kept.chars() {
            prop_assert!(rest.any(|s| s == c), "{:?} lost from {:?}", c, text);
        }
        if !text.chars().any(is_unsafe) {
            prop_assert_eq!(shown.as_ref(), text.as_str());
        }
        let lines = sanitize_lines(&text);
        prop_assert!(!lines.chars().any(|c| is_unsafe(c) && c != '\n'), "{:?}", lines);
        // Fitting and wrapping measure by display width and never split a character.
        prop_assert!(width(&fit(&shown, cells, "…")) <= cells.max(1));
        // A character wider than the line is alone on it (with any zero-width marks).
        for line in wrap(&shown, cells.max(1)) {
            let visible = line.chars().filter(|c| width(&c.to_string()) > 0).count();
            prop_assert!(width(&line) <= cells.max(1) || visible == 1, "{:?}", line);
        }
    });
}

#[test]
fn the_form_and_the_list_draw_any_text_at_any_size() {
    proptest!(props::config(32), |(text in hostile(), w in 20u16..140, h in 6u16..50)| {
        let mut images = tui::images();
        images[0].image_name = text.clone();
        images[0].description = text.clone();
        images[0].image_family = text.clone();
        let id = images[0].image_id.clone();
        let mut app = tui::loaded_app_with(tui::context(), images);
        tui::select(&mut app, &id);
        tui::measure(&mut app, w, h);
        let screen = tui::render(&app, w, h, tui::COLOR);
        prop_assert!(!screen.chars().any(|c| is_unsafe(c) && c != '\n'), "{:?}", screen);
        tui::press(&mut app, crossterm::event::KeyCode::Char('e'));
        tui::type_text(&mut app, &text);
        let screen = tui::render(&app, w, h, tui::COLOR);
        prop_assert!(!screen.chars().any(|c| is_unsafe(c) && c != '\n'), "{:?}", screen);
    });
}
