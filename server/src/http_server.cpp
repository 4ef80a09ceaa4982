#include "krasip/server/http_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "krasip/server/metrics.hpp"
#include "krasip/server/static_files.hpp"
#include "listener.hpp"
#include "request_log.hpp"
#include "server_state.hpp"

namespace krasip::server {

namespace net = boost::asio;

namespace {
constexpr auto kDrainPoll = std::chrono::milliseconds(50);
constexpr auto kDrainMax = std::chrono::seconds(10);
}  // namespace

struct HttpServer::Impl {
  ServerConfig config;
  Router router;
  StaticFiles static_files;
  net::io_context ioc;
  ServerState state;
  std::shared_ptr<Listener> listener;
  net::signal_set signals;
  net::steady_timer drain_timer;
  net::steady_timer counts_timer;
  std::chrono::steady_clock::time_point drain_started;
  struct Periodic {
    net::steady_timer timer;
    std::chrono::milliseconds interval;
    std::function<void()> task;
  };
  std::vector<std::unique_ptr<Periodic>> periodic;
  // The operator's metrics, on their own address (see metrics.hpp).
  struct MetricsEndpoint {
    std::string host;
    unsigned short port = 0;
    Router router;
    std::unique_ptr<ServerState> state;
    std::shared_ptr<Listener> listener;
  };
  std::optional<MetricsEndpoint> metrics;

  void schedule(Periodic& p) {
    p.timer.expires_after(p.interval);
    p.timer.async_wait([this, &p](boost::system::error_code ec) {
      if (ec || state.stopping.load()) return;
      try {
        p.task();
      } catch (const std::exception& e) {
        spdlog::error("event=periodic_task_failed detail=\"{}\"", e.what());
      }
      schedule(p);
    });
  }

  Impl(ServerConfig c, Router r)
      : config(std::move(c)),
        router(std::move(r)),
        static_files(config.web_root),
        ioc(static_cast<int>(threads())),
        state{config, router, static_files, {}, {}, {}, {}},
        signals(ioc, SIGTERM, SIGINT),
        drain_timer(ioc),
        counts_timer(ioc) {}

  unsigned threads() const {
    return config.threads != 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());
  }

  void begin_stop() {
    if (state.stopping.exchange(true)) return;
    spdlog::info("event=shutdown_started in_flight={}", state.requests_in_flight.load());
    if (listener) listener->stop();
    if (metrics && metrics->listener) metrics->listener->stop();
    signals.cancel();
    for (auto& p : periodic) p->timer.cancel();
    counts_timer.cancel();
    drain_started = std::chrono::steady_clock::now();
    wait_for_drain();
  }

  // Reporter routes are only counted (see request_log.hpp); the counts are
  // written, and published to the metrics, a period at a time (a day by
  // default: the precision reporter-side times are kept at).
  void schedule_counts() {
    if (config.counts_every || !config.day_clock) {
      counts_timer.expires_after(config.counts_every.value_or(std::chrono::seconds(86400)));
      counts_timer.async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        roll_counts();
        schedule_counts();
      });
      return;
    }
    // The Bangkok day of the service's clock, looked at every few seconds:
    // the roll comes at midnight, and a moved test clock is seen at once.
    const auto day = [this] { return (config.day_clock() + 7 * 3600) / 86400; };
    if (counts_day == 0) counts_day = day();
    counts_timer.expires_after(std::chrono::seconds(2));
    counts_timer.async_wait([this, day](boost::system::error_code ec) {
      if (ec) return;
      if (const auto now = day(); now != counts_day) {
        counts_day = now;
        roll_counts();
      }
      schedule_counts();
    });
  }
  void roll_counts() {
    log_request_counts();
    metrics::publish_pending();
  }
  std::int64_t counts_day = 0;

  void wait_for_drain() {
    if (state.requests_in_flight.load() == 0 ||
        std::chrono::steady_clock::now() - drain_started > kDrainMax) {
      spdlog::info("event=shutdown_drained in_flight={}", state.requests_in_flight.load());
      ioc.stop();
      return;
    }
    drain_timer.expires_after(kDrainPoll);
    drain_timer.async_wait([this](boost::system::error_code) { wait_for_drain(); });
  }
};

HttpServer::HttpServer(ServerConfig config, Router router)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(router))) {}

HttpServer::~HttpServer() = default;

unsigned short HttpServer::listen() {
  const auto address = net::ip::make_address(impl_->config.host);
  impl_->listener = std::make_shared<Listener>(
      impl_->ioc, net::ip::tcp::endpoint{address, impl_->config.port}, impl_->state);
  impl_->listener->start();
  if (auto& m = impl_->metrics) {
    m->state.reset(new ServerState{impl_->config, m->router, impl_->static_files, {}, {}, {}, {}});  // NOLINT: atomics, not movable
    m->listener = std::make_shared<Listener>(
        impl_->ioc, net::ip::tcp::endpoint{net::ip::make_address(m->host), m->port}, *m->state);
    m->listener->start();
  }
  return impl_->listener->port();
}

void HttpServer::set_embed_origins(
    std::function<std::optional<std::vector<std::string>>(std::string_view)> resolve) {
  impl_->state.embed_origins = std::move(resolve);
}

void HttpServer::serve_metrics(const std::string& host, unsigned short port, std::function<std::string()> render) {
  Impl::MetricsEndpoint m;
  m.host = host;
  m.port = port;
  m.router.add(http::verb::get, "/metrics", [render = std::move(render)](const Request& req, const RouteParams&, Reply reply) {
    Response res{http::status::ok, req.version()};
    res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.body() = render();
    res.prepare_payload();
    reply(std::move(res));
  });
  impl_->metrics = std::move(m);
}

unsigned short HttpServer::metrics_port() const {
  return impl_->metrics && impl_->metrics->listener ? impl_->metrics->listener->port() : 0;
}

void HttpServer::run() {
  impl_->signals.async_wait([this](boost::system::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("event=signal signal={}", sig);
    impl_->begin_stop();
  });
  impl_->schedule_counts();
  const unsigned n = impl_->threads();
  std::vector<std::thread> pool;
  pool.reserve(n - 1);
  for (unsigned i = 1; i < n; ++i) pool.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : pool) t.join();
  log_request_counts();  // what was counted since the last daily line
}

void HttpServer::every(std::chrono::milliseconds interval, std::function<void()> task) {
  impl_->periodic.push_back(std::make_unique<Impl::Periodic>(
      Impl::Periodic{net::steady_timer(impl_->ioc), interval, std::move(task)}));
  impl_->schedule(*impl_->periodic.back());
}

void HttpServer::request_stop() {
  net::post(impl_->ioc, [this] { impl_->begin_stop(); });
}

}  // namespace krasip::server
