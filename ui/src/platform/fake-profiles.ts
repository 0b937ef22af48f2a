// The fake platform's profiles: drafts kept in memory, the active one, who is signed in on each,
// a Check answered from `checkFindings`, and a profile file to import.
import type { CheckReport } from "../bindings/CheckReport";
import type { DraftCheck } from "../bindings/DraftCheck";
import type { Finding } from "../bindings/Finding";
import type { ImportChoice } from "../bindings/ImportChoice";
import type { ImportPreview } from "../bindings/ImportPreview";
import type { IpcError } from "../bindings/IpcError";
import { configError } from "./fake-error";
import type { ProfileDraft } from "../bindings/ProfileDraft";
import type { ProfilesView } from "../bindings/ProfilesView";
import type { SessionView } from "../bindings/SessionView";
import { APP_REDIRECT_URI, DEFAULT_PREFIX } from "../lib/drafts";
import { deriveIssuer, identityProviderDefault, issuerHost, summary, validateDraft } from "./fake-setup";

export const DEMO_PROFILE: ProfileDraft = {
  name: "default",
  provider: { preset: "auth0", domain: "kura-demo.eu.auth0.com", audience: null },
  client_id: "kura-desktop",
  redirect_uri: APP_REDIRECT_URI,
  loopback_port: null,
  credentials: "role",
  role_arn: "arn:aws:iam::123456789012:role/KuraUser",
  identity_pool_id: "",
  identity_provider: "",
  cognito_flow: "enhanced",
  cognito_endpoint: "",
  bucket: "kura-demo",
  region: "eu-central-1",
  prefix: DEFAULT_PREFIX,
  s3_endpoint: "",
  sts_endpoint: "",
  force_path_style: false,
};

/** A profile file as `pickProfileFile` finds it. */
export interface FakeProfileFile {
  file_name: string;
  profiles: ProfileDraft[];
}

export const DEMO_IMPORT: FakeProfileFile = {
  file_name: "acme.toml",
  profiles: [
    {
      ...DEMO_PROFILE,
      name: "acme",
      provider: { preset: "okta", org_url: "https://acme.okta.com", authorization_server: null },
      client_id: "0oa1kura",
      loopback_port: 53682,
      bucket: "acme-files",
    },
  ],
};

export interface FakeProfilesOptions {
  /** Saved profiles (default: one, `default`). `[]` is a first run. */
  profiles?: ProfileDraft[];
  /** The active profile (default: the first). */
  active?: string | null;
  /** ProfilesView.problem. */
  problem?: IpcError | null;
}


export class FakeProfiles {
  readonly drafts = new Map<string, ProfileDraft>();
  /** Sessions by profile name. */
  readonly sessions = new Map<string, SessionView>();
  active: string | null;
  problem: IpcError | null;
  configFile = "/home/alice/.config/kura/config.toml";
  /** What the next Check reports. */
  checkFindings: Finding[] = [];
  /** What `pickProfileFile` finds (null: the person cancels the dialog). */
  importFile: FakeProfileFile | null = DEMO_IMPORT;
  private previews = new Map<number, ProfileDraft[]>();
  private nextToken = 1;
  private cbs = new Set<(v: ProfilesView) => void>();

  constructor(o: FakeProfilesOptions = {}) {
    for (const d of o.profiles ?? [DEMO_PROFILE]) this.drafts.set(d.name, structuredClone(d));
    this.active = o.active !== undefined ? o.active : ([...this.drafts.keys()][0] ?? null);
    this.problem = o.problem ?? null;
  }

  view(): ProfilesView {
    const profiles = [...this.drafts.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((d) => ({
        name: d.name,
        issuer_host: issuerHost(d),
        bucket: d.bucket,
        preset: d.provider.preset,
        signed_in_as: this.sessions.get(d.name)?.label ?? null,
      }));
    return { profiles, active: this.active, config_file: this.configFile, problem: this.problem };
  }

  onChanged(cb: (v: ProfilesView) => void): () => void {
    this.cbs.add(cb);
    return () => this.cbs.delete(cb);
  }

  /** Sends `profiles-changed` and returns the view. */
  emit(): ProfilesView {
    const v = this.view();
    this.cbs.forEach((cb) => cb(v));
    return v;
  }

  private get(name: string): ProfileDraft {
    const d = this.drafts.get(name);
    if (!d) throw configError(name, null, null, "no such profile");
    return d;
  }

  validate(draft: ProfileDraft, replacing: string | null): DraftCheck {
    const issues = validateDraft(draft, [...this.drafts.keys()], replacing);
    return { issues, summary: issues.length ? null : summary(draft), identity_provider_default: identityProviderDefault(draft) };
  }

  check(draft: ProfileDraft): CheckReport {
    const derived = deriveIssuer(draft.provider);
    if ("issues" in derived) {
      const first = derived.issues[0];
      throw configError(draft.name, first?.field ?? null, first?.code ?? null, "the provider's fields have problems");
    }
    const order = (f: Finding) => (f.severity === "error" ? 0 : 1);
    return { issuer: derived.issuer, findings: [...this.checkFindings].sort((a, b) => order(a) - order(b)) };
  }

  save(draft: ProfileDraft, replacing: string | null): ProfilesView {
    const issues = validateDraft(draft, [...this.drafts.keys()], replacing);
    if (issues.length) throw configError(draft.name, issues[0].field, issues[0].code, "the draft has problems");
    if (replacing != null && replacing !== draft.name) this.move(replacing, draft.name);
    this.drafts.set(draft.name, structuredClone(draft));
    return this.emit();
  }

  draft(name: string): ProfileDraft {
    return structuredClone(this.get(name));
  }

  switchTo(name: string): SessionView | null {
    this.get(name);
    this.active = name;
    this.emit();
    return this.sessions.get(name) ?? null;
  }

  private move(from: string, to: string): void {
    const d = this.get(from);
    this.drafts.delete(from);
    this.drafts.set(to, { ...d, name: to });
    const s = this.sessions.get(from);
    this.sessions.delete(from);
    if (s) this.sessions.set(to, { ...s, profile: to });
    if (this.active === from) this.active = to;
  }

  rename(from: string, to: string): ProfilesView {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(to)) throw configError(to, "name", "name.invalid", "a profile name is 1-64 letters, digits, '_', '-' or '.'");
    if (this.drafts.has(to)) throw configError(to, "name", "name.taken", "a profile of this name exists");
    this.move(from, to);
    return this.emit();
  }

  remove(name: string): ProfilesView {
    this.get(name);
    this.drafts.delete(name);
    this.sessions.delete(name);
    if (this.active === name) this.active = [...this.drafts.keys()].sort()[0] ?? null;
    return this.emit();
  }

  pick(): ImportPreview | null {
    if (!this.importFile) return null;
    const token = this.nextToken++;
    this.previews.set(token, this.importFile.profiles.map((d) => structuredClone(d)));
    return {
      token,
      file_name: this.importFile.file_name,
      profiles: this.importFile.profiles.map((d) => ({
        name: d.name,
        issuer_host: issuerHost(d),
        bucket: d.bucket,
        exists: this.drafts.has(d.name),
      })),
    };
  }

  import(token: number, choices: ImportChoice[]): ProfilesView {
    const found = this.previews.get(token);
    if (!found) throw configError("", null, null, "that profile file is no longer open: choose it again");
    for (const c of choices) {
      const d = found.find((x) => x.name === c.name);
      if (!d) throw configError(c.name, null, null, "the file has no such profile");
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(c.save_as)) throw configError(c.name, null, null, `${JSON.stringify(c.save_as)}: not a valid name`);
      if (c.save_as !== c.name && this.drafts.has(c.save_as)) throw configError(c.name, null, null, `a profile named ${JSON.stringify(c.save_as)} exists: choose another name`);
    }
    for (const c of choices) {
      const d = found.find((x) => x.name === c.name)!;
      this.sessions.delete(c.save_as);
      this.drafts.set(c.save_as, { ...structuredClone(d), name: c.save_as });
    }
    this.previews.delete(token);
    return this.emit();
  }
}
