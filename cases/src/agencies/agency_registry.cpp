#include "krasip/cases/agencies/agency_registry.hpp"

#include <algorithm>

#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/agencies/agency_logo.hpp"
#include "krasip/cases/agencies/agency_policy.hpp"
#include "krasip/cases/agencies/agency_setup.hpp"
#include "krasip/cases/common/agency_scope.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/text_rules.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/recovery_key.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"

namespace krasip::cases {

namespace {

bool valid_slug(const std::string &s) {
  if (s.size() < 2 || s.size() > 40)
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool valid_prefix(const std::string &p) {
  return !p.empty() && p.size() <= 6 &&
         std::all_of(p.begin(), p.end(),
                     [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string checked_name(const std::string &v, const std::string &field) {
  if (v.empty())
    throw CaseError(ErrorCode::missing_field, field + " is required", field);
  return checked_text(v, field, 200, false);
}

std::string joined(const std::vector<std::string> &v) {
  std::string out;
  for (const auto &s : v)
    out += (out.empty() ? "" : "\n") + s;
  return out;
}

std::int64_t parent_id_of(storage::Database &db, const std::string &slug) {
  const auto p = storage::key_store::find_agency_by_slug(db, slug);
  if (!p)
    throw CaseError(ErrorCode::invalid_field,
                    "no agency '" + slug + "' to be the parent", "parent");
  return p->id;
}

// The channel every agency starts with: the same words migration 6 gave
// the first agency's.
storage::ChannelRow default_channel(std::int64_t agency_id) {
  storage::ChannelRow c;
  c.slug = "default";
  c.agency_id = agency_id;
  c.name_th = "ช่องทางรับเรื่องร้องเรียน";
  c.name_en = "Complaints";
  c.description_th = "ช่องทางเดียวของหน่วยงาน";
  c.description_en = "The agency's one channel";
  c.readers_th = "เจ้าหน้าที่ผู้รับเรื่องร้องเรียนของหน่วยงาน";
  c.readers_en = "The agency's complaint handling officers";
  c.identity_readers_th = "ผู้ดูแลข้อมูลผู้ร้องที่หน่วยงานแต่งตั้ง";
  c.identity_readers_en = "The identity custodians the agency designated";
  return c;
}

AuditEvent in(const storage::AgencyRow &a, AuditEvent e) {
  e.agency = AgencyScope::of(a);
  return e;
}

} // namespace

std::vector<std::string>
checked_origins(const std::vector<std::string> &origins) {
  std::vector<std::string> out;
  for (auto o : origins) {
    while (!o.empty() && o.back() == '/')
      o.pop_back();
    const bool https = o.rfind("https://", 0) == 0;
    const bool local_http = o.rfind("http://localhost", 0) == 0 ||
                            o.rfind("http://127.0.0.1", 0) == 0;
    const auto host =
        o.substr(o.find("://") == std::string::npos ? 0 : o.find("://") + 3);
    const bool clean = !host.empty() && host.size() <= 253 &&
                       std::all_of(host.begin(), host.end(), [](char c) {
                         return (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' ||
                                c == '.' || c == ':';
                       });
    if (!(https || local_http) || !clean) {
      throw CaseError(
          ErrorCode::invalid_field,
          "origins: each is https://host[:port] in lower case, with no path",
          "origins");
    }
    if (std::find(out.begin(), out.end(), o) == out.end())
      out.push_back(o);
  }
  return out;
}

std::vector<std::string> origins_of(const storage::AgencyRow &agency) {
  std::vector<std::string> out;
  std::string cur;
  for (const char c : agency.origins + "\n") {
    if (c == '\n') {
      if (!cur.empty())
        out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  return out;
}

storage::AgencyRow intake_agency(storage::Database &db,
                                 const std::optional<std::string> &slug) {
  const auto closed = [] {
    return CaseError(ErrorCode::unknown_agency,
                     "no agency by that name takes complaints here", "agency");
  };
  if (slug) {
    if (!valid_slug(*slug))
      throw closed();
    auto a = storage::key_store::find_agency_by_slug(db, *slug);
    if (!a || a->disabled_at)
      throw closed();
    return *a;
  }
  // Two rows at most are read: enough to tell "the only one" from "several".
  auto st = db.cached("SELECT slug FROM agencies WHERE disabled_at IS NULL "
                      "ORDER BY id LIMIT 2");
  std::vector<std::string> open;
  while (st->step())
    open.push_back(st->get_text(0));
  if (open.size() == 1)
    return *storage::key_store::find_agency_by_slug(db, open.front());
  if (open.empty())
    throw closed();
  throw CaseError(ErrorCode::missing_field,
                  "name the agency (its short name in the address)", "agency");
}

std::optional<std::vector<std::string>>
embedding_origins(storage::Database &db, const std::optional<std::string> &slug,
                  const std::vector<std::string> &deployment_origins) {
  storage::AgencyRow a;
  try {
    a = intake_agency(db, slug);
  } catch (const CaseError &) {
    return std::nullopt;
  }
  auto out = origins_of(a);
  auto st = db.cached("SELECT COUNT(*) FROM (SELECT 1 FROM agencies LIMIT 2)");
  st->step();
  if (st->get_int(0) == 1)
    out.insert(out.end(), deployment_origins.begin(), deployment_origins.end());
  return out;
}

NewAgencyResult add_agency(storage::Database &db, const AuditLog &audit,
                           const NewAgency &spec, std::int64_t now,
                           crypto::PwhashLimits limits) {
  if (!valid_slug(spec.slug)) {
    throw CaseError(ErrorCode::invalid_field,
                    "slug: 2-40 characters of a-z, 0-9 and dash", "slug");
  }
  if (!valid_prefix(spec.case_prefix)) {
    throw CaseError(ErrorCode::invalid_field,
                    "case prefix: 1-6 capital letters A-Z", "case_prefix");
  }
  if (storage::key_store::find_agency_by_slug(db, spec.slug)) {
    throw CaseError(ErrorCode::invalid_field, "an agency with that slug exists",
                    "slug");
  }
  {
    auto st = db.cached("SELECT 1 FROM agencies WHERE case_prefix = ?");
    st->bind(1, spec.case_prefix);
    if (st->step())
      throw CaseError(ErrorCode::invalid_field,
                      "another agency uses that case prefix", "case_prefix");
  }
  storage::AgencyRow a{checked_name(spec.name_th, "name_th"),
                       checked_name(spec.name_en, "name_en"), spec.case_prefix,
                       spec.slug, 0};
  if (spec.parent_slug)
    a.parent_id = parent_id_of(db, *spec.parent_slug);
  a.origins = joined(checked_origins(spec.origins));
  a.ack_days = spec.ack_days;
  a.reply_days = spec.reply_days;
  a.outcome_days = spec.outcome_days;
  check_deadline_days(a);
  if (spec.categories)
    a.categories = checked_categories(*spec.categories);
  const auto logo = spec.logo ? std::optional(checked_logo(*spec.logo))
                              : std::nullopt;
  a.id = storage::key_store::insert_agency(db, a, now);
  if (logo)
    storage::key_store::set_agency_logo(db, a.id, logo);

  NewAgencyResult out;
  out.agency_id = a.id;
  const auto recovery = crypto::KeyPair::generate();
  out.recovery_key = crypto::encode_recovery_key(recovery.secret_key);
  storage::key_store::insert_reader_key(db, "recovery", recovery.public_key,
                                        now, a.id);
  audit.append(db, in(a, {now, std::nullopt, "agency.init", std::nullopt, ""}));

  // Before the administrator, whom AccountService::add makes a recipient
  // and custodian of the agency's `default` channel.
  storage::channel_store::insert(db, default_channel(a.id), now);
  out.admin_username = spec.admin_username.value_or(spec.slug + "-admin");
  const auto account =
      AccountService(audit, limits)
          .add(db, AgencyScope::of(a),
               {out.admin_username, spec.admin_name.value_or("Administrator"),
                true, true, std::nullopt},
               now);
  out.admin_password = *account.generated_password;
  out.admin_totp_uri = account.totp_uri;
  return out;
}

storage::AgencyRow edit_agency(storage::Database &db, const AuditLog &audit,
                               const std::string &slug, const AgencyChanges &c,
                               std::int64_t now, std::optional<std::int64_t> actor) {
  auto a = storage::key_store::find_agency_by_slug(db, slug);
  if (!a)
    throw CaseError(ErrorCode::unknown_agency, "no agency '" + slug + "'",
                    "slug");
  std::string detail;
  if (c.name_th)
    a->name_th = checked_name(*c.name_th, "name_th"), detail += " name_th";
  if (c.name_en)
    a->name_en = checked_name(*c.name_en, "name_en"), detail += " name_en";
  if (c.parent_slug) {
    a->parent_id = *c.parent_slug
                       ? std::optional(parent_id_of(db, **c.parent_slug))
                       : std::nullopt;
    // No cycles: the new parent must not be this agency or below it.
    if (a->parent_id) {
      auto up = storage::key_store::ancestors(db, *a->parent_id);
      up.push_back(*a->parent_id);
      if (std::find(up.begin(), up.end(), a->id) != up.end()) {
        throw CaseError(ErrorCode::invalid_field,
                        "an agency cannot be below itself", "parent");
      }
    }
    detail += " parent=" +
              (a->parent_id ? std::to_string(*a->parent_id) : std::string("-"));
  }
  if (c.origins)
    a->origins = joined(checked_origins(*c.origins)), detail += " origins";
  if (c.disabled) {
    a->disabled_at = *c.disabled ? std::optional(a->disabled_at.value_or(now))
                                 : std::nullopt;
    detail += *c.disabled ? " disabled" : " enabled";
  }
  const auto days = [&](const std::optional<std::optional<std::int64_t>> &v,
                        std::optional<std::int64_t> &field, const char *name) {
    if (!v)
      return;
    field = *v;
    detail += std::string(" ") + name + "=" +
              (field ? std::to_string(*field) : std::string("-"));
  };
  days(c.ack_days, a->ack_days, "ack_days");
  days(c.reply_days, a->reply_days, "reply_days");
  days(c.outcome_days, a->outcome_days, "outcome_days");
  check_deadline_days(*a);
  if (c.categories) {
    a->categories = *c.categories
                        ? std::optional(checked_categories(**c.categories))
                        : std::nullopt;
    detail += " categories=" + a->categories.value_or("-");
  }
  if (c.logo) {
    const auto logo = *c.logo ? std::optional(checked_logo(**c.logo))
                              : std::nullopt;
    storage::key_store::set_agency_logo(db, a->id, logo);
    a->logo_type = logo ? logo->type : "";
    detail += logo ? " logo" : " logo=-";
  }
  storage::key_store::update_agency(db, *a);
  audit.append(
      db, in(*a, {now, actor, "agency.edit", std::nullopt, detail}));
  return *a;
}

} // namespace krasip::cases
