#include <csignal>
#include <iostream>
#include <string>

#include "commands.hpp"
#include "krasip/crypto/sodium_init.hpp"
#include "options.hpp"

namespace {
constexpr const char* kUsage = R"(krasipd: Krasip complaint and whistleblower intake service

  krasipd init  --data-dir DIR [--pepper-file F] [--admin-username U] [--admin-name N] [--no-admin] [--owner USER]
  krasipd serve --data-dir DIR [--listen HOST:PORT] [--web-root DIR] [--threads N]
                [--pepper-file F] [--port-file F] [--log-file F] [--frame-ancestor ORIGIN]...
                [--header-timeout-ms N] [--body-timeout-ms N] [--max-connections N] [--behind-tls]
                [--ack-days 7] [--reply-days 15] [--outcome-days 90] [--trust-proxy]
                [--submit-rate 20 (per hour)] [--status-rate 60 (per minute)] [--login-rate 30 (per 15 min)]
                [--max-db-mb N] [--upload-max-bytes N] [--case-upload-max-bytes N] [--upload-chunk-timeout-ms N]
                [--session-idle-seconds 1800] [--session-max-seconds 36000] [--session-sweep-seconds 60]
                [--metrics-listen HOST:PORT] [--metrics-port-file F] [--counts-roll-seconds N]
                [--cleaner PATH] [--max-concurrent-uploads 4] [--cleaner-memory-mib 512]
                [--cleaner-cpu-seconds 10] [--cleaner-timeout-ms 20000] [--pack-pdf PATH]
                [--public-url https://HOST (links in alert mails)] [--mail-poll-ms 2000]
                [--mail-retry-base-seconds 30] [--mail-retry-max-seconds 3600] [--digest-hour 7 (Bangkok)]
                [--clock-offset-file F (tests: seconds added to the clock)]
  krasipd agency list --data-dir DIR
  krasipd agency add  --data-dir DIR --slug S --name-th T --name-en T --case-prefix P
                      [--origin https://www.example.go.th]... [--parent SLUG]
                      [--admin-username U] [--admin-name N]   (prints its recovery key and admin once)
  krasipd agency edit --data-dir DIR --slug S [--name-th T] [--name-en T] [--origin URL]...
                      [--clear-origins] [--parent SLUG | --no-parent] [--clear-logo]
    add and edit also take: [--ack-days N] [--reply-days N] [--outcome-days N]
                      (1-30, 1-90, 1-365; `default`: serve's) [--categories a,b,c]
                      (codes of the built-in list; `default`: all) [--logo FILE.png|.jpg, <= 64 KiB]
  krasipd agency disable|enable --data-dir DIR --slug S   (disabled: no new complaints)
  krasipd user add --data-dir DIR --username U --name N [--custodian] [--admin] [--password-stdin]
  krasipd user disable|enable --data-dir DIR --username U
  krasipd user reset-password --data-dir DIR --username U [--password-stdin]
    (once the agency has had a case, disabling or resetting an account that reads open cases,
     and channel and mail changes that weaken protection, are proposals an account approves)
  krasipd proposals list --data-dir DIR [--agency SLUG]
  krasipd proposals withdraw --data-dir DIR --id ID   (the operator's own)
  krasipd deployment show|set --data-dir DIR [--retention-floor-days 1825]
                      [--purged-code-grace-days 365]   (30-3650: how long a purged case's code
                                                         answers "purged" before it is dropped)
    (user and channel commands take --agency SLUG when the deployment has several agencies;
     channel, mail and proposals take --clock-offset-file F as serve does, for tests)
  krasipd audit verify --data-dir DIR [--published ID:HASH]...
  krasipd recovery grant --data-dir DIR --username U [--case N]   (recovery key on standard input)
  krasipd channel list --data-dir DIR
  krasipd channel add  --data-dir DIR --id ID --name-th T --name-en T --readers-th T --readers-en T
                       --identity-readers-th T --identity-readers-en T --recipients U1,U2 --custodians U1
                       [--description-th T] [--description-en T] [--identity-two-person yes|no]
                       [--outcome-needs-confirmation yes|no] [--retention-days 1826]
  krasipd channel edit --data-dir DIR --id ID [any option of add]
  krasipd backup  --data-dir DIR --to BACKUPS [--keep N]     (safe while serve runs; no pepper in it)
  krasipd mail set  --data-dir DIR [--agency SLUG] --smtp-url smtp[s]://HOST[:PORT] --from ADDR
                    [--user U --password-file F] [--starttls] [--batch-times 08:30,13:30]
                    (alerts go out at these Bangkok times, Mon–Fri; at most 4, 60 min apart)
  krasipd mail test --data-dir DIR [--agency SLUG] --to ADDR   (sent at once, errors shown)
  krasipd restore --from BACKUPS/krasip-backup-… --data-dir EMPTY_DIR [--pepper-file F]
                  [--purge-journal FILE | --without-purge-journal]
                  (purges again the cases the purge journal, default DIR/purge-journal, names)
  krasipd purge   --data-dir DIR [--purge-journal FILE] [--dry-run]
                  (closed cases past their channel's --retention-days, 14 days after their readers
                   were mailed, each journaled; drops the codes of cases purged longer than the
                   grace ago; safe while serve runs; the daily timer runs it)

  Every command also takes --config FILE: options one per line ("listen = 127.0.0.1:8080",
  a bare "trust-proxy" for a flag); the command line wins. The Debian package's unit runs
  `krasipd serve --config /etc/krasip/krasipd.conf`, and `sudo krasipd user add --config
  /etc/krasip/krasipd.conf ...` finds the data folder and the pepper there.

  Run as root, every command acts as the data folder's owner (or --owner USER, which it
  first gives the files to); `init --owner krasip` gives the service's user the files,
  the pepper included. See README, "Running as root".
)";
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = argv[1];
  // A write over a file-size limit fails with EFBIG, reported like a full
  // disk, instead of killing the process halfway through a file.
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    krasip::crypto::ensure_sodium();
    if (command == "init") return krasip::cli::cmd_init(argc, argv);
    if (command == "serve") return krasip::cli::cmd_serve(argc, argv);
    if (command == "user") return krasip::cli::cmd_user(argc, argv);
    if (command == "audit") return krasip::cli::cmd_audit(argc, argv);
    if (command == "recovery") return krasip::cli::cmd_recovery(argc, argv);
    if (command == "channel") return krasip::cli::cmd_channel(argc, argv);
    if (command == "agency") return krasip::cli::cmd_agency(argc, argv);
    if (command == "backup") return krasip::cli::cmd_backup(argc, argv);
    if (command == "restore") return krasip::cli::cmd_restore(argc, argv);
    if (command == "purge") return krasip::cli::cmd_purge(argc, argv);
    if (command == "proposals") return krasip::cli::cmd_proposals(argc, argv);
    if (command == "deployment") return krasip::cli::cmd_deployment(argc, argv);
    if (command == "mail") return krasip::cli::cmd_mail(argc, argv);
    if (command == "--help" || command == "help") {
      std::cout << kUsage;
      return 0;
    }
    std::cerr << "unknown command: " << command << "\n" << kUsage;
    return 2;
  } catch (const krasip::cli::UsageError& e) {
    std::cerr << "krasipd: " << e.what() << "\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "krasipd: " << e.what() << "\n";
    return 1;
  }
}
