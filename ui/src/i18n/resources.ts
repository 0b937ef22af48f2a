// The catalogues: one JSON file per area and language (`en/files.json` → keys `files.*`), so no
// file grows past a few hundred lines. `native.json` is also read by the Rust shell (tray,
// notifications, dialog titles: src-tauri/src/i18n.rs). `npm run check:i18n` checks that both
// languages have the same keys and placeholders and that every key is used.
import enApp from "./en/app.json";
import enCommon from "./en/common.json";
import enErrors from "./en/errors.json";
import enFiles from "./en/files.json";
import enFormat from "./en/format.json";
import enNative from "./en/native.json";
import enSearch from "./en/search.json";
import enSetup from "./en/setup.json";
import enSetupChecks from "./en/setupChecks.json";
import enTransfers from "./en/transfers.json";
import jaApp from "./ja/app.json";
import jaCommon from "./ja/common.json";
import jaErrors from "./ja/errors.json";
import jaFiles from "./ja/files.json";
import jaFormat from "./ja/format.json";
import jaNative from "./ja/native.json";
import jaSearch from "./ja/search.json";
import jaSetup from "./ja/setup.json";
import jaSetupChecks from "./ja/setupChecks.json";
import jaTransfers from "./ja/transfers.json";

/** English: the reference catalogue (its shape types `t`). */
export const en = {
  app: enApp,
  common: enCommon,
  errors: enErrors,
  files: enFiles,
  format: enFormat,
  native: enNative,
  search: enSearch,
  setup: enSetup,
  setupChecks: enSetupChecks,
  transfers: enTransfers,
};

/** Japanese. */
export const ja = {
  app: jaApp,
  common: jaCommon,
  errors: jaErrors,
  files: jaFiles,
  format: jaFormat,
  native: jaNative,
  search: jaSearch,
  setup: jaSetup,
  setupChecks: jaSetupChecks,
  transfers: jaTransfers,
};
