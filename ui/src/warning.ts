// The countdown before the shield; the app sends the seconds left. It gets
// no snapshot: its words are in the document's language, or the one a
// `lang` parameter names.
import { onShieldCountdown } from "./bindings";
import { formatNumber, setLanguage, t, translateDocument } from "./i18n";

const seconds = document.getElementById("warning-seconds") as HTMLElement;
const text = document.getElementById("warning-text") as HTMLElement;

export function show(left: number) {
  seconds.textContent = formatNumber(left);
  text.textContent = t("warning-countdown", { seconds: left });
}

const params = new URLSearchParams(window.location.search);
const lang = params.get("lang");
if (lang) setLanguage(lang);
translateDocument();
// Full-monitor and see-through (the screen dims), or the small banner.
if (params.get("dim") === "1") document.body.classList.add("dim");
const initial = Number(params.get("seconds"));
if (initial > 0) show(initial);
void onShieldCountdown(show);
