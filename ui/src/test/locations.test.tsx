import { fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import type { LocationView } from "../bindings/LocationView";
import { App } from "../App";
import { locationReason } from "../lib/locations";
import { FakePlatform, MY_FILES } from "../platform/fake";

const TEAM: LocationView = { name: "Team", prefix: "tenants/acme/shared/", error: null, placeholder: null };
const NO_TAG: LocationView = {
  name: "Team",
  prefix: null,
  error: { code: "path.missing_claim", message: "no value for {tag:tenant}", params: { placeholder: "{tag:tenant}" } },
  placeholder: "{tag:tenant}",
};

function rowNames(): string[] {
  return screen.queryAllByTestId("row").map((r) => r.dataset.path ?? "");
}

describe("locations sidebar", () => {
  it("switching calls switch_location and reloads the list at the location's root", async () => {
    const fake = new FakePlatform({
      signedIn: true,
      pageDelayMs: 0,
      locations: [MY_FILES, TEAM],
      locationObjects: { Team: { "plan.md": 10, "shared-docs/": 0 } },
    });
    render(<App platform={fake} pageFlushMs={0} />);
    const sidebar = await screen.findByTestId("location-sidebar");
    await waitFor(() => expect(rowNames()).toContain("readme.txt"));
    const [mine, team] = within(sidebar).getAllByTestId("location");
    expect(mine.dataset.active).toBe("true");
    expect(team.dataset).toMatchObject({ name: "Team", active: "false", available: "true" });
    expect(team.getAttribute("title")).toBe("tenants/acme/shared/");
    const listsBefore = fake.calls.filter((c) => c[0] === "list_folder").length;

    fireEvent.click(team);

    await waitFor(() => expect(rowNames()).toEqual(expect.arrayContaining(["plan.md", "shared-docs/"])));
    expect(rowNames()).not.toContain("readme.txt");
    expect(fake.calls).toContainEqual(["switch_location", { name: "Team" }]);
    expect(fake.calls.filter((c) => c[0] === "list_folder").length).toBeGreaterThan(listsBefore);
    expect(screen.getByTestId("location-sidebar").querySelector('[data-name="Team"]')!.getAttribute("data-active")).toBe("true");
    // Breadcrumbs start at the location's name.
    expect(screen.getByTestId("breadcrumbs").textContent).toContain("Team");
    expect(screen.getByTestId("breadcrumbs").textContent).not.toContain("My files");
  });

  it("an unavailable location is shown with its reason and cannot be clicked", async () => {
    const fake = new FakePlatform({ signedIn: true, pageDelayMs: 0, locations: [MY_FILES, NO_TAG] });
    render(<App platform={fake} pageFlushMs={0} />);
    const sidebar = await screen.findByTestId("location-sidebar");
    const team = within(sidebar).getAllByTestId("location")[1];
    expect(team.dataset).toMatchObject({ name: "Team", available: "false", active: "false" });
    expect((team as HTMLButtonElement).disabled).toBe(true);
    expect(within(sidebar).getByText("Your account has no 'tenant' tag — ask your administrator")).toBeTruthy();
    fireEvent.click(team);
    await new Promise((r) => setTimeout(r, 10));
    expect(fake.calls.map((c) => c[0])).not.toContain("switch_location");
  });

  it("one location: no sidebar", async () => {
    const fake = new FakePlatform({ signedIn: true, pageDelayMs: 0 });
    render(<App platform={fake} pageFlushMs={0} />);
    await waitFor(() => expect(rowNames()).toContain("readme.txt"));
    expect(screen.queryByTestId("location-sidebar")).toBeNull();
    expect(screen.getByTestId("breadcrumbs").textContent).toContain("My files");
  });

  it("reasons are worded by code and placeholder", () => {
    expect(locationReason(TEAM)).toBeNull();
    expect(locationReason(NO_TAG)).toBe("Your account has no 'tenant' tag — ask your administrator");
    expect(locationReason({ ...NO_TAG, placeholder: "{claim:org}" })).toBe("Your account has no 'org' claim — ask your administrator");
    expect(locationReason({ ...NO_TAG, error: { code: "path.unsafe_claim", message: "x", params: {} } })).toContain("cannot be used as a folder name");
  });
});
