// The countdown before the shield; the app sends the seconds left.
import { onShieldCountdown } from "./bindings";

const seconds = document.getElementById("warning-seconds") as HTMLElement;
const text = document.getElementById("warning-text") as HTMLElement;

export function show(left: number) {
  seconds.textContent = String(left);
  text.textContent = `${left === 1 ? "second" : "seconds"} until Veil covers your screen. Move the mouse to stay.`;
}

const params = new URLSearchParams(window.location.search);
// Full-monitor and see-through (the screen dims), or the small banner.
if (params.get("dim") === "1") document.body.classList.add("dim");
const initial = Number(params.get("seconds"));
if (initial > 0) show(initial);
void onShieldCountdown(show);
