//! What `combine` makes of the reads: groups by image, family and template version;
//! unchecked sources; instance counts.
use super::*;
use crate::ecs::model::LaunchTemplateData;

const X: &str = "m-x";

fn image() -> Image {
    Image {
        image_id: X.into(),
        image_name: "web-3".into(),
        image_family: "web".into(),
        ..Image::default()
    }
}

fn template(id: &str, name: &str, default: u64, latest: u64) -> LaunchTemplate {
    LaunchTemplate {
        launch_template_id: id.into(),
        launch_template_name: name.into(),
        default_version_number: default,
        latest_version_number: latest,
        created_by: String::new(),
    }
}

fn version(id: &str, n: u64, image: &str, default: bool) -> LaunchTemplateVersion {
    LaunchTemplateVersion {
        launch_template_id: id.into(),
        launch_template_name: String::new(),
        version_number: n,
        default_version: default,
        launch_template_data: LaunchTemplateData {
            image_id: image.into(),
            ..LaunchTemplateData::default()
        },
    }
}

fn group(id: &str, state: &str, config: &str, lt: &str, version: &str) -> ScalingGroup {
    ScalingGroup {
        scaling_group_id: id.into(),
        scaling_group_name: format!("{id}-name"),
        lifecycle_state: state.into(),
        active_scaling_configuration_id: config.into(),
        launch_template_id: lt.into(),
        launch_template_version: version.into(),
    }
}

fn config(id: &str, group: &str, image: &str, family: &str) -> ScalingConfiguration {
    ScalingConfiguration {
        scaling_configuration_id: id.into(),
        scaling_group_id: group.into(),
        lifecycle_state: "Active".into(),
        image_id: image.into(),
        image_family: family.into(),
        ..ScalingConfiguration::default()
    }
}

fn denied(code: &str) -> ApiError {
    ApiError::from_code(code, "User not authorized", Some(403))
}

fn reads() -> Reads {
    Reads {
        instances: Ok(Vec::new()),
        templates: Ok(Vec::new()),
        groups: Ok(Vec::new()),
        configurations: Ok(Vec::new()),
        family_resolves_here: Some(Ok(true)),
        shares: Ok(Vec::new()),
    }
}

#[test]
fn groups_launch_it_by_image_by_family_and_by_resolved_template_versions() {
    let lt = template("lt-1", "web-lt", 3, 4);
    let r = Reads {
        templates: Ok(vec![TemplateRead {
            template: lt,
            versions: Ok(vec![
                version("lt-1", 2, X, false),
                version("lt-1", 3, "m-other", true),
                version("lt-1", 4, X, false),
            ]),
        }]),
        groups: Ok(vec![
            group("g-image", "Active", "c-image", "", ""),
            group("g-family", "Active", "c-family", "", ""),
            group("g-latest", "Active", "", "lt-1", "Latest"),
            group("g-default", "Active", "", "lt-1", "Default"),
            group("g-two", "Inactive", "", "lt-1", "2"),
            group("g-old", "Active", "c-new", "", ""),
        ]),
        configurations: Ok(vec![
            config("c-image", "g-image", X, ""),
            config("c-family", "g-family", "", "web"),
            config("c-old", "g-old", X, ""),
            config("c-new", "g-old", "m-other", ""),
        ]),
        ..reads()
    };
    let usage = combine(&image(), r);
    let seen: Vec<(&str, bool, Via)> = usage
        .scaling
        .iter()
        .map(|s| (s.group_id.as_str(), s.active, s.via))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("g-family", true, Via::Family),
            ("g-image", true, Via::Image),
            ("g-latest", true, Via::LaunchTemplate),
            ("g-old", false, Via::Image),
            ("g-two", false, Via::LaunchTemplate),
        ],
        "Default resolves to v3, which pins another image"
    );
    assert_eq!(usage.scaling[2].through, "web-lt v4");
    assert_eq!(usage.launch_templates.len(), 2);
    assert!(usage.launch_templates.iter().all(|t| !t.default));
    assert_eq!(usage.in_use().len(), 3);
}

#[test]
fn a_family_configuration_counts_only_while_the_family_resolves_to_the_image() {
    let r = Reads {
        groups: Ok(vec![group("g", "Active", "c", "", "")]),
        configurations: Ok(vec![config("c", "g", "", "web")]),
        family_resolves_here: Some(Ok(false)),
        ..reads()
    };
    assert!(combine(&image(), r).scaling.is_empty());
    let r = Reads {
        groups: Ok(vec![group("g", "Active", "c", "", "")]),
        configurations: Ok(vec![config("c", "g", "", "web")]),
        family_resolves_here: Some(Err(denied("Throttling"))),
        ..reads()
    };
    let usage = combine(&image(), r);
    assert_eq!(usage.unchecked[0].source, Source::Scaling);
    assert!(
        usage.unchecked[0].reason.contains("family web"),
        "{:?}",
        usage.unchecked
    );
}

#[test]
fn each_failing_source_is_unchecked_with_its_code_the_rest_still_answer() {
    let r = Reads {
        instances: Ok(vec![Instance {
            instance_id: "i-1".into(),
            status: "Running".into(),
            image_id: X.into(),
            ..Instance::default()
        }]),
        templates: Err(denied("Forbidden.RAM")),
        groups: Err(denied("Forbidden.RAM")),
        shares: Ok(vec![ShareAccount {
            aliyun_id: "1234567890123456".into(),
            shared_time: String::new(),
        }]),
        ..reads()
    };
    let usage = combine(&image(), r);
    assert_eq!(usage.instances.total, 1);
    assert_eq!(usage.shared_with, ["1234567890123456"]);
    let sources: Vec<(Source, &str)> = usage
        .unchecked
        .iter()
        .map(|u| (u.source, u.code.as_str()))
        .collect();
    assert_eq!(
        sources,
        [
            (Source::LaunchTemplates, "Forbidden.RAM"),
            (Source::Scaling, "Forbidden.RAM")
        ]
    );
    assert!(usage.unchecked[1]
        .reason
        .contains("grant ess:DescribeScalingGroups"));
    assert!(!usage.is_unused());
    assert!(usage
        .summary()
        .contains("scaling groups unchecked (Forbidden.RAM)"));
}

#[test]
fn one_template_that_cannot_be_read_leaves_the_source_unchecked_a_deleted_one_does_not() {
    let r = Reads {
        templates: Ok(vec![
            TemplateRead {
                template: template("lt-1", "gone", 1, 1),
                versions: Err(ApiError::from_code(
                    "InvalidLaunchTemplate.NotFound",
                    "not found",
                    Some(404),
                )),
            },
            TemplateRead {
                template: template("lt-2", "busy", 1, 1),
                versions: Err(ApiError::from_code("Throttling.User", "slow", Some(400))),
            },
            TemplateRead {
                template: template("lt-3", "ok", 1, 1),
                versions: Ok(vec![version("lt-3", 1, X, true)]),
            },
        ]),
        ..reads()
    };
    let usage = combine(&image(), r);
    assert_eq!(usage.launch_templates.len(), 1);
    assert!(usage.launch_templates[0].default);
    assert_eq!(usage.unchecked.len(), 1);
    assert_eq!(usage.unchecked[0].code, "Throttling.User");
    assert!(usage.unchecked[0].reason.contains("1 of 3 templates"));
}

#[test]
fn instances_add_up_by_status_with_a_sample_of_ten() {
    let list: Vec<Instance> = (0..130)
        .map(|n| Instance {
            instance_id: format!("i-{n}"),
            status: if n < 120 { "Running" } else { "Stopped" }.into(),
            image_id: X.into(),
            ..Instance::default()
        })
        .collect();
    let usage = combine(
        &image(),
        Reads {
            instances: Ok(list),
            ..reads()
        },
    );
    assert_eq!(usage.instances.total, 130);
    assert_eq!(usage.instances.by_status["Stopped"], 10);
    assert_eq!(usage.instances.sample.len(), SAMPLE);
    assert!(
        usage.in_use().is_empty(),
        "instances alone do not make it in use"
    );
}
