#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "agency_option.hpp"
#include "commands.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/alerts/case_alerts.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/agency_scope.hpp"
#include "krasip/cases/alerts/mail_settings.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/mail/message_format.hpp"
#include "krasip/mail/smtp_client.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/transaction.hpp"
#include "krasip/storage/write_queue.hpp"
#include "governance_cli.hpp"
#include "options.hpp"
#include "ownership.hpp"

namespace krasip::cli {

namespace {

// The password from a file (mode 0600, e.g. under /etc/krasip), never from
// the command line, where `ps` and the shell history would show it. One
// trailing newline is not part of it.
crypto::SecureBytes read_password(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the password file " + file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.empty()) throw std::runtime_error("the password file " + file + " is empty");
  auto out = crypto::SecureBytes::copy_of({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
  std::fill(text.begin(), text.end(), '\0');
  return out;
}

}  // namespace

// krasipd mail set|test (issue 12, item 2): an agency's SMTP server, and a
// test mail through it, sent at once (not through the outbox) so that a
// wrong password or an unreachable server is reported here and now.
int cmd_mail(int argc, char** argv) {
  if (argc < 3) throw UsageError("mail needs a subcommand: set, test");
  const std::string sub = argv[2];
  const Options opt(argc, argv, 3,
                    {"data-dir", "pepper-file", "owner", "agency", "smtp-url", "from", "user",
                     "password-file", "to", "clock-offset-file", "batch-times"},
                    {"starttls"});
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (auto p = opt.get("pepper-file")) paths.pepper_file = *p;
  settle_identity(opt.get("owner"), paths);  // before anything is opened
  storage::Database db = storage::open_writer(paths.database);
  const auto secrets = cases::ServerSecrets::load(paths.pepper_file);
  const auto agency = agency_option(db, opt.get("agency"));
  try {
    if (sub == "set") {
      cases::MailSettingsChange change;
      change.smtp_url = opt.require("smtp-url");
      change.from = opt.require("from");
      if (auto u = opt.get("user")) change.username = *u;
      if (auto f = opt.get("password-file")) {
        if (change.username.empty()) throw UsageError("--password-file needs --user");
        change.password = read_password(*f);
      }
      change.clear_password = !opt.get("password-file");
      change.require_tls = opt.flag("starttls");
      // When the agency's alerts go out: "08:30,13:30" (Bangkok time,
      // Monday to Friday); without it, the times stay as they are.
      if (auto t = opt.get("batch-times")) {
        std::vector<std::string> texts;
        for (std::size_t from = 0;;) {
          const auto comma = t->find(',', from);
          texts.push_back(t->substr(from, comma == std::string::npos ? std::string::npos : comma - from));
          if (comma == std::string::npos) break;
          from = comma + 1;
        }
        try {
          change.batch_times = cases::BatchTimes::parse(texts, "--batch-times");
        } catch (const cases::CaseError& e) {
          throw UsageError(std::string("--batch-times: ") + e.what());
        }
      }
      if (change.require_tls && change.smtp_url.starts_with("smtps://")) {
        throw UsageError("--starttls is for smtp:// URLs; smtps:// is TLS from the start");
      }
      const auto now = cli_now(opt);
      const GovernanceContext gov(paths.pepper_file);
      storage::Transaction tx(db);
      // Where the agency's alerts go: once it has had a case, a proposal
      // its administrators (or the agency above) approve (issue 20).
      const auto out = gov.service.set_mail(db, cases::Actor::host_operator(), cases::AgencyScope::of(agency), change, now);
      tx.commit();
      if (out.proposal) {
        print_proposal(std::cout, *out.proposal);
        return 0;
      }
      std::cout << "mail settings saved for " << agency.slug << ": " << change.smtp_url << ", from "
                << change.from << (change.username.empty() ? ", no login" : ", login " + change.username)
                << (change.require_tls ? ", STARTTLS required" : "") << "\n"
                << "  alerts go out at " << [&] {
                     std::string out;
                     for (const auto& t : cases::batch_times_of(db, agency.id).texts()) out += (out.empty() ? "" : ", ") + t;
                     return out;
                   }() << " Bangkok time, Monday to Friday\n"
                << "  Try them: krasipd mail test --data-dir " << opt.require("data-dir") << " --to ADDRESS\n";
      return 0;
    }
    if (sub == "test") {
      const auto to = opt.require("to");
      if (!mail::valid_address(to)) throw UsageError("--to is not a valid address");
      const auto config = cases::load_mail_settings(db, secrets, agency.id);
      if (!config) {
        std::cerr << "krasipd: no mail settings for " << agency.slug << "; run krasipd mail set first\n";
        return 1;
      }
      const auto text = cases::AlertComposer("").test_mail();
      const auto now = cli_now(opt);
      try {
        mail::send_mail(*config, to, mail::format_message(config->from, to, text.subject, text.body, now));
      } catch (const mail::MailError& e) {
        std::cerr << "krasipd: the test mail was not sent: " << e.what() << "\n";
        return 1;
      }
      std::cout << "test mail accepted by " << config->url << "\n";
      return 0;
    }
    throw UsageError("unknown mail subcommand: " + sub);
  } catch (const cases::CaseError& e) {
    std::cerr << "krasipd: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace krasip::cli
