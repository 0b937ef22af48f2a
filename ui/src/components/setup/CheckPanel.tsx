import type { CheckReport } from "../../bindings/CheckReport";
import type { IpcError } from "../../bindings/IpcError";
import { useT } from "../../i18n/context";
import { errorText } from "../../lib/errors";
import { findingText } from "../../lib/setup-text";

/** A Check of the provider: running, its report, or why it could not run. */
export interface CheckState {
  running: boolean;
  report: CheckReport | null;
  error: IpcError | null;
}

export function checkPassed(r: CheckReport): boolean {
  return r.findings.every((f) => f.severity !== "error");
}

/** The **Check** button and what it found: errors red, warnings amber, each worded by code. */
export function CheckPanel({ state, enabled, onCheck }: { state: CheckState | null; enabled: boolean; onCheck: () => void }) {
  const t = useT();
  const report = state?.report ?? null;
  const passed = report ? checkPassed(report) : false;
  return (
    <div class="check-panel">
      <button type="button" class="btn" data-testid="check-provider" disabled={!enabled || state?.running} onClick={onCheck}>
        {state?.running ? t("setup.check.running") : t("setup.check.button")}
      </button>
      {state?.error && (
        <div class="check-result failed" data-testid="check-result" data-passed="false" role="alert">
          <p>{errorText(state.error)}</p>
        </div>
      )}
      {report && !state?.running && (
        <div class={`check-result ${passed ? "passed" : "failed"}`} data-testid="check-result" data-passed={String(passed)} role="status">
          <p class="check-summary">
            {!passed ? t("setup.check.failed") : report.findings.length ? t("setup.check.passedWithWarnings") : t("setup.check.passed")}
          </p>
          {report.findings.length > 0 && (
            <ul class="findings">
              {report.findings.map((f) => (
                <li key={f.code} class={`finding finding-${f.severity}`} data-testid="finding" data-code={f.code} data-severity={f.severity}>
                  {findingText(f)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
