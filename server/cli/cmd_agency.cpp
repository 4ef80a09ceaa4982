#include <ctime>
#include <fstream>
#include <iostream>
#include <string>

#include "commands.hpp"
#include "krasip/cases/agencies/agency_logo.hpp"
#include "krasip/cases/agencies/agency_registry.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/statistics/public_snapshot.hpp"
#include "krasip/storage/public_stats_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/transaction.hpp"
#include "krasip/storage/write_queue.hpp"
#include "options.hpp"
#include "ownership.hpp"

namespace krasip::cli {

namespace {

std::string parent_slug(storage::Database &db, const storage::AgencyRow &a) {
  if (!a.parent_id)
    return "-";
  const auto p = storage::key_store::load_agency(db, *a.parent_id);
  return p ? p->slug : "?";
}

void print(storage::Database &db, const storage::AgencyRow &a) {
  std::cout << a.slug << "\t" << a.case_prefix << "\t" << a.name_th << " / "
            << a.name_en << "\n  parent: " << parent_slug(db, a)
            << "\n  origins:";
  for (const auto &o : cases::origins_of(a))
    std::cout << " " << o;
  std::cout << (a.origins.empty() ? " (none: no website may frame its pages)"
                                  : "")
            << "\n"
            << "  "
            << (a.disabled_at ? "disabled: takes no complaints"
                              : "takes complaints")
            << "\n";
  const auto day = [](const std::optional<std::int64_t> &d) {
    return d ? std::to_string(*d) : std::string("deployment's");
  };
  std::cout << "  days to acknowledge / reply / outcome: " << day(a.ack_days)
            << " / " << day(a.reply_days) << " / " << day(a.outcome_days)
            << "\n  categories: " << a.categories.value_or("all")
            << "\n  logo: " << (a.logo_type.empty() ? "none" : a.logo_type)
            << "\n  public statistics: by "
            << storage::public_stats_store::period(db, a.id)
            << " (completed periods, published daily)\n";
}

// --stats-period month|week: what the published statistics cover up to
// (issue 21, item 1).
std::optional<std::string> stats_period_option(const Options &opt) {
  const auto v = opt.get("stats-period");
  if (!v)
    return std::nullopt;
  if (!cases::parse_period(*v))
    throw cases::CaseError(cases::ErrorCode::invalid_field,
                           "--stats-period: month or week, not " + *v,
                           "stats-period");
  return v;
}

// --ack-days N etc.: a number of days, or `default` (edit only) for the
// deployment's (`serve --ack-days`).
std::optional<std::optional<std::int64_t>> days_option(const Options &opt,
                                                       const char *name) {
  auto v = opt.get(name);
  if (!v && std::string(name) == "reply-days")
    v = opt.get("answer-days");
  if (!v)
    return std::nullopt;
  if (*v == "default")
    return std::optional<std::int64_t>();
  if (v->empty() || v->size() > 4 ||
      v->find_first_not_of("0123456789") != std::string::npos)
    throw UsageError(std::string("--") + name +
                     " is a number of days (or `default`)");
  return std::optional<std::int64_t>(std::stoll(*v));
}

// --categories a,b,c (codes of the built-in list), or `default`: all.
std::optional<std::optional<std::vector<std::string>>>
categories_option(const Options &opt) {
  const auto v = opt.get("categories");
  if (!v)
    return std::nullopt;
  if (*v == "default")
    return std::optional<std::vector<std::string>>();
  std::vector<std::string> out;
  std::string cur;
  for (const char c : *v + ",") {
    if (c == ',') {
      if (!cur.empty())
        out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur.push_back(c);
    }
  }
  return std::optional(out);
}

storage::Blob read_logo(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw UsageError("cannot read the logo file " + path);
  // One byte more than allowed is enough to refuse a larger file.
  storage::Blob bytes(cases::kMaxLogoBytes + 1);
  in.read(reinterpret_cast<char *>(bytes.data()),
          static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

} // namespace

// krasipd agency add|list|edit|disable --data-dir DIR ... (issue 11). The
// operator of a deployment adds the agencies it serves; each gets its own
// recovery key and first administrator, printed once. Nothing here reads a
// case: operating the deployment and reading cases are separate.
int cmd_agency(int argc, char **argv) {
  if (argc < 3)
    throw UsageError(
        "agency needs a subcommand: add, list, edit, disable, enable");
  const std::string sub = argv[2];
  const Options opt(argc, argv, 3,
                    {"data-dir", "pepper-file", "owner", "slug", "name-th",
                     "name-en", "case-prefix", "origin", "parent",
                     "admin-username", "admin-name", "ack-days", "reply-days",
                     "answer-days", "outcome-days", "categories", "logo",
                     "stats-period"},
                    {"fast-kdf", "clear-origins", "no-parent", "clear-logo"});
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (auto p = opt.get("pepper-file"))
    paths.pepper_file = *p;
  settle_identity(opt.get("owner"), paths); // before anything is opened
  storage::Database db = storage::open_writer(paths.database);
  try {
    if (sub == "list") {
      for (const auto &a : storage::key_store::list_agencies(db))
        print(db, a);
      return 0;
    }
    const auto secrets = cases::ServerSecrets::load(paths.pepper_file);
    const cases::AuditLog audit(secrets.pepper);
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    storage::Transaction tx(db);
    if (sub == "add") {
      cases::NewAgency spec{
          opt.require("slug"),       opt.require("name-th"),
          opt.require("name-en"),    opt.require("case-prefix"),
          opt.get("parent"),         opt.all("origin"),
          opt.get("admin-username"), opt.get("admin-name")};
      for (const auto &[name, field] :
           {std::pair{"ack-days", &spec.ack_days},
            std::pair{"reply-days", &spec.reply_days},
            std::pair{"outcome-days", &spec.outcome_days}}) {
        if (const auto d = days_option(opt, name))
          *field = *d;
      }
      if (const auto c = categories_option(opt))
        spec.categories = *c;
      if (const auto logo = opt.get("logo"))
        spec.logo = read_logo(*logo);
      const auto period = stats_period_option(opt);
      const auto r = cases::add_agency(db, audit, spec, now,
                                       opt.flag("fast-kdf")
                                           ? crypto::PwhashLimits::interactive()
                                           : crypto::PwhashLimits::moderate());
      if (period)
        storage::public_stats_store::set_period(db, r.agency_id, *period);
      tx.commit();
      print(db, *storage::key_store::load_agency(db, r.agency_id));
      std::cout
          << "\nRECOVERY KEY of " << spec.slug
          << " (shown once; print it and keep it in the agency's safe):\n"
          << "  " << r.recovery_key << "\n\n"
          << "first administrator: " << r.admin_username << "\n"
          << "  password: " << r.admin_password << "   (shown once)\n"
          << "  TOTP (add to an authenticator app; shown once):\n    "
          << r.admin_totp_uri << "\n"
          << "Its website embeds:\n"
          << "  <script src=\"https://KRASIP-HOST/widget.js\" data-agency=\""
          << spec.slug << "\" async></script>\n";
    } else if (sub == "edit" || sub == "disable" || sub == "enable") {
      cases::AgencyChanges c;
      if (sub == "edit") {
        c.name_th = opt.get("name-th");
        c.name_en = opt.get("name-en");
        if (opt.flag("no-parent")) {
          c.parent_slug = std::optional<std::string>();
        } else if (auto p = opt.get("parent")) {
          c.parent_slug = std::optional<std::string>(*p);
        }
        if (opt.flag("clear-origins") || !opt.all("origin").empty())
          c.origins = opt.all("origin");
        c.ack_days = days_option(opt, "ack-days");
        c.reply_days = days_option(opt, "reply-days");
        c.outcome_days = days_option(opt, "outcome-days");
        c.categories = categories_option(opt);
        if (opt.flag("clear-logo"))
          c.logo = std::optional<storage::Blob>();
        else if (const auto logo = opt.get("logo"))
          c.logo = std::optional(read_logo(*logo));
      } else {
        c.disabled = sub == "disable";
      }
      const auto period = sub == "edit" ? stats_period_option(opt) : std::nullopt;
      const auto a = cases::edit_agency(db, audit, opt.require("slug"), c, now);
      if (period)
        storage::public_stats_store::set_period(db, a.id, *period);
      tx.commit();
      print(db, a);
    } else {
      throw UsageError("unknown agency subcommand: " + sub);
    }
  } catch (const cases::CaseError &e) {
    std::cerr << "krasipd: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

} // namespace krasip::cli
