//! The client and `ops` against the embedded simulator, over real HTTP on 127.0.0.1:
//! every action, the errors a person meets, faults, skew, and the STS and metadata
//! credential modes end to end.

use std::collections::HashSet;
use std::time::Duration;

use ecsimg::change::{ApplyError, ApplyMode};
use ecsimg::change::{ImageChanges, Outcome};
use ecsimg::ecs::client::{ClientConfig, EcsClient, Endpoint, HttpMethod};
use ecsimg::ecs::credentials::{self, Credentials, EnvSnapshot, ResolveOptions};
use ecsimg::ecs::error::ErrorKind;
use ecsimg::ecs::model::{ImageQuery, ImageStatus};
use ecsimg::exec;
use ecsimg::session::Session;
use ecsimg::sim::{self, Fault, SimConfig, SimHandle};
use ecsimg::store::Journal;

const REGION: &str = "cn-hangzhou";
const PAYMENTS_V4: &str = "m-bp1paymentsbase00v4";
const SHARED: &str = "m-bp1goldensharedbase1";
const CREATING: &str = "m-bp1creatingimage0001";
const IMDS_V2: &str = "m-bp1imdsv2only000001";

fn config(sim: &SimHandle) -> ClientConfig {
    let mut c = ClientConfig::new(REGION, Endpoint::Custom(sim.endpoint()));
    c.retry_base = Duration::from_millis(1);
    c
}

fn demo_client(sim: &SimHandle) -> EcsClient {
    EcsClient::new(config(sim), Credentials::fixed(sim::demo_access_key())).unwrap()
}

fn session(sim: &SimHandle, journal: &Journal, read_only: bool) -> Session {
    Session {
        client: demo_client(sim),
        profile: "demo".into(),
        endpoint_kind: "demo".into(),
        demo: true,
        read_only,
        journal: Some(journal.clone()),
    }
}

fn rename(to: &str) -> ImageChanges {
    ImageChanges {
        image_name: Some(to.into()),
        ..ImageChanges::default()
    }
}

fn set_status(status: ImageStatus) -> ImageChanges {
    ImageChanges {
        status: Some(status),
        ..ImageChanges::default()
    }
}

#[tokio::test]
async fn lists_every_image_once_across_pages() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let client = demo_client(&sim);
    let all = client
        .describe_all_images(&ImageQuery::default())
        .await
        .unwrap();
    assert!(all.len() >= 300, "{} images", all.len());
    let ids: HashSet<_> = all.iter().map(|i| i.image_id.clone()).collect();
    assert_eq!(ids.len(), all.len(), "every image once");
    let statuses: HashSet<_> = all.iter().map(|i| i.status.clone()).collect();
    assert!(
        statuses.contains(&ImageStatus::Deprecated) && statuses.contains(&ImageStatus::Creating)
    );

    let small_pages = ImageQuery {
        page_size: 37,
        ..ImageQuery::default()
    };
    let again: HashSet<_> = client
        .describe_all_images(&small_pages)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.image_id)
        .collect();
    assert_eq!(again, ids);

    let available_only = ImageQuery {
        statuses: vec![],
        ..ImageQuery::default()
    };
    let defaulted = client.describe_all_images(&available_only).await.unwrap();
    assert!(defaulted.iter().all(|i| i.status == ImageStatus::Available));
    assert!(defaulted.len() < all.len());
}

#[tokio::test]
async fn regions_family_and_single_image_reads() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let client = demo_client(&sim);
    let regions = client.describe_regions().await.unwrap();
    assert!(regions
        .iter()
        .any(|r| r.region_id == REGION && !r.local_name.is_empty()));
    let latest = client
        .describe_image_from_family("payments-base")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(latest.image_id, PAYMENTS_V4);
    assert_eq!(
        client
            .describe_image_from_family("no-such-family")
            .await
            .unwrap(),
        None
    );
    let creating = client.describe_image(CREATING).await.unwrap().unwrap();
    assert_eq!(creating.status, ImageStatus::Creating);
    assert_eq!(client.describe_image("m-doesnotexist").await.unwrap(), None);
}

#[tokio::test]
async fn modify_lands_in_the_simulator_and_post_works_too() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let client = demo_client(&sim);
    let out = client
        .modify_image_attribute(IMDS_V2, rename("renamed-by-get").params(), false)
        .await
        .unwrap();
    assert!(!out.request_id.is_empty());
    assert_eq!(
        sim.image(REGION, IMDS_V2).unwrap().image_name,
        "renamed-by-get"
    );

    let mut post = config(&sim);
    post.method = HttpMethod::Post;
    let client = EcsClient::new(post, Credentials::fixed(sim::demo_access_key())).unwrap();
    let changes = ImageChanges {
        description: Some("发布说明 🚀 v2".into()),
        ..ImageChanges::default()
    };
    client
        .modify_image_attribute(IMDS_V2, changes.params(), false)
        .await
        .unwrap();
    assert_eq!(
        sim.image(REGION, IMDS_V2).unwrap().description,
        "发布说明 🚀 v2"
    );
}

#[tokio::test]
async fn the_simulator_answers_the_documented_errors() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let client = demo_client(&sim);
    let taken = sim.image(REGION, PAYMENTS_V4).unwrap().image_name;
    let cases: Vec<(&str, ImageChanges, &str)> = vec![
        (
            IMDS_V2,
            rename("1-starts-with-digit"),
            "InvalidImageName.Malformed",
        ),
        (IMDS_V2, rename(&taken), "InvalidImageName.Duplicated"),
        (
            IMDS_V2,
            ImageChanges {
                description: Some("https://x".into()),
                ..Default::default()
            },
            "InvalidDescription.Malformed",
        ),
        (
            IMDS_V2,
            ImageChanges {
                image_family: Some("acs:x".into()),
                ..Default::default()
            },
            "InvalidImageFamily.Malformed",
        ),
        (
            IMDS_V2,
            ImageChanges {
                imds_support: Some("v1".into()),
                ..Default::default()
            },
            "InvalidOperation.FeaturesImdsSupportNotMatch",
        ),
        (
            SHARED,
            set_status(ImageStatus::Deprecated),
            "ImageUseShared",
        ),
        (
            CREATING,
            set_status(ImageStatus::Deprecated),
            "InvalidStatus.ImageIsCreating",
        ),
        (
            "m-doesnotexist",
            rename("whatever"),
            "InvalidImageId.NotFound",
        ),
    ];
    for (id, changes, code) in cases {
        let err = client
            .modify_image_attribute(id, changes.params(), false)
            .await
            .unwrap_err();
        assert_eq!(err.code, code, "{id}: {err}");
        assert!(
            err.request_id.is_some() && err.recommend.is_some(),
            "{err:?}"
        );
    }
    let err = client
        .modify_image_attribute(SHARED, set_status(ImageStatus::Deprecated).params(), false)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Forbidden);
    assert!(err.to_string().contains("unshare it"), "{err}");
}

#[tokio::test]
async fn an_api_dry_run_changes_nothing() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let before = sim.image(REGION, IMDS_V2).unwrap();
    let out = demo_client(&sim)
        .modify_image_attribute(IMDS_V2, rename("dry-run-name").params(), true)
        .await
        .unwrap();
    assert!(out.dry_run);
    assert_eq!(sim.image(REGION, IMDS_V2).unwrap(), before);
}

#[tokio::test]
async fn server_faults_are_retried_and_a_lost_answer_is_checked() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let client = demo_client(&sim);
    sim.faults().fail_next(2, Fault::ServiceUnavailable);
    sim.faults().fail_next(1, Fault::Throttling);
    assert!(!client.describe_regions().await.unwrap().is_empty());

    // The change is applied, then the connection is reset before the answer arrives.
    // Setting a value twice is harmless, so the client sends it again and gets an answer.
    sim.faults().fail_next(1, Fault::Reset);
    let out = client
        .modify_image_attribute(IMDS_V2, rename("survived-a-reset").params(), false)
        .await
        .unwrap();
    assert_eq!(
        sim.image(REGION, IMDS_V2).unwrap().image_name,
        "survived-a-reset"
    );
    assert!(!out.request_id.is_empty());
    assert_eq!(sim.action_count("ModifyImageAttribute"), 2);

    // A 200 whose body is not JSON is not retried: the request was processed.
    sim.faults().fail_next(1, Fault::Malformed);
    let err = client.describe_regions().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Decode);
}

#[tokio::test]
async fn throttling_is_reported_when_it_persists() {
    let sim = sim::start(SimConfig::demo().with_throttle_limit(2))
        .await
        .unwrap();
    let mut c = config(&sim);
    c.max_retries = 0;
    let client = EcsClient::new(c, Credentials::fixed(sim::demo_access_key())).unwrap();
    client.describe_regions().await.unwrap();
    client.describe_regions().await.unwrap();
    let err = client.describe_regions().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Throttled);
    assert!(err.code.starts_with("Throttling"), "{err}");
}

#[tokio::test]
async fn a_skewed_host_clock_is_corrected() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    sim.set_clock_offset(25 * 60);
    let client = demo_client(&sim);
    assert!(!client.describe_regions().await.unwrap().is_empty());
    let skew = client.clock_skew_secs().expect("skew detected");
    assert!(
        (skew + 25 * 60).abs() < 60,
        "host is 25 min behind the server: {skew}"
    );
}

#[tokio::test]
async fn a_wrong_secret_is_a_signature_error() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let key = ecsimg::ecs::credentials::AccessKey::new(sim::DEMO_ACCESS_KEY_ID, "not-the-secret");
    let client = EcsClient::new(config(&sim), Credentials::fixed(key)).unwrap();
    let err = client.describe_regions().await.unwrap_err();
    assert_eq!(err.code, "SignatureDoesNotMatch");
    assert_eq!(sim.request_count(), 1, "signature errors are not retried");
}

#[tokio::test]
async fn exec_applies_verifies_and_journals() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("journal.jsonl"));
    let s = session(&sim, &journal, false);
    let before = s.client.describe_image(IMDS_V2).await.unwrap().unwrap();

    let applied = exec::apply_change(&s, &before, &rename("ops-renamed"), ApplyMode::Send, "cli")
        .await
        .unwrap();
    assert!(applied.verified);
    assert_eq!(applied.after.unwrap().image_name, "ops-renamed");
    let entries = journal.entries().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].changes[0].before, before.image_name);
    assert_eq!(entries[0].changes[0].after, "ops-renamed");
    assert_eq!(
        entries[0].request_id.as_deref(),
        Some(applied.request_id.as_str())
    );

    // ECS refuses (the name is taken): the intent written before sending is settled as
    // refused, and undo leaves it alone.
    let taken = sim.image(REGION, PAYMENTS_V4).unwrap().image_name;
    let now = s.client.describe_image(IMDS_V2).await.unwrap().unwrap();
    let err = exec::apply_change(&s, &now, &rename(&taken), ApplyMode::Send, "cli")
        .await
        .unwrap_err();
    assert!(
        matches!(err, ApplyError::Api(ref e) if e.code == "InvalidImageName.Duplicated"),
        "{err}"
    );
    let entries = journal.entries().unwrap();
    assert_eq!(entries.len(), 2);
    assert!(
        matches!(entries[1].outcome, Outcome::Refused { ref code, .. } if code == "InvalidImageName.Duplicated")
    );
    assert!(!entries[1].undoable());

    // A change whose answer is lost after every retry, and whose one re-read fails too,
    // may be in place: journaled as such.
    let mut flaky = session(&sim, &journal, false);
    let mut config = config(&sim);
    config.max_retries = 0;
    flaky.client = EcsClient::new(config, Credentials::fixed(sim::demo_access_key())).unwrap();
    sim.faults().fail_next(2, Fault::ServiceUnavailable);
    let err = exec::apply_change(
        &flaky,
        &now,
        &rename("maybe-renamed"),
        ApplyMode::Send,
        "cli",
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, ApplyError::Lost { ref error, .. } if error.code == "ServiceUnavailable"),
        "{err}"
    );
    let entries = journal.entries().unwrap();
    assert_eq!(entries.len(), 3);
    assert!(
        matches!(entries[2].outcome, Outcome::Uncertain { ref message, .. } if message.contains("may have been applied")),
        "{:?}",
        entries[2].outcome
    );
    assert!(entries[2].undoable());

    // Invalid input never leaves this machine, and is not journaled.
    let count = sim.action_count("ModifyImageAttribute");
    let err = exec::apply_change(&s, &now, &rename("x"), ApplyMode::Send, "cli")
        .await
        .unwrap_err();
    assert!(matches!(err, ApplyError::Invalid(_)), "{err}");
    assert_eq!(sim.action_count("ModifyImageAttribute"), count);
    assert_eq!(journal.entries().unwrap().len(), 3);
    let err = exec::apply_change(&s, &now, &ImageChanges::default(), ApplyMode::Send, "cli")
        .await
        .unwrap_err();
    assert_eq!(err, ApplyError::NoChanges);
}

#[tokio::test]
async fn a_malformed_answer_to_a_change_is_settled_by_a_re_read_and_journaled() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("journal.jsonl"));
    let s = session(&sim, &journal, false);
    for (fault, name) in [
        (Fault::Malformed, "renamed-behind-a-502-page"),
        (Fault::Truncated, "renamed-behind-half-a-json"),
    ] {
        let before = s.client.describe_image(IMDS_V2).await.unwrap().unwrap();
        // ECS applies the change, then the answer is not readable JSON.
        sim.faults().fail_next(1, fault);
        let applied = exec::apply_change(&s, &before, &rename(name), ApplyMode::Send, "cli")
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        assert!(applied.verified, "{fault:?}: the re-read shows it in place");
        assert_eq!(sim.image(REGION, IMDS_V2).unwrap().image_name, name);
        let entry = journal.entries().unwrap().pop().unwrap();
        assert_eq!(entry.changes[0].after, name);
        assert_eq!(entry.outcome, Outcome::Applied { verified: true });
    }
    assert_eq!(journal.entries().unwrap().len(), 2);
}

#[tokio::test]
async fn a_lost_answer_whose_re_read_shows_the_old_values_is_journaled_as_not_applied() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("journal.jsonl"));
    let mut s = session(&sim, &journal, false);
    let mut c = config(&sim);
    c.max_retries = 0;
    s.client = EcsClient::new(c, Credentials::fixed(sim::demo_access_key())).unwrap();
    let before = s.client.describe_image(IMDS_V2).await.unwrap().unwrap();
    // A 503 answered before the request was processed: nothing changed.
    sim.faults().fail_next(1, Fault::ServiceUnavailable);
    let calls = sim.faults().calls();
    let err = exec::apply_change(
        &s,
        &before,
        &rename("never-arrived"),
        ApplyMode::Send,
        "cli",
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            ApplyError::Lost {
                landed: ecsimg::change::Landed::No,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("it was not applied"), "{err}");
    assert_eq!(
        sim.faults().calls() - calls,
        2,
        "the change and one re-read"
    );
    let entry = journal.entries().unwrap().pop().unwrap();
    assert!(
        matches!(entry.outcome, Outcome::NotApplied { ref code, .. } if code == "ServiceUnavailable"),
        "{:?}",
        entry.outcome
    );
    assert!(!entry.undoable());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_stopped_in_flight_is_settled_with_one_re_read() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("journal.jsonl"));
    let s = session(&sim, &journal, false);
    let before = s.client.describe_image(IMDS_V2).await.unwrap().unwrap();
    // The simulator holds the change; the re-read after the stop is answered at once.
    sim.faults()
        .set_latency(Duration::from_secs(600), Duration::ZERO);
    let calls = sim.faults().calls();
    let (stop, mut stopped) = exec::stop_channel();
    let operation = ecsimg::change::Operation::Modify(rename("held-for-ever"));
    let running = {
        let s = s.clone();
        let before = before.clone();
        tokio::spawn(async move {
            exec::apply_one(
                &s,
                &before,
                &operation,
                ApplyMode::Send,
                "tui",
                &mut stopped,
            )
            .await
        })
    };
    while sim.faults().calls() == calls {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let intent = journal.entries().unwrap().pop().unwrap();
    assert_eq!(
        intent.outcome,
        Outcome::Sending,
        "written before it was sent"
    );
    sim.faults().clear();
    stop.stop(ecsimg::change::Stop::Cancelled);
    let outcome = running.await.unwrap();
    let ecsimg::change::ItemOutcome::Interrupted(interrupted) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(interrupted.landed, ecsimg::change::Landed::No);
    assert_eq!(
        sim.faults().calls() - calls,
        2,
        "the change and one re-read"
    );
    let entries = journal.entries().unwrap();
    assert_eq!(entries.len(), 1, "the settlement replaces the intent");
    assert!(
        matches!(entries[0].outcome, Outcome::NotApplied { ref code, .. } if code == "Cancelled"),
        "{:?}",
        entries[0].outcome
    );
}

#[tokio::test]
async fn read_only_refuses_where_changes_execute() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("journal.jsonl"));
    let s = session(&sim, &journal, true);
    let before = s.client.describe_image(IMDS_V2).await.unwrap().unwrap();
    let err = exec::apply_change(&s, &before, &rename("not-allowed"), ApplyMode::Send, "tui")
        .await
        .unwrap_err();
    assert_eq!(err, ApplyError::ReadOnly);
    assert_eq!(sim.action_count("ModifyImageAttribute"), 0);
    assert!(journal.entries().unwrap().is_empty());
    // A dry run is still allowed: it changes nothing.
    let dry = exec::apply_change(&s, &before, &rename("dry-ok"), ApplyMode::ApiDryRun, "tui")
        .await
        .unwrap();
    assert!(dry.dry_run);
    assert_eq!(
        sim.image(REGION, IMDS_V2).unwrap().image_name,
        before.image_name
    );
}

#[tokio::test]
async fn family_facts_follow_a_rollback() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let s = session(&sim, &Journal::at(dir.path().join("j.jsonl")), false);
    let facts = exec::family_facts(&s, "payments-base").await.unwrap();
    assert_eq!(facts.resolves_to.as_ref().unwrap().image_id, PAYMENTS_V4);
    assert!(facts.members.len() >= 4);
    let v4 = facts.resolves_to.clone().unwrap();
    let impact =
        ecsimg::rules::family_impact(&v4, Some(&ImageStatus::Deprecated), None, Some(&facts));
    assert!(impact.needs_typed_confirmation());
    exec::apply_change(
        &s,
        &v4,
        &set_status(ImageStatus::Deprecated),
        ApplyMode::Send,
        "tui",
    )
    .await
    .unwrap();
    let facts = exec::family_facts(&s, "payments-base").await.unwrap();
    assert_eq!(
        facts.resolves_to, None,
        "the family resolves to nothing now"
    );
}

fn write_config(home: &std::path::Path, profile_json: &str) {
    let dir = home.join(".aliyun");
    std::fs::create_dir_all(&dir).unwrap();
    let body = format!(r#"{{"current":"p","profiles":[{profile_json}]}}"#);
    std::fs::write(dir.join("config.json"), body).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("config.json"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
    }
}

#[tokio::test]
async fn ram_role_arn_profiles_work_end_to_end() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    write_config(
        home.path(),
        &format!(
            r#"{{"name":"p","mode":"RamRoleArn","access_key_id":"{}","access_key_secret":"{}","ram_role_arn":"acs:ram::1234567890123456:role/image-admin","ram_session_name":"ecsimg-test","region_id":"cn-hangzhou","sts_endpoint":"{}"}}"#,
            sim::DEMO_ACCESS_KEY_ID,
            sim::DEMO_ACCESS_KEY_SECRET,
            sim.endpoint()
        ),
    );
    let mut options = ResolveOptions::with_env(EnvSnapshot::empty());
    options.home = Some(home.path().to_path_buf());
    let resolved = credentials::resolve(&options).unwrap();
    let client = EcsClient::new(config(&sim), resolved.credentials).unwrap();
    let images = client
        .describe_images_page(&ImageQuery::default(), 1)
        .await
        .unwrap();
    assert!(images.total_count >= 300);
    assert_eq!(sim.action_count("AssumeRole"), 1);
    let key = client.credentials().access_key().await.unwrap();
    assert!(key.id.starts_with("STS."), "{}", key.id);
    assert!(key.security_token.is_some());
}

#[tokio::test]
async fn ecs_ram_role_profiles_work_end_to_end() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    write_config(
        home.path(),
        r#"{"name":"p","mode":"EcsRamRole","region_id":"cn-hangzhou"}"#,
    );
    let mut options = ResolveOptions::with_env(EnvSnapshot::empty());
    options.home = Some(home.path().to_path_buf());
    options.metadata_base = Some(sim.endpoint());
    let resolved = credentials::resolve(&options).unwrap();
    let client = EcsClient::new(config(&sim), resolved.credentials).unwrap();
    let latest = client
        .describe_image_from_family("payments-base")
        .await
        .unwrap();
    assert_eq!(latest.unwrap().image_id, PAYMENTS_V4);
    let key = client.credentials().access_key().await.unwrap();
    assert!(
        key.security_token.is_some(),
        "metadata hands out STS credentials"
    );
}
