import js from "@eslint/js";
import i18next from "eslint-plugin-i18next";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "src/bindings/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  reactHooks.configs.flat.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: {
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@tauri-apps/*"],
              message: "Only src/platform/tauri.ts may import @tauri-apps/*; go through the Platform interface.",
            },
          ],
        },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      eqeqeq: ["error", "smart"],
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
    },
  },
  {
    // Node scripts (the catalogue check).
    files: ["scripts/**/*.mjs"],
    languageOptions: { globals: { console: "readonly", process: "readonly" } },
  },
  {
    files: ["src/platform/tauri.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // Every text a person reads comes from the catalogue (src/i18n): a literal string anywhere
    // in JSX — text, a title, aria-label or placeholder, a component's text prop, a branch of
    // `{cond ? "a" : "b"}` — is an error. Type information lets strings typed as literal unions
    // (ids such as `kind: "new-folder"`, `onAnswer("skip")`) through.
    files: ["src/**/*.tsx"],
    ignores: ["src/test/**"],
    plugins: { i18next },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "i18next/no-literal-string": [
        "error",
        {
          mode: "jsx-only",
          "jsx-attributes": {
            exclude: [
              "class",
              "className",
              "style",
              "type",
              "key",
              "id",
              "name",
              "value",
              "role",
              "lang",
              "data-.*",
              "aria-(?!label$).*",
              "inputMode",
              "autocomplete",
              "autocapitalize",
              "viewBox",
              "d",
              "testId",
              "confirmTestId",
              "field",
            ],
          },
          // Field names and codes passed to the setup form's helpers are identifiers.
          callees: { exclude: ["t", "i18n(ext)?", "fieldLabel", "touch", "onBlur", "issuesOf", "includes", "startsWith", "endsWith"] },
          "object-properties": { exclude: ["[A-Z_-]+", "kind", "field", "code"] },
          // Symbols and the product name are the same in every language.
          words: { exclude: ["[\\s0-9!-/:-@[-`{-~▾▸▲▼✓×↑↓←→…—‹›·]+", "Kura"] },
        },
      ],
    },
  },
);
