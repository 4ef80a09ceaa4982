#include "krasip/cases/agencies/agency_settings.hpp"
#include "krasip/cases/agencies/agency_policy.hpp"

#include "krasip/cases/agencies/agency_registry.hpp"
#include "krasip/cases/alerts/mail_settings.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/mail_store.hpp"

namespace krasip::cases {

namespace {
storage::AgencyRow load(storage::Database& db, AgencyScope agency) {
  auto a = storage::key_store::load_agency(db, agency.id());
  if (!a) throw CaseError(ErrorCode::not_found, "no such agency");
  return *a;
}
}  // namespace

AgencySettingsView agency_settings(storage::Database& db, const ServerSecrets&, AgencyScope agency) {
  const auto a = load(db, agency);
  AgencySettingsView v;
  v.slug = a.slug;
  v.name_th = a.name_th;
  v.name_en = a.name_en;
  v.origins = origins_of(a);
  v.ack_days = a.ack_days;
  v.reply_days = a.reply_days;
  v.outcome_days = a.outcome_days;
  if (a.categories) {
    std::vector<std::string> codes;
    for (const auto& c : categories_of(a.categories)) codes.emplace_back(c.id);
    v.categories = std::move(codes);
  }
  v.has_logo = !a.logo_type.empty();
  if (const auto m = storage::mail_settings_store::find(db, agency.id())) {
    v.mail = AgencySettingsView::Mail{m->smtp_url, m->from_address, m->username, m->require_tls,
                                      !m->password_sealed.empty()};
  }
  v.mail_batch_times = batch_times_of(db, agency.id());
  for (const auto id : storage::key_store::descendants(db, agency.id())) {
    if (auto below = storage::key_store::load_agency(db, id)) v.agencies_below.push_back(std::move(*below));
  }
  return v;
}

AgencySettingsView edit_agency_identity(storage::Database& db, const AuditLog& audit,
                                        const ServerSecrets& secrets, AgencyScope agency,
                                        const AgencyIdentityChanges& c, std::int64_t now,
                                        std::int64_t actor) {
  const auto a = load(db, agency);
  AgencyChanges changes;
  changes.name_th = c.name_th;
  changes.name_en = c.name_en;
  changes.origins = c.origins;
  changes.ack_days = c.ack_days;
  changes.reply_days = c.reply_days;
  changes.outcome_days = c.outcome_days;
  changes.categories = c.categories;
  changes.logo = c.logo;
  (void)edit_agency(db, audit, a.slug, changes, now, actor);
  return agency_settings(db, secrets, agency);
}

void check_mail_change(const MailSettingsChange& c) {
  MailSettingsSpec spec;
  spec.smtp_url = c.smtp_url;
  spec.from = c.from;
  spec.username = c.username;
  spec.require_tls = c.require_tls;
  if (!c.password.empty()) spec.password = crypto::SecureBytes::copy_of(c.password.view());
  if (spec.require_tls && spec.smtp_url.starts_with("smtps://")) {
    throw CaseError(ErrorCode::invalid_field, "STARTTLS is for smtp:// URLs; smtps:// is TLS from the start",
                    "require_tls");
  }
  check_mail_settings(spec);
}

AgencySettingsView edit_agency_mail(storage::Database& db, const AuditLog& audit,
                                    const ServerSecrets& secrets, AgencyScope agency,
                                    const MailSettingsChange& c, std::int64_t now, std::int64_t actor) {
  (void)load(db, agency);
  check_mail_change(c);
  MailSettingsSpec spec;
  spec.smtp_url = c.smtp_url;
  spec.from = c.from;
  spec.username = c.username;
  spec.require_tls = c.require_tls;
  spec.batch_times = c.batch_times;
  if (!c.password.empty()) {
    spec.password = crypto::SecureBytes::copy_of(c.password.view());
  } else if (!c.clear_password && !c.username.empty()) {
    // The form never shows the stored password: left blank, it stays, as
    // long as it is for the same login on the same server (issue 20, item
    // 8: a password never follows the URL to another host, port or scheme).
    const auto old = load_mail_settings(db, secrets, agency.id());
    if (old && old->username == c.username && !old->password.empty() && same_server(old->url, c.smtp_url)) {
      spec.password = crypto::SecureBytes::copy_of(old->password.view());
    }
  }
  save_mail_settings(db, secrets, agency.id(), spec, now);
  // As `krasipd mail set` audits it: the server and whether a login is used.
  AuditEvent e;
  e.at = now;
  e.actor_user_id = actor;
  e.action = "mail.settings";
  e.detail = "smtp_url=" + spec.smtp_url + " login=" + (spec.username.empty() ? "no" : "yes") +
             " starttls_required=" + (spec.require_tls ? "yes" : "no");
  if (spec.batch_times) {
    std::string times;
    for (const auto& t : spec.batch_times->texts()) times += (times.empty() ? "" : ",") + t;
    e.detail += " batch_times=" + times;
  }
  e.agency = agency;
  audit.append(db, e);
  return agency_settings(db, secrets, agency);
}

}  // namespace krasip::cases
