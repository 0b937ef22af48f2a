import { fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "../App";
import type { ProfileDraft } from "../bindings/ProfileDraft";
import { DEMO_PROFILE } from "../platform/fake-profiles";
import { FakePlatform } from "../platform/fake";

function type(testId: string, value: string) {
  fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

function callsOf(fake: FakePlatform, cmd: string): unknown[] {
  return fake.calls.filter(([c]) => c === cmd).map(([, a]) => a);
}

/** Fills the Auth0 form with valid values (the preset already chosen). */
function fillAuth0(domain = "acme.eu.auth0.com") {
  type("field-domain", domain);
  type("field-client_id", "kura-native");
  type("field-loopback_port", "53682");
  type("field-role_arn", "arn:aws:iam::123456789012:role/KuraUser");
  type("field-bucket", "acme-files");
  type("field-region", "eu-west-1");
}

async function saveEnabled() {
  const save = screen.getByTestId("save-profile") as HTMLButtonElement;
  await waitFor(() => expect(save.disabled).toBe(false));
  return save;
}

const WORK: ProfileDraft = {
  ...DEMO_PROFILE,
  name: "work",
  provider: { preset: "keycloak", base_url: "https://sso.example.com", realm: "work" },
  bucket: "work-files",
};

afterEach(() => vi.restoreAllMocks());

describe("first run", () => {
  it("shows the setup screen with the config file and its problem", async () => {
    const fake = new FakePlatform({ profiles: [], problem: { code: "config.invalid", message: "log", params: { detail: "line 3: expected '='" } } });
    render(<App platform={fake} />);
    await screen.findByTestId("setup-screen");
    expect(screen.getByTestId("config-file").textContent).toContain("/home/alice/.config/kura/config.toml");
    expect(screen.getByTestId("setup-problem").dataset.code).toBe("config.invalid");
    expect(screen.getByTestId("setup-problem").textContent).toContain("line 3");
    for (const p of ["auth0", "cognito", "keycloak", "okta", "entra", "generic"]) expect(screen.getByTestId(`preset-${p}`)).toBeTruthy();
    expect(screen.queryByTestId("sign-in")).toBeNull();
    expect(screen.queryByTestId("field-client_id")).toBeNull();
  });

  it("Auth0 shows only its fields; a bad bucket gets an issue as you type that goes when fixed", async () => {
    const fake = new FakePlatform({ profiles: [] });
    render(<App platform={fake} />);
    fireEvent.click(await screen.findByTestId("preset-auth0"));
    expect(screen.getByTestId("field-domain")).toBeTruthy();
    expect(screen.getByTestId("field-audience")).toBeTruthy();
    for (const f of ["pool_region", "user_pool_id", "base_url", "realm", "org_url", "authorization_server", "tenant_id", "issuer"]) {
      expect(screen.queryByTestId(`field-${f}`), f).toBeNull();
    }
    expect((screen.getByTestId("field-redirect_uri") as HTMLSelectElement).value).toBe("app.kura.desktop:/callback");
    expect((screen.getByTestId("field-prefix") as HTMLInputElement).value).toBe("users/{sub}/");
    expect(screen.getByTestId("fixed-port-note").textContent).toContain("Auth0");
    expect(screen.queryByTestId("field-s3_endpoint")).toBeNull();
    fireEvent.click(screen.getByTestId("s3-compatible"));
    expect(screen.getByTestId("field-s3_endpoint")).toBeTruthy();
    expect(screen.getByTestId("field-force_path_style")).toBeTruthy();

    // Typed quickly: one validate_draft for the last value only (debounced).
    type("field-bucket", "A");
    type("field-bucket", "Ac");
    type("field-bucket", "Acme_Files");
    const issue = await screen.findByTestId("issue-bucket");
    expect(issue.dataset.code).toBe("bucket.invalid");
    expect(issue.textContent).toContain("lowercase letters");
    const buckets = callsOf(fake, "validate_draft").map((a) => (a as { draft: ProfileDraft }).draft.bucket);
    expect(buckets).not.toContain("Ac");
    expect(buckets).toContain("Acme_Files");
    // An empty required field that was never touched shows nothing under it.
    expect(screen.queryByTestId("issue-client_id")).toBeNull();
    expect(screen.getByTestId("setup-pending").textContent).toContain("Client ID");

    type("field-bucket", "acme-files");
    await waitFor(() => expect(screen.queryByTestId("issue-bucket")).toBeNull());
    expect((screen.getByTestId("save-profile") as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("no active profile", () => {
  it("the setup screen offers the saved profiles", async () => {
    const fake = new FakePlatform({ profiles: [DEMO_PROFILE, WORK], active: null });
    render(<App platform={fake} />);
    await screen.findByTestId("setup-screen");
    const use = screen.getAllByTestId("use-profile");
    expect(use.map((b) => b.dataset.name)).toEqual(["default", "work"]);
    fireEvent.click(use[1]);
    expect((await screen.findByTestId("signin-profile")).dataset.name).toBe("work");
  });

  it("shows why profiles could not be read and still offers setup", async () => {
    const fake = new FakePlatform();
    fake.failNext.set("profiles", { code: "config.invalid", message: "log", params: { detail: "cannot read: permission denied" } });
    render(<App platform={fake} />);
    const problem = await screen.findByTestId("setup-problem");
    expect(problem.dataset.code).toBe("config.invalid");
    expect(problem.textContent).toContain("permission denied");
    expect(screen.getByTestId("preset-auth0")).toBeTruthy();
  });
});

describe("check and administrator panel", () => {
  it("words Check findings by code; errors block Save until the provider changes", async () => {
    const fake = new FakePlatform({ profiles: [] });
    fake.prof.checkFindings = [
      { code: "check.no_device_endpoint", severity: "warning", params: {}, message: "no device endpoint" },
      {
        code: "check.issuer_mismatch",
        severity: "error",
        params: { expected: "https://acme.eu.auth0.com/", found: "https://acme.eu.auth0.com" },
        message: "English from Rust",
      },
    ];
    render(<App platform={fake} />);
    fireEvent.click(await screen.findByTestId("preset-auth0"));
    fillAuth0();
    await saveEnabled();
    fireEvent.click(screen.getByTestId("check-provider"));
    const result = await screen.findByTestId("check-result");
    expect(result.dataset.passed).toBe("false");
    const findings = screen.getAllByTestId("finding");
    expect(findings.map((f) => f.dataset.code)).toEqual(["check.issuer_mismatch", "check.no_device_endpoint"]);
    expect(findings[0].textContent).toBe(
      "The provider calls itself https://acme.eu.auth0.com, not https://acme.eu.auth0.com/. Sign-in would fail: correct the address.",
    );
    expect(findings[0].className).toContain("finding-error");
    expect(findings[1].className).toContain("finding-warning");
    expect(findings[1].textContent).toContain("kura login --device");
    expect((screen.getByTestId("save-profile") as HTMLButtonElement).disabled).toBe(true);

    // Warnings alone pass and do not block.
    fake.prof.checkFindings = fake.prof.checkFindings.filter((f) => f.severity === "warning");
    type("field-domain", "acme.us.auth0.com");
    await waitFor(() => expect(screen.queryByTestId("check-result")).toBeNull());
    await saveEnabled();
    fireEvent.click(screen.getByTestId("check-provider"));
    await waitFor(() => expect(screen.getByTestId("check-result").dataset.passed).toBe("true"));
    await saveEnabled();
  });

  it("shows the callback URLs and policies once valid, and Copy puts them on the clipboard", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const fake = new FakePlatform({ profiles: [] });
    render(<App platform={fake} />);
    fireEvent.click(await screen.findByTestId("preset-auth0"));
    expect(screen.queryByTestId("trust-policy")).toBeNull();
    fillAuth0();
    const trust = await screen.findByTestId("trust-policy");
    expect(screen.getAllByTestId("callback-url").map((e) => e.textContent)).toEqual([
      "app.kura.desktop:/callback",
      "http://127.0.0.1:53682/callback",
    ]);
    expect(trust.textContent).toContain("sts:AssumeRoleWithWebIdentity");
    expect(trust.textContent).toContain('"acme.eu.auth0.com/:aud": "kura-native"');
    const permission = screen.getByTestId("permission-policy");
    expect(permission.textContent).toContain("arn:aws:s3:::acme-files/users/${acme.eu.auth0.com/:sub}/*");

    fireEvent.click(screen.getByTestId("copy-trust-policy"));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(trust.textContent));
    expect(screen.getByTestId("copy-trust-policy").textContent).toBe("Copied");
    fireEvent.click(screen.getByTestId("copy-permission-policy"));
    await waitFor(() => expect(writeText).toHaveBeenLastCalledWith(permission.textContent));
    fireEvent.click(screen.getAllByTestId("copy-callback-url")[0]);
    await waitFor(() => expect(writeText).toHaveBeenLastCalledWith("app.kura.desktop:/callback"));
  });
});

describe("saving and switching", () => {
  it("Save leads to the new profile's sign-in screen", async () => {
    const fake = new FakePlatform({ profiles: [] });
    render(<App platform={fake} />);
    fireEvent.click(await screen.findByTestId("preset-auth0"));
    fillAuth0();
    expect((screen.getByTestId("field-name") as HTMLInputElement).value).toBe("acme");
    fireEvent.click(await saveEnabled());
    const who = await screen.findByTestId("signin-profile");
    expect(who.dataset.name).toBe("acme");
    expect(who.textContent).toContain("acme.eu.auth0.com");
    expect(screen.queryByTestId("setup-screen")).toBeNull();
    const saved = callsOf(fake, "save_profile")[0] as { draft: ProfileDraft; replacing: string | null };
    expect(saved.replacing).toBeNull();
    expect(saved.draft).toMatchObject({
      name: "acme",
      provider: { preset: "auth0", domain: "acme.eu.auth0.com", audience: null },
      redirect_uri: "app.kura.desktop:/callback",
      loopback_port: 53682,
      s3_endpoint: "",
    });
    expect(fake.calls).toContainEqual(["switch_profile", { name: "acme" }]);
    expect(screen.getByTestId("profile-switcher").textContent).toContain("acme");
  });

  it("a loopback callback with a fixed port goes into redirect_uri", async () => {
    const fake = new FakePlatform({ profiles: [] });
    render(<App platform={fake} />);
    fireEvent.click(await screen.findByTestId("preset-okta"));
    type("field-org_url", "https://acme.okta.com");
    fireEvent.change(screen.getByTestId("field-redirect_uri"), { target: { value: "http://127.0.0.1/callback" } });
    type("field-loopback_port", "80");
    expect((await screen.findByTestId("issue-loopback_port")).dataset.code).toBe("port.invalid");
    type("field-loopback_port", "8765");
    await waitFor(() => expect(screen.queryByTestId("issue-loopback_port")).toBeNull());
    await waitFor(() => {
      const last = callsOf(fake, "validate_draft").at(-1) as { draft: ProfileDraft };
      expect(last.draft).toMatchObject({ redirect_uri: "http://127.0.0.1:8765/callback", loopback_port: null, name: "acme" });
    });
  });

  it("Cognito defaults to loopback on localhost with a fixed port and lists exactly that callback", async () => {
    const fake = new FakePlatform({ profiles: [] });
    render(<App platform={fake} />);
    // Chosen after another preset: the callback follows the preset until the person picks one.
    fireEvent.click(await screen.findByTestId("preset-auth0"));
    expect((screen.getByTestId("field-redirect_uri") as HTMLSelectElement).value).toBe("app.kura.desktop:/callback");
    fireEvent.click(screen.getByTestId("preset-cognito"));
    const select = screen.getByTestId("field-redirect_uri") as HTMLSelectElement;
    expect(select.value).toBe("http://localhost/callback");
    expect(select.selectedOptions[0].textContent).toBe("Loopback on localhost (Amazon Cognito)");
    expect((screen.getByTestId("field-loopback_port") as HTMLInputElement).value).toBe("53682");
    expect(screen.getByTestId("fixed-port-note").textContent).toContain("Amazon Cognito");
    expect(screen.queryByTestId("localhost-note")).toBeNull();
    type("field-pool_region", "eu-west-1");
    type("field-user_pool_id", "eu-west-1_AbC123");
    type("field-client_id", "kura-native");
    type("field-role_arn", "arn:aws:iam::123456789012:role/KuraUser");
    type("field-bucket", "acme-files");
    type("field-region", "eu-west-1");
    await screen.findByTestId("trust-policy");
    expect(screen.getAllByTestId("callback-url").map((e) => e.textContent)).toEqual(["http://localhost:53682/callback"]);
    const last = callsOf(fake, "validate_draft").at(-1) as { draft: ProfileDraft };
    expect(last.draft).toMatchObject({ redirect_uri: "http://localhost:53682/callback", loopback_port: null });

    // 127.0.0.1 is what Cognito refuses: the form says so.
    fireEvent.change(select, { target: { value: "http://127.0.0.1/callback" } });
    expect(screen.getByTestId("localhost-note").textContent).toContain("localhost");
    await waitFor(() =>
      expect(screen.getAllByTestId("callback-url").map((e) => e.textContent)).toEqual(["http://127.0.0.1:53682/callback"]),
    );
  });

  it("the switcher lists every profile, marks the active one and switches in one click", async () => {
    const fake = new FakePlatform({ profiles: [DEMO_PROFILE, WORK], signedIn: true });
    render(<App platform={fake} />);
    await screen.findByTestId("file-list");
    fireEvent.click(screen.getByTestId("profile-switcher"));
    const options = screen.getAllByTestId("profile-option");
    expect(options.map((o) => [o.dataset.name, o.dataset.active])).toEqual([
      ["default", "true"],
      ["work", "false"],
    ]);
    expect(options[0].textContent).toContain("kura-demo · kura-demo.eu.auth0.com");
    expect(options[0].textContent).toContain("Signed in as alice@example.com");
    expect(options[1].textContent).toContain("work-files · sso.example.com");
    expect(options[1].textContent).toContain("Not signed in");
    fireEvent.click(options[1]);
    expect((await screen.findByTestId("signin-profile")).dataset.name).toBe("work");
    expect(fake.calls).toContainEqual(["switch_profile", { name: "work" }]);
    expect(screen.queryByTestId("profile-option")).toBeNull();
    fireEvent.click(screen.getByTestId("profile-switcher"));
    const work = screen.getAllByTestId("profile-option").find((o) => o.dataset.name === "work")!;
    expect(work.dataset.active).toBe("true");
    // Back to the signed-in profile: its files again.
    fireEvent.click(screen.getAllByTestId("profile-option").find((o) => o.dataset.name === "default")!);
    await screen.findByTestId("file-list");
    expect(screen.getByTestId("identity").textContent).toBe("alice@example.com");
  });

  it("a switch made elsewhere (tray) re-reads the session", async () => {
    const fake = new FakePlatform({ profiles: [DEMO_PROFILE, WORK], signedIn: true });
    render(<App platform={fake} />);
    await screen.findByTestId("file-list");
    fake.prof.switchTo("work");
    expect((await screen.findByTestId("signin-profile")).dataset.name).toBe("work");
  });
});

describe("managing connections", () => {
  it("Remove asks first, then removes", async () => {
    const fake = new FakePlatform({ profiles: [DEMO_PROFILE, WORK], signedIn: true });
    render(<App platform={fake} />);
    await screen.findByTestId("file-list");
    fireEvent.click(screen.getByTestId("profile-switcher"));
    fireEvent.click(screen.getByTestId("manage-connections"));
    const row = screen.getAllByTestId("profile-row").find((r) => r.dataset.name === "work")!;
    fireEvent.click(within(row).getByTestId("remove-profile"));
    expect(screen.getByTestId("confirm-message").textContent).toContain("signs it out and deletes its keychain entries");
    expect(callsOf(fake, "remove_profile")).toEqual([]);
    fireEvent.click(screen.getByTestId("confirm-remove"));
    await waitFor(() => expect(screen.getAllByTestId("profile-row").map((r) => r.dataset.name)).toEqual(["default"]));
    expect(callsOf(fake, "remove_profile")).toEqual([{ name: "work" }]);
  });

  it("Rename and Edit (prefilled, saved with replacing)", async () => {
    const fake = new FakePlatform({ profiles: [DEMO_PROFILE, WORK], signedIn: true });
    render(<App platform={fake} />);
    await screen.findByTestId("file-list");
    fireEvent.click(screen.getByTestId("profile-switcher"));
    fireEvent.click(screen.getByTestId("manage-connections"));
    let row = screen.getAllByTestId("profile-row").find((r) => r.dataset.name === "work")!;
    fireEvent.click(within(row).getByTestId("rename-profile"));
    type("prompt-input", "default");
    fireEvent.click(screen.getByTestId("dialog-confirm"));
    expect(screen.getByTestId("dialog-error").textContent).toContain("already exists");
    type("prompt-input", "work2");
    fireEvent.click(screen.getByTestId("dialog-confirm"));
    await waitFor(() => expect(screen.getAllByTestId("profile-row").map((r) => r.dataset.name)).toEqual(["default", "work2"]));
    expect(fake.calls).toContainEqual(["rename_profile", { from: "work", to: "work2" }]);

    row = screen.getAllByTestId("profile-row").find((r) => r.dataset.name === "work2")!;
    fireEvent.click(within(row).getByTestId("edit-profile"));
    await screen.findByTestId("setup-screen");
    expect(screen.getByTestId("preset-keycloak").getAttribute("aria-pressed")).toBe("true");
    expect((screen.getByTestId("field-base_url") as HTMLInputElement).value).toBe("https://sso.example.com");
    expect((screen.getByTestId("field-name") as HTMLInputElement).value).toBe("work2");
    type("field-bucket", "work-archive");
    fireEvent.click(await saveEnabled());
    await screen.findByTestId("file-list");
    const saved = callsOf(fake, "save_profile")[0] as { draft: ProfileDraft; replacing: string | null };
    expect(saved).toMatchObject({ replacing: "work2", draft: { name: "work2", bucket: "work-archive" } });
  });
});

describe("import", () => {
  it("previews issuer host and bucket, warns about trust, and imports", async () => {
    const fake = new FakePlatform({ profiles: [] });
    render(<App platform={fake} />);
    fireEvent.click(await screen.findByTestId("import-profile"));
    const preview = await screen.findByTestId("import-preview");
    expect(preview.textContent).toContain("Only import connections from someone you trust");
    const row = screen.getByTestId("import-row");
    expect(row.dataset.name).toBe("acme");
    expect(within(row).getByTestId("import-issuer-host").textContent).toBe("acme.okta.com");
    expect(within(row).getByTestId("import-bucket").textContent).toBe("acme-files");
    expect(callsOf(fake, "import_profiles")).toEqual([]);
    fireEvent.click(screen.getByTestId("import-confirm"));
    expect((await screen.findByTestId("signin-profile")).dataset.name).toBe("acme");
    expect(callsOf(fake, "import_profiles")).toEqual([{ token: 1, choices: [{ name: "acme", save_as: "acme" }] }]);
  });

  it("offers Replace or a new name when the name exists", async () => {
    const fake = new FakePlatform({ profiles: [DEMO_PROFILE], signedIn: true });
    fake.prof.importFile = { file_name: "team.toml", profiles: [{ ...WORK, name: "default" }] };
    render(<App platform={fake} />);
    await screen.findByTestId("file-list");
    fireEvent.click(screen.getByTestId("profile-switcher"));
    fireEvent.click(screen.getByTestId("add-connection"));
    fireEvent.click(await screen.findByTestId("import-profile"));
    await screen.findByTestId("import-preview");
    expect((screen.getByTestId("import-rename") as HTMLInputElement).value).toBe("default-2");
    fireEvent.click(screen.getByTestId("import-replace"));
    fireEvent.click(screen.getByTestId("import-confirm"));
    await waitFor(() => expect(callsOf(fake, "import_profiles")).toEqual([{ token: 1, choices: [{ name: "default", save_as: "default" }] }]));
    expect((await screen.findByTestId("signin-profile")).textContent).toContain("sso.example.com");
  });
});
