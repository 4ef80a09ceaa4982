#include "listener.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/strand.hpp>

#include "http_session.hpp"

namespace krasip::server {

namespace net = boost::asio;

Listener::Listener(net::io_context& ioc, const net::ip::tcp::endpoint& endpoint, ServerState& state)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), backoff_(ioc), state_(state) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
}

unsigned short Listener::port() const { return acceptor_.local_endpoint().port(); }

void Listener::start() { accept(); }

void Listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
    self->backoff_.cancel();
  });
}

void Listener::accept() {
  acceptor_.async_accept(
      net::make_strand(ioc_), [self = shared_from_this()](boost::system::error_code ec,
                                                          net::ip::tcp::socket socket) {
        if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
        if (ec) {
          spdlog::warn("event=accept_failed error=\"{}\"", ec.message());
          self->backoff_.expires_after(std::chrono::milliseconds(100));
          self->backoff_.async_wait([self](boost::system::error_code wait_ec) {
            if (!wait_ec) self->accept();
          });
          return;
        }
        boost::system::error_code ignored;
        socket.set_option(net::ip::tcp::no_delay(true), ignored);
        const bool full = self->state_.connections.load() >= self->state_.config.limits.max_connections;
        auto session = std::make_shared<HttpSession>(std::move(socket), self->state_);
        if (full) {
          session->reject_busy();
        } else {
          session->start();
        }
        self->accept();
      });
}

}  // namespace krasip::server
