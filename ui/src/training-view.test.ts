import { describe, expect, it } from "vitest";
import type { AnswerOutcome, QuestionView } from "./bindings";
import { lessonBody, moduleMeta, questionView, secondsLeft, storeNotice } from "./training-view";

const q: QuestionView = {
  id: "x-1",
  module: "x",
  kind: "multiple",
  scenario: null,
  prompt: "Pick",
  options: [
    { id: "a", text: "A" },
    { id: "b", text: "B" },
    { id: "c", text: "C" },
  ],
};

/** What the tray app answers once it has recorded ["a", "c"]. */
const outcome: AnswerOutcome = {
  question: "x-1",
  chosen: ["a", "c"],
  correct: false,
  options: [
    { id: "a", correct: true, explain: "a is right" },
    { id: "b", correct: true, explain: "b is right" },
    { id: "c", correct: false, explain: "c is wrong" },
  ],
};

describe("quiz", () => {
  it("shows every explanation after the answer, marked", () => {
    const before = questionView(q, 0, 3, null);
    expect(before.querySelectorAll("input[type=checkbox]").length).toBe(3);
    expect(before.textContent).not.toContain("a is right");
    const after = questionView(q, 0, 3, outcome);
    expect(after.querySelector("#quiz-result")?.textContent).toBe("Not quite: see why below");
    expect(after.textContent).toContain("c is wrong");
    expect(after.querySelector("label.wrong")?.textContent).toContain("C");
    expect(after.querySelectorAll("input:disabled").length).toBe(3);
  });

  it("counts down from when it was shown", () => {
    const quiz = { questions: [], shown_at: 0, seconds: 90, can_snooze: true, practice: false, answered: [] };
    expect(secondsLeft(quiz, 30_500)).toBe(60);
    expect(secondsLeft(quiz, 99_000)).toBe(0);
  });
});

describe("training window", () => {
  it("renders lessons with lists and module status", () => {
    const body = lessonBody("First para\nline two.\n\n- one\n- two\n\nLast.");
    expect(body.map((e) => e.tagName)).toEqual(["P", "UL", "P"]);
    expect(body[1].querySelectorAll("li").length).toBe(2);
    expect(
      moduleMeta({
        id: "p", title: "P", lesson: "", reading_minutes: 2, mandatory: true, due_date: "2026-12-31",
        progress: { id: "p", lesson_read: true, answered: 6, total: 6, mastery: 50, completed: true, due_questions: 1 },
      }),
    ).toBe("Completed · 6/6 answered · mastery 50% · required by 2026-12-31 · 1 to review");
  });
});

describe("storeNotice", () => {
  it("speaks only while progress cannot be saved", () => {
    expect(storeNotice({ state: "ok", message: null })).toBeNull();
    expect(storeNotice({ state: "starting", message: null })).toBeNull();
    const text = storeNotice({ state: "unavailable", message: "policy forbids keeping the key in a file" });
    expect(text).toContain("cannot be saved right now (policy forbids keeping the key in a file)");
    expect(text).toContain("Quizzes wait");
  });
});

