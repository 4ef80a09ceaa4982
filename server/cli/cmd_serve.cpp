#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "commands.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cleaner/client.hpp"
#include "krasip/cases/alerts/alert_prefs.hpp"
#include "krasip/cases/alerts/case_alerts.hpp"
#include "krasip/cases/alerts/deadline_digest.hpp"
#include "krasip/cases/alerts/outbox_figures.hpp"
#include "krasip/cases/alerts/outbox_sender.hpp"
#include "krasip/storage/mail_store.hpp"
#include "krasip/cases/reporter/followup_service.hpp"
#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/agencies/agency_registry.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/reporter/status_service.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/case_records.hpp"
#include "krasip/cases/accounts/login_service.hpp"
#include "krasip/cases/statistics/stats_service.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/form_tokens.hpp"
#include "krasip/server/static_files.hpp"
#include "krasip/server/http_server.hpp"
#include "krasip/server/metrics.hpp"
#include "krasip/server/onion_location.hpp"
#include "krasip/storage/errors.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/public_stats_store.hpp"
#include "krasip/cases/statistics/public_snapshot.hpp"
#include "krasip/cases/agencies/agency_policy.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "options.hpp"
#include "ownership.hpp"

#ifndef KRASIP_DEFAULT_WEB_ROOT
#define KRASIP_DEFAULT_WEB_ROOT "/usr/share/krasip/web"
#endif

namespace krasip::cli {

namespace {

void parse_listen(const std::string& listen, server::ServerConfig& config) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw UsageError("--listen must be HOST:PORT");
  config.host = listen.substr(0, colon);
  const int port = std::stoi(listen.substr(colon + 1));
  if (port < 0 || port > 65535) throw UsageError("--listen port out of range");
  config.port = static_cast<unsigned short>(port);
}

void setup_logging(const std::optional<std::string>& log_file) {
  std::shared_ptr<spdlog::logger> logger;
  if (log_file) {
    logger = spdlog::basic_logger_mt("krasip", *log_file);
  } else {
    logger = spdlog::stderr_logger_mt("krasip");
  }
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z level=%l %v");
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace

int cmd_serve(int argc, char** argv) {
  const Options opt(argc, argv, 2, kServeValueOptions, kServeFlags);
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (auto p = opt.get("pepper-file")) paths.pepper_file = *p;
  settle_identity(opt.get("owner"), paths);  // before anything is opened
  setup_logging(opt.get("log-file"));

  // Tests move time on through a file (seconds to add); otherwise the system clock.
  const cases::Clock clock = opt.get("clock-offset-file") ? cases::offset_clock(*opt.get("clock-offset-file"))
                                                          : cases::system_clock();

  server::ServerConfig config;
  parse_listen(opt.get("listen").value_or("127.0.0.1:8080"), config);
  config.web_root = opt.get("web-root").value_or(KRASIP_DEFAULT_WEB_ROOT);
  if (auto t = opt.get("threads")) config.threads = static_cast<unsigned>(std::stoul(*t));
  if (auto t = opt.get("header-timeout-ms")) config.limits.header_timeout = std::chrono::milliseconds(std::stol(*t));
  if (auto t = opt.get("body-timeout-ms")) config.limits.body_timeout = std::chrono::milliseconds(std::stol(*t));
  if (auto t = opt.get("max-connections")) config.limits.max_connections = std::stoul(*t);
  config.frame_ancestors = opt.all("frame-ancestor");
  config.behind_tls = opt.flag("behind-tls");
  config.trust_proxy = opt.flag("trust-proxy");
  if (auto a = opt.get("onion-address")) {
    config.onion_address = *a;
    if (!server::valid_onion_address(config.onion_address)) {
      throw UsageError("--onion-address must be a v3 onion address: 56 letters a-z and digits 2-7, then "
                       "\".onion\" (the hostname file of the onion service's folder), without http://");
    }
  }

  if (!std::filesystem::exists(paths.database)) {
    throw std::runtime_error(paths.database.string() + " does not exist; run krasipd init first");
  }
  const auto secrets = cases::ServerSecrets::load(paths.pepper_file);
  const std::uint64_t max_db_mb = opt.get("max-db-mb") ? std::stoull(*opt.get("max-db-mb")) : 0;
  storage::ReaderPool pool(paths.database);
  // A database that cannot be written (read-only file, folder or filesystem)
  // still serves reads; writes answer 503 until the operator fixes it, and
  // then work again without a restart.
  std::atomic<bool> storage_writable{true};  // for the metrics
  const auto on_storage_state = [&pool, &paths, &storage_writable](bool writable, const std::string& reason) {
    storage_writable = writable;
    if (writable) {
      pool.set_writable(true);
      spdlog::info("event=storage_writable database={}", paths.database.string());
      return;
    }
    pool.set_writable(false);
    spdlog::error(
        "event=storage_not_writable database={} detail=\"{}\" effect=\"reads are served, "
        "writes answer 503 storage_unavailable\" fix=\"make the data folder, krasip.db and its "
        "-wal and -shm files writable by the service's user; no restart needed\"",
        paths.database.string(), reason);
  };
  storage::WriteQueue writer(paths.database, 512, max_db_mb * 1024 * 1024, on_storage_state);
  // Once, for databases from before schema 5: exclusion reasons and event
  // details still in plaintext are sealed to their cases' readers.
  try {
    writer.run([](storage::Database& db) {
      if (const auto n = cases::seal_plaintext_details(db)) {
        spdlog::info("event=plaintext_details_sealed count={}", n);
      }
    });
  } catch (const storage::StorageError& e) {
    spdlog::warn("event=plaintext_details_not_sealed detail=\"{}\" effect=\"sealed at the next start\"", e.what());
  }
  cases::ReaderDirectory readers(pool);
  {
    auto db = pool.acquire();
    if (!storage::key_store::load_agency(*db)) throw std::runtime_error("the database has no agency; run krasipd init");
  }
  cases::IntakeService intake(secrets, readers, writer, clock);
  cases::StatusService status(secrets, pool);
  cases::Limits limits;
  if (auto v = opt.get("upload-max-bytes")) limits.upload_max_bytes = std::stoull(*v);
  if (auto v = opt.get("case-upload-max-bytes")) limits.case_upload_max_bytes = std::stoull(*v);
  if (auto t = opt.get("upload-chunk-timeout-ms")) {
    config.limits.upload_chunk_timeout = std::chrono::milliseconds(std::stol(*t));
  }
  config.limits.json_body_limit = limits.max_body_bytes;
  cases::Deadlines deadlines;
  if (auto d = opt.get("ack-days")) deadlines.acknowledge_days = std::stoi(*d);
  if (auto d = opt.get("reply-days")) deadlines.reply_days = std::stoi(*d);
  if (auto d = opt.get("outcome-days")) deadlines.outcome_days = std::stoi(*d);
  const cases::AuditLog audit(secrets.pepper);
  cases::SessionLimits session_limits;
  if (auto v = opt.get("session-idle-seconds")) session_limits.idle_seconds = std::stoll(*v);
  if (auto v = opt.get("session-max-seconds")) session_limits.absolute_seconds = std::stoll(*v);
  if (session_limits.idle_seconds <= 0 || session_limits.absolute_seconds <= 0) {
    throw UsageError("--session-idle-seconds and --session-max-seconds must be positive");
  }
  const long sweep_seconds = opt.get("session-sweep-seconds") ? std::stol(*opt.get("session-sweep-seconds")) : 60;
  if (sweep_seconds <= 0) throw UsageError("--session-sweep-seconds must be positive");
  cases::SessionStore sessions(session_limits);
  const auto kdf_limits = opt.flag("fast-kdf") ? crypto::PwhashLimits::interactive()
                                               : crypto::PwhashLimits::moderate();
  // With --clock-offset-file, logins, sessions and TOTP codes follow the
  // moved clock too: the tests that move it compute their codes for it.
  cases::LoginService login(pool, writer, sessions, audit, clock, kdf_limits);
  const cases::AccountService accounts(audit, kdf_limits);
  cases::TriageService triage(pool, writer, audit, clock, deadlines,
                              paths.database.parent_path() / "attachments");
  cases::StatsService stats(pool);
  // Two workers: Argon2id MODERATE takes 256 MiB each, so memory stays bounded.
  boost::asio::thread_pool workers(2);
  // Per-client limits (0 turns one off, e.g. for benchmarks). A shared
  // office NAT is common, so they are generous; they stop scripted guessing.
  const auto limit = [&](const char* name, int fallback) { return opt.get(name) ? std::stoi(*opt.get(name)) : fallback; };
  const int submit_rate = limit("submit-rate", 20);   // per hour
  const int status_rate = limit("status-rate", 60);   // per minute
  const int login_rate = limit("login-rate", 30);     // per 15 minutes
  cases::RateLimiter submit_limiter(submit_rate, 3600);
  cases::RateLimiter status_limiter(status_rate, 60);
  cases::RateLimiter login_limiter(login_rate, 900);
  server::AppServices app{intake, status, readers, pool, writer, limits,
                          sessions, login, accounts, triage, stats, workers, config.behind_tls,
                          /* onion_address: set below */ {},
                          submit_rate > 0 ? &submit_limiter : nullptr,
                          status_rate > 0 ? &status_limiter : nullptr,
                          login_rate > 0 ? &login_limiter : nullptr};
  // Every uploaded byte is typed and cleaned by krasip-cleaner, a
  // sandboxed process per file that holds no secret (docs/security.md).
  cleaner::HelperConfig helper;
  helper.path = opt.get("cleaner") ? std::filesystem::path(*opt.get("cleaner"))
                                   : cleaner::default_helper_path();
  if (auto v = opt.get("cleaner-memory-mib")) helper.memory_mib = std::stoull(*v);
  if (auto v = opt.get("cleaner-cpu-seconds")) helper.cpu_seconds = static_cast<unsigned>(std::stoul(*v));
  if (auto v = opt.get("cleaner-timeout-ms")) {
    helper.timeout = std::chrono::milliseconds(std::stol(*v));
    helper.sniff_timeout = std::min(helper.sniff_timeout, helper.timeout);
  }
  if (helper.memory_mib == 0 || helper.cpu_seconds == 0 || helper.timeout.count() <= 0) {
    throw UsageError("--cleaner-memory-mib, --cleaner-cpu-seconds and --cleaner-timeout-ms must be positive");
  }
  // Evidence files live beside the database, as ciphertext only. Files no
  // row refers to (a crash mid-upload) are removed before serving.
  cases::FollowUpService followups(secrets, pool, writer,
                                   paths.database.parent_path() / "attachments", limits,
                                   clock, helper);
  followups.sweep_orphans();
  {
    // Fails the start, rather than every upload, if the helper is missing
    // or cannot run under its sandbox here.
    const auto t0 = std::chrono::steady_clock::now();
    static constexpr std::uint8_t kProbe[] = {'%', 'P', 'D', 'F', '-', '1', '.', '4', '\n'};
    try {
      const auto a = cleaner::sniff(helper, kProbe);
      if (a.mime != "application/pdf") throw std::runtime_error("it answered " + a.mime);
    } catch (const std::exception& e) {
      throw std::runtime_error("the file checker " + helper.path.string() +
                               " does not work: " + e.what() + " (see --cleaner)");
    }
    spdlog::info("event=cleaner_ready path={} start_and_sniff_ms={}", helper.path.string(),
                 std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - t0).count());
  }
  app.followups = &followups;
  if (auto v = opt.get("max-concurrent-uploads")) app.max_concurrent_uploads = std::stoul(*v);
  if (app.max_concurrent_uploads == 0) throw UsageError("--max-concurrent-uploads must be positive");
  // One thread per upload slot: an admitted upload's last step (the helper,
  // up to its timeout) never waits behind another's.
  boost::asio::thread_pool cleaning(app.max_concurrent_uploads);
  app.cleaning = &cleaning;
  if (auto q = opt.get("login-queue")) app.kdf_queue_limit = std::stoul(*q);
  // One sealing thread per core: sealing is CPU-bound.
  boost::asio::thread_pool sealing(std::max(1U, std::thread::hardware_concurrency()));
  app.sealing = &sealing;
  app.audit = &audit;
  // Proofs of work (issue 22): asked of clients with no known address and
  // of everyone under a flood.
  cases::ProofOfWork::Config pow_config;
  if (auto b = opt.get("pow-bits")) pow_config.base_bits = static_cast<unsigned>(std::stoul(*b));
  if (auto b = opt.get("pow-max-bits")) pow_config.max_bits = static_cast<unsigned>(std::stoul(*b));
  if (pow_config.base_bits > 32 || pow_config.max_bits > 40) {
    throw UsageError("--pow-bits is at most 32, --pow-max-bits at most 40");
  }
  // Web submissions a minute past which the service counts itself flooded:
  // everyone solves, and what is filed goes into the day's flood batch.
  if (auto f = opt.get("flood-floor")) {
    const auto floor = std::stoul(*f);
    if (floor < 1 || floor > 100000) throw UsageError("--flood-floor is between 1 and 100000");
    pow_config.flood_floor[static_cast<int>(cases::ProofOfWork::Purpose::submit)] = static_cast<std::uint32_t>(floor);
  }
  cases::ProofOfWork pow(pow_config);
  app.pow = &pow;
  intake.set_flood_meter(&pow);

  cases::EscalationService escalation(secrets, writer, audit, clock);
  app.escalation = &escalation;
  cases::CodeReplacement code_replacement(secrets, writer);
  app.code_replacement = &code_replacement;

  // E-mail alerts (issue 12): queued in the outbox by the transaction of the
  // event itself, sent by a thread of their own; no request waits on SMTP.
  const cases::CaseAlerts alerts(cases::AlertComposer(opt.get("public-url").value_or("")));
  intake.set_alerts(&alerts);
  followups.set_alerts(&alerts);
  cases::AlertPrefsService alert_prefs(secrets, pool, writer, alerts.composer(), clock);
  app.alert_prefs = &alert_prefs;
  app.data_dir = paths.database.parent_path();
  // Installed beside krasip-cleaner (/usr/lib/krasip, or the build folder);
  // --pack-pdf names another (the tests' krasip-pack-pdf-test). Without
  // one, the pack is HTML only.
  if (const auto named = opt.get("pack-pdf")) {
    if (::access(named->c_str(), X_OK) != 0) throw UsageError("--pack-pdf " + *named + " is not an executable file");
    app.pack_pdf_renderer = *named;
  } else if (const auto pdf = cleaner::default_helper_path().parent_path() / "krasip-pack-pdf";
             std::filesystem::exists(pdf)) {
    app.pack_pdf_renderer = pdf;
  }
  if (!app.pack_pdf_renderer.empty()) app.pack_fonts_dir = config.web_root / "fonts";
  app.onion_address = config.onion_address;
  app.secrets = &secrets;
  app.clock = clock;
  app.public_url = opt.get("public-url").value_or("");
  while (!app.public_url.empty() && app.public_url.back() == '/') app.public_url.pop_back();
  // Who may change who reads (issue 20): proposals, approvals, the public
  // change log, enrolment links; mailed through each reader's own agency.
  const cases::ChannelService channels(audit);
  const cases::EnrolmentService enrolments(secrets, audit, accounts);
  const cases::GovernanceMail governance_mail(alerts.composer());
  const cases::GovernanceService governance(audit, secrets, channels, accounts, enrolments, &governance_mail);
  app.governance = &governance;
  app.enrolments = &enrolments;
  // The reporter's pages without JavaScript (issue 22), styled by the
  // built pages' stylesheet (web-build writes its name; the source tree's
  // files otherwise).
  server::FormTokens form_tokens;
  app.form_tokens = &form_tokens;
  app.page_stylesheets = server::page_stylesheets(config.web_root);
  cases::OutboxOptions outbox_options;
  if (auto v = opt.get("mail-poll-ms")) outbox_options.poll = std::chrono::milliseconds(std::stol(*v));
  if (auto v = opt.get("mail-retry-base-seconds")) outbox_options.retry_base_seconds = std::stoll(*v);
  if (auto v = opt.get("mail-retry-max-seconds")) outbox_options.retry_cap_seconds = std::stoll(*v);
  if (outbox_options.poll.count() <= 0 || outbox_options.retry_base_seconds <= 0 ||
      outbox_options.retry_cap_seconds <= 0) {
    throw UsageError("--mail-poll-ms, --mail-retry-base-seconds and --mail-retry-max-seconds must be positive");
  }
  const int digest_hour = opt.get("digest-hour") ? std::stoi(*opt.get("digest-hour")) : 7;
  if (digest_hour < 0 || digest_hour > 23) throw UsageError("--digest-hour is 0 to 23 (Bangkok time)");
  cases::DeadlineDigest digest(pool, writer, alerts.composer(), deadlines, clock, digest_hour);
  cases::OutboxSender outbox(secrets, pool, writer, clock, outbox_options, [&digest] {
    if (const auto n = digest.run()) spdlog::info("event=deadline_digests_queued count={}", n);
  });

  config.day_clock = clock;
  if (auto r = opt.get("counts-roll-seconds")) {
    config.counts_every = std::chrono::seconds(std::stol(*r));
    if (config.counts_every->count() <= 0) throw UsageError("--counts-roll-seconds must be positive");
  }
  server::HttpServer http(config, server::make_api_router(app));
  // Each agency's embedded pages may be framed by its own website only
  // (issue 11); --frame-ancestor stays the origins of a one-agency deployment.
  http.set_embed_origins([&pool, deployment_origins = config.frame_ancestors](std::string_view slug) {
    auto db = pool.acquire();
    return cases::embedding_origins(*db, slug.empty() ? std::nullopt : std::optional<std::string>(slug),
                                    deployment_origins);
  });
  if (auto m = opt.get("metrics-listen")) {
    server::ServerConfig where;
    parse_listen(*m, where);
    writer.set_commit_observer(server::metrics::record_commit);
    const auto data_dir = paths.database.parent_path();
    http.serve_metrics(where.host, where.port, [&storage_writable, &sessions, &pool, &clock, data_dir] {
      server::metrics::Gauges g;
      try {
        auto db = pool.acquire();
        // As of the day's roll, like the health page: an alert a reporter's
        // action queues does not move it before the next day.
        g.outbox_unsent = cases::outbox_unsent_at_roll(*db, clock());
      } catch (const std::exception&) {
        g.outbox_unsent = -1;  // unknown: the database cannot be read
      }
      g.storage_writable = storage_writable.load();
      g.sessions_live = sessions.size();
      struct statvfs fs {};
      if (::statvfs(data_dir.c_str(), &fs) == 0) {
        g.disk_free_bytes = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
      }
      return server::metrics::render(g);
    });
  }
  // Expired sessions (and those of accounts disabled meanwhile) end within
  // a minute even if their tokens never come back: their unwrapped keys do
  // not stay in memory until the next request.
  http.every(std::chrono::seconds(sweep_seconds), [&login] {
    const auto r = login.sweep();
    if (r.expired + r.ended != 0) {
      spdlog::info("event=sessions_swept expired={} ended={} live={}", r.expired, r.ended, r.live);
    }
  });
  // Public waits that ended, proposals no one decided, keys past their
  // grace period: checked as often as sessions are swept (the work is a
  // look-up in an index when nothing is due).
  http.every(std::chrono::seconds(sweep_seconds), [&writer, &governance, &clock] {
    try {
      cases::RollResult r;
      writer.run([&](storage::Database& db) { r = governance.roll(db, clock()); });
      if (r.applied + r.lapsed + r.failed + r.departures_expired + r.disabled_keys_deleted != 0) {
        spdlog::info("event=governance_roll applied={} lapsed={} failed={} departures_expired={} disabled_keys_deleted={}",
                     r.applied, r.lapsed, r.failed, r.departures_expired, r.disabled_keys_deleted);
      }
    } catch (const std::exception& e) {
      spdlog::warn("event=governance_roll_failed reason={}", e.what());
    }
  });
  // The day's public statistics (issue 21, item 1): made at the first check
  // after 00:00 Bangkok by the service's clock, for every open agency's
  // current fiscal year, so they hold the statuses as they stood at the
  // roll. A request before that check makes them itself (the same cases:
  // completed periods only).
  http.every(std::chrono::seconds(sweep_seconds), [&app, &pool, &writer, &clock, last = std::string()]() mutable {
    const auto now = clock();
    const auto today = cases::iso_date_bangkok(now);
    if (today == last) return;
    try {
      auto db = pool.acquire();
      for (const auto& a : storage::key_store::list_agencies(*db)) {
        if (a.disabled_at) continue;
        const auto period = cases::parse_period(storage::public_stats_store::period(*db, a.id));
        (void)cases::published_body(
            *db, [&writer](const std::function<void(storage::Database&)>& job) { writer.run(job); }, a,
            cases::fiscal_year_be(now), period.value_or(cases::StatsPeriod::month),
            cases::deadlines_of(a, app.triage.deadlines()), now);
      }
      last = today;
    } catch (const std::exception& e) {
      spdlog::warn("event=public_stats_roll_failed reason={}", e.what());
    }
  });
  const auto port = http.listen();
  if (auto f = opt.get("port-file")) {
    const std::string tmp = *f + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::filesystem::rename(tmp, *f);  // readers never see a half-written file
  }
  spdlog::info("event=listening host={} port={} web_root={}", config.host, port,
               config.web_root.string());
  if (const auto mp = http.metrics_port()) {
    if (auto f = opt.get("metrics-port-file")) {
      const std::string tmp = *f + ".tmp";
      std::ofstream(tmp) << mp << "\n";
      std::filesystem::rename(tmp, *f);
    }
    spdlog::info("event=metrics_listening port={}", mp);
  }
  outbox.start();
  http.run();
  outbox.stop();  // an SMTP transfer under way is cut; its mail stays queued
  sealing.join();
  cleaning.join();
  workers.join();
  writer.stop();  // finishes queued commits before the process exits
  spdlog::info("event=stopped");
  return 0;
}

}  // namespace krasip::cli
