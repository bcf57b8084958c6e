import { defineConfig } from "vitest/config";

// One HTML entry per window kind; the Rust side (src-tauri/src/windows.rs)
// names the same files.
export default defineConfig({
  clearScreen: false,
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
