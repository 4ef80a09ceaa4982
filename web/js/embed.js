// Behaviour of the Krasip pages when they run inside the agency widget's
// iframe. The host page gets one kind of message, "close", and nothing that
// was typed: the form's content never crosses to the agency's origin.

export const framed = window.parent !== window;

// The origin of the page that framed us, when the browser tells it
// (Chromium, Safari); otherwise "*" is acceptable because the message
// carries no data at all.
function parentOrigin() {
  const list = window.location.ancestorOrigins;
  return list && list.length ? list[0] : '*';
}

export function requestClose() {
  if (framed) window.parent.postMessage({ krasip: 'close' }, parentOrigin());
}

if (framed) {
  document.documentElement.classList.add('framed');
  // A key pressed inside the iframe never reaches the host page, so Escape
  // has to be passed on for the widget's dialog to close.
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented) requestClose();
  });
}
