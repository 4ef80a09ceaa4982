// The referral package's print button (a script file: the page's CSP
// allows no inline script).
const button = document.getElementById('print-package');
if (button) button.addEventListener('click', () => window.print());
