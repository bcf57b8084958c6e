// The training window: modules with progress and due dates, the lesson
// reader (opening a lesson marks it read), "Practice now" and the export.
import {
  exportTraining,
  getSnapshot,
  getTraining,
  practice as startPractice,
  readLesson,
  type ModuleView,
  type Snapshot,
  type TrainingOverview,
} from "./bindings";
import { h } from "./dom";
import { onLanguageChange, setLanguage, t, translateDocument } from "./i18n";
import { applyTheme } from "./theme";
import { lessonBody, moduleMeta, storeNotice } from "./training-view";

const list = document.getElementById("module-list") as HTMLElement;
const lesson = document.getElementById("lesson") as HTMLElement;
const summary = document.getElementById("training-summary") as HTMLElement;
const exportNote = document.getElementById("export-note") as HTMLElement;
const notice = document.getElementById("store-notice") as HTMLElement;
let current: string | null = null;
let overview: TrainingOverview = { modules: [], errors: [] };
let loaded = false;

/** A snapshot: the agent's language (the page redraws when it changes,
 * see onLanguageChange below) and the store's state. */
function showStore(snap: Snapshot) {
  setLanguage(snap.language);
  const text = storeNotice(snap.status.store);
  notice.hidden = text === null;
  notice.textContent = text ?? "";
}

async function refresh() {
  void getSnapshot().then(showStore);
  overview = await getTraining();
  loaded = true;
  render();
}

/** The module list and the open lesson, from the last overview. */
function render() {
  const done = overview.modules.filter((m) => m.progress.completed).length;
  summary.textContent = t("training-modules-completed", { completed: done, modules: overview.modules.length });
  list.replaceChildren(
    ...overview.modules.map((m) => {
      const b = h(
        "button",
        { type: "button", "data-module": m.id, "aria-current": m.id === current ? "true" : "false" },
        m.title,
        h("span", { class: "module-meta" }, moduleMeta(m)),
      );
      b.addEventListener("click", () => void open(m.id));
      return h("li", {}, b);
    }),
  );
  if (overview.errors.length) {
    list.append(
      h("li", { class: "tone-alert small", id: "training-errors" }, t("training-not-loaded", { errors: overview.errors.join("; ") })),
    );
  }
  const m = overview.modules.find((x) => x.id === current);
  if (m) showLesson(m);
  else if (!current) showIntro();
}

function showIntro() {
  lesson.replaceChildren(
    h("h2", {}, t("training-intro-title")),
    h("p", {}, t("training-intro")),
  );
}

function showLesson(m: ModuleView) {
  const practice = h("button", { type: "button", class: "button primary", id: "practice" }, t("training-practice"));
  practice.addEventListener("click", () => {
    void startPractice(m.id).catch((e) => (exportNote.textContent = String(e)));
  });
  lesson.replaceChildren(
    h("h2", { id: "lesson-title" }, m.title),
    h("p", { class: "muted small" }, `${t("training-reading-time", { minutes: m.reading_minutes })} · ${moduleMeta(m)}`),
    ...lessonBody(m.lesson),
    h(
      "div",
      { class: "lesson-actions" },
      practice,
      h("span", { class: "muted small" }, t("training-mastery", { mastery: m.progress.mastery })),
    ),
  );
}

async function open(id: string) {
  current = id;
  await readLesson(id).catch(() => {});
  await refresh();
  lesson.scrollTop = 0;
  lesson.focus({ preventScroll: true });
}

document.getElementById("export")?.addEventListener("click", () => {
  void exportTraining()
    .then((path) => (exportNote.textContent = t("training-export-saved", { path })))
    .catch((e) => (exportNote.textContent = t("training-export-failed", { error: String(e) })));
});

translateDocument();
// A language change redraws what the page wrote itself; the markup follows
// by translateDocument().
onLanguageChange(() => {
  if (loaded) render();
});

void getSnapshot().then((snap) => {
  applyTheme(snap);
  showStore(snap);
});
void refresh();
// Progress changes as quizzes are answered.
setInterval(() => void refresh(), 5000);
