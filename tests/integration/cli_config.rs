//! `selaras config`: the resolved settings, with key variables named but keys never shown.

use crate::support::Project;

#[test]
fn config_shows_resolved_settings_and_never_a_key() {
    let project = Project::empty().with_config(
        "[translate]\nendpoint = \"deepl\"\n\n[endpoints.deepl]\nkind = \"deepl\"\napi-key-env = \"SELARAS_TEST_CONFIG_KEY\"\nconcurrency = 2\n",
    );
    let key = "0f9e8d7c-secret-key:fx";
    let run = |json: bool| {
        let mut command = project.selaras(&["config"]);
        command.env("SELARAS_TEST_CONFIG_KEY", key);
        if json {
            command.arg("--json");
        }
        command.output().unwrap()
    };
    let output = run(true);
    assert!(output.status.success());
    let settings: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(settings["translate"]["endpoint"], "deepl");
    assert_eq!(settings["endpoints"]["deepl"]["concurrency"], 2);
    assert_eq!(
        settings["endpoints"]["deepl"]["batch-size"], 50,
        "the kind's default"
    );
    assert_eq!(
        settings["endpoints"]["deepl"]["api-key"]["variable"],
        "SELARAS_TEST_CONFIG_KEY"
    );
    assert_eq!(settings["endpoints"]["deepl"]["api-key"]["set"], true);
    assert!(
        settings["endpoints"]["memory"].is_object(),
        "the built-in endpoint is listed"
    );
    let text = run(false);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("[endpoints.deepl]"), "{text}");
    assert!(text.contains("concurrency = 2"), "{text}");
    for output in [
        String::from_utf8_lossy(&run(true).stdout).into_owned(),
        text,
    ] {
        assert!(!output.contains(key), "the key leaked: {output}");
    }
}
