// Training views: the quiz pop-up and the training window. Rendering and
// answer checking only; what to ask and when is decided by the app.
import { h } from "./dom";
import { t } from "./i18n";
import type { AnswerOutcome, ModuleView, QuestionView, QuizView, StoreStatus } from "./bindings";

export function secondsLeft(q: QuizView, now: number): number {
  return Math.max(0, Math.ceil((q.shown_at + q.seconds * 1000 - now) / 1000));
}

/** One question, before (inputs) or after (marks and explanations) the
 * answer. The key and explanations come with the recorded answer's result:
 * the window never has them before. */
export function questionView(q: QuestionView, index: number, total: number, outcome: AnswerOutcome | null): HTMLElement {
  const multiple = q.kind === "multiple";
  const answered = outcome !== null;
  const chosen = outcome?.chosen ?? [];
  const key = (id: string) => outcome?.options.find((o) => o.id === id);
  const opts = q.options.map((o, i) => {
    const input = h("input", {
      type: multiple ? "checkbox" : "radio",
      name: "answer",
      value: o.id,
      id: `opt-${o.id}`,
      checked: answered && chosen.includes(o.id),
      disabled: answered,
      "aria-describedby": answered ? `explain-${o.id}` : undefined,
    });
    const result = key(o.id);
    const mark = answered ? (result?.correct ? "right" : chosen.includes(o.id) ? "wrong" : "") : "";
    return h(
      "label",
      { for: `opt-${o.id}`, class: mark },
      input,
      h(
        "span",
        {},
        `${i + 1}. ${o.text}`,
        result
          ? h(
              "span",
              { class: "quiz-explain", id: `explain-${o.id}` },
              result.correct ? t("quiz-explain-right", { explain: result.explain }) : result.explain,
            )
          : null,
      ),
    );
  });
  const right = outcome?.correct === true;
  return h(
    "section",
    { class: "quiz-question", "data-question": q.id, "data-kind": q.kind },
    h("p", { class: "muted small", id: "quiz-progress" }, t("quiz-progress", { number: index + 1, total })),
    q.scenario ? h("p", { class: "quiz-scenario" }, q.scenario) : null,
    h("p", { class: "quiz-prompt", id: "quiz-prompt" }, q.prompt),
    multiple && !answered ? h("p", { class: "muted small" }, t("quiz-choose-all")) : null,
    h("fieldset", { class: "quiz-options", "aria-labelledby": "quiz-prompt" }, ...opts),
    answered
      ? h(
          "p",
          { class: `quiz-result tone-${right ? "ok" : "alert"}`, id: "quiz-result", role: "status" },
          right ? t("quiz-correct") : t("quiz-wrong"),
        )
      : null,
  );
}

export function moduleMeta(m: ModuleView): string {
  const parts = [
    t("training-module-answered", { answered: m.progress.answered, total: m.progress.total }),
    t("training-module-mastery", { mastery: m.progress.mastery }),
  ];
  if (m.progress.completed) parts.unshift(t("training-module-completed"));
  else if (!m.progress.lesson_read) parts.unshift(t("training-module-not-started"));
  if (m.mandatory) parts.push(m.due_date ? t("training-module-required-by", { date: m.due_date }) : t("training-module-required"));
  if (m.progress.due_questions > 0) parts.push(t("training-module-to-review", { count: m.progress.due_questions }));
  return parts.join(" · ");
}

/** What the training window says while progress cannot be saved. */
export function storeNotice(store: Pick<StoreStatus, "state" | "message">): string | null {
  if (store.state !== "unavailable") return null;
  return store.message ? t("training-store-unavailable-why", { why: store.message }) : t("training-store-unavailable");
}

/** Lesson text: blank lines separate paragraphs, "- " lines are a list. */
export function lessonBody(text: string): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split("\n").map((l) => l.trim()).filter(Boolean);
    if (lines.length === 0) continue;
    if (lines.every((l) => l.startsWith("- ") || /^\d+\. /.test(l) || !/^[-\d]/.test(l)) && lines.some((l) => l.startsWith("- ") || /^\d+\. /.test(l))) {
      const items: string[] = [];
      let intro = "";
      for (const l of lines) {
        if (l.startsWith("- ") || /^\d+\. /.test(l)) items.push(l.replace(/^(- |\d+\. )/, ""));
        else if (items.length === 0) intro += (intro ? " " : "") + l;
        else items[items.length - 1] += " " + l;
      }
      if (intro) out.push(h("p", {}, intro));
      out.push(h("ul", {}, ...items.map((i) => h("li", {}, i))));
    } else {
      out.push(h("p", {}, lines.join(" ")));
    }
  }
  return out;
}
