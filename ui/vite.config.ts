import { defineConfig } from "vitest/config";

// One HTML entry per window kind; the Rust side (src-tauri/src/windows.rs)
// names the same files.
export default defineConfig({
  clearScreen: false,
  // The message catalogs live beside the Rust side's, in ../locales
  // (src/i18n.ts imports them): the dev server and the tests may read them.
  server: {
    fs: {
      // The settings' schema too, for the test that every setting has
      // its words in the catalogs (src/i18n.test.ts).
      allow: [".", "../locales", "../crates/veil-core/src/settings"],
    },
  },
  build: {
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
    rollupOptions: {
      input: {
        main: "index.html",
        shield: "shield.html",
        warning: "warning.html",
        quiz: "quiz.html",
        training: "training.html",
      },
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
  },
});
