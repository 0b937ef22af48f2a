// Tiny inline SVG icons (no icon fonts, no remote resources).
export function FolderIcon() {
  return (
    <svg class="icon icon-folder" viewBox="0 0 20 20" aria-hidden="true">
      <path d="M2 5.5A1.5 1.5 0 0 1 3.5 4h4l1.6 1.8H16.5A1.5 1.5 0 0 1 18 7.3v7.2a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 2 14.5z" />
    </svg>
  );
}

export function FileIcon() {
  return (
    <svg class="icon icon-file" viewBox="0 0 20 20" aria-hidden="true">
      <path d="M5.5 2h6l4 4v10.5a1.5 1.5 0 0 1-1.5 1.5h-8.5A1.5 1.5 0 0 1 4 16.5v-13A1.5 1.5 0 0 1 5.5 2z" />
      <path class="fold" d="M11.5 2v4h4" />
    </svg>
  );
}

export function CloudIcon() {
  return (
    <svg class="icon icon-logo" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M7 18a5 5 0 0 1-.6-9.96A6.5 6.5 0 0 1 18.9 9.6 4.25 4.25 0 0 1 18 18z" />
    </svg>
  );
}
