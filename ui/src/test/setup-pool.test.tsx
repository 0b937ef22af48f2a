import { fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { App } from "../App";
import type { ProfileDraft } from "../bindings/ProfileDraft";
import { DEFAULT_PREFIX, POOL_PREFIX, emptyDraft, withCredentials } from "../lib/drafts";
import { issueText } from "../lib/setup-text";
import { DEMO_PROFILE } from "../platform/fake-profiles";
import { FakePlatform } from "../platform/fake";

const POOL_ID = "us-east-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001";

function type(testId: string, value: string) {
  fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

function choose(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

function input(testId: string): HTMLInputElement {
  return screen.getByTestId(testId) as HTMLInputElement;
}

function lastDraft(fake: FakePlatform, cmd = "validate_draft"): ProfileDraft {
  const calls = fake.calls.filter(([c]) => c === cmd);
  return (calls.at(-1)![1] as { draft: ProfileDraft }).draft;
}

async function saveEnabled() {
  const save = screen.getByTestId("save-profile") as HTMLButtonElement;
  await waitFor(() => expect(save.disabled).toBe(false));
  return save;
}

/** The Auth0 preset filled, credentials from an identity pool (ID not typed yet). */
async function auth0Pool(fake: FakePlatform) {
  render(<App platform={fake} />);
  fireEvent.click(await screen.findByTestId("preset-auth0"));
  type("field-domain", "acme.eu.auth0.com");
  type("field-client_id", "kura-native");
  type("field-bucket", "acme-files");
  type("field-region", "eu-west-1");
  expect(screen.queryByTestId("field-identity_pool_id")).toBeNull();
  choose("field-credentials", "identity_pool");
}

describe("credentials from a Cognito identity pool", () => {
  it("shows the pool fields, checks them by code, and saves the pool", async () => {
    const fake = new FakePlatform({ profiles: [] });
    await auth0Pool(fake);
    expect(input("field-prefix").value).toBe(POOL_PREFIX);
    expect(screen.getByText("Role ARN (optional)")).toBeTruthy();
    expect((screen.getByTestId("field-cognito_flow") as HTMLSelectElement).value).toBe("enhanced");
    expect(screen.queryByTestId("field-cognito_endpoint")).toBeNull();
    // The default provider name, derived from the issuer by Rust, is the placeholder.
    await waitFor(() => expect(input("field-identity_provider").placeholder).toBe("acme.eu.auth0.com"));

    type("field-identity_pool_id", "us-east-1");
    const bad = await screen.findByTestId("issue-identity_pool_id");
    expect(bad.dataset.code).toBe("identity_pool_id.invalid");
    expect(bad.textContent).toContain("region, colon, ID");
    type("field-identity_provider", "https://acme.eu.auth0.com");
    expect((await screen.findByTestId("issue-identity_provider")).dataset.code).toBe("identity_provider.invalid");
    type("field-identity_provider", "");
    type("field-identity_pool_id", POOL_ID);
    await waitFor(() => expect(screen.queryByTestId("issue-identity_pool_id")).toBeNull());

    // The administrator panel: the IAM OIDC provider, the pool's entry and the pool's policies.
    const panel = await screen.findByTestId("admin-panel");
    expect(within(panel).getByTestId("pool-id").textContent).toBe(POOL_ID);
    const provider = within(panel).getByTestId("pool-provider");
    expect([provider.dataset.type, provider.textContent]).toEqual(["openid_connect", "acme.eu.auth0.com"]);
    expect(within(panel).getByTestId("oidc-provider-arn").textContent).toBe("arn:aws:iam::ACCOUNT_ID:oidc-provider/acme.eu.auth0.com");
    expect(panel.textContent).toContain("The trust policy of the pool's authenticated role");
    expect(screen.getByTestId("trust-policy").textContent).toContain(`"cognito-identity.amazonaws.com:aud": "${POOL_ID}"`);
    expect(screen.getByTestId("permission-policy").textContent).toContain("arn:aws:s3:::acme-files/cognito/${cognito-identity.amazonaws.com:sub}/*");

    fireEvent.click(await saveEnabled());
    await screen.findByTestId("signin-profile");
    expect(lastDraft(fake, "save_profile")).toMatchObject({
      credentials: "identity_pool",
      identity_pool_id: POOL_ID,
      identity_provider: "",
      cognito_flow: "enhanced",
      cognito_endpoint: "",
      role_arn: "",
      prefix: POOL_PREFIX,
    });
  });

  it("the basic flow needs a role; a custom endpoint is sent only while its box is ticked", async () => {
    const fake = new FakePlatform({ profiles: [] });
    await auth0Pool(fake);
    type("field-identity_pool_id", POOL_ID);
    await saveEnabled();
    choose("field-cognito_flow", "basic");
    fireEvent.blur(screen.getByTestId("field-role_arn"));
    expect((await screen.findByTestId("issue-role_arn")).dataset.code).toBe("required");
    expect(screen.getByText("The basic flow assumes this role with the identity pool's token.")).toBeTruthy();
    type("field-role_arn", "arn:aws:iam::123456789012:role/KuraCognito");
    await waitFor(() => expect(screen.queryByTestId("issue-role_arn")).toBeNull());
    expect((await screen.findByTestId("pool-flow")).dataset.flow).toBe("basic");

    fireEvent.click(screen.getByTestId("cognito-custom-endpoint"));
    type("field-cognito_endpoint", "http://cognito.example.com");
    expect((await screen.findByTestId("issue-cognito_endpoint")).dataset.code).toBe("url.https_required");
    type("field-cognito_endpoint", "http://127.0.0.1:9420");
    await waitFor(() => expect(lastDraft(fake).cognito_endpoint).toBe("http://127.0.0.1:9420"));
    await saveEnabled();
    fireEvent.click(screen.getByTestId("cognito-custom-endpoint"));
    await waitFor(() => expect(lastDraft(fake).cognito_endpoint).toBe(""));
  });

  it("a Cognito user pool is the pool's provider; {identity_id} without a pool is refused", async () => {
    const fake = new FakePlatform({ profiles: [] });
    render(<App platform={fake} />);
    fireEvent.click(await screen.findByTestId("preset-cognito"));
    type("field-pool_region", "eu-west-1");
    type("field-user_pool_id", "eu-west-1_AbC123");
    type("field-client_id", "app-client");
    type("field-bucket", "acme-files");
    type("field-region", "eu-west-1");
    choose("field-credentials", "identity_pool");
    type("field-identity_pool_id", "eu-west-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001");
    const provider = await screen.findByTestId("pool-provider");
    expect([provider.dataset.type, provider.textContent]).toEqual(["cognito_user_pool", "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"]);
    expect(screen.queryByTestId("oidc-provider")).toBeNull();
    expect(input("field-identity_provider").placeholder).toBe("cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123");

    // Back to a role with the pool's folder typed in: the prefix says why it cannot work.
    type("field-prefix", "home/{identity_id}/");
    choose("field-credentials", "role");
    expect(input("field-prefix").value).toBe("home/{identity_id}/");
    type("field-role_arn", "arn:aws:iam::123456789012:role/KuraUser");
    const issue = await screen.findByTestId("issue-prefix");
    expect(issue.dataset.code).toBe("prefix.identity_id_without_pool");
    expect(issue.textContent).toContain("choose an identity pool");
    expect(screen.queryByTestId("field-identity_pool_id")).toBeNull();
  });

  it("editing a saved pool profile starts from its pool fields", async () => {
    const pool: ProfileDraft = {
      ...DEMO_PROFILE,
      name: "pool",
      credentials: "identity_pool",
      role_arn: "",
      identity_pool_id: POOL_ID,
      identity_provider: "login.acme.com",
      cognito_endpoint: "http://127.0.0.1:9420",
      prefix: POOL_PREFIX,
    };
    const fake = new FakePlatform({ profiles: [pool], signedIn: true });
    render(<App platform={fake} />);
    await screen.findByTestId("file-list");
    fireEvent.click(screen.getByTestId("profile-switcher"));
    fireEvent.click(screen.getByTestId("manage-connections"));
    fireEvent.click(within(screen.getByTestId("profile-row")).getByTestId("edit-profile"));
    await screen.findByTestId("setup-screen");
    expect((screen.getByTestId("field-credentials") as HTMLSelectElement).value).toBe("identity_pool");
    expect(input("field-identity_pool_id").value).toBe(POOL_ID);
    expect(input("field-identity_provider").value).toBe("login.acme.com");
    expect(input("field-cognito_endpoint").value).toBe("http://127.0.0.1:9420");
    expect((await screen.findByTestId("pool-provider")).textContent).toBe("login.acme.com");
  });
});

describe("credential helpers", () => {
  it("a default prefix follows the credential source; a typed one stays", () => {
    const d = emptyDraft("auth0");
    expect(withCredentials(d, "identity_pool").prefix).toBe(POOL_PREFIX);
    expect(withCredentials(withCredentials(d, "identity_pool"), "role").prefix).toBe(DEFAULT_PREFIX);
    expect(withCredentials({ ...d, prefix: "team/{sub}/" }, "identity_pool").prefix).toBe("team/{sub}/");
  });

  it("words the pool codes, falling back to Rust's message for unknown ones", () => {
    for (const code of ["identity_pool_id.invalid", "identity_provider.invalid", "cognito_flow.invalid", "prefix.identity_id_without_pool"]) {
      const text = issueText({ field: "x", code, message: "English from Rust" });
      expect(text, code).not.toBe("English from Rust");
    }
    expect(issueText({ field: "x", code: "cognito.unknown", message: "English from Rust" })).toBe("English from Rust");
  });
});
