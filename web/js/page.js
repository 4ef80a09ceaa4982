// Pages with no form of their own (index.html, 404.html): language only.
import { register, initI18n } from './i18n.js';
import common from './strings/common.js';
import home from './strings/home.js';

register(common);
register(home);
initI18n();
