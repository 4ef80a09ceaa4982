/*
 * Krasip (กระซิบ) widget loader: the one file an agency's website loads.
 *
 *   <script src="https://KRASIP-ORIGIN/widget.js" async
 *           data-lang="th" data-position="bottom-right"></script>
 *
 * data-lang      th (default) | en
 * data-position  bottom-right (default) | bottom-left | inline (the button goes
 *                where the script tag is)
 * data-label     the button's text, if the agency wants other words
 * data-agency    the agency's short name on a deployment that serves several
 *                (issue 11); its form, its channels, and only its website
 *                may frame the form
 *
 * It adds a button that opens Krasip's complaint form in a modal dialog. The
 * form lives in an iframe served from Krasip's own origin, so scripts of the
 * host page cannot read what the reporter types, and nothing typed is ever
 * sent to the host: the only message accepted from the iframe is "close".
 *
 * Runs on pages we do not control, so: a classic script with no globals and
 * no dependencies; no eval; styles only through the CSSOM (element.style),
 * never style attributes or <style> elements, so hosts with a strict CSP
 * (style-src without 'unsafe-inline') work; !important so host rules on
 * "button" or "iframe" do not bend it.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || !script.src) return;
  // Loaded twice (a template included twice): one button is enough.
  if (document.querySelector('[data-krasip-widget]')) return;

  var ORIGIN = new URL(script.src).origin;
  var LANG = script.getAttribute('data-lang') === 'en' ? 'en' : 'th';
  var POSITION = script.getAttribute('data-position') || 'bottom-right';
  var AGENCY = script.getAttribute('data-agency') || '';
  var QUERY = '?lang=' + LANG + (/^[a-z0-9-]{2,40}$/.test(AGENCY) ? '&agency=' + AGENCY : '');

  var TEXT = {
    th: {
      button: 'แจ้งเรื่องร้องเรียน / แจ้งเบาะแส',
      title: 'แจ้งเรื่องร้องเรียน / แจ้งเบาะแส',
      frame: 'แบบฟอร์มแจ้งเรื่องร้องเรียนและติดตามเรื่อง (กระซิบ)',
      close: 'ปิด'
    },
    en: {
      button: 'Make a complaint / report wrongdoing',
      title: 'Make a complaint / report wrongdoing',
      frame: 'Complaint and tracking form (Krasip)',
      close: 'Close'
    }
  }[LANG];

  var FONT = 'system-ui, -apple-system, "Segoe UI", "Noto Sans Thai", "Leelawadee UI", Tahoma, sans-serif';
  var BRAND = '#1f3a5f';
  var PRIMARY = '#9a3412';
  var FOCUS = '#ffd24d';

  // Text spacing stays overridable by the reader's own styles (WCAG 1.4.12).
  var SPACING = { 'line-height': 1, 'letter-spacing': 1, 'word-spacing': 1 };

  function css(el, props) {
    for (var name in props) {
      if (Object.prototype.hasOwnProperty.call(props, name)) {
        el.style.setProperty(name, props[name], SPACING[name] ? '' : 'important');
      }
    }
  }

  // The host's own focus styles may be removed by a reset stylesheet.
  function focusRing(el, color) {
    el.addEventListener('focus', function () { css(el, { outline: '3px solid ' + color, 'outline-offset': '2px' }); });
    el.addEventListener('blur', function () { el.style.removeProperty('outline'); el.style.removeProperty('outline-offset'); });
  }

  var base = {
    'font-family': FONT,
    'font-size': '16px',
    'font-weight': '700',
    'line-height': '1.3',
    'letter-spacing': 'normal',
    'text-transform': 'none',
    'box-sizing': 'border-box',
    cursor: 'pointer',
    margin: '0'
  };

  // ---- the button ---------------------------------------------------------

  var button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('data-krasip-widget', 'button');
  button.setAttribute('aria-haspopup', 'dialog');
  button.lang = LANG;
  button.textContent = script.getAttribute('data-label') || TEXT.button;
  css(button, base);
  css(button, {
    display: 'inline-block',
    'min-height': '48px',
    'min-width': '48px',
    'max-width': 'calc(100vw - 2rem)',
    padding: '12px 20px',
    color: '#ffffff',
    background: PRIMARY,
    border: '2px solid #ffffff',
    'border-radius': '999px',
    'box-shadow': '0 2px 10px rgba(0, 0, 0, 0.35)',
    'white-space': 'normal',
    'text-align': 'center'
  });
  if (POSITION !== 'inline') {
    css(button, { position: 'fixed', bottom: '16px', 'z-index': '2147483000' });
    css(button, POSITION === 'bottom-left' ? { left: '16px' } : { right: '16px' });
  }
  focusRing(button, BRAND);

  // Without <dialog> (very old browsers) the form opens as a page of its own.
  if (typeof HTMLDialogElement !== 'function') {
    button.addEventListener('click', function () {
      window.open(ORIGIN + '/embed/report.html' + QUERY, '_blank', 'noopener');
    });
    whenReady(place);
    return;
  }

  // ---- the dialog ---------------------------------------------------------

  var titleId = 'krasip-widget-title-' + Math.random().toString(36).slice(2);
  var dialog = document.createElement('dialog');
  dialog.setAttribute('data-krasip-widget', 'dialog');
  dialog.setAttribute('aria-labelledby', titleId);
  dialog.lang = LANG;
  css(dialog, {
    position: 'fixed',
    inset: '0',
    width: '100%',
    height: '100%',
    'max-width': '100%',
    'max-height': '100%',
    margin: '0',
    padding: '0',
    border: '0',
    overflow: 'hidden',
    background: 'rgba(0, 0, 0, 0.6)',
    color: '#1b1f24',
    'font-family': FONT
  });

  var panel = document.createElement('div');
  css(panel, {
    display: 'flex',
    'flex-direction': 'column',
    'box-sizing': 'border-box',
    background: '#ffffff',
    overflow: 'hidden'
  });

  var bar = document.createElement('div');
  css(bar, {
    display: 'flex',
    'align-items': 'center',
    'justify-content': 'space-between',
    gap: '8px',
    padding: '6px 8px 6px 16px',
    background: BRAND,
    color: '#ffffff',
    flex: 'none'
  });

  var title = document.createElement('span');
  title.id = titleId;
  title.textContent = TEXT.title;
  css(title, { 'font-family': FONT, 'font-size': '16px', 'font-weight': '700', 'line-height': '1.3', color: '#ffffff' });

  var closeBtn = document.createElement('button');
  closeBtn.type = 'button';
  closeBtn.setAttribute('data-krasip-widget', 'close');
  var cross = document.createElement('span');
  cross.setAttribute('aria-hidden', 'true');
  cross.textContent = '\u2715 ';
  closeBtn.append(cross, TEXT.close);
  css(closeBtn, base);
  css(closeBtn, {
    flex: 'none',
    'min-height': '44px',
    'min-width': '44px',
    padding: '6px 14px',
    color: '#ffffff',
    background: 'transparent',
    border: '2px solid #ffffff',
    'border-radius': '6px'
  });
  focusRing(closeBtn, FOCUS);

  var frame = document.createElement('iframe');
  frame.title = TEXT.frame;
  frame.setAttribute('data-krasip-widget', 'frame');
  frame.referrerPolicy = 'no-referrer';
  // The receipt's "copy code" button runs inside the frame.
  frame.allow = 'clipboard-write';
  css(frame, { display: 'block', flex: '1 1 auto', width: '100%', height: '100%', border: '0', margin: '0', background: '#ffffff' });

  bar.append(title, closeBtn);
  panel.append(bar, frame);
  dialog.append(panel);

  // Full screen on phones; a framed panel where there is room for one.
  var roomy = window.matchMedia('(min-width: 48rem) and (min-height: 32rem)');
  function layout() {
    if (roomy.matches) {
      css(panel, { width: 'min(48rem, calc(100% - 32px))', height: 'calc(100% - 32px)', margin: '16px auto', 'border-radius': '8px' });
    } else {
      css(panel, { width: '100%', height: '100%', margin: '0', 'border-radius': '0' });
    }
  }
  layout();
  if (roomy.addEventListener) roomy.addEventListener('change', layout);

  var savedOverflow = '';

  function open() {
    // The form is loaded on first use only, and kept while the page lives so
    // that closing the dialog by mistake does not lose what was typed.
    if (!frame.getAttribute('src')) frame.src = ORIGIN + '/embed/report.html' + QUERY;
    savedOverflow = document.documentElement.style.overflow;
    document.documentElement.style.overflow = 'hidden';
    dialog.showModal();
    closeBtn.focus();
  }

  button.addEventListener('click', open);
  closeBtn.addEventListener('click', function () { dialog.close(); });
  // A click on the dark area around the panel closes too.
  dialog.addEventListener('click', function (e) { if (e.target === dialog) dialog.close(); });
  // Every way of closing (Escape, button, message, backdrop) ends here.
  dialog.addEventListener('close', function () {
    document.documentElement.style.overflow = savedOverflow;
    button.focus();
  });

  // Escape pressed inside the cross-origin frame never reaches this page, so
  // the frame asks to be closed. Only that message, only from that frame.
  window.addEventListener('message', function (e) {
    if (e.origin !== ORIGIN || e.source !== frame.contentWindow) return;
    if (e.data && e.data.krasip === 'close' && dialog.open) dialog.close();
  });

  function place() {
    if (POSITION === 'inline' && script.parentNode) {
      script.parentNode.insertBefore(button, script.nextSibling);
    } else {
      document.body.append(button);
    }
    if (dialog && !dialog.isConnected) document.body.append(dialog);
  }

  // An async script in <head> may run before <body> exists.
  function whenReady(fn) {
    if (document.body) fn();
    else document.addEventListener('DOMContentLoaded', fn);
  }

  whenReady(place);
})();
