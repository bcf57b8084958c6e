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
import { applyTheme } from "./theme";
import { lessonBody, moduleMeta, storeNotice } from "./training-view";

const list = document.getElementById("module-list") as HTMLElement;
const lesson = document.getElementById("lesson") as HTMLElement;
const summary = document.getElementById("training-summary") as HTMLElement;
const exportNote = document.getElementById("export-note") as HTMLElement;
const notice = document.getElementById("store-notice") as HTMLElement;
let current: string | null = null;
let overview: TrainingOverview = { modules: [], errors: [] };

function showStore(snap: Snapshot) {
  const text = storeNotice(snap.status.store);
  notice.hidden = text === null;
  notice.textContent = text ?? "";
}

async function refresh() {
  void getSnapshot().then(showStore);
  overview = await getTraining();
  const done = overview.modules.filter((m) => m.progress.completed).length;
  summary.textContent = `${done} of ${overview.modules.length} modules completed`;
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
      h("li", { class: "tone-alert small", id: "training-errors" }, `Not loaded: ${overview.errors.join("; ")}`),
    );
  }
  const m = overview.modules.find((x) => x.id === current);
  if (m) showLesson(m);
  else if (!current) showIntro();
}

function showIntro() {
  lesson.replaceChildren(
    h("h2", {}, "Short lessons, quick questions"),
    h(
      "p",
      {},
      "Pick a module on the left to read its lesson (about three minutes). Its questions then come up now and then in a small quiz, never during a call. Questions you miss come back sooner.",
    ),
  );
}

function showLesson(m: ModuleView) {
  const practice = h("button", { type: "button", class: "button primary", id: "practice" }, "Practice now");
  practice.addEventListener("click", () => {
    void startPractice(m.id).catch((e) => (exportNote.textContent = String(e)));
  });
  lesson.replaceChildren(
    h("h2", { id: "lesson-title" }, m.title),
    h("p", { class: "muted small" }, `${m.reading_minutes} min read · ${moduleMeta(m)}`),
    ...lessonBody(m.lesson),
    h("div", { class: "lesson-actions" }, practice, h("span", { class: "muted small" }, `Mastery ${m.progress.mastery}%`)),
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
    .then((path) => (exportNote.textContent = `Saved to ${path}`))
    .catch((e) => (exportNote.textContent = `Not saved: ${e}`));
});

void getSnapshot().then((snap) => {
  applyTheme(snap);
  showStore(snap);
});
void refresh();
// Progress changes as quizzes are answered.
setInterval(() => void refresh(), 5000);
