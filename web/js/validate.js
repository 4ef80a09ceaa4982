// Client-side checks of the complaint form. Pure functions, no DOM.

// Length as the reader counts it: Unicode code points.
export function charCount(s) {
  return Array.from(s || '').length;
}

// Thai digits (๐-๙) to ASCII digits.
export function asciiDigits(s) {
  return String(s || '').replace(/[\u0E50-\u0E59]/g, (d) => String(d.charCodeAt(0) - 0x0E50));
}

export function nationalIdDigits(s) {
  return asciiDigits(s).replace(/[\s-]/g, '');
}

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const PHONE = /^\+?[0-9\s\-()]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function todayInBangkok() {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Bangkok' }).format(new Date());
}

// values: {channel, channel_required:boolean, category, subject:{name,position,unit}, description, incident_date,
//          location, named:boolean, identity:{name,national_id,phone,email,address},
//          accept_terms:boolean}  (strings already trimmed)
// limits: {description_max, subject_field_max, location_max, identity_field_max}
// -> [{field, key, vars}] in form order; empty when all is well.
export function validateReport(v, limits = {}) {
  const out = [];
  const add = (field, key, vars) => out.push({ field, key, vars });
  const tooLong = (field, value, max) => {
    const n = charCount(value);
    if (max && n > max) { add(field, 'v.too_long', { max, n }); return true; }
    return false;
  };

  if (v.channel_required && !v.channel) add('channel', 'v.channel');
  if (!v.category) add('category', 'v.category');

  if (!v.subject.name) add('subject.name', 'v.required');
  else tooLong('subject.name', v.subject.name, limits.subject_field_max);
  tooLong('subject.position', v.subject.position, limits.subject_field_max);
  tooLong('subject.unit', v.subject.unit, limits.subject_field_max);

  if (!v.description) add('description', 'v.required');
  else tooLong('description', v.description, limits.description_max);

  if (v.incident_date) {
    const m = DATE.exec(v.incident_date);
    const d = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (!m || Number.isNaN(d.getTime()) || d.getUTCDate() !== +m[3]) add('incident_date', 'v.date');
    else if (v.incident_date > todayInBangkok()) add('incident_date', 'v.date_future');
  }
  tooLong('location', v.location, limits.location_max);

  if (v.named) {
    const id = v.identity;
    const max = limits.identity_field_max;
    if (!id.name) add('identity.name', 'v.identity_name');
    else tooLong('identity.name', id.name, max);
    if (id.national_id && !/^\d{13}$/.test(nationalIdDigits(id.national_id))) {
      add('identity.national_id', 'v.national_id');
    }
    if (id.phone) {
      const digits = asciiDigits(id.phone).replace(/\D/g, '');
      if (!PHONE.test(asciiDigits(id.phone)) || digits.length < 9 || digits.length > 15) add('identity.phone', 'v.phone');
      else tooLong('identity.phone', id.phone, max);
    }
    if (id.email) {
      if (!EMAIL.test(id.email)) add('identity.email', 'v.email');
      else tooLong('identity.email', id.email, max);
    }
    tooLong('identity.address', id.address, max);
  }

  if (!v.accept_terms) add('accept_terms', 'v.terms');
  return out;
}

// The JSON body of POST /api/v1/complaints.
export function buildPayload(v) {
  const body = {};
  if (v.channel) body.channel = v.channel;
  Object.assign(body, {
    category: v.category,
    subject: { name: v.subject.name, position: v.subject.position, unit: v.subject.unit },
    description: v.description,
  });
  if (v.incident_date) body.incident_date = v.incident_date;
  if (v.location) body.location = v.location;
  body.identity = null;
  if (v.named) {
    const id = {};
    for (const key of ['name', 'national_id', 'phone', 'email', 'address']) {
      let value = v.identity[key];
      if (key === 'national_id') value = nationalIdDigits(value);
      if (key === 'phone') value = asciiDigits(value);
      if (value) id[key] = value;
    }
    body.identity = id;
  }
  body.accept_terms = v.accept_terms === true;
  return body;
}
