import type { Preset } from "../../bindings/Preset";
import { PRESETS } from "../../lib/drafts";
import { PRESET_BLURB, PRESET_LABEL } from "../../lib/setup-text";

/** The six provider presets (`preset-<name>`); the chosen one is pressed. */
export function PresetPicker({ selected, onSelect }: { selected: Preset | null; onSelect: (p: Preset) => void }) {
  return (
    <div class="preset-grid" role="group" aria-label="Sign-in provider">
      {PRESETS.map((p) => (
        <button
          key={p}
          type="button"
          class={`preset${selected === p ? " selected" : ""}`}
          data-testid={`preset-${p}`}
          aria-pressed={selected === p}
          onClick={() => onSelect(p)}
        >
          <span class="preset-name">{PRESET_LABEL[p]}</span>
          <span class="preset-blurb">{PRESET_BLURB[p]}</span>
        </button>
      ))}
    </div>
  );
}
