/** navigator.clipboard when allowed, else a hidden textarea + execCommand("copy"). */
export async function copyViaDom(text: string): Promise<void> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return;
    }
  } catch {
    // fall through to the DOM fallback
  }
  const ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.className = "offscreen";
  document.body.appendChild(ta);
  ta.select();
  const ok = document.execCommand("copy");
  ta.remove();
  if (!ok) throw { code: "ui.clipboard", message: "Could not copy to the clipboard; select the link and copy it." };
}
