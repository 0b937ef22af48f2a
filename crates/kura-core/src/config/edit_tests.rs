use super::*;

const COMMENTED: &str = r#"# Kura config — top comment
default_profile = "work" # the usual one

# Work profile, handed out by IT
[profiles.work]
issuer = "https://acme.eu.auth0.com/" # Auth0 tenant
client_id = "abc"
# the API with offline access
audience = "https://kura.example.com"
role_arn = "arn:aws:iam::123456789012:role/KuraUser"
bucket = "acme-files"
session_duration = 7200
part_size_mib = 32
extra_authorize_params = { prompt = "login" }

# Home
[profiles.home]
issuer = "https://home.example.com/realms/me"
client_id = "kura"
role_arn = "arn:aws:iam::123456789012:role/KuraUser"
bucket = "home-files"
"#;

fn file_with(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn keys(set: &[(&'static str, &str)], unset: &[&'static str]) -> ProfileKeys {
    ProfileKeys {
        set: set.iter().map(|(k, v)| (*k, toml_edit::Value::from(*v))).collect(),
        unset: unset.to_vec(),
    }
}

fn new_profile_keys(bucket: &str) -> ProfileKeys {
    keys(
        &[
            ("issuer", "https://other.example.com/"),
            ("client_id", "xyz"),
            ("role_arn", "arn:aws:iam::123456789012:role/Other"),
            ("bucket", bucket),
        ],
        &[],
    )
}

/// Every comment and key of COMMENTED Kura's form does not write, still in `text`.
fn assert_kept(text: &str) {
    for kept in [
        "# Kura config — top comment",
        "# the usual one",
        "# Work profile, handed out by IT",
        "# Auth0 tenant",
        "session_duration = 7200",
        "part_size_mib = 32",
        "extra_authorize_params = { prompt = \"login\" }",
    ] {
        assert!(text.contains(kept), "{kept:?} lost:\n{text}");
    }
}

#[test]
fn set_profile_keeps_comments_order_and_other_keys() {
    let (_d, path) = file_with(COMMENTED);
    let mut f = ConfigFile::open(&path).unwrap();
    f.set_profile(
        "work",
        &keys(
            &[("bucket", "acme-files-2"), ("issuer", "https://acme.eu.auth0.com/")],
            &["audience"],
        ),
    )
    .unwrap();
    f.set_profile("new", &new_profile_keys("new-files")).unwrap();
    f.save().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_kept(&text);
    // Changed in place, the trailing comment kept; audience (and its comment line) gone.
    assert!(
        text.contains("issuer = \"https://acme.eu.auth0.com/\" # Auth0 tenant"),
        "{text}"
    );
    assert!(!text.contains("audience"), "{text}");
    let order: Vec<usize> = [
        "issuer =",
        "client_id = \"abc\"",
        "role_arn",
        "bucket = \"acme-files-2\"",
        "session_duration",
    ]
    .iter()
    .map(|k| text.find(k).unwrap_or_else(|| panic!("{k} missing:\n{text}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "key order changed:\n{text}");
    // A new profile is a [profiles.NAME] table after the others, not an inline table.
    let new_at = text
        .find("[profiles.new]\n")
        .unwrap_or_else(|| panic!("no table:\n{text}"));
    assert!(new_at > text.find("[profiles.home]").unwrap(), "{text}");
    assert!(!text.contains("[profiles]"), "{text}");
    let config = Config::load(&path).unwrap();
    assert_eq!(config.profile(Some("new")).unwrap().bucket, "new-files");
    let work = config.profile(Some("work")).unwrap();
    assert_eq!((work.session_duration, work.audience), (7200, None));
    assert_eq!(work.extra_authorize_params["prompt"], "login");
}

#[test]
fn rename_moves_default_and_keeps_comments() {
    let (_d, path) = file_with(COMMENTED);
    let mut f = ConfigFile::open(&path).unwrap();
    f.rename_profile("work", "office").unwrap();
    assert_eq!(f.default_profile().as_deref(), Some("office"));
    assert_eq!(f.profile_names(), ["home", "office"]);
    assert!(
        f.rename_profile("office", "home").is_err(),
        "renaming onto an existing profile"
    );
    assert!(f.rename_profile("nope", "x").is_err());
    assert!(f.rename_profile("home", "a:session").is_err());
    f.save().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_kept(&text);
    assert!(text.contains("default_profile = \"office\" # the usual one"), "{text}");
    assert!(
        text.contains("# Work profile, handed out by IT\n[profiles.office]"),
        "{text}"
    );
    // Still before [profiles.home], where it was.
    assert!(text.find("[profiles.office]").unwrap() < text.find("[profiles.home]").unwrap());
    let p = Config::load(&path).unwrap().profile(None).unwrap();
    assert_eq!((p.name.as_str(), p.session_duration), ("office", 7200));
}

#[test]
fn remove_clears_default_and_set_default_sets_it() {
    let (_d, path) = file_with(COMMENTED);
    let mut f = ConfigFile::open(&path).unwrap();
    assert!(f.remove_profile("work").unwrap());
    assert!(!f.remove_profile("work").unwrap());
    assert_eq!(f.default_profile(), None);
    f.save().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("work") && !text.contains("default_profile"), "{text}");
    assert!(text.starts_with("# Kura config — top comment"), "{text}");
    assert!(text.contains("# Home\n[profiles.home]"), "{text}");

    let mut f = ConfigFile::open(&path).unwrap();
    assert!(f.set_default("work").is_err());
    f.set_default("home").unwrap();
    f.save().unwrap();
    let config = Config::load(&path).unwrap();
    assert_eq!(config.default_profile.as_deref(), Some("home"));
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("# Home\n[profiles.home]"));
}

#[test]
fn broken_profile_is_refused_and_file_untouched() {
    let (_d, path) = file_with(COMMENTED);
    let mut f = ConfigFile::open(&path).unwrap();
    f.set_profile("work", &keys(&[("bucket", "Not A Bucket")], &[]))
        .unwrap();
    let err = f.save().unwrap_err();
    assert_eq!(err.code(), "config.invalid");
    assert!(err.to_string().contains("\"bucket\""), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), COMMENTED);
    // A new profile missing a required key is refused too.
    let mut f = ConfigFile::open(&path).unwrap();
    f.set_profile("half", &keys(&[("issuer", "https://x.example.com/")], &[]))
        .unwrap();
    assert!(f.save().unwrap_err().to_string().contains("client_id"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), COMMENTED);
    assert!(f.set_profile("bad name", &new_profile_keys("b-1")).is_err());
}

#[test]
fn new_file_is_created_private_with_parents() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/config.toml");
    let mut f = ConfigFile::open(&path).unwrap();
    assert!(f.profile_names().is_empty());
    f.set_profile("first", &new_profile_keys("first-files")).unwrap();
    f.set_default("first").unwrap();
    f.save().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("default_profile = \"first\"\n"), "{text}");
    assert!(
        text.contains("\n[profiles.first]\nissuer = \"https://other.example.com/\"\n"),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // No temporary files left next to it.
    assert_eq!(std::fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
    assert_eq!(Config::load(&path).unwrap().profile(None).unwrap().name, "first");
}

#[test]
fn syntax_errors_are_config_errors() {
    let (_d, path) = file_with("[profiles.x\n");
    assert_eq!(ConfigFile::open(&path).unwrap_err().code(), "config.invalid");
}

#[test]
fn import_reads_validates_and_copies_tables_with_comments() {
    let (_d, from) = file_with(&COMMENTED.replace("https://acme.eu.auth0.com/", "http://127.0.0.1:9400/"));
    let imported = read_import(&from).unwrap();
    let names: Vec<_> = imported
        .iter()
        .map(|p| (p.name.as_str(), p.issuer_host.as_str()))
        .collect();
    assert_eq!(names, [("home", "home.example.com"), ("work", "127.0.0.1:9400")]);
    assert_eq!(imported[1].profile.bucket, "acme-files");

    let (_d2, to) = file_with("# mine\n[profiles.mine]\nissuer = \"https://m.example.com/\"\nclient_id = \"m\"\nrole_arn = \"arn:aws:iam::1:role/R\"\nbucket = \"mine\"\n");
    let mut f = ConfigFile::open(&to).unwrap();
    f.import(&imported[1], "acme").unwrap();
    f.save().unwrap();
    let text = std::fs::read_to_string(&to).unwrap();
    assert!(text.starts_with("# mine\n[profiles.mine]"), "{text}");
    assert!(
        text.contains("# Work profile, handed out by IT\n[profiles.acme]"),
        "{text}"
    );
    assert!(text.contains("part_size_mib = 32"), "{text}");
    assert!(text.find("[profiles.acme]").unwrap() > text.find("[profiles.mine]").unwrap());
    assert_eq!(
        Config::load(&to)
            .unwrap()
            .profile(Some("acme"))
            .unwrap()
            .session_duration,
        7200
    );

    // Every profile must validate; a file without profiles is refused.
    let (_d3, bad) = file_with(&COMMENTED.replace("bucket = \"home-files\"", "bucket = \"X\""));
    let err = read_import(&bad).unwrap_err().to_string();
    assert!(err.contains("\"home\"") && err.contains("\"bucket\""), "{err}");
    let (_d4, empty) = file_with("# nothing\n");
    assert!(read_import(&empty).unwrap_err().to_string().contains("no profiles"));
}

#[test]
fn inline_profiles_are_edited_in_place() {
    let (_d, path) = file_with(
        "[profiles]\n# inline\nwork = { issuer = \"https://a.example.com/\", client_id = \"c\", role_arn = \"arn:aws:iam::1:role/R\", bucket = \"bkt\" }\n",
    );
    let mut f = ConfigFile::open(&path).unwrap();
    assert_eq!(f.profile_names(), ["work"]);
    f.set_profile("work", &keys(&[("bucket", "other")], &[])).unwrap();
    f.rename_profile("work", "office").unwrap();
    f.save().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("# inline\noffice = {"), "{text}");
    assert_eq!(
        Config::load(&path).unwrap().profile(Some("office")).unwrap().bucket,
        "other"
    );
}
