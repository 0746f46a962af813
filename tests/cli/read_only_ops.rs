//! Read-only is enforced where changes execute (`exec`), so the TUI's worker
//! is refused exactly like the CLI: here a read-only demo session calls exec directly.

use ecsimg::change::ImageChanges;
use ecsimg::change::{ApplyError, ApplyMode};
use ecsimg::cli::demo::{demo_session, DemoOptions};
use ecsimg::ecs::model::ImageQuery;
use ecsimg::exec;
use ecsimg::store::Journal;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_session_is_refused_by_ops_and_nothing_is_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let mut connected = demo_session(&DemoOptions {
        read_only: true,
        ..DemoOptions::default()
    })
    .await
    .expect("demo session");
    let journal = Journal::at(dir.path().join("journal.jsonl"));
    connected.session.journal = Some(journal.clone());
    let session = &connected.session;
    assert!(session.read_only);

    let images = session
        .client
        .describe_all_images(&ImageQuery::default())
        .await
        .expect("reading works in read-only mode");
    let before = images
        .iter()
        .find(|i| !i.is_shared() && i.status.as_str() == "Available")
        .expect("an Available image")
        .clone();
    let changes = ImageChanges {
        description: Some("must not be applied".into()),
        ..ImageChanges::default()
    };
    let result = exec::apply_change(session, &before, &changes, ApplyMode::Send, "tui").await;
    assert!(matches!(result, Err(ApplyError::ReadOnly)), "{result:?}");

    let query = ImageQuery {
        image_ids: vec![before.image_id.clone()],
        ..ImageQuery::default()
    };
    let after = session.client.describe_all_images(&query).await.unwrap();
    assert_eq!(after[0].description, before.description);
    assert!(journal.entries().unwrap().is_empty());
}
