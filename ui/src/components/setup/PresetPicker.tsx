import type { Preset } from "../../bindings/Preset";
import { PRESETS } from "../../lib/drafts";
import { useT } from "../../i18n/context";
import { presetBlurb, presetLabel } from "../../lib/setup-text";

/** The six provider presets (`preset-<name>`); the chosen one is pressed. */
export function PresetPicker({ selected, onSelect }: { selected: Preset | null; onSelect: (p: Preset) => void }) {
  const t = useT();
  return (
    <div class="preset-grid" role="group" aria-label={t("setup.screen.providerHeading")}>
      {PRESETS.map((p) => (
        <button
          key={p}
          type="button"
          class={`preset${selected === p ? " selected" : ""}`}
          data-testid={`preset-${p}`}
          aria-pressed={selected === p}
          onClick={() => onSelect(p)}
        >
          <span class="preset-name">{presetLabel(p)}</span>
          <span class="preset-blurb">{presetBlurb(p)}</span>
        </button>
      ))}
    </div>
  );
}
