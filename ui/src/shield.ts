// The shield overlay: only the time and how to continue. It calls no
// commands; the app shows and removes it.
const clock = document.getElementById("shield-clock") as HTMLElement;

function tick() {
  clock.textContent = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}
tick();
window.setInterval(tick, 1000);
