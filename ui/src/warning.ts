// The countdown before the shield; the app sends the seconds left.
import { listen } from "@tauri-apps/api/event";

const seconds = document.getElementById("warning-seconds") as HTMLElement;
const text = document.getElementById("warning-text") as HTMLElement;

export function show(left: number) {
  seconds.textContent = String(left);
  text.textContent = `${left === 1 ? "second" : "seconds"} until Veil covers your screen. Move the mouse to stay.`;
}

const initial = Number(new URLSearchParams(window.location.search).get("seconds"));
if (initial > 0) show(initial);
void listen<number>("veil://shield-countdown", (e) => show(e.payload));
