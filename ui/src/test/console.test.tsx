import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { App } from "../App";
import { FakePlatform } from "../platform/fake";

describe("Open AWS console", () => {
  it("the header menu entry calls open_console", async () => {
    const fake = new FakePlatform({ signedIn: true, listMode: "manual" });
    render(<App platform={fake} />);
    await screen.findByTestId("identity");
    fireEvent.click(screen.getByTestId("profile-switcher"));
    fireEvent.click(screen.getByTestId("open-console"));
    await waitFor(() => expect(fake.calls.map((c) => c[0])).toContain("open_console"));
    expect(screen.queryByTestId("open-console")).toBeNull();
  });

  it("a refusal is worded by its code", async () => {
    const fake = new FakePlatform({ signedIn: true, listMode: "manual" });
    fake.failNext.set("open_console", {
      code: "console.federation",
      message: "the AWS federation endpoint refused (HTTP 400)",
      params: { endpoint: "https://signin.aws.amazon.com/federation", status: 400, detail: "HTTP 400" },
    });
    render(<App platform={fake} />);
    await screen.findByTestId("identity");
    fireEvent.click(screen.getByTestId("profile-switcher"));
    fireEvent.click(screen.getByTestId("open-console"));
    expect(await screen.findByText(/AWS did not let this session into the console/)).toBeTruthy();
  });

  it("no entry while signed out", async () => {
    const fake = new FakePlatform({ signedIn: false });
    render(<App platform={fake} />);
    fireEvent.click(await screen.findByTestId("profile-switcher"));
    expect(screen.queryByTestId("open-console")).toBeNull();
    expect(screen.getByTestId("add-connection")).toBeTruthy();
  });
});
