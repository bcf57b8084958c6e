// The shield overlay: only the time and how to continue. It calls no
// commands; the app shows and removes it. It gets no snapshot: its words
// are in the document's language, or the one a `lang` parameter names.
import { formatTime, setLanguage, translateDocument } from "./i18n";

const clock = document.getElementById("shield-clock") as HTMLElement;

const lang = new URLSearchParams(window.location.search).get("lang");
if (lang) setLanguage(lang);
translateDocument();

function tick() {
  clock.textContent = formatTime(Date.now());
}
tick();
window.setInterval(tick, 1000);
