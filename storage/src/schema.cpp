#include <array>

#include "krasip/storage/migrations.hpp"

namespace krasip::storage {

namespace {

// Version 1: agency, reader keys, accounts, cases and their envelopes.
// Nothing secret is ever stored in clear: complaint text, identities and
// messages live only in `envelopes` (ciphertext) with their data keys
// sealed per reader in `envelope_keys`; tracking codes only as keyed hashes.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE agency (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name_th TEXT NOT NULL,
  name_en TEXT NOT NULL,
  case_prefix TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE reader_keys (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('recovery', 'investigator', 'reporter')),
  public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
  created_at INTEGER NOT NULL,
  retired_at INTEGER
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  is_custodian INTEGER NOT NULL DEFAULT 0 CHECK (is_custodian IN (0, 1)),
  is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
  key_id INTEGER NOT NULL UNIQUE REFERENCES reader_keys(id),
  wrap_salt BLOB NOT NULL,
  wrap_nonce BLOB NOT NULL,
  wrapped_secret BLOB NOT NULL,
  pwhash_ops INTEGER NOT NULL,
  pwhash_mem INTEGER NOT NULL,
  totp_nonce BLOB,
  totp_sealed BLOB,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER
);

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  uid BLOB NOT NULL UNIQUE CHECK (length(uid) = 16),
  case_number TEXT NOT NULL UNIQUE,
  fiscal_year INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  code_hash BLOB NOT NULL UNIQUE CHECK (length(code_hash) = 32),
  reporter_salt BLOB NOT NULL,
  reporter_key_id INTEGER NOT NULL REFERENCES reader_keys(id),
  category TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('received', 'acknowledged', 'investigating',
    'substantiated', 'unsubstantiated', 'referred', 'rejected', 'closed')),
  priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  assignee_id INTEGER REFERENCES users(id),
  has_identity INTEGER NOT NULL CHECK (has_identity IN (0, 1)),
  received_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (fiscal_year, seq)
);
CREATE INDEX cases_newest ON cases (received_at DESC, id DESC);
CREATE INDEX cases_by_year ON cases (fiscal_year, category, status);

CREATE TABLE envelopes (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  field TEXT NOT NULL,
  nonce BLOB NOT NULL,
  ciphertext BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (case_id, field)
);

CREATE TABLE envelope_keys (
  envelope_id INTEGER NOT NULL REFERENCES envelopes(id),
  reader_key_id INTEGER NOT NULL REFERENCES reader_keys(id),
  sealed_key BLOB NOT NULL,
  PRIMARY KEY (envelope_id, reader_key_id)
) WITHOUT ROWID;

CREATE TABLE case_events (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  status TEXT,
  visible_to_reporter INTEGER NOT NULL CHECK (visible_to_reporter IN (0, 1))
);
CREATE INDEX case_events_by_case ON case_events (case_id, at);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  at INTEGER NOT NULL,
  author TEXT NOT NULL CHECK (author IN ('reporter', 'investigator')),
  author_user_id INTEGER REFERENCES users(id),
  envelope_id INTEGER NOT NULL UNIQUE REFERENCES envelopes(id)
);
CREATE INDEX messages_by_case ON messages (case_id, at);

-- One row rewritten by GET /healthz to prove the database takes writes.
CREATE TABLE service_health (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  checked_at INTEGER NOT NULL
);
)sql";

// Version 2: investigator side. Deadlines, exclusion of investigators named
// in a case, internal notes, and the append-only hash-chained audit log
// (triggers refuse UPDATE and DELETE; the chain catches edits made by
// someone who drops the triggers).
constexpr std::string_view kV2 = R"sql(
ALTER TABLE cases ADD COLUMN acknowledged_at INTEGER;
ALTER TABLE cases ADD COLUMN first_reply_at INTEGER;
ALTER TABLE cases ADD COLUMN outcome_at INTEGER;
CREATE INDEX cases_by_status ON cases (status, received_at DESC);
CREATE INDEX cases_by_assignee ON cases (assignee_id, received_at DESC);
CREATE INDEX envelope_keys_by_reader ON envelope_keys (reader_key_id, envelope_id);
CREATE INDEX envelopes_by_field ON envelopes (field, case_id);

ALTER TABLE case_events ADD COLUMN actor_user_id INTEGER REFERENCES users(id);
ALTER TABLE case_events ADD COLUMN detail TEXT;

-- Counts per fiscal year, Bangkok month, category and status, kept current
-- by the writer: statistics stay O(groups) however many cases there are.
CREATE TABLE case_counts (
  fiscal_year INTEGER NOT NULL,
  month INTEGER NOT NULL,
  category TEXT NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (fiscal_year, month, category, status)
) WITHOUT ROWID;
INSERT INTO case_counts (fiscal_year, month, category, status, n)
  SELECT fiscal_year, CAST(strftime('%m', received_at + 25200, 'unixepoch') AS INTEGER),
         category, status, COUNT(*)
  FROM cases GROUP BY 1, 2, 3, 4;

ALTER TABLE users ADD COLUMN totp_last_counter INTEGER NOT NULL DEFAULT 0;

CREATE TABLE case_exclusions (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  reason TEXT NOT NULL,
  excluded_by INTEGER REFERENCES users(id),
  at INTEGER NOT NULL,
  PRIMARY KEY (case_id, user_id)
) WITHOUT ROWID;
CREATE INDEX case_exclusions_by_user ON case_exclusions (user_id, case_id);

CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  at INTEGER NOT NULL,
  author_user_id INTEGER NOT NULL REFERENCES users(id),
  envelope_id INTEGER NOT NULL UNIQUE REFERENCES envelopes(id)
);
CREATE INDEX notes_by_case ON notes (case_id, at);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_user_id INTEGER,
  action TEXT NOT NULL,
  case_id INTEGER,
  detail TEXT NOT NULL,
  prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL
);
CREATE INDEX audit_by_case ON audit_log (case_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql";

// Version 3 (issue 4): evidence files. The file itself is ciphertext under
// DATA_DIR/attachments/<file_name>; its name, type and size are encrypted
// in the envelope `attachment:<uid hex>` (data key sealed per reader as for
// every envelope). Only the plaintext size is kept in clear, for the per-case
// quota; the ciphertext file reveals it anyway. Version 2 is issue 3's.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  uid BLOB NOT NULL UNIQUE CHECK (length(uid) = 16),
  at INTEGER NOT NULL,
  author TEXT NOT NULL CHECK (author IN ('reporter', 'investigator')),
  author_user_id INTEGER REFERENCES users(id),
  envelope_id INTEGER NOT NULL UNIQUE REFERENCES envelopes(id),
  file_name TEXT NOT NULL UNIQUE,
  size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0)
);
CREATE INDEX attachments_by_case ON attachments (case_id, at);
CREATE INDEX messages_by_case_author ON messages (case_id, author, at);
)sql";

// Version 4 (issue 6): every case adds a reporter row to reader_keys, so
// the investigators' key directory must not be found by scanning it. A
// version number kept by triggers tells the directory when to reload (read
// on every complaint, O(1)), and an index on kind finds the few
// investigator and recovery keys when it does.
constexpr std::string_view kV4 = R"sql(
CREATE INDEX reader_keys_by_kind ON reader_keys (kind, id);
CREATE TABLE reader_directory_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO reader_directory_version (id, version) VALUES (1, 1);
CREATE TRIGGER reader_keys_added AFTER INSERT ON reader_keys WHEN NEW.kind != 'reporter'
BEGIN UPDATE reader_directory_version SET version = version + 1; END;
CREATE TRIGGER reader_keys_changed AFTER UPDATE ON reader_keys WHEN NEW.kind != 'reporter'
BEGIN UPDATE reader_directory_version SET version = version + 1; END;
CREATE TRIGGER reader_keys_removed AFTER DELETE ON reader_keys WHEN OLD.kind != 'reporter'
BEGIN UPDATE reader_directory_version SET version = version + 1; END;
CREATE TRIGGER users_added AFTER INSERT ON users
BEGIN UPDATE reader_directory_version SET version = version + 1; END;
CREATE TRIGGER users_changed AFTER UPDATE OF key_id, is_custodian, disabled_at ON users
BEGIN UPDATE reader_directory_version SET version = version + 1; END;
CREATE TRIGGER users_removed AFTER DELETE ON users
BEGIN UPDATE reader_directory_version SET version = version + 1; END;
)sql";

// Version 5 (issue 9): what a copy of the database no longer tells.
// Reporter-side times are kept to the Bangkok day (00:00 at UTC+7): a case
// received, the reporter's messages and files, the envelopes and reporter
// key written for them. Times to the second, joined with the host page's
// web server log, would name the reporter. Existing values are truncated
// here; the fiscal year and month of case_counts do not change with it.
// Exclusion reasons, event details and audit details that name people are
// sealed to the case's readers in envelopes referenced from the new
// columns; existing plaintext needs keys to seal, so it is sealed once at
// start-up (cases::seal_plaintext_details), not here. Existing audit
// details stay as written: the hash chain covers them (docs/security.md).
constexpr std::string_view kV5 = R"sql(
ALTER TABLE case_exclusions ADD COLUMN reason_envelope_id INTEGER REFERENCES envelopes(id);
ALTER TABLE case_events ADD COLUMN detail_envelope_id INTEGER REFERENCES envelopes(id);
ALTER TABLE audit_log ADD COLUMN detail_envelope_id INTEGER REFERENCES envelopes(id);

UPDATE envelopes SET created_at = created_at - ((created_at + 25200) % 86400)
  WHERE field IN ('complaint', 'identity')
     OR id IN (SELECT envelope_id FROM messages WHERE author = 'reporter')
     OR id IN (SELECT envelope_id FROM attachments WHERE author = 'reporter');
UPDATE messages SET at = at - ((at + 25200) % 86400) WHERE author = 'reporter';
UPDATE attachments SET at = at - ((at + 25200) % 86400) WHERE author = 'reporter';
UPDATE reader_keys SET created_at = created_at - ((created_at + 25200) % 86400)
  WHERE kind = 'reporter';
UPDATE case_events SET at = at - ((at + 25200) % 86400)
  WHERE kind = 'status' AND status = 'received';
-- updated_at equal to received_at: nobody has changed the case yet.
UPDATE cases SET
  updated_at = CASE WHEN updated_at = received_at
                    THEN received_at - ((received_at + 25200) % 86400) ELSE updated_at END,
  received_at = received_at - ((received_at + 25200) % 86400);
)sql";

// Version 6 (issue 10): channels. A complaint is filed in one channel and
// sealed only to its recipients (and the reporter and recovery key), its
// identity only to its custodians (and the recovery key). Existing data
// goes into one channel 'default' whose recipients are the accounts active
// now and whose custodians are today's custodians; every case joins it and
// keeps the keys (so the readers) it has. Counts per channel let an
// investigator's statistics cover only the channels they receive, still
// O(groups). Channel changes bump the reader directory's version.
constexpr std::string_view kV6 = R"sql(
CREATE TABLE channels (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name_th TEXT NOT NULL,
  name_en TEXT NOT NULL,
  description_th TEXT NOT NULL DEFAULT '',
  description_en TEXT NOT NULL DEFAULT '',
  readers_th TEXT NOT NULL DEFAULT '',
  readers_en TEXT NOT NULL DEFAULT '',
  identity_readers_th TEXT NOT NULL DEFAULT '',
  identity_readers_en TEXT NOT NULL DEFAULT '',
  identity_two_person INTEGER NOT NULL DEFAULT 0 CHECK (identity_two_person IN (0, 1)),
  position INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE channel_members (
  channel_id INTEGER NOT NULL REFERENCES channels(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (role IN ('recipient', 'custodian')),
  PRIMARY KEY (channel_id, role, user_id)
) WITHOUT ROWID;
CREATE INDEX channel_members_by_user ON channel_members (user_id, role, channel_id);

ALTER TABLE cases ADD COLUMN channel_id INTEGER REFERENCES channels(id);
CREATE INDEX cases_by_channel ON cases (channel_id, id);

CREATE TABLE channel_counts (
  channel_id INTEGER NOT NULL,
  fiscal_year INTEGER NOT NULL,
  month INTEGER NOT NULL,
  category TEXT NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (fiscal_year, channel_id, month, category, status)
) WITHOUT ROWID;

INSERT INTO channels (id, slug, name_th, name_en, description_th, description_en, readers_th,
  readers_en, identity_readers_th, identity_readers_en, created_at, updated_at)
VALUES (1, 'default', 'ช่องทางรับเรื่องร้องเรียน', 'Complaints',
  'ช่องทางเดียวของหน่วยงาน', 'The agency''s one channel',
  'เจ้าหน้าที่ผู้รับเรื่องร้องเรียนของหน่วยงาน', 'The agency''s complaint handling officers',
  'ผู้ดูแลข้อมูลผู้ร้องที่หน่วยงานแต่งตั้ง', 'The identity custodians the agency designated',
  CAST(strftime('%s', 'now') AS INTEGER), CAST(strftime('%s', 'now') AS INTEGER));
INSERT INTO channel_members (channel_id, user_id, role)
  SELECT 1, id, 'recipient' FROM users WHERE disabled_at IS NULL;
INSERT INTO channel_members (channel_id, user_id, role)
  SELECT 1, id, 'custodian' FROM users WHERE disabled_at IS NULL AND is_custodian = 1;
UPDATE cases SET channel_id = 1;
INSERT INTO channel_counts (channel_id, fiscal_year, month, category, status, n)
  SELECT 1, fiscal_year, CAST(strftime('%m', received_at + 25200, 'unixepoch') AS INTEGER),
         category, status, COUNT(*)
  FROM cases GROUP BY 2, 3, 4, 5;

CREATE TRIGGER channels_added AFTER INSERT ON channels
BEGIN UPDATE reader_directory_version SET version = version + 1; END;
CREATE TRIGGER channels_changed AFTER UPDATE ON channels
BEGIN UPDATE reader_directory_version SET version = version + 1; END;
CREATE TRIGGER channel_members_added AFTER INSERT ON channel_members
BEGIN UPDATE reader_directory_version SET version = version + 1; END;
CREATE TRIGGER channel_members_removed AFTER DELETE ON channel_members
BEGIN UPDATE reader_directory_version SET version = version + 1; END;
)sql";

// Version 7 (issue 10, item 5): no one buries a case alone. Excluding a
// custodian or an administrator waits for a second custodian's approval:
// the request is kept here (its reason sealed like an exclusion's) and
// takes effect only when approved; until then the person keeps access.
// A lifted exclusion is deleted from case_exclusions (the event and the
// audit log keep the story), so every "not excluded" query stays as it is.
constexpr std::string_view kV7 = R"sql(
CREATE TABLE exclusion_requests (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  requested_by INTEGER NOT NULL REFERENCES users(id),
  reason_envelope_id INTEGER NOT NULL REFERENCES envelopes(id),
  at INTEGER NOT NULL,
  PRIMARY KEY (case_id, user_id)
) WITHOUT ROWID;
ALTER TABLE case_exclusions ADD COLUMN approved_by INTEGER REFERENCES users(id);
)sql";

// Version 8 (issue 10, item 4): the reporter moved the case to another
// channel and chose not to let its custodians see who they are. No grant,
// a colleague's or the recovery key's, then gives anyone the identity: only
// the recovery key keeps it, until the reporter moves it themselves.
constexpr std::string_view kV8 = R"sql(
ALTER TABLE cases ADD COLUMN identity_withheld INTEGER NOT NULL DEFAULT 0
  CHECK (identity_withheld IN (0, 1));
)sql";

// Version 9 (issue 10, item 5): two people where one could bury or expose.
// - identity_requests: in a channel with identity_two_person, a reader asks
//   for a case's identity (reason sealed to the case's readers) and a second
//   custodian approves or refuses. Approving seals the identity envelope's
//   data key to the asker's key here (sealed_key, key_id), not among the
//   envelope's keys: it opens the identity once (state 'viewed' then clears
//   it), is never passed on by a grant, and an exclusion or leaving the
//   channel revokes it.
// - pending_outcomes: in a channel with outcome_needs_confirmation, a
//   rejection or an "unsubstantiated" waits for a second recipient; its
//   message to the reporter is sealed meanwhile to the case's investigator
//   readers only, and sent to the reporter on confirmation.
constexpr std::string_view kV9 = R"sql(
ALTER TABLE channels ADD COLUMN outcome_needs_confirmation INTEGER NOT NULL DEFAULT 0
  CHECK (outcome_needs_confirmation IN (0, 1));
CREATE TABLE identity_requests (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  requested_by INTEGER NOT NULL REFERENCES users(id),
  reason_envelope_id INTEGER NOT NULL REFERENCES envelopes(id),
  at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'approved', 'refused', 'viewed', 'revoked')),
  decided_by INTEGER REFERENCES users(id),
  decided_at INTEGER,
  refusal_envelope_id INTEGER REFERENCES envelopes(id),
  key_id INTEGER REFERENCES reader_keys(id),
  sealed_key BLOB,
  viewed_at INTEGER
);
CREATE INDEX identity_requests_by_case ON identity_requests (case_id, id);
CREATE TABLE pending_outcomes (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id),
  status TEXT NOT NULL,
  proposed_by INTEGER NOT NULL REFERENCES users(id),
  message_envelope_id INTEGER NOT NULL REFERENCES envelopes(id),
  at INTEGER NOT NULL
);
)sql";

// Version 10 (issue 11): many agencies on one deployment. The singleton
// `agency` becomes row 1 of `agencies` (its slug from the case prefix when
// that makes a valid one, else 'agency-1'); a database never initialised
// gets a placeholder row 1 that `init` fills in, so the default channel of
// version 6 always belongs to an agency. Every existing row is agency 1.
// - cases count per agency and fiscal year (agency_seq, the number shown);
//   `seq` stays globally increasing so UNIQUE (fiscal_year, seq) holds.
// - audit_log: one hash chain per agency (prev_hash is the previous entry
//   of that agency); existing entries are agency 1's and still verify.
// - reader_keys: a recovery key belongs to an agency (NULL for the others).
// - channels: slugs are unique within an agency (every agency has its
//   'default'), which needs a rebuild of the table: run with foreign keys
//   off, checked before commit (Migration::foreign_keys_off).
// - case_counts gains agency_id in its key (a copy, not a recount).
//   channel_counts needs none: a channel belongs to one agency.
constexpr std::string_view kV10 = R"sql(
CREATE TABLE agencies (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 2 AND 40 AND slug NOT GLOB '*[^a-z0-9-]*'),
  name_th TEXT NOT NULL,
  name_en TEXT NOT NULL,
  case_prefix TEXT NOT NULL UNIQUE,
  parent_id INTEGER REFERENCES agencies(id),
  origins TEXT NOT NULL DEFAULT '',
  logo BLOB CHECK (logo IS NULL OR length(logo) <= 65536),
  logo_type TEXT,
  ack_days INTEGER,
  reply_days INTEGER,
  outcome_days INTEGER,
  categories TEXT,
  disabled_at INTEGER,
  created_at INTEGER NOT NULL,
  CHECK (parent_id IS NULL OR parent_id != id)
);
CREATE INDEX agencies_by_parent ON agencies (parent_id, id);
INSERT INTO agencies (id, slug, name_th, name_en, case_prefix, created_at)
  SELECT 1,
         CASE WHEN length(case_prefix) BETWEEN 2 AND 40
                   AND lower(case_prefix) NOT GLOB '*[^a-z0-9-]*'
              THEN lower(case_prefix) ELSE 'agency-1' END,
         name_th, name_en, case_prefix, created_at
  FROM agency WHERE id = 1;
INSERT INTO agencies (id, slug, name_th, name_en, case_prefix, created_at)
  SELECT 1, 'agency-1', '', '', 'C', CAST(strftime('%s', 'now') AS INTEGER)
  WHERE NOT EXISTS (SELECT 1 FROM agencies WHERE id = 1);
DROP TABLE agency;

ALTER TABLE users ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1 REFERENCES agencies(id);
CREATE INDEX users_by_agency ON users (agency_id, id);

ALTER TABLE reader_keys ADD COLUMN agency_id INTEGER REFERENCES agencies(id);
UPDATE reader_keys SET agency_id = 1 WHERE kind = 'recovery';
CREATE INDEX reader_keys_recovery_by_agency ON reader_keys (agency_id, id) WHERE kind = 'recovery';

ALTER TABLE cases ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1 REFERENCES agencies(id);
ALTER TABLE cases ADD COLUMN agency_seq INTEGER;
UPDATE cases SET agency_seq = seq;
CREATE UNIQUE INDEX cases_agency_number ON cases (agency_id, fiscal_year, agency_seq);
CREATE INDEX cases_agency_newest ON cases (agency_id, received_at DESC, id DESC);

ALTER TABLE audit_log ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1 REFERENCES agencies(id);
CREATE INDEX audit_by_agency ON audit_log (agency_id, id);

CREATE TABLE channels_new (
  id INTEGER PRIMARY KEY,
  agency_id INTEGER NOT NULL DEFAULT 1 REFERENCES agencies(id),
  slug TEXT NOT NULL,
  name_th TEXT NOT NULL,
  name_en TEXT NOT NULL,
  description_th TEXT NOT NULL DEFAULT '',
  description_en TEXT NOT NULL DEFAULT '',
  readers_th TEXT NOT NULL DEFAULT '',
  readers_en TEXT NOT NULL DEFAULT '',
  identity_readers_th TEXT NOT NULL DEFAULT '',
  identity_readers_en TEXT NOT NULL DEFAULT '',
  identity_two_person INTEGER NOT NULL DEFAULT 0 CHECK (identity_two_person IN (0, 1)),
  position INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  outcome_needs_confirmation INTEGER NOT NULL DEFAULT 0
    CHECK (outcome_needs_confirmation IN (0, 1)),
  UNIQUE (agency_id, slug)
);
INSERT INTO channels_new (id, agency_id, slug, name_th, name_en, description_th, description_en,
  readers_th, readers_en, identity_readers_th, identity_readers_en, identity_two_person, position,
  created_at, updated_at, outcome_needs_confirmation)
  SELECT id, 1, slug, name_th, name_en, description_th, description_en, readers_th, readers_en,
         identity_readers_th, identity_readers_en, identity_two_person, position, created_at,
         updated_at, outcome_needs_confirmation
  FROM channels;
DROP TABLE channels;
ALTER TABLE channels_new RENAME TO channels;
CREATE TRIGGER channels_added AFTER INSERT ON channels
BEGIN UPDATE reader_directory_version SET version = version + 1; END;
CREATE TRIGGER channels_changed AFTER UPDATE ON channels
BEGIN UPDATE reader_directory_version SET version = version + 1; END;

CREATE TABLE case_counts_new (
  agency_id INTEGER NOT NULL,
  fiscal_year INTEGER NOT NULL,
  month INTEGER NOT NULL,
  category TEXT NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (agency_id, fiscal_year, month, category, status)
) WITHOUT ROWID;
INSERT INTO case_counts_new (agency_id, fiscal_year, month, category, status, n)
  SELECT 1, fiscal_year, month, category, status, n FROM case_counts;
DROP TABLE case_counts;
ALTER TABLE case_counts_new RENAME TO case_counts;
)sql";

// Version 11 (issue 12): e-mail alerts. Nothing here is about a case: a
// mail says only that there is something to look at (docs/security.md,
// "What a mail may say").
// - mail_settings: each agency's SMTP server; the password encrypted under
//   a key derived from the server pepper (not in the database).
// - alert_prefs: what each user wants and where; `email` is used only once
//   verified (the token kept as a keyed hash, with an expiry).
// - outbox: mails waiting or sent, written in the same transaction as the
//   event that causes them, so a restart loses none and no request waits on
//   SMTP. Sent rows are kept a while for the health page, then deleted.
constexpr std::string_view kV11 = R"sql(
CREATE TABLE mail_settings (
  agency_id INTEGER PRIMARY KEY REFERENCES agencies(id),
  smtp_url TEXT NOT NULL,
  from_address TEXT NOT NULL,
  username TEXT NOT NULL DEFAULT '',
  password_nonce BLOB,
  password_sealed BLOB,
  require_tls INTEGER NOT NULL DEFAULT 0 CHECK (require_tls IN (0, 1)),
  updated_at INTEGER NOT NULL
);
CREATE TABLE alert_prefs (
  user_id INTEGER PRIMARY KEY REFERENCES users(id),
  email TEXT,
  email_verified INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1)),
  verify_hash BLOB,
  verify_expires_at INTEGER,
  new_case INTEGER NOT NULL DEFAULT 1 CHECK (new_case IN (0, 1)),
  reporter_activity INTEGER NOT NULL DEFAULT 1 CHECK (reporter_activity IN (0, 1)),
  deadline_digest INTEGER NOT NULL DEFAULT 1 CHECK (deadline_digest IN (0, 1)),
  digest_day INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  user_id INTEGER REFERENCES users(id),
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
)sql";

// Version 12 (issue 13, item 6): retention. Each channel keeps a closed
// case for retention_days (default 1826, five years) after its last move
// into a final status; `krasipd purge` then destroys what made it a case
// (data keys, envelopes, messages, notes, files, the reporter's salt and
// key) and keeps the `cases` row as its tombstone: number, agency, channel,
// fiscal year, category, dates, outcome, and code_hash, so the reporter's
// code still answers "closed and deleted on <purged_at>". The row staying
// keeps numbers and ids from being handed out again (audit entries name
// case ids) and the counts of earlier years as they were. Self-contained:
// needs nothing of version 11.
constexpr std::string_view kV12 = R"sql(
ALTER TABLE channels ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 1826
  CHECK (retention_days BETWEEN 0 AND 36525);
ALTER TABLE cases ADD COLUMN closed_at INTEGER;
ALTER TABLE cases ADD COLUMN purged_at INTEGER;
CREATE INDEX cases_unpurged_by_status ON cases (status, id) WHERE purged_at IS NULL;
)sql";

// Version 13 (issue 11): an agency's own category list travels with its
// reader directory (checked on every complaint without another read), so
// `krasipd agency edit --categories` bumps the directory's version like a
// channel change does and takes effect at the next complaint.
//
// Also: every start looks for event details from before schema 5 still in
// plaintext (cases::seal_plaintext_details). Without an index that read
// every case_events row, three per case, so start-up grew with the cases
// stored (the agencies bench, README); this partial index is empty once
// they are sealed, and the look-up costs nothing.
constexpr std::string_view kV13 = R"sql(
CREATE TRIGGER agencies_categories_changed AFTER UPDATE OF categories ON agencies
BEGIN UPDATE reader_directory_version SET version = version + 1; END;
CREATE INDEX case_events_plaintext ON case_events (id)
  WHERE detail_envelope_id IS NULL AND detail IS NOT NULL;
)sql";

// Version 15 (issue 13, item 2): the administrator's picture of the
// agency's web page that links to Krasip, shown in the ITA evidence pack.
// One per agency, replaced on upload; at most 2 MiB (the route checks it
// first, with a clearer answer). It shows a public page: not sealed.
constexpr std::string_view kV15 = R"sql(
CREATE TABLE agency_site_pictures (
  agency_id INTEGER PRIMARY KEY REFERENCES agencies(id),
  image BLOB NOT NULL CHECK (length(image) <= 2097152),
  mime TEXT NOT NULL CHECK (mime IN ('image/png', 'image/jpeg')),
  page_url TEXT NOT NULL DEFAULT '',
  uploaded_at INTEGER NOT NULL,
  uploaded_by INTEGER REFERENCES users(id)
);
)sql";

// Version 16 (issue 13, items 3 and 4): complaints recorded by an
// investigator for a citizen at the counter, by phone, letter or e-mail,
// and referrals to another body.
// - cases.source: how the complaint came ('web' for every earlier case).
//   In clear: it is counted in the statistics and says nothing of who.
//   The registry number (เลขรับหนังสือ) of the paper trail is not here: it
//   leads to a letter that holds the name, so it is an envelope of the case
//   ('registry_number'), sealed to the complaint's investigator readers.
// - identity_requests.purpose: 'reveal' (seen once in the console) or
//   'referral' (put once into a referral package), approved alike by a
//   second custodian.
// The referral itself (body, its name, its reference) is a 'referral' case
// event whose detail is sealed to the case's readers and to the reporter.
constexpr std::string_view kV16 = R"sql(
ALTER TABLE cases ADD COLUMN source TEXT NOT NULL DEFAULT 'web'
  CHECK (source IN ('web', 'counter', 'phone', 'letter', 'email'));
CREATE INDEX cases_source_by_agency ON cases (agency_id, fiscal_year, source);
CREATE INDEX cases_source_by_channel ON cases (channel_id, fiscal_year, source);
ALTER TABLE identity_requests ADD COLUMN purpose TEXT NOT NULL DEFAULT 'reveal'
  CHECK (purpose IN ('reveal', 'referral'));
)sql";

// Version 17 (issue 11, measured with 8,000 agencies and 1,000,000 cases):
// the two agency-first indexes carry the columns their queries read, so
// one agency's rows are read from the index alone instead of one table
// page per case. In a shared database an agency's cases lie scattered
// among every other agency's rows; without this the published fiscal-year
// figures cost 6.7x their one-agency time, and with it the same.
// - cases_agency_year replaces cases_source_by_agency: the published
//   statistics (sources, and the four times behind the medians and the
//   in-time shares) for one agency and year.
// - cases_agency_newest gains what the overdue filter and the channel
//   check read, so a case list walks past cases that are not overdue
//   without opening them.
constexpr std::string_view kV17 = R"sql(
DROP INDEX cases_source_by_agency;
CREATE INDEX cases_agency_year ON cases
  (agency_id, fiscal_year, source, received_at, acknowledged_at, first_reply_at, outcome_at);
DROP INDEX cases_agency_newest;
CREATE INDEX cases_agency_newest ON cases
  (agency_id, received_at DESC, id DESC, status, first_reply_at, channel_id);
)sql";

// Version 18 (issue 20): no one governs their own oversight. What an
// administrator changes about who reads, what is kept or where alerts go is
// a proposal that a second person approves (or that waits in public), and
// nothing a change of membership takes away is destroyed at once.
// - channel_members.since / proposed_by: when a reader's membership began
//   and who proposed it: a case received before then reaches them only
//   through a custodian who is neither of them (case by case).
// - users.roles_at: when a role was last given; with the key's age, an
//   account new to its powers does not count as the "second person".
// - cases.retention_days: the channel's retention when the case reached its
//   final status (a lowered retention applies only to cases closed after
//   it); purge_notice_at: when its readers were told of the coming purge.
// - deployment_settings: the retention floor no channel goes below.
// - proposals: pending and decided changes; change_log: what each agency
//   publishes of them, a public hash chain (append-only, like the audit log).
// - channel_departures / suspended_keys: a removed reader's keys, kept
//   unusable for the grace period so the approvers can restore them.
// - enrolments: one-time links with which an account's owner sets their own
//   password and TOTP (the administrator never sees either).
constexpr std::string_view kV18 = R"sql(
ALTER TABLE channel_members ADD COLUMN since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channel_members ADD COLUMN proposed_by INTEGER REFERENCES users(id);
ALTER TABLE users ADD COLUMN roles_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN retention_days INTEGER;
ALTER TABLE cases ADD COLUMN purge_notice_at INTEGER;
UPDATE cases SET retention_days = COALESCE(
    (SELECT ch.retention_days FROM channels ch WHERE ch.id = cases.channel_id), 1826)
  WHERE status IN ('substantiated', 'unsubstantiated', 'referred', 'rejected', 'closed');

CREATE TABLE deployment_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  retention_floor_days INTEGER NOT NULL DEFAULT 1825 CHECK (retention_floor_days BETWEEN 0 AND 36525)
);
INSERT INTO deployment_settings (id) VALUES (1);

CREATE TABLE proposals (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  channel_id INTEGER REFERENCES channels(id),
  subject_user_id INTEGER REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('channel.add', 'channel.edit', 'user.disable', 'user.reset',
    'mail.settings')),
  change TEXT NOT NULL,
  secret_nonce BLOB,
  secret_sealed BLOB,
  proposed_by INTEGER REFERENCES users(id),
  proposed_at INTEGER NOT NULL,
  approvers TEXT NOT NULL CHECK (approvers IN ('parent', 'agency')),
  wait INTEGER NOT NULL CHECK (wait IN (0, 1)),
  deadline INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'applied', 'refused', 'vetoed',
    'withdrawn', 'lapsed', 'failed')),
  decided_by INTEGER REFERENCES users(id),
  decided_at INTEGER,
  outcome TEXT
);
CREATE INDEX proposals_pending ON proposals (deadline, id) WHERE state = 'pending';
CREATE INDEX proposals_by_agency ON proposals (agency_id, id);

CREATE TABLE change_log (
  id INTEGER PRIMARY KEY,
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  seq INTEGER NOT NULL,
  day INTEGER NOT NULL,
  channel_id INTEGER REFERENCES channels(id),
  proposal_id INTEGER REFERENCES proposals(id),
  event TEXT NOT NULL,
  readers_changed INTEGER NOT NULL DEFAULT 0 CHECK (readers_changed IN (0, 1)),
  entry TEXT NOT NULL,
  prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
  hash BLOB NOT NULL CHECK (length(hash) = 32),
  UNIQUE (agency_id, seq)
);
CREATE INDEX change_log_by_channel ON change_log (channel_id, day) WHERE readers_changed = 1;
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;

CREATE TABLE channel_departures (
  id INTEGER PRIMARY KEY,
  channel_id INTEGER NOT NULL REFERENCES channels(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (role IN ('recipient', 'custodian')),
  left_at INTEGER NOT NULL,
  proposal_id INTEGER REFERENCES proposals(id),
  state TEXT NOT NULL DEFAULT 'suspended' CHECK (state IN ('suspended', 'restored', 'expired'))
);
CREATE INDEX channel_departures_suspended ON channel_departures (left_at, id) WHERE state = 'suspended';
CREATE TABLE suspended_keys (
  departure_id INTEGER NOT NULL REFERENCES channel_departures(id),
  envelope_id INTEGER NOT NULL REFERENCES envelopes(id),
  reader_key_id INTEGER NOT NULL REFERENCES reader_keys(id),
  sealed_key BLOB NOT NULL,
  PRIMARY KEY (departure_id, envelope_id)
) WITHOUT ROWID;
CREATE INDEX suspended_keys_by_envelope ON suspended_keys (envelope_id);

CREATE TABLE enrolments (
  id INTEGER PRIMARY KEY,
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  user_id INTEGER REFERENCES users(id),
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  custodian INTEGER NOT NULL DEFAULT 0 CHECK (custodian IN (0, 1)),
  admin INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1)),
  token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX enrolments_open ON enrolments (username) WHERE used_at IS NULL;
)sql";

// Version 19 (issue 22): web complaints filed while the service judges
// itself flooded are one batch per agency and day, so that investigators
// get one alert and one flagged row for a flood, not hundreds. A batch
// holds what its cases already hold (their agency and received day) and a
// random name for the console's link: no finer time, no count, nothing of
// a reporter. flood_batch_alerts: the readers told of a batch, so that
// each is told once however many cases it holds. The partial index keeps
// the batch rows of the case list to the batched cases of one agency.
constexpr std::string_view kV19 = R"sql(
CREATE TABLE flood_batches (
  id INTEGER PRIMARY KEY,
  uid BLOB NOT NULL UNIQUE CHECK (length(uid) = 16),
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  day INTEGER NOT NULL,
  UNIQUE (agency_id, day)
);
ALTER TABLE cases ADD COLUMN flood_batch_id INTEGER REFERENCES flood_batches(id);
CREATE INDEX cases_flood_batch ON cases (agency_id, flood_batch_id) WHERE flood_batch_id IS NOT NULL;
CREATE TABLE flood_batch_alerts (
  batch_id INTEGER NOT NULL REFERENCES flood_batches(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (batch_id, user_id)
) WITHOUT ROWID;
)sql";

// Version 20 (issue 20, items 7 and 9): the counter's copy of the code is
// harmless, and nothing counts what one cannot read. Self-contained: needs
// no table of versions 18 or 19.
// - escalation_requests / escalation_plan_keys: a reporter's move out of an
//   oversight channel (a reader from an agency above) waits for a recipient
//   of that channel. The sealing is done at the request, while the tracking
//   code is there; the new readers' keys wait here, applied by a
//   confirmation or deleted by a decline or a lapse (expires_at, 30 days).
//   The request's detail (channels, reason) is sealed to the case's
//   readers at the request, the recovery key and the reporter. One pending
//   request per case.
// - Case numbers run per channel and fiscal year. Each channel gets a
//   neutral code in creation order: '' for the agency's first channel
//   ('default' if it has one, else the lowest position), which keeps
//   PREFIX-YEAR-NNNNN, then B, C, D, ... (AA after Z). Existing cases keep
//   their numbers: they count as numbered in the first channel (their
//   format), with channel_seq = agency_seq, so that channel continues after
//   them and every other channel starts at 1. seq and agency_seq stay as
//   they were (unique per year and per agency and year).
// - cases_channel_year covers an investigator's statistics (counted from
//   the complaint keys they hold, case by case), and replaces
//   cases_source_by_channel, whose columns it starts with.
constexpr std::string_view kV20 = R"sql(
CREATE TABLE escalation_requests (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  from_channel_id INTEGER NOT NULL REFERENCES channels(id),
  to_channel_id INTEGER NOT NULL REFERENCES channels(id),
  move_identity INTEGER NOT NULL CHECK (move_identity IN (0, 1)),
  identity TEXT NOT NULL CHECK (identity IN ('none', 'moved', 'not_moved', 'not_movable')),
  detail_envelope_id INTEGER NOT NULL REFERENCES envelopes(id),
  requested_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'confirmed', 'declined', 'lapsed')),
  decided_by INTEGER REFERENCES users(id),
  decided_at INTEGER
);
CREATE UNIQUE INDEX escalation_requests_pending ON escalation_requests (case_id) WHERE state = 'pending';
CREATE INDEX escalation_requests_by_case ON escalation_requests (case_id, id);
CREATE TABLE escalation_plan_keys (
  request_id INTEGER NOT NULL REFERENCES escalation_requests(id),
  envelope_id INTEGER NOT NULL REFERENCES envelopes(id),
  reader_key_id INTEGER NOT NULL REFERENCES reader_keys(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  sealed_key BLOB NOT NULL,
  PRIMARY KEY (request_id, envelope_id, reader_key_id)
) WITHOUT ROWID;

ALTER TABLE channels ADD COLUMN number_code TEXT;
WITH first AS (
  SELECT a.agency_id AS agency_id,
         COALESCE((SELECT d.id FROM channels d WHERE d.agency_id = a.agency_id AND d.slug = 'default'),
                  (SELECT p.id FROM channels p WHERE p.agency_id = a.agency_id
                   ORDER BY p.position, p.id LIMIT 1)) AS id
  FROM (SELECT DISTINCT agency_id FROM channels) a),
ranked AS (
  SELECT c.id AS id,
         ROW_NUMBER() OVER (PARTITION BY c.agency_id ORDER BY c.id = f.id DESC, c.created_at, c.id) AS n
  FROM channels c JOIN first f ON f.agency_id = c.agency_id)
UPDATE channels SET number_code = (
  SELECT CASE WHEN r.n = 1 THEN ''
              WHEN r.n <= 26 THEN char(64 + r.n)
              WHEN r.n <= 702 THEN char(64 + (r.n - 1) / 26) || char(65 + (r.n - 1) % 26)
              ELSE char(65 + (r.n - 703) / 676) || char(65 + ((r.n - 703) % 676) / 26)
                   || char(65 + (r.n - 703) % 26) END
  FROM ranked r WHERE r.id = channels.id);
CREATE UNIQUE INDEX channels_number_code ON channels (agency_id, number_code);

ALTER TABLE cases ADD COLUMN number_channel_id INTEGER REFERENCES channels(id);
ALTER TABLE cases ADD COLUMN channel_seq INTEGER;
UPDATE cases SET channel_seq = agency_seq,
  number_channel_id = (SELECT ch.id FROM channels ch
                       WHERE ch.agency_id = cases.agency_id AND ch.number_code = '');
CREATE UNIQUE INDEX cases_channel_number ON cases (number_channel_id, fiscal_year, channel_seq);

DROP INDEX cases_source_by_channel;
CREATE INDEX cases_channel_year ON cases (channel_id, fiscal_year, received_at, category, status, source);
)sql";

// Version 21 (issue 21, item 3): no order to read. Rows a reporter's action
// writes (cases, their envelopes and keys, events, messages, files, notes,
// audit entries) are given random ids from now on (the INSERTs name
// `random() & 0x3FFFFFFFFFFFFFFF`: 62 bits, so that the rows other tables
// still number max(id)+1 never run past 2^63 into SQLite's random fallback).
// What a case shows in order (its events, messages, files, notes) keeps its
// order in `ord`, counted within the case; audit entries are numbered per
// agency in `seq`, the number the API shows. Existing rows are renumbered
// where no audit hash covers the id: envelopes not named by an audit entry,
// reporters' keys, events, messages, files and notes. Cases and audit
// entries keep theirs, since the agency's published audit heads commit to
// them (docs/security.md, "Times").
constexpr std::string_view kV21 = R"sql(
ALTER TABLE case_events ADD COLUMN ord INTEGER;
ALTER TABLE messages ADD COLUMN ord INTEGER;
ALTER TABLE attachments ADD COLUMN ord INTEGER;
ALTER TABLE notes ADD COLUMN ord INTEGER;
UPDATE case_events SET ord = r.n FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY at, id) AS n
  FROM case_events) r WHERE r.id = case_events.id;
UPDATE messages SET ord = r.n FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY id) AS n
  FROM messages) r WHERE r.id = messages.id;
UPDATE attachments SET ord = r.n FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY id) AS n
  FROM attachments) r WHERE r.id = attachments.id;
UPDATE notes SET ord = r.n FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY at, id) AS n
  FROM notes) r WHERE r.id = notes.id;
CREATE UNIQUE INDEX case_events_order ON case_events (case_id, ord);
CREATE UNIQUE INDEX messages_order ON messages (case_id, ord);
CREATE UNIQUE INDEX attachments_order ON attachments (case_id, ord);
CREATE UNIQUE INDEX notes_order ON notes (case_id, ord);

ALTER TABLE audit_log ADD COLUMN seq INTEGER;
ALTER TABLE audit_log ADD COLUMN form INTEGER NOT NULL DEFAULT 1 CHECK (form IN (1, 2));
CREATE TEMP TABLE audit_seq AS
  SELECT id, ROW_NUMBER() OVER (PARTITION BY agency_id ORDER BY id) AS n FROM audit_log;
-- The log refuses UPDATE; numbering it is the one change the chain allows
-- (seq is not in the hash of an entry written before this version).
DROP TRIGGER audit_log_no_update;
UPDATE audit_log SET seq = s.n FROM audit_seq s WHERE s.id = audit_log.id;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
DROP TABLE audit_seq;
CREATE UNIQUE INDEX audit_by_agency_seq ON audit_log (agency_id, seq);

CREATE TEMP TABLE renumber (old INTEGER PRIMARY KEY, new INTEGER NOT NULL UNIQUE);
INSERT INTO renumber SELECT id, random() & 0x3FFFFFFFFFFFFFFF FROM envelopes
  WHERE id NOT IN (SELECT detail_envelope_id FROM audit_log WHERE detail_envelope_id IS NOT NULL);
UPDATE envelope_keys SET envelope_id = r.new FROM renumber r WHERE r.old = envelope_keys.envelope_id;
UPDATE messages SET envelope_id = r.new FROM renumber r WHERE r.old = messages.envelope_id;
UPDATE notes SET envelope_id = r.new FROM renumber r WHERE r.old = notes.envelope_id;
UPDATE attachments SET envelope_id = r.new FROM renumber r WHERE r.old = attachments.envelope_id;
UPDATE case_events SET detail_envelope_id = r.new FROM renumber r WHERE r.old = case_events.detail_envelope_id;
UPDATE case_exclusions SET reason_envelope_id = r.new FROM renumber r
  WHERE r.old = case_exclusions.reason_envelope_id;
UPDATE exclusion_requests SET reason_envelope_id = r.new FROM renumber r
  WHERE r.old = exclusion_requests.reason_envelope_id;
UPDATE identity_requests SET reason_envelope_id = r.new FROM renumber r
  WHERE r.old = identity_requests.reason_envelope_id;
UPDATE identity_requests SET refusal_envelope_id = r.new FROM renumber r
  WHERE r.old = identity_requests.refusal_envelope_id;
UPDATE pending_outcomes SET message_envelope_id = r.new FROM renumber r
  WHERE r.old = pending_outcomes.message_envelope_id;
UPDATE suspended_keys SET envelope_id = r.new FROM renumber r WHERE r.old = suspended_keys.envelope_id;
UPDATE escalation_requests SET detail_envelope_id = r.new FROM renumber r
  WHERE r.old = escalation_requests.detail_envelope_id;
UPDATE escalation_plan_keys SET envelope_id = r.new FROM renumber r
  WHERE r.old = escalation_plan_keys.envelope_id;
UPDATE envelopes SET id = r.new FROM renumber r WHERE r.old = envelopes.id;
DELETE FROM renumber;

INSERT INTO renumber SELECT id, random() & 0x3FFFFFFFFFFFFFFF FROM reader_keys WHERE kind = 'reporter';
UPDATE cases SET reporter_key_id = r.new FROM renumber r WHERE r.old = cases.reporter_key_id;
UPDATE envelope_keys SET reader_key_id = r.new FROM renumber r WHERE r.old = envelope_keys.reader_key_id;
UPDATE escalation_plan_keys SET reader_key_id = r.new FROM renumber r
  WHERE r.old = escalation_plan_keys.reader_key_id;
UPDATE identity_requests SET key_id = r.new FROM renumber r WHERE r.old = identity_requests.key_id;
UPDATE suspended_keys SET reader_key_id = r.new FROM renumber r WHERE r.old = suspended_keys.reader_key_id;
UPDATE reader_keys SET id = r.new FROM renumber r WHERE r.old = reader_keys.id;
DELETE FROM renumber;

INSERT INTO renumber SELECT id, random() & 0x3FFFFFFFFFFFFFFF FROM case_events;
UPDATE case_events SET id = r.new FROM renumber r WHERE r.old = case_events.id;
DELETE FROM renumber;
INSERT INTO renumber SELECT id, random() & 0x3FFFFFFFFFFFFFFF FROM messages;
UPDATE messages SET id = r.new FROM renumber r WHERE r.old = messages.id;
DELETE FROM renumber;
INSERT INTO renumber SELECT id, random() & 0x3FFFFFFFFFFFFFFF FROM attachments;
UPDATE attachments SET id = r.new FROM renumber r WHERE r.old = attachments.id;
DELETE FROM renumber;
INSERT INTO renumber SELECT id, random() & 0x3FFFFFFFFFFFFFFF FROM notes;
UPDATE notes SET id = r.new FROM renumber r WHERE r.old = notes.id;
DROP TABLE renumber;
)sql";

// Version 23 (issue 21, item 5): a purge leaves nothing that dates or names.
// - cases.code_dropped: a purged case's code_hash is replaced by random
//   bytes once the deployment's grace has passed since its purge (the daily
//   purge run does it), so the reporter's code then answers as a code never
//   issued. Random bytes rather than NULL keep code_hash NOT NULL UNIQUE
//   without rebuilding `cases` (32 random bytes match no code's hash); the
//   flag says the bytes are no hash, so the run does not redo them.
// - deployment_settings.purged_code_grace_days: how long a purged case's
//   code still answers "purged" (default 365; 30 to 3650, the host's own
//   setting, like the retention floor).
// Self-contained: needs no table of versions 21 or 22.
constexpr std::string_view kV23 = R"sql(
ALTER TABLE cases ADD COLUMN code_dropped INTEGER NOT NULL DEFAULT 0 CHECK (code_dropped IN (0, 1));
CREATE INDEX cases_codes_to_drop ON cases (purged_at) WHERE purged_at IS NOT NULL AND code_dropped = 0;
ALTER TABLE deployment_settings ADD COLUMN purged_code_grace_days INTEGER NOT NULL DEFAULT 365
  CHECK (purged_code_grace_days BETWEEN 30 AND 3650);
)sql";

// Version 24 (issue 21, item 2): alerts in batches.
// - outbox.batched: a mail that waits for its agency's next batch time (an
//   alert a reporter's action causes). Its created_at is the day only and
//   its id random (SQLite's random(), in the INSERT); next_attempt_at is the
//   batch time, and sent_at the batch it went out in.
// - mail_settings.batch_times: "HH:MM HH:MM", Bangkok time, working days;
//   NULL: 08:30 and 13:30.
constexpr std::string_view kV24 = R"sql(
ALTER TABLE outbox ADD COLUMN batched INTEGER NOT NULL DEFAULT 0 CHECK (batched IN (0, 1));
ALTER TABLE mail_settings ADD COLUMN batch_times TEXT;
)sql";

// Version 22 (issue 21, item 1): public statistics are a publication. Each
// agency's figures are computed once a day (at the first request or roll
// check after 00:00 Bangkok), for completed periods only, and served as
// stored until the next day: a poll around a filing sees nothing move.
// - agencies.stats_period: 'month' (the default: completed months) or
//   'week' (completed Monday–Sunday weeks, Bangkok).
// - public_stats_snapshots: the published body (JSON, as served) of one
//   agency, fiscal year and period, with the Bangkok date it was published
//   on; replaced by the next day's publication, never by a later one of the
//   same day.
constexpr std::string_view kV22 = R"sql(
ALTER TABLE agencies ADD COLUMN stats_period TEXT NOT NULL DEFAULT 'month'
  CHECK (stats_period IN ('month', 'week'));
CREATE TABLE public_stats_snapshots (
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  fiscal_year INTEGER NOT NULL,
  period TEXT NOT NULL CHECK (period IN ('month', 'week')),
  published_on TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (agency_id, fiscal_year, period)
) WITHOUT ROWID;
)sql";

constexpr std::array kMigrations{
    Migration{1, "cases, envelopes, readers", kV1},
    Migration{2, "investigators: deadlines, exclusions, notes, audit", kV2},
    Migration{3, "attachments", kV3},
    Migration{4, "reader directory without scans", kV4},
    Migration{5, "reporter times to the day, sealed details", kV5},
    Migration{6, "channels", kV6},
    Migration{7, "exclusion requests awaiting a second custodian", kV7},
    Migration{8, "identity withheld by the reporter on escalation", kV8},
    Migration{9, "two-person identity access and outcome confirmation", kV9},
    Migration{10, "agencies", kV10, true},
    Migration{11, "e-mail alerts: settings, preferences, outbox", kV11},
    Migration{12, "retention: tombstones of purged cases", kV12},
    Migration{13, "agency categories in the reader directory; plaintext details by index", kV13},
    Migration{15, "picture of the agency's complaint page", kV15},
    Migration{16, "counter complaints and referrals", kV16},
    Migration{17, "agency-first indexes that cover their queries", kV17},
    Migration{18, "governance of oversight: proposals, change log, suspended keys, enrolments", kV18},
    Migration{19, "complaints of a flood grouped as one batch", kV19},
    Migration{20, "escalations awaiting an oversight channel; case numbers per channel; key-based statistics", kV20},
    Migration{21, "ids that say nothing of when a row was written; per-case order; per-agency audit numbers", kV21, true},
    Migration{22, "public statistics published once a day, for completed periods", kV22},
    Migration{23, "purged cases: tracking-code hashes dropped after a grace", kV23},
    Migration{24, "alerts in batches at the agency's times", kV24},
};

}  // namespace

std::span<const Migration> krasip_migrations() { return kMigrations; }

}  // namespace krasip::storage
