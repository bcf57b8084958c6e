// The quiz pop-up: at most 3 questions or 90 s, keyboard first (number keys
// pick an option, Enter checks and moves on, Escape is "Later"), the
// explanation right after each answer.
import { getCurrentWindow, LogicalPosition, LogicalSize } from "@tauri-apps/api/window";
import { answerQuestion, closeQuiz, getSnapshot, type AnswerOutcome, type QuizView } from "./bindings";
import { h } from "./dom";
import { setLanguage, t, translateDocument } from "./i18n";
import { applyTheme } from "./theme";
import { questionView, secondsLeft } from "./training-view";

const root = document.getElementById("quiz") as HTMLElement;
let quiz: QuizView | null = null;
let index = 0;
/** The shown question's recorded result, once answered. */
let outcome: AnswerOutcome | null = null;
let answering = false;
let answeredAny = false;
let closing = false;

async function close(later: boolean) {
  if (closing) return;
  closing = true;
  await closeQuiz(later).catch(() => {});
}

function selected(): string[] {
  return [...root.querySelectorAll<HTMLInputElement>("input[name=answer]:checked")].map((i) => i.value);
}

async function check() {
  if (!quiz || outcome !== null || answering) return;
  const picked = selected();
  if (picked.length === 0) return;
  const q = quiz.questions[index];
  answering = true;
  try {
    outcome = await answerQuestion(q.id, picked);
    answeredAny = true;
    render();
  } catch (e) {
    root.append(h("p", { class: "tone-alert" }, String(e)));
  } finally {
    answering = false;
  }
}

function next() {
  if (!quiz) return;
  if (index + 1 >= quiz.questions.length) {
    void close(false);
    return;
  }
  index += 1;
  outcome = null;
  render();
}

/** The pop-up's width and how far it keeps from the screen's edges. */
const WIDTH = 440;
const MARGIN = 24;
const MIN_HEIGHT = 240;
const MAX_HEIGHT = 760;

/**
 * Sizes the pop-up to its content, up to what the screen's work area
 * allows, in its bottom-right corner, and shows the question from its top:
 * an agent reads a scenario from its first line. Sizes are logical pixels,
 * so 125 % and 150 % scaling fit the same way.
 */
async function fit() {
  window.scrollTo(0, 0);
  const style = getComputedStyle(document.body);
  const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
  const content = Math.ceil(root.getBoundingClientRect().height + padding);
  const area = screen as Screen & { availLeft?: number; availTop?: number };
  const max = Math.min(MAX_HEIGHT, area.availHeight - 2 * MARGIN);
  const height = Math.max(MIN_HEIGHT, Math.min(content, max));
  document.body.dataset.fits = String(content <= max);
  try {
    const win = getCurrentWindow();
    await win.setSize(new LogicalSize(WIDTH, height));
    const x = (area.availLeft ?? 0) + area.availWidth - WIDTH - MARGIN;
    const y = (area.availTop ?? 0) + area.availHeight - height - MARGIN;
    await win.setPosition(new LogicalPosition(Math.max(0, x), Math.max(0, y)));
  } catch {
    // Outside Tauri (the page's own tests): the page still scrolls.
  }
  window.scrollTo(0, 0);
}

function render() {
  if (!quiz) return;
  const q = quiz.questions[index];
  const last = index + 1 >= quiz.questions.length;
  const timer = h("span", { class: "quiz-timer", id: "quiz-timer" }, t("quiz-seconds-left", { seconds: secondsLeft(quiz, Date.now()) }));
  const primary =
    outcome === null
      ? h("button", { type: "button", class: "button primary", id: "quiz-submit" }, t("quiz-check"))
      : h("button", { type: "button", class: "button primary", id: "quiz-next" }, last ? t("quiz-done") : t("quiz-next"));
  primary.addEventListener("click", () => (outcome === null ? void check() : next()));
  const later =
    quiz.can_snooze && !answeredAny
      ? h("button", { type: "button", class: "button", id: "quiz-later" }, t("quiz-later"))
      : null;
  later?.addEventListener("click", () => void close(true));
  root.replaceChildren(
    h(
      "header",
      { class: "quiz-head" },
      h("h1", {}, quiz.practice ? t("quiz-title-practice") : t("quiz-title")),
      timer,
    ),
    questionView(q, index, quiz.questions.length, outcome),
    h("div", { class: "quiz-actions" }, later, primary),
  );
  const first = root.querySelector<HTMLInputElement>("input[name=answer]:not([disabled])");
  // Focus without scrolling: the question stays shown from its top.
  (first ?? primary).focus({ preventScroll: true });
  void fit();
}

document.addEventListener("keydown", (e) => {
  if (!quiz) return;
  if (e.key === "Escape" && quiz.can_snooze && !answeredAny) {
    void close(true);
  } else if (e.key === "Enter") {
    e.preventDefault();
    if (outcome === null) void check();
    else next();
  } else if (/^[1-9]$/.test(e.key) && outcome === null) {
    const input = root.querySelectorAll<HTMLInputElement>("input[name=answer]")[Number(e.key) - 1];
    if (input) {
      input.checked = input.type === "checkbox" ? !input.checked : true;
      input.focus();
    }
  }
});

setInterval(() => {
  if (!quiz) return;
  const left = secondsLeft(quiz, Date.now());
  const el = document.getElementById("quiz-timer");
  if (el) el.textContent = t("quiz-seconds-left", { seconds: left });
  if (left === 0) void close(false);
}, 1000);

translateDocument();

void getSnapshot().then((snap) => {
  setLanguage(snap.language);
  applyTheme(snap);
  quiz = snap.quiz;
  if (!quiz || quiz.questions.length === 0) {
    void close(false);
    return;
  }
  // Reopened mid-quiz: carry on after the questions already answered.
  const done = new Set(quiz.answered.map((a) => a.question));
  while (index + 1 < quiz.questions.length && done.has(quiz.questions[index].id)) index += 1;
  render();
});
